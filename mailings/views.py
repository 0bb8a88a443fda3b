"""Public views: one-click unsubscribe from campaign e-mails, without signing in."""

from django.core import signing
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from members.models import ConsentRecord, User
from members.notification_views import mask_email
from members.services import marketing_consent_set

from .messages import read_unsubscribe_token


@csrf_exempt  # the signed token is the credential: mail clients POST here (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_view(request, token):
    """GET shows one button (link scanners must not unsubscribe anyone); POST — the button or
    a mail client's List-Unsubscribe-Post — withdraws marketing consent."""
    try:
        member = read_unsubscribe_token(token)
    except (signing.BadSignature, User.DoesNotExist):
        return render(request, "mailings/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        marketing_consent_set(member=member, given=False, source=ConsentRecord.Source.UNSUBSCRIBE)
        done = True
    return render(
        request, "mailings/unsubscribe.html", {"done": done, "email": mask_email(member.email)}
    )
