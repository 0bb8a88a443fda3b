import hashlib
import hmac

from integrations.models import WebhookEndpoint

SECRET = "a-shared-secret-for-tests"


def endpoint(url, events=("idea.stage_changed",), **fields):
    return WebhookEndpoint.objects.create(
        name="Receiver", url=url, secret=SECRET, events=list(events), **fields
    )


def signature_is_valid(request, secret=SECRET):
    headers = {k.lower(): v for k, v in request["headers"].items()}
    message = headers["x-cocrea-timestamp"].encode() + b"." + request["body"]
    expected = "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["x-cocrea-signature"], expected)


def header(request, name):
    return {k.lower(): v for k, v in request["headers"].items()}[name.lower()]
