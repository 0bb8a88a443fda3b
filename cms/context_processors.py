from django.conf import settings


def site_chrome(request):
    return {"SITE_NAME": settings.WAGTAIL_SITE_NAME}
