"""Writing the ledger. The ledger is derived from the state of what it is about: for a set of
things (an idea, its votes, a comment, its likes) `_sync` works out the awards they should give
now, compares them with the awards they hold, and writes the missing awards and the reversals.
So replaying an event, or hearing the same change twice, writes nothing new; and a merged,
rejected, withdrawn or deleted thing loses its points the first time it is looked at.

Every entry moves the member's cached total (`MemberPoints`) by `F()` in the same transaction.
Staff (the product team, admin users, superusers) earn nothing."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django_comments.models import CommentFlag
from django_comments_xtd.models import LIKEDIT_FLAG, XtdComment
from wagtail.models import Site

from core.exceptions import NotAllowed
from ideas.events import record_event
from ideas.models import Event, Idea, IdeaStageChange, Stage
from members.models import User
from moderation.models import Case
from voting.models import Vote

from . import values
from .models import HelpfulMark, MemberPoints, PointsEntry, Reason, ReputationSettings
from .permissions import can_mark_helpful


def earns_points(member) -> bool:
    return bool(
        member is not None
        and member.is_active
        and not (member.is_staff or member.is_superuser or getattr(member, "is_team", False))
    )


@dataclass(frozen=True)
class Award:
    points: int
    idea_id: int | None
    campaign_id: int | None


def _ct(model):
    return ContentType.objects.get_for_model(model)


def _awaiting_review(*, idea_id=None, comment_id=None) -> bool:
    """Hidden by members' flags, not yet by a moderator: its points stay until one decides (a
    reversal is final, and three reports alone must not take them for good)."""
    cases = Case.objects.filter(status=Case.Status.HIDDEN_PENDING)
    if comment_id is not None:
        return cases.filter(comment_id=comment_id).exists()
    return cases.filter(idea_id=idea_id, comment__isnull=True).exists()


# Published, or hidden by flags and awaiting a moderator (as `_is_live`, in a query).
_LIVE_STATUS = Q(status=Idea.Status.PUBLISHED) | Q(
    status=Idea.Status.HIDDEN,
    moderation_cases__comment__isnull=True,
    moderation_cases__status=Case.Status.HIDDEN_PENDING,
)


def _is_live(idea) -> bool:
    if idea is None or idea.merged_into_id is not None or idea.stage.is_merged:
        return False
    if idea.status == Idea.Status.PUBLISHED:
        return True
    return idea.status == Idea.Status.HIDDEN and _awaiting_review(idea_id=idea.pk)


def _idea_awards(idea, settings):
    """{(member_id, reason, content_type_id, object_id): Award} an idea gives its author now."""
    out = {}
    author = idea.author
    if not _is_live(idea) or not earns_points(author):
        return out
    idea_ct = _ct(Idea).pk
    where = Award(0, idea.pk, idea.campaign_id)

    def give(reason, ct, object_id):
        out[(author.pk, reason, ct, object_id)] = Award(
            settings.points_for(reason), where.idea_id, where.campaign_id
        )

    give(Reason.IDEA_PUBLISHED, idea_ct, idea.pk)
    reached = set(
        IdeaStageChange.objects.filter(idea=idea).values_list("to_stage__role", flat=True)
    ) | {idea.stage.role}
    if reached & {Stage.Role.PLANNED, Stage.Role.IN_PROGRESS, Stage.Role.SHIPPED}:
        give(Reason.IDEA_PLANNED, idea_ct, idea.pk)
    if Stage.Role.SHIPPED in reached:
        give(Reason.IDEA_SHIPPED, idea_ct, idea.pk)
    first = (
        Idea.objects.filter(_LIVE_STATUS, author=author, merged_into__isnull=True)
        .exclude(stage__role=Stage.Role.MERGED)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if first == idea.pk:
        give(Reason.FIRST_IDEA, idea_ct, idea.pk)
    vote_ct = _ct(Vote).pk
    for vote_id, voter_id in Vote.objects.filter(idea=idea).values_list("pk", "member_id"):
        if voter_id != author.pk:
            give(Reason.VOTE_RECEIVED, vote_ct, vote_id)
    return out


def _comment_awards(comment, settings):
    out = {}
    author = comment.user
    hidden = not comment.is_public and not _awaiting_review(comment_id=comment.pk)
    if hidden or comment.is_removed or not earns_points(author):
        return out
    idea = Idea.objects.filter(pk=comment.object_pk).select_related("stage").first()
    if idea is None:
        return out
    where = (idea.pk, idea.campaign_id)
    if HelpfulMark.objects.filter(comment=comment).exists():
        out[(author.pk, Reason.COMMENT_HELPFUL, _ct(XtdComment).pk, comment.pk)] = Award(
            settings.comment_helpful, *where
        )
    flag_ct = _ct(CommentFlag).pk
    for flag_id, liker_id in CommentFlag.objects.filter(
        comment=comment, flag=LIKEDIT_FLAG
    ).values_list("pk", "user_id"):
        if liker_id != author.pk:
            out[(author.pk, Reason.COMMENT_LIKED, flag_ct, flag_id)] = Award(
                settings.comment_liked, *where
            )
    return out


def _sync(desired, scope):
    """Write what moves the ledger from what `scope` (a Q on PointsEntry) holds to `desired`.
    Returns the points moved."""
    held = {}
    reversed_keys = set()
    for row in PointsEntry.objects.filter(scope | _keys_q(desired)).values(
        "pk",
        "member_id",
        "reason",
        "content_type_id",
        "object_id",
        "is_reversal",
        "points",
        "idea_id",
        "campaign_id",
    ):
        key = (row["member_id"], row["reason"], row["content_type_id"], row["object_id"])
        if row["is_reversal"]:
            reversed_keys.add(key)
        else:
            held[key] = row
    moved, touched = 0, set()
    for key, award in desired.items():
        if key not in held and award.points:
            if _write(key, award.points, False, award.idea_id, award.campaign_id):
                moved += award.points
                touched.add(key[0])
    for key, row in held.items():
        if key not in desired and key not in reversed_keys:
            if _write(key, -row["points"], True, row["idea_id"], row["campaign_id"]):
                moved -= row["points"]
                touched.add(key[0])
    if touched:
        levels_refresh(member_ids=touched)
    return moved


def _keys_q(keys):
    q = Q(pk__in=[])
    for member_id, reason, ct, object_id in keys:
        q |= Q(member_id=member_id, reason=reason, content_type_id=ct, object_id=object_id)
    return q


def _write(key, points, is_reversal, idea_id, campaign_id):
    member_id, reason, ct, object_id = key
    try:
        with transaction.atomic():
            PointsEntry.objects.create(
                member_id=member_id,
                points=points,
                reason=reason,
                is_reversal=is_reversal,
                content_type_id=ct,
                object_id=object_id,
                idea_id=idea_id,
                campaign_id=campaign_id,
            )
    except IntegrityError:
        return False  # given (or taken back) already, by a racing request: it stands
    MemberPoints.objects.get_or_create(member_id=member_id)
    MemberPoints.objects.filter(member_id=member_id).update(points=F("points") + points)
    return True


def levels_refresh(*, member_ids=None) -> None:
    """Set `User.reputation_level` from the cached totals and the thresholds in force (for
    some members, or everyone when the thresholds change): one UPDATE per level."""
    thresholds = values.current().thresholds
    users = User.objects.all() if member_ids is None else User.objects.filter(pk__in=member_ids)
    totals = MemberPoints.objects.all()
    if member_ids is not None:
        totals = totals.filter(member_id__in=member_ids)
    users.exclude(pk__in=totals.filter(points__gt=0).values("member_id")).exclude(
        reputation_level=0
    ).update(reputation_level=0)
    bounds = [*thresholds[1:], None]
    for level, (low, high) in enumerate(zip(thresholds, bounds, strict=True), start=1):
        band = totals.filter(points__gt=0, points__gte=low)
        if high is not None:
            band = band.filter(points__lt=high)
        users.filter(pk__in=band.values("member_id")).exclude(reputation_level=level).update(
            reputation_level=level
        )


# The syncs: what the receivers call, each for the things one change touches. ---------------


@transaction.atomic
def points_sync_ideas(*, ideas) -> int:
    """Bring the awards of these ideas (publication, stages, first idea, the votes they hold)
    and of the votes they held before (a merge moved them) in line with their state now."""
    settings = values.current()
    ideas = list(
        Idea.objects.filter(pk__in=[i.pk for i in ideas]).select_related("stage", "author")
    )
    desired = {}
    scope = Q(pk__in=[])
    vote_ct = _ct(Vote).pk
    for idea in ideas:
        desired.update(_idea_awards(idea, settings))
        vote_ids = list(Vote.objects.filter(idea=idea).values_list("pk", flat=True))
        scope |= Q(idea_id=idea.pk, reason__in=IDEA_REASONS) | Q(
            content_type_id=vote_ct, object_id__in=vote_ids
        )
        if idea.author_id:
            # The first-idea award moves when the author's first idea stops counting.
            scope |= Q(member_id=idea.author_id, reason=Reason.FIRST_IDEA)
            desired.update(_first_idea_elsewhere(idea.author, settings, exclude=ideas))
    return _sync(desired, scope)


IDEA_REASONS = [
    Reason.IDEA_PUBLISHED,
    Reason.IDEA_PLANNED,
    Reason.IDEA_SHIPPED,
    Reason.FIRST_IDEA,
    Reason.VOTE_RECEIVED,
]


def _first_idea_elsewhere(author, settings, *, exclude):
    if not earns_points(author):
        return {}
    first = (
        Idea.objects.filter(_LIVE_STATUS, author=author, merged_into__isnull=True)
        .exclude(stage__role=Stage.Role.MERGED)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None or first.pk in {i.pk for i in exclude}:
        return {}
    return {
        (author.pk, Reason.FIRST_IDEA, _ct(Idea).pk, first.pk): Award(
            settings.first_idea, first.pk, first.campaign_id
        )
    }


@transaction.atomic
def points_sync_vote(*, vote_id, idea_id=None) -> int:
    """A vote cast or withdrawn: the idea's author gains or loses what it gives."""
    settings = values.current()
    vote_ct = _ct(Vote).pk
    desired = {}
    vote = Vote.objects.filter(pk=vote_id).select_related("idea__stage", "idea__author").first()
    if vote is not None:
        idea = vote.idea
        if _is_live(idea) and earns_points(idea.author) and vote.member_id != idea.author_id:
            desired[(idea.author_id, Reason.VOTE_RECEIVED, vote_ct, vote.pk)] = Award(
                settings.vote_received, idea.pk, idea.campaign_id
            )
    return _sync(desired, Q(content_type_id=vote_ct, object_id=vote_id))


