"""Idea images go through the audience policy like the idea itself: `/idea-images/<pk>/<name>`
answers only a visitor who may see the idea (404 otherwise, exactly as an idea that does not
exist), so an image of a restricted campaign cannot be fetched by its address. The web server
must not serve `MEDIA_ROOT/ideas/` itself (docs/permissions.md); with
`MEDIA_ACCEL_REDIRECT_PREFIX` set (nginx's `internal` location) the file is handed to the web
server after the check instead of being streamed by Django."""

import mimetypes

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_safe

from segments.audience import can_see_idea

from .models import Idea
from .permissions import can_view_idea


@require_safe
def idea_image(request, pk, name):
    idea = Idea.objects.select_related("campaign").filter(pk=pk).first()
    if (
        idea is None
        or not idea.image
        or idea.image.name.rsplit("/", 1)[-1] != name
        or not idea.campaign.live
        or not can_see_idea(request.user, idea)
        or not can_view_idea(request.user, idea)
    ):
        raise Http404
    content_type = mimetypes.guess_type(idea.image.name)[0] or "application/octet-stream"
    prefix = getattr(settings, "MEDIA_ACCEL_REDIRECT_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + idea.image.name
    else:
        try:
            response = FileResponse(idea.image.open("rb"), content_type=content_type)
        except FileNotFoundError:
            raise Http404 from None
    # Who may see it can change (an audience is added): shared caches never keep it.
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
