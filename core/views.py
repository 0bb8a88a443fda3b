from django.contrib.auth import get_user_model
from django.core import signing
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import unsubscribe
from .tokens import mask_email


@csrf_exempt  # the signed token is the credential: mail clients POST here (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_view(request, token):
    """One-click unsubscribe without signing in. GET shows a single button (link scanners must
    not unsubscribe anyone); POST — the button or a mail client's List-Unsubscribe-Post — does."""
    try:
        member, topic = unsubscribe.read(token)
    except (signing.BadSignature, get_user_model().DoesNotExist):
        return render(request, "core/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        topic.handler(member)
        done = True
    return render(
        request,
        "core/unsubscribe.html",
        {"topic": topic, "what": topic.label, "done": done, "email": mask_email(member.email)},
    )