# A vote cast or withdrawn, in one statement (PostgreSQL) ------------------------------------
#
# What `points_sync_vote` does for one vote, in SQL: a vote just cast holds no award yet, so its
# sync is the award alone; a vote withdrawn (or removed) deserves nothing, so its sync is the
# reversal of what it holds. Each is one statement writing the entry (`ON CONFLICT DO NOTHING`:
# the unique constraint still makes a second award or reversal impossible), the author's cached
# total (an upsert) and their level (only when it changes: most votes lock no member row), with
# the settings in force read in the statement (as `values.current()`).

_LEVELS = ("level_2", "level_3", "level_4", "level_5")
_COLUMNS = ", ".join(
    f"COALESCE(r.{n}, %(default_{n})s) AS {n}" for n in ("vote_received", *_LEVELS)
)
# Identifiers from the models, values as parameters: no SQL is built from input.
_SETTINGS = f"""s AS (
    SELECT {_COLUMNS}
    FROM (SELECT 1) AS one LEFT JOIN (
        SELECT rs.* FROM {ReputationSettings._meta.db_table} rs
        JOIN {Site._meta.db_table} site ON site.id = rs.site_id
        WHERE site.is_default_site ORDER BY rs.id LIMIT 1
    ) AS r ON TRUE
)"""  # noqa: S608
# `levels_refresh` for one total: 0 without points; otherwise the highest level whose band
# [threshold, next threshold) holds the total; unchanged when none does (odd thresholds).
_LEVEL = """CASE WHEN t.points <= 0 THEN 0
    WHEN t.points >= s.level_5 THEN 5
    WHEN t.points >= s.level_4 AND t.points < s.level_5 THEN 4
    WHEN t.points >= s.level_3 AND t.points < s.level_4 THEN 3
    WHEN t.points >= s.level_2 AND t.points < s.level_3 THEN 2
    WHEN t.points < s.level_2 THEN 1
    ELSE u.reputation_level END"""
