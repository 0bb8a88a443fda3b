"""Reading reputation: levels, ambassador marks for many names in one query, a member's
badges, and the leaderboards."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, CharField, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment

from ideas.models import Idea
from segments.audience import hidden_page_ids
from voting.models import Vote

from . import values
from .models import HelpfulMark, MemberPoints, PointsEntry, Reason

LEVEL_NAMES = {
    1: _("Newcomer"),
    2: _("Contributor"),
    3: _("Regular"),
    4: _("Expert"),
    5: _("Ambassador"),
}
TOP_LEVEL = max(LEVEL_NAMES)
STREAK_DAYS = 30


@dataclass(frozen=True)
class Mark:
    points: int
    level: int

    @property
    def level_name(self):
        return LEVEL_NAMES[self.level]

    @property
    def is_ambassador(self):
        return self.level == TOP_LEVEL


def level_for(points, thresholds=None) -> int:
    thresholds = thresholds or values.current().thresholds
    return max(n for n, at_least in enumerate(thresholds, start=1) if points >= at_least or n == 1)


def mark_for(points, thresholds=None) -> Mark:
    return Mark(points, level_for(points, thresholds))


def page_context(request, campaign, ideas):
    """For `ideas.hooks`: on an idea's page, which comments the team marked helpful (one query)
    and whether the viewer may mark them. Levels need no query: they are on the user row."""
    ideas = list(ideas)
    if len(ideas) != 1:
        return {}
    user = request.user
    return {
        "can_mark_helpful": user.is_authenticated and (user.is_team or user.is_superuser),
        "helpful_ids": set(
            HelpfulMark.objects.filter(
                comment__content_type__app_label="ideas",
                comment__content_type__model="idea",
                comment__object_pk=str(ideas[0].pk),
            ).values_list("comment_id", flat=True)
        ),
    }


# Badges -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    slug: str
    name: str
    description: str


BADGES = {
    "first_idea": (_("First idea"), _("Published a first idea.")),
    "ten_ideas": (_("Ten ideas"), _("Published ten ideas.")),
    "shipped": (_("Shipped"), _("An idea of theirs shipped.")),
    "ten_helpful": (_("Helpful"), _("Ten comments marked helpful by the team.")),
    "streak": (_("30-day streak"), _("Took part on 30 days in a row.")),
}


def _visible_entries(member, viewer):
    """The member's ledger entries about what `viewer` may see: an entry about an idea of a
    campaign with an audience the viewer is not in stays out (the audience policy)."""
    entries = PointsEntry.objects.filter(member=member)
    hidden = hidden_page_ids(viewer) if viewer is not None else frozenset()
    return entries.exclude(campaign_id__in=hidden) if hidden else entries


def _held(member, viewer=None):
    """{reason: awards held now} (given minus taken back), one query."""
    rows = (
        _visible_entries(member, viewer)
        .order_by()
        .values("reason")
        .annotate(
            n=Sum(
                Case(
                    When(is_reversal=True, then=Value(-1)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
        )
    )
    return {row["reason"]: row["n"] for row in rows}


def longest_streak(days) -> int:
    """The longest run of consecutive dates in `days`."""
    best = run = 0
    previous = None
    for day in sorted(set(days)):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


def _activity_days(member, viewer=None):
    def days(queryset, field):
        return queryset.order_by().annotate(d=TruncDate(field)).values("d")

    ideas = Idea.objects.filter(author=member)
    votes = Vote.objects.filter(member=member)
    comments = XtdComment.objects.filter(user=member)
    hidden = hidden_page_ids(viewer) if viewer is not None else frozenset()
    if hidden:
        ideas = ideas.exclude(campaign_id__in=hidden)
        votes = votes.exclude(campaign_id__in=hidden)
        comments = comments.filter(
            object_pk__in=Idea.objects.exclude(campaign_id__in=hidden)
            .annotate(pk_text=Cast("pk", CharField()))
            .values("pk_text")
        )
    union = days(ideas, "created_at").union(
        days(votes, "created_at"), days(comments, "submit_date")
    )
    return [row["d"] for row in union]


def badges_for(member, viewer=None) -> list[Badge]:
    """The badges `member` earned, counting only what `viewer` may see (None: everything)."""
    held = _held(member, viewer)
    earned = []
    if held.get(Reason.IDEA_PUBLISHED, 0) >= 1:
        earned.append("first_idea")
    if held.get(Reason.IDEA_PUBLISHED, 0) >= 10:
        earned.append("ten_ideas")
    if held.get(Reason.IDEA_SHIPPED, 0) >= 1:
        earned.append("shipped")
    if held.get(Reason.COMMENT_HELPFUL, 0) >= 10:
        earned.append("ten_helpful")
    if longest_streak(_activity_days(member, viewer)) >= STREAK_DAYS:
        earned.append("streak")
    return [Badge(slug, *BADGES[slug]) for slug in earned]


def profile_context(request, member):
    """For `members.profile`: level, points and badges; staff have none to show. The level is
    the member's standing, shown next to their name everywhere; the points and badges count only
    what the viewer may see, so a campaign with an audience the viewer is not in shows nothing
    of itself through them (docs/reputation.md)."""
    viewer = request.user
    if hidden_page_ids(viewer):
        points = _visible_entries(member, viewer).aggregate(total=Sum("points"))["total"] or 0
    else:
        points = (
            MemberPoints.objects.filter(member=member).values_list("points", flat=True).first() or 0
        )
    return {
        "reputation": Mark(points, member.reputation_level or 1),
        "reputation_badges": badges_for(member, viewer),
    }


# Leaderboards -------------------------------------------------------------------------------

PERIOD_DAYS = {"30d": 30, "all": None}


def leaderboard(*, campaign, period="all"):
    """Members ranked by the points they earned in `campaign` (in the last 30 days, or ever),
    staff excluded, best first: rows of member_id, points."""
    rows = PointsEntry.objects.filter(campaign=campaign).exclude(
        Q(member__is_staff=True) | Q(member__is_superuser=True) | Q(member__is_team=True)
    )
    days = PERIOD_DAYS.get(period)
    if days:
        rows = rows.filter(created_at__gte=timezone.now() - timedelta(days=days))
    return (
        rows.order_by()
        .values("member_id", "member__username", "member__display_name", "member__reputation_level")
        .annotate(total=Sum("points"), entries=Count("pk"))
        .filter(total__gt=0)
        .order_by("-total", "member_id")
    )


# The team's workspace ---------------------------------------------------------------------------

WORKSPACE_COMMENTS_PER_PAGE = 20


def workspace_context(request, idea):
    """For `ideas.hooks`: the idea's discussion in the triage workspace, newest first and
    paginated (`?comments=`), each comment with whether the team marked it helpful, so the team
    marks helpful answers where it works. Two queries for a page of comments."""
    from django.core.paginator import Paginator

    comments = (
        XtdComment.objects.filter(
            content_type__app_label="ideas",
            content_type__model="idea",
            object_pk=str(idea.pk),
            is_public=True,
            is_removed=False,
        )
        .select_related("user")
        .order_by("-submit_date", "-pk")
    )
    page = Paginator(comments, WORKSPACE_COMMENTS_PER_PAGE).get_page(request.GET.get("comments"))
    marked = set(
        HelpfulMark.objects.filter(comment_id__in=[c.pk for c in page.object_list]).values_list(
            "comment_id", flat=True
        )
    )
    for comment in page.object_list:
        comment.is_helpful = comment.pk in marked
    user = request.user
    return {
        "discussion": page,
        "can_mark_helpful": user.is_authenticated and (user.is_team or user.is_superuser),
        "helpful_base_url": idea.url if idea.status == Idea.Status.PUBLISHED else "",
    }
