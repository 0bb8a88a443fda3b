"""Reading reputation: levels, ambassador marks for many names in one query, a member's
badges, and the leaderboards."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment

from ideas.models import Idea
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


def _held(member):
    """{reason: awards held now} (given minus taken back), one query."""
    rows = (
        PointsEntry.objects.filter(member=member)
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


def _activity_days(member):
    def days(queryset, field):
        return queryset.order_by().annotate(d=TruncDate(field)).values("d")

    union = days(Idea.objects.filter(author=member), "created_at").union(
        days(Vote.objects.filter(member=member), "created_at"),
        days(XtdComment.objects.filter(user=member), "submit_date"),
    )
    return [row["d"] for row in union]


def badges_for(member) -> list[Badge]:
    held = _held(member)
    earned = []
    if held.get(Reason.IDEA_PUBLISHED, 0) >= 1:
        earned.append("first_idea")
    if held.get(Reason.IDEA_PUBLISHED, 0) >= 10:
        earned.append("ten_ideas")
    if held.get(Reason.IDEA_SHIPPED, 0) >= 1:
        earned.append("shipped")
    if held.get(Reason.COMMENT_HELPFUL, 0) >= 10:
        earned.append("ten_helpful")
    if longest_streak(_activity_days(member)) >= STREAK_DAYS:
        earned.append("streak")
    return [Badge(slug, *BADGES[slug]) for slug in earned]


def profile_context(request, member):
    """For `members.profile`: level, points and badges (public, like the member's name; staff
    have none to show)."""
    points = (
        MemberPoints.objects.filter(member=member).values_list("points", flat=True).first() or 0
    )
    return {
        "reputation": Mark(points, member.reputation_level or 1),
        "reputation_badges": badges_for(member),
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
