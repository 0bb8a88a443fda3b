from django.contrib.messages import get_messages


def shown(response):
    """The messages the next page shows."""
    return [str(m).strip() for m in get_messages(response.wsgi_request)]