_ENTRIES = PointsEntry._meta.db_table
_ENTRY_COLUMNS = (
    "member_id, points, reason, is_reversal, content_type_id, object_id, idea_id, campaign_id, "
    "created_at"
)
_TOTALS = f"""total AS (
    INSERT INTO {MemberPoints._meta.db_table} (member_id, points)
    SELECT member_id, SUM(points) FROM entry GROUP BY member_id
    ON CONFLICT (member_id) DO UPDATE
        SET points = {MemberPoints._meta.db_table}.points + EXCLUDED.points
    RETURNING member_id, points
),
level AS (
    UPDATE {User._meta.db_table} u SET reputation_level = {_LEVEL}
    FROM total t CROSS JOIN s
    WHERE u.id = t.member_id AND u.reputation_level <> {_LEVEL}
    RETURNING u.id
)
SELECT COALESCE(SUM(points), 0) FROM entry"""  # noqa: S608

_VOTE_AWARD = f"""WITH {_SETTINGS},
award AS (
    SELECT i.author_id AS member_id, s.vote_received AS points, i.id AS idea_id, i.campaign_id
    FROM {Vote._meta.db_table} v
    JOIN {Idea._meta.db_table} i ON i.id = v.idea_id
    JOIN {Stage._meta.db_table} st ON st.id = i.stage_id
    JOIN {User._meta.db_table} a ON a.id = i.author_id
    CROSS JOIN s
    WHERE v.id = %(vote)s AND s.vote_received <> 0
      AND a.id <> v.member_id AND a.is_active AND NOT (a.is_staff OR a.is_superuser OR a.is_team)
      AND i.merged_into_id IS NULL AND st.role <> %(merged)s
      AND (i.status = %(published)s OR (i.status = %(hidden)s AND EXISTS (
          SELECT 1 FROM {Case._meta.db_table} c
          WHERE c.idea_id = i.id AND c.comment_id IS NULL AND c.status = %(hidden_pending)s
      )))
),
entry AS (
    INSERT INTO {_ENTRIES} ({_ENTRY_COLUMNS})
    SELECT member_id, points, %(reason)s, FALSE, %(ct)s, %(vote)s, idea_id, campaign_id, %(now)s
    FROM award
    ON CONFLICT DO NOTHING
    RETURNING member_id, points
),
{_TOTALS}"""  # noqa: S608

