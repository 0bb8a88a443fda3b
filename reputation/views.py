"""Marking comments helpful (from the idea page, htmx or a plain form, or from the team's
workspace) and the campaign leaderboards. Both are campaign sub-routes (`campaigns.routes`),
so the campaign page's audience policy decides who reaches them."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment

from core.exceptions import NotAllowed
from core.throttle import throttle
from ideas.models import Idea, idea_url

from . import selectors
from .models import HelpfulMark
from .permissions import can_mark_helpful
from .services import comment_mark_helpful, comment_unmark_helpful

LEADERBOARD_PAGE_SIZE = 25


@throttle("helpful")
def comment_helpful(request, campaign, idea_id, comment_id):
    """POST `action=mark|unmark`, by the product team."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    address = idea_url(Idea(pk=int(idea_id)), campaign.url)
    if not request.user.is_authenticated:
        return redirect_to_login(address)
    comment = (
        XtdComment.objects.filter(
            pk=comment_id,
            content_type__app_label="ideas",
            content_type__model="idea",
            object_pk=str(idea_id),
        )
        .select_related("content_type")
        .first()
    )
    if comment is None or not Idea.objects.filter(pk=idea_id, campaign=campaign.source).exists():
        raise Http404
    error = ""
    try:
        if request.POST.get("action") == "unmark":
            comment_unmark_helpful(comment=comment, actor=request.user)
        else:
            comment_mark_helpful(comment=comment, actor=request.user)
    except NotAllowed as refused:
        error = refused.reason
    if request.htmx:
        return render(
            request,
            "components/helpful_mark.html",
            {
                "comment": comment,
                "idea_url": address,
                "is_helpful": hasattr_mark(comment),
                "can_mark_helpful": bool(can_mark_helpful(request.user, comment)),
                "helpful_error": error,
            },
            status=403 if error else 200,
        )
    if error:
        # Only the team sees the button: a refusal here is a hand-made request.
        raise PermissionDenied(error)
    messages.success(
        request,
        _("The comment is marked helpful.")
        if hasattr_mark(comment)
        else _("The comment is no longer marked helpful."),
    )
    # From the team's workspace, back to it; from the idea page, to the comment.
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(f"{address}#c{comment.pk}")


def hasattr_mark(comment):
    return HelpfulMark.objects.filter(comment_id=comment.pk).exists()


def leaderboard(request, campaign):
    """The members who earned most in this campaign: `?period=30d` or all time."""
    period = request.GET.get("period", "all")
    if period not in selectors.PERIOD_DAYS:
        period = "all"
    page = Paginator(
        selectors.leaderboard(campaign=campaign.source, period=period), LEADERBOARD_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    start = page.start_index()
    rows = [
        {
            "rank": start + offset,
            "member_id": row["member_id"],
            "username": row["member__username"],
            "name": row["member__display_name"] or row["member__username"],
            "points": row["total"],
            "level": row["member__reputation_level"],
        }
        for offset, row in enumerate(page.object_list)
    ]
    return campaign.render(
        request,
        template="reputation/leaderboard.html",
        context_overrides={
            "page_obj": page,
            "rows": rows,
            "period": period,
            "query_string": f"period={period}",
            "campaign_url": campaign.url,
        },
    )
