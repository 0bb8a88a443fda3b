from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpResponse, JsonResponse
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


def health(request):
    """Liveness (load balancers, Kubernetes' livenessProbe): the process answers. No database,
    no cache: a database outage must not make an orchestrator restart every web process."""
    return HttpResponse("ok", content_type="text/plain")


def ready(request):
    """Readiness (readinessProbe): 200 when the database answers, 503 when it does not. Redis
    is reported but does not fail readiness: without it the site degrades (docs/reliability.md)
    and still serves."""
    from django.core.cache import cache
    from django.db import connection

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 — any failure means not ready
        checks["database"] = "unavailable"
    try:
        cache.set("ready:probe", 1, 5)
        checks["cache"] = "ok" if cache.get("ready:probe") == 1 else "degraded"
    except Exception:  # noqa: BLE001
        checks["cache"] = "degraded"
    status = 200 if checks["database"] == "ok" else 503
    return JsonResponse(checks, status=status)