_VOTE_REVERSAL = f"""WITH {_SETTINGS},
held AS (
    SELECT p.member_id, p.points, p.reason, p.content_type_id, p.object_id, p.idea_id,
           p.campaign_id
    FROM {_ENTRIES} p
    WHERE p.content_type_id = %(ct)s AND p.object_id = %(vote)s AND NOT p.is_reversal
      AND NOT EXISTS (
          SELECT 1 FROM {_ENTRIES} r
          WHERE r.is_reversal AND r.member_id = p.member_id AND r.reason = p.reason
            AND r.content_type_id = p.content_type_id AND r.object_id = p.object_id
      )
),
entry AS (
    INSERT INTO {_ENTRIES} ({_ENTRY_COLUMNS})
    SELECT member_id, -points, reason, TRUE, content_type_id, object_id, idea_id, campaign_id,
           %(now)s
    FROM held
    ON CONFLICT DO NOTHING
    RETURNING member_id, points
),
{_TOTALS}"""  # noqa: S608


def _vote_statement(sql, vote_id):
    defaults = {
        f"default_{name}": ReputationSettings._meta.get_field(name).default
        for name in ("vote_received", *_LEVELS)
    }
    params = {
        **defaults,
        "vote": vote_id,
        "ct": _ct(Vote).pk,
        "now": timezone.now(),
        "reason": Reason.VOTE_RECEIVED,
        "merged": Stage.Role.MERGED,
        "published": Idea.Status.PUBLISHED,
        "hidden": Idea.Status.HIDDEN,
        "hidden_pending": Case.Status.HIDDEN_PENDING,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def points_vote_cast(*, vote_id) -> int:
    """A vote just cast (it holds no award yet): its idea's author gains what a vote received
    gives, if the idea is live, the author earns points and is not the voter. Returns the
    points moved."""
    if connection.vendor != "postgresql":
        return points_sync_vote(vote_id=vote_id)
    return _vote_statement(_VOTE_AWARD, vote_id)


def points_vote_removed(*, vote_id) -> int:
    """A vote withdrawn or removed: what it gave is taken back (once). Returns the points moved
    (negative or 0)."""
    if connection.vendor != "postgresql":
        return points_sync_vote(vote_id=vote_id)
    return _vote_statement(_VOTE_REVERSAL, vote_id)


@transaction.atomic
def points_sync_comment(*, comment) -> int:
    """A comment marked helpful or not, liked or not, hidden or removed."""
    settings = values.current()
    comment = XtdComment.objects.select_related("user").get(pk=comment.pk)
    flag_ids = list(CommentFlag.objects.filter(comment=comment).values_list("pk", flat=True))
    scope = Q(content_type_id=_ct(XtdComment).pk, object_id=comment.pk) | Q(
        content_type_id=_ct(CommentFlag).pk, object_id__in=flag_ids
    )
    return _sync(_comment_awards(comment, settings), scope)


@transaction.atomic
def points_sync_flag_removed(*, flag_id) -> int:
    return _sync({}, Q(content_type_id=_ct(CommentFlag).pk, object_id=flag_id))


@transaction.atomic
def points_reverse(*, subject) -> int:
    """Take back, for good, every award about `subject` (an idea, with the votes it received
    and its stage awards; or a comment, with its helpful mark and likes): for content a
    moderator hid. A reversal is final: the same award is never given again. Returns the
    points taken back (a negative number or 0)."""
    if isinstance(subject, Idea):
        scope = Q(idea_id=subject.pk, reason__in=IDEA_REASONS)
    elif isinstance(subject, XtdComment):
        flag_ids = list(CommentFlag.objects.filter(comment=subject).values_list("pk", flat=True))
        scope = Q(content_type_id=_ct(XtdComment).pk, object_id=subject.pk) | Q(
            content_type_id=_ct(CommentFlag).pk, object_id__in=flag_ids
        )
    else:
        raise TypeError(f"points_reverse: no points are given for {type(subject).__name__}")
    return _sync({}, scope)


# Helpful marks -----------------------------------------------------------------------------


def comment_mark_helpful(*, comment, actor) -> HelpfulMark:
    """The product team marks a comment helpful; its author earns the points and is told."""
    decision = can_mark_helpful(actor, comment)
    if not decision:
        raise NotAllowed(decision.reason)
    with transaction.atomic():
        mark, created = HelpfulMark.objects.get_or_create(
            comment=comment, defaults={"marked_by": actor}
        )
        if created:
            points_sync_comment(comment=comment)
            _announce_helpful(comment, actor)
    return mark


def comment_unmark_helpful(*, comment, actor) -> bool:
    decision = can_mark_helpful(actor, comment)
    if not decision:
        raise NotAllowed(decision.reason)
    with transaction.atomic():
        deleted, _rows = HelpfulMark.objects.filter(comment=comment).delete()
        if deleted:
            points_sync_comment(comment=comment)
    return bool(deleted)


def _announce_helpful(comment, actor):
    idea = Idea.objects.filter(pk=comment.object_pk).first()
    if idea is not None and comment.user_id:
        record_event(
            Event.Kind.COMMENT_HELPFUL,
            idea=idea,
            actor=actor,
            comment_id=comment.pk,
            data={"author": comment.user_id},
        )


# The totals --------------------------------------------------------------------------------


@transaction.atomic
def points_totals_rebuild() -> int:
    """Recompute every cached total from the ledger; returns the drift found (the sum of the
    absolute differences, 0 when the totals were exact)."""
    real = dict(
        PointsEntry.objects.order_by()
        .values("member_id")
        .annotate(total=Sum("points"))
        .values_list("member_id", "total")
    )
    cached = dict(MemberPoints.objects.values_list("member_id", "points"))
    drift = 0
    for member_id in set(real) | set(cached):
        want, have = real.get(member_id, 0), cached.get(member_id, 0)
        if want != have:
            drift += abs(want - have)
            if User.objects.filter(pk=member_id).exists():
                MemberPoints.objects.update_or_create(
                    member_id=member_id, defaults={"points": want}
                )
    levels_refresh()
    return drift
