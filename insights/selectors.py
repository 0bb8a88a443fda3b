"""The community KPIs of the dashboard (docs/kpis.md). Each KPI is one function of a `Scope`
(campaign, date range, segment), aggregated in SQL: a few queries each, whatever the data size.
Percentiles use PostgreSQL's `percentile_cont`; elsewhere (SQLite in development) the durations
are fetched in one query and interpolated the same way in Python."""

import datetime as dt
import hashlib
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    Func,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, TruncWeek
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from campaigns.models import CampaignPage
from ideas.models import Idea, IdeaStageChange, Stage
from members.models import User
from reputation.models import HelpfulMark, PointsEntry
from segments.models import SegmentMembership
from voting.models import Vote

from . import rollup
from .models import DailyVisits, SearchMiss, VisitorHash

ACTIVE_DAYS = 30
UNDECIDED_ROLES = (Stage.Role.INITIAL, Stage.Role.REVIEW)
DECIDED_ROLES = (
    Stage.Role.PLANNED,
    Stage.Role.IN_PROGRESS,
    Stage.Role.SHIPPED,
    Stage.Role.DECLINED,
    Stage.Role.MERGED,
)


@dataclass(frozen=True)
class Scope:
    """What the dashboard looks at: one campaign or all, the days `since`..`until` (both
    included, in the site's time zone; open when None), the members of one segment or all."""

    campaign: object = None
    since: dt.date | None = None
    until: dt.date | None = None
    segment: object = None

    @property
    def start(self):
        return _midnight(self.since) if self.since else None

    @property
    def end(self):
        """The first instant after the range (now when the range is open)."""
        return _midnight(self.until + dt.timedelta(days=1)) if self.until else timezone.now()


def _midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def staff_q(prefix=""):
    """The product team, admin users and superusers: they are not members in the KPIs."""
    return (
        Q(**{f"{prefix}is_staff": True})
        | Q(**{f"{prefix}is_superuser": True})
        | Q(**{f"{prefix}is_team": True})
    )


def _in_range(queryset, field, scope):
    if scope.start:
        queryset = queryset.filter(**{f"{field}__gte": scope.start})
    if scope.until:
        queryset = queryset.filter(**{f"{field}__lt": scope.end})
    return queryset


def _segment_members(scope):
    return SegmentMembership.objects.filter(segment=scope.segment).values("member_id")


def _idea_type():
    return ContentType.objects.get_for_model(Idea)


# The rows each KPI counts ---------------------------------------------------------------------


def scoped_ideas(scope, *, dated=True):
    """Published ideas of the campaign, created in the range, by members of the segment."""
    ideas = Idea.objects.filter(status=Idea.Status.PUBLISHED)
    if scope.campaign is not None:
        ideas = ideas.filter(campaign=scope.campaign)
    if scope.segment is not None:
        ideas = ideas.filter(author_id__in=_segment_members(scope))
    return _in_range(ideas, "created_at", scope) if dated else ideas


def scoped_votes(scope):
    votes = Vote.objects.filter(idea__status=Idea.Status.PUBLISHED)
    if scope.campaign is not None:
        votes = votes.filter(campaign=scope.campaign)
    if scope.segment is not None:
        votes = votes.filter(member_id__in=_segment_members(scope))
    return _in_range(votes, "created_at", scope)


def _idea_comments(idea_ids=None):
    comments = XtdComment.objects.filter(
        content_type=_idea_type(), is_public=True, is_removed=False
    )
    if idea_ids is not None:
        # object_pk is text in django-comments: compare against the ids cast to text.
        comments = comments.filter(
            object_pk__in=idea_ids.annotate(pk_text=Cast("pk", CharField())).values("pk_text")
        )
    return comments


def scoped_comments(scope):
    """Public comments on published ideas of the campaign, written in the range by members of
    the segment."""
    comments = _idea_comments(scoped_ideas(Scope(campaign=scope.campaign), dated=False))
    if scope.segment is not None:
        comments = comments.filter(user_id__in=_segment_members(scope))
    return _in_range(comments, "submit_date", scope)


def discussion(scope):
    """The discussion of the scoped ideas: every public comment on them (staff's too), written
    in the range. Staff participation and helpful marks are measured on it."""
    scoped = Scope(campaign=scope.campaign, segment=scope.segment)
    return _in_range(_idea_comments(scoped_ideas(scoped, dated=False)), "submit_date", scope)


def _members(scope):
    members = User.objects.filter(is_active=True).exclude(staff_q())
    if scope.segment is not None:
        members = members.filter(pk__in=_segment_members(scope))
    return members


def _union_sql(parts):
    sqls, params = [], []
    for part in parts:
        sql, part_params = part.order_by().query.sql_with_params()
        sqls.append(sql)
        params.extend(part_params)
    # The parts are ORM-compiled SQL with their parameters kept apart: nothing is interpolated.
    union = " UNION ".join(
        f"SELECT * FROM ({sql}) AS p{n}"  # noqa: S608
        for n, sql in enumerate(sqls)
    )
    return union, params


def _union_count(parts, group=None, *, unless=None):
    """How many distinct m (or (g, m) pairs, per g) the union of the querysets holds (UNION
    removes the duplicates); `unless` (a queryset of (g, m) rows) leaves out the pairs it holds
    (one index probe each)."""
    union, params = _union_sql(parts)
    where = ""
    if unless is not None:
        unless_sql, unless_params = unless.order_by().query.sql_with_params()
        where = (
            f" WHERE NOT EXISTS (SELECT 1 FROM ({unless_sql}) AS r"  # noqa: S608
            " WHERE r.g = u.g AND r.m = u.m)"
        )
        params = [*params, *unless_params]
    with connection.cursor() as cursor:
        if group:
            cursor.execute(
                f"SELECT u.g, COUNT(*) FROM ({union}) AS u{where} GROUP BY u.g",  # noqa: S608
                params,
            )
            return dict(cursor.fetchall())
        cursor.execute(f"SELECT COUNT(*) FROM ({union}) AS u{where}", params)  # noqa: S608
        return cursor.fetchone()[0]


def _vote_sources(scope, window=None, *, per_member=False):
    """The scoped votes as (roll-up rows or None, [vote querysets counted live]): the whole
    days the roll-up holds come from it, the rest of the range from the votes
    (`insights.rollup`). `window` ((start or None, end)) replaces the scope's dates."""
    votes = scoped_votes(replace(scope, since=None, until=None))
    start, end = window if window else (scope.start, scope.end)
    cut = rollup.split(start, end)
    if not cut.uses_rollup:
        if window is None:
            return None, [scoped_votes(scope)]
        return None, [_within(votes, "created_at", start, end)]
    members = _segment_members(scope) if scope.segment is not None else None
    return (
        rollup.rolled(cut, scope.campaign, members, per_member=per_member),
        [_within(votes, "created_at", *part) for part in cut.live],
    )


def _within(queryset, field, start, end):
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": start})
    return queryset.filter(**{f"{field}__lt": end})


def _week_of(field):
    """The Monday of the week, as a date (the same type from every part of a union)."""
    return Cast(TruncWeek(field), DateField())


def _participants(scope, *, by=None, members=None, window=None):
    """Querysets of who posted, voted or commented in the scope: (m) or (g, m); `members`
    (ids) narrows who counts (default: every member, of the segment if there is one);
    `window` ((start or None, end)) replaces the scope's dates."""
    if members is None:
        members = _members(Scope(segment=scope.segment)).values("pk")
    if window:
        undated = replace(scope, since=None, until=None)
        ideas = _within(scoped_ideas(undated), "created_at", *window)
        comments = _within(scoped_comments(undated), "submit_date", *window)
    else:
        ideas, comments = scoped_ideas(scope), scoped_comments(scope)
    ideas = ideas.filter(author_id__in=members)
    comments = comments.filter(user_id__in=members)
    rolled, live_votes = _vote_sources(scope, window, per_member=True)
    live_votes = [votes.filter(member_id__in=members) for votes in live_votes]
    if rolled is not None:
        rolled = rolled.filter(member_id__in=members)
    if by == "campaign":
        comment_campaign = Subquery(
            Idea.objects.filter(pk=Cast(OuterRef("object_pk"), BigIntegerField())).values(
                "campaign_id"
            )[:1]
        )
        parts = [
            ideas.annotate(g=F("campaign_id"), m=F("author_id")).values("g", "m"),
            *(
                v.annotate(g=F("campaign_id"), m=F("member_id")).values("g", "m")
                for v in live_votes
            ),
            comments.annotate(g=comment_campaign, m=F("user_id")).values("g", "m"),
        ]
        if rolled is not None:
            parts.append(rolled.annotate(g=F("campaign_id"), m=F("member_id")).values("g", "m"))
        return parts
    if by == "week":
        parts = [
            ideas.annotate(g=_week_of("created_at"), m=F("author_id")).values("g", "m"),
            *(
                v.annotate(g=_week_of("created_at"), m=F("member_id")).values("g", "m")
                for v in live_votes
            ),
            comments.annotate(g=_week_of("submit_date"), m=F("user_id")).values("g", "m"),
        ]
        if rolled is not None:
            parts.append(rolled.annotate(g=TruncWeek("day"), m=F("member_id")).values("g", "m"))
        return parts
    parts = [
        ideas.annotate(m=F("author_id")).values("m"),
        *(v.annotate(m=F("member_id")).values("m") for v in live_votes),
        comments.annotate(m=F("user_id")).values("m"),
    ]
    if rolled is not None:
        parts.append(rolled.annotate(m=F("member_id")).values("m"))
    return parts


def _participant_count(scope, *, members=None, window=None) -> int:
    """How many members (`members`, a queryset of users; default: every member, of the segment
    if there is one) posted, voted or commented in the scope (`window` ((start or None, end))
    replaces its dates). The whole days the roll-up holds are one index probe per member into
    `DailyActive`; the rest of the range is counted from the ideas, votes and comments (a few
    hours since the roll-up, a first part-day), each read once."""
    if members is None:
        members = _members(Scope(segment=scope.segment))
    start, end = window if window else (scope.start, scope.end)
    undated = replace(scope, since=None, until=None)
    cut = rollup.split(start, end)
    took_part = Q(pk__in=[])
    for part in cut.live:
        took_part |= (
            Q(pk__in=_within(scoped_ideas(undated), "created_at", *part).values("author_id"))
            | Q(pk__in=_within(scoped_votes(undated), "created_at", *part).values("member_id"))
            | Q(pk__in=_within(scoped_comments(undated), "submit_date", *part).values("user_id"))
        )
    if cut.uses_rollup:
        members = members.annotate(rolled=_probe(rollup.active(cut, scope.campaign)))
        took_part |= Q(rolled__isnull=False)
    return members.filter(took_part).count()


def _probe(rows, **outer):
    """One index probe per member into the roll-up `rows`: 1 if the member has a row there
    (`outer`: more columns matched to the outer query's). A scalar subquery, so PostgreSQL
    runs it per member instead of hashing every row of the range (EXISTS would be)."""
    rows = rows.filter(member=OuterRef("pk"), **outer)
    return Subquery(rows.order_by().values(one=Value(1))[:1])


def _participants_by_week(scope) -> dict:
    """Per week (its Monday): how many members posted, voted or commented in the scope. The
    weeks the roll-up holds whole are counted from `WeeklyActive` (one row per member, no
    DISTINCT); the part-weeks at either end of the range by the union of their few rows."""
    cut = rollup.split(scope.start, scope.end)
    if not cut.uses_rollup:
        return _weekly(_union_count(_participants(scope, by="week"), group=True))
    if cut.first_day is None:
        first_week = None
    else:
        first_week = rollup.monday(cut.first_day + dt.timedelta(days=6))
    last_week = min(
        rollup.monday(cut.last_day + dt.timedelta(days=1)), cut.weeks_before
    ) - dt.timedelta(days=7)
    if first_week is not None and last_week < first_week:
        return _weekly(_union_count(_participants(scope, by="week"), group=True))
    counts = dict(
        rollup.weekly_active(first_week, last_week, scope.campaign)
        .filter(member_id__in=_members(Scope(segment=scope.segment)).values("pk"))
        .order_by()
        .values("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    )
    counts = _weekly(counts)
    edges = [(_midnight(last_week + dt.timedelta(days=7)), scope.end)]
    if first_week is not None:
        edges.insert(0, (scope.start, _midnight(first_week)))
    for edge in edges:
        if edge[0] < edge[1]:
            for week, n in _union_count(
                _participants(scope, by="week", window=edge), group=True
            ).items():
                counts[_week(week)] = counts.get(_week(week), 0) + n
    return counts


def _participants_by_campaign(scope, ids) -> dict:
    """Per campaign of `ids`: how many members posted, voted or commented there in the scope.
    Three queries whatever the number of campaigns: the whole days the roll-up holds (one index
    probe per campaign and member), the (campaign, member) pairs of the rest of the range, and
    which of those the roll-up already counted."""
    cut = rollup.split(scope.start, scope.end)
    if not cut.uses_rollup:
        return _union_count(_participants(scope, by="campaign"), group=True)
    members = _members(Scope(segment=scope.segment))
    counts = {}
    if ids:
        probe = members.filter(
            Exists(
                rollup.active(cut).filter(member=OuterRef("pk"), campaign=OuterRef(OuterRef("pk")))
            )
        )
        rolled = probe.order_by().values(n=Func(F("pk"), function="COUNT"))
        counts = dict(
            CampaignPage.objects.filter(pk__in=ids)
            .annotate(n=Subquery(rolled))
            .values_list("pk", "n")
        )
    live = [one for part in cut.live for one in _participants(scope, by="campaign", window=part)]
    if live:
        seen = rollup.active(cut).annotate(g=F("campaign_id"), m=F("member_id")).values("g", "m")
        for campaign, n in _union_count(live, group=True, unless=seen).items():
            counts[campaign] = counts.get(campaign, 0) + n
    return {pk: n for pk, n in counts.items() if n}


def _weekly(counts):
    """{week's Monday (a date): n} of a raw {week: n} (SQLite hands back text)."""
    weekly = {}
    for week, n in counts.items():
        weekly[_week(week)] = weekly.get(_week(week), 0) + n
    return weekly


# Members and activity ---------------------------------------------------------------------------


def members_count(scope) -> int:
    """Member accounts (staff excluded) that existed at the end of the range; for a campaign,
    those who took part in it (an idea, a vote or a comment) by then."""
    if scope.campaign is not None:
        return _participant_count(replace(scope, since=None))
    return _members(scope).filter(date_joined__lt=scope.end).count()


def new_members_count(scope) -> int:
    """Members who joined in the range; for a campaign, those of them who took part in it."""
    joined = _in_range(_members(scope), "date_joined", scope)
    if scope.campaign is not None:
        return _participant_count(scope, members=joined)
    return joined.count()


def active_members_count(scope) -> int:
    """Members who posted an idea, voted or commented in the 30 days before the end of the range
    (in the campaign, if one is chosen)."""
    end = scope.end
    since = end - dt.timedelta(days=ACTIVE_DAYS)
    return _participant_count(scope, window=(since, end))


def ideas_count(scope) -> int:
    return scoped_ideas(scope).count()


def _rolled_votes(scope) -> tuple[dict, list]:
    """The scope's votes as ({(campaign id, week's Monday): votes} of the days the roll-up
    holds, [vote querysets of the rest, counted live]). The roll-up's part is one grouped query,
    shared by the panels (total, per campaign, per week) and kept in the cache until the roll-up
    changes (its rows cannot change before)."""
    rolled, live = _vote_sources(scope)
    if rolled is None:
        return {}, live
    sql, params = rolled.query.sql_with_params()
    key = (
        "insights:votes:"
        + hashlib.sha256(repr((rollup.version(), sql, params)).encode()).hexdigest()
    )
    seconds = getattr(settings, "INSIGHTS_ROLLED_SECONDS", ROLLED_SECONDS)
    totals = cache.get(key) if seconds else None
    if totals is None:
        rows = (
            rolled.annotate(w=TruncWeek("day"))
            .order_by()
            .values("campaign_id", "w")
            .annotate(n=Sum("votes"))
            .values_list("campaign_id", "w", "n")
        )
        totals = {}
        for campaign, week, n in rows:
            totals[(campaign, _week(week))] = totals.get((campaign, _week(week)), 0) + n
        if seconds:
            cache.set(key, totals, seconds)
    return totals, live


ROLLED_SECONDS = 24 * 3600


def votes_count(scope) -> int:
    rolled, live = _rolled_votes(scope)
    return sum(votes.count() for votes in live) + sum(rolled.values())


def _add(*counts):
    total = {}
    for one in counts:
        for key, n in one.items():
            total[key] = total.get(key, 0) + n
    return total


def comments_count(scope) -> int:
    return scoped_comments(scope).count()


def activity_by_campaign(scope) -> list[dict]:
    """Per campaign: participants (members who posted, voted or commented), ideas, votes and
    comments in the range. Campaigns without any activity are left out."""
    ideas = dict(
        scoped_ideas(scope)
        .order_by()
        .values("campaign_id")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "n")
    )
    rolled, live = _rolled_votes(scope)
    votes = _add(
        *(
            dict(
                part.order_by()
                .values("campaign_id")
                .annotate(n=Count("pk"))
                .values_list("campaign_id", "n")
            )
            for part in live
        ),
        _add(*({campaign: n} for (campaign, _week), n in rolled.items())),
    )
    comment_parts = next(
        part for part in _participants(scope, by="campaign") if part.model is XtdComment
    )
    comments = dict(
        scoped_comments(scope)
        .annotate(g=comment_parts.query.annotations["g"])
        .order_by()
        .values("g")
        .annotate(n=Count("pk"))
        .values_list("g", "n")
    )
    ids = set(ideas) | set(votes) | set(comments)
    # Who took part, campaign by campaign: members can only have taken part where something
    # happened.
    participants = _participants_by_campaign(scope, ids)
    titles = dict(CampaignPage.objects.filter(pk__in=ids).values_list("pk", "title"))
    rows = [
        {
            "campaign": titles.get(pk, "—"),
            "participants": participants.get(pk, 0),
            "ideas": ideas.get(pk, 0),
            "votes": votes.get(pk, 0),
            "comments": comments.get(pk, 0),
        }
        for pk in ids
    ]
    return sorted(rows, key=lambda row: (-row["ideas"], -row["votes"], row["campaign"]))


def _week(value):
    if isinstance(value, str):  # SQLite hands back text from a raw query
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value - dt.timedelta(days=value.weekday())


def _weekly_votes(scope, weekly):
    rolled, live = _rolled_votes(scope)
    counts = [weekly(part, "created_at") for part in live]
    counts.append(_add(*({week: n} for (_campaign, week), n in rolled.items())))
    return _add(*counts)


def activity_by_week(scope) -> list[dict]:
    """Per ISO week (Monday to Sunday) of the range: new members, active members (who posted,
    voted or commented that week), ideas, votes and comments. Weeks without activity show 0."""

    def weekly(queryset, field):
        rows = (
            queryset.annotate(w=TruncWeek(field))
            .order_by()
            .values("w")
            .annotate(n=Count("pk"))
            .values_list("w", "n")
        )
        counts = {}
        for week, n in rows:
            counts[_week(week)] = counts.get(_week(week), 0) + n
        return counts

    series = {
        "new_members": weekly(_in_range(_members(scope), "date_joined", scope), "date_joined"),
        "ideas": weekly(scoped_ideas(scope), "created_at"),
        "votes": _weekly_votes(scope, weekly),
        "comments": weekly(scoped_comments(scope), "submit_date"),
    }
    series["active_members"] = _participants_by_week(scope)
    weeks = set().union(*(s.keys() for s in series.values()))
    if scope.since:
        weeks.add(_week(scope.since))
    if scope.until:
        weeks.add(_week(scope.until))
    if not weeks:
        return []
    first, last = min(weeks), max(weeks)
    rows = []
    week = first
    while week <= last:
        year, number, _ = week.isocalendar()
        rows.append(
            {
                "week": f"{year}-W{number:02d}",
                "new_members": series["new_members"].get(week, 0),
                "active_members": series["active_members"].get(week, 0),
                "ideas": series["ideas"].get(week, 0),
                "votes": series["votes"].get(week, 0),
                "comments": series["comments"].get(week, 0),
            }
        )
        week += dt.timedelta(days=7)
    return rows


# Responses ---------------------------------------------------------------------------------------


def _share(part, whole):
    return round(part / whole, 4) if whole else None


def _official_responses():
    """The ideas with an official response, as one semi-join (hashed once)."""
    return Q(
        pk__in=IdeaStageChange.objects.exclude(note="").filter(staff_q("actor__")).values("idea_id")
    )


def official_response_share(scope) -> dict:
    """Ideas with an official response (a stage change with a public note by the team) over the
    ideas of the scope."""
    figures = scoped_ideas(scope).aggregate(
        ideas=Count("pk"), answered=Count("pk", filter=_official_responses())
    )
    return {**figures, "share": _share(figures["answered"], figures["ideas"])}


def percentile(values, fraction):
    """percentile_cont in Python: linear interpolation between the closest ranks."""
    values = sorted(values)
    if not values:
        return None
    position = fraction * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def _wait_hours(ideas, sources):
    """Median and 90th percentile, in hours, of the time from each idea's creation to the
    earliest of its `sources` times, over the ideas that have one; and how many have one.

    `sources` are grouped querysets of (k: the idea's id, t: a time). They are joined to the
    ideas once (hash joins of a few grouped rows, not a subquery per idea)."""
    ideas_sql, params = (
        ideas.order_by()
        .annotate(i=F("pk"), c=F("created_at"))
        .values("i", "c")
        .query.sql_with_params()
    )
    joins, times = [], []
    for n, source in enumerate(sources):
        sql, source_params = source.query.sql_with_params()
        joins.append(f"LEFT JOIN ({sql}) AS s{n} ON s{n}.k = i.i")
        times.append(f"s{n}.t")
        params = (*params, *source_params)
    # The parts are ORM-compiled SQL with their parameters kept apart: nothing is interpolated.
    base = f"FROM ({ideas_sql}) AS i {' '.join(joins)}"  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COUNT(w), percentile_cont(0.5) WITHIN GROUP (ORDER BY w), "  # noqa: S608
                "percentile_cont(0.9) WITHIN GROUP (ORDER BY w) FROM ("
                f"SELECT EXTRACT(EPOCH FROM (LEAST({', '.join(times)}) - i.c)) AS w {base}"
                ") AS x WHERE w IS NOT NULL",
                params,
            )
            count, median, p90 = cursor.fetchone()
        else:
            cursor.execute(f"SELECT i.c, {', '.join(times)} {base}", params)  # noqa: S608
            waits = []
            for created, *firsts in cursor.fetchall():
                firsts = [_when(t) for t in firsts if t is not None]
                if firsts:
                    waits.append((min(firsts) - _when(created)).total_seconds())
            count, median, p90 = len(waits), percentile(waits, 0.5), percentile(waits, 0.9)
    return {
        "count": count,
        "median_hours": None if median is None else round(median / 3600, 2),
        "p90_hours": None if p90 is None else round(p90 / 3600, 2),
    }


def _when(value):
    if isinstance(value, str):  # SQLite hands back text from a raw query
        value = dt.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)


def first_response_times(scope) -> dict:
    """Time from an idea's submission to the team's first response: an official response or a
    comment by staff, whichever came first. Median and 90th percentile in hours."""
    # The responses are grouped over every idea (they are few) and joined to the scope's ideas
    # once in _wait_hours: filtering them by the scope's ideas first made PostgreSQL read the
    # ideas once per response.
    notes = (
        IdeaStageChange.objects.exclude(note="")
        .filter(staff_q("actor__"))
        .order_by()
        .values("idea_id")
        .annotate(t=Min("created_at"), k=F("idea_id"))
        .values("k", "t")
    )
    staff_comments = (
        _idea_comments()
        .filter(user__isnull=False)
        .filter(staff_q("user__"))
        .order_by()
        .values("object_pk")
        .annotate(t=Min("submit_date"), k=Cast("object_pk", BigIntegerField()))
        .values("k", "t")
    )
    return _wait_hours(scoped_ideas(scope), [notes, staff_comments])


def first_helpful_times(scope) -> dict:
    """Time from an idea's submission to its first comment that the team marked helpful (the
    comment's own time: when the good answer was given). Median and 90th percentile in hours."""
    helpful = (
        HelpfulMark.objects.filter(comment__in=_idea_comments().values("pk"))
        .order_by()
        .values("comment__object_pk")
        .annotate(t=Min("comment__submit_date"), k=Cast("comment__object_pk", BigIntegerField()))
        .values("k", "t")
    )
    return _wait_hours(scoped_ideas(scope), [helpful])


# The pipeline ------------------------------------------------------------------------------------


def pipeline_figures(scope) -> dict:
    """Ideas, decided, on the roadmap (now or once), shipped (now or once): one query for the
    three pipeline KPIs below (pass it to them as `figures=` to reuse it)."""
    # Semi-joins on the few stage changes (hashed once), not a subquery per idea.
    reached_roadmap = Q(
        pk__in=IdeaStageChange.objects.filter(to_stage__on_roadmap=True).values("idea_id")
    )
    reached_shipped = Q(
        pk__in=IdeaStageChange.objects.filter(to_stage__role=Stage.Role.SHIPPED).values("idea_id")
    )
    return scoped_ideas(scope).aggregate(
        ideas=Count("pk"),
        decided=Count("pk", filter=Q(stage__role__in=DECIDED_ROLES)),
        roadmap=Count("pk", filter=Q(stage__on_roadmap=True) | reached_roadmap),
        shipped=Count("pk", filter=Q(stage__role=Stage.Role.SHIPPED) | reached_shipped),
    )


def decided_share(scope, *, figures=None) -> dict:
    """Ideas moved out of the initial and review stages (planned, in progress, shipped, declined
    or merged now) over the ideas of the scope."""
    figures = figures or pipeline_figures(scope)
    return {
        "ideas": figures["ideas"],
        "decided": figures["decided"],
        "share": _share(figures["decided"], figures["ideas"]),
    }


def roadmap_conversion(scope, *, figures=None) -> dict:
    """Ideas that are or were on a roadmap stage over the ideas of the scope."""
    figures = figures or pipeline_figures(scope)
    return {
        "ideas": figures["ideas"],
        "roadmap": figures["roadmap"],
        "share": _share(figures["roadmap"], figures["ideas"]),
    }


def shipped_conversion(scope, *, figures=None) -> dict:
    """Ideas that reached the shipped stage over the ideas of the scope."""
    figures = figures or pipeline_figures(scope)
    return {
        "ideas": figures["ideas"],
        "shipped": figures["shipped"],
        "share": _share(figures["shipped"], figures["ideas"]),
    }


# Staff participation and helpful comments --------------------------------------------------------


def staff_participation(scope) -> dict:
    """Share of the discussion's comments written by staff, and share of the scoped ideas with
    at least one comment by staff."""
    comments = discussion(scope).aggregate(
        comments=Count("pk"),
        by_staff=Count("pk", filter=staff_q("user__")),
    )
    # The ideas staff commented on, as one semi-join (staff comments are few), not a
    # subquery per idea.
    replied = (
        _idea_comments()
        .filter(user__isnull=False)
        .filter(staff_q("user__"))
        .annotate(idea_pk=Cast("object_pk", BigIntegerField()))
        .values("idea_pk")
    )
    ideas = scoped_ideas(scope).aggregate(
        ideas=Count("pk"), with_staff_reply=Count("pk", filter=Q(pk__in=replied))
    )
    return {
        **comments,
        "staff_comment_share": _share(comments["by_staff"], comments["comments"]),
        **ideas,
        "staff_reply_share": _share(ideas["with_staff_reply"], ideas["ideas"]),
    }


def helpful_share(scope) -> dict:
    """Share of the discussion's comments that the team marked helpful."""
    figures = discussion(scope).aggregate(
        comments=Count("pk"),
        helpful=Count("pk", filter=Q(helpful_mark__isnull=False)),
    )
    return {**figures, "share": _share(figures["helpful"], figures["comments"])}


def top_contributors(scope, *, limit=10) -> list[dict]:
    """Members with the most points earned in the scope (reputation's ledger: awards minus
    reversals), staff excluded."""
    entries = PointsEntry.objects.exclude(staff_q("member__"))
    if scope.campaign is not None:
        entries = entries.filter(campaign=scope.campaign)
    if scope.segment is not None:
        entries = entries.filter(member_id__in=_segment_members(scope))
    entries = _in_range(entries, "created_at", scope)
    rows = (
        entries.order_by()
        .values("member_id", "member__username", "member__display_name")
        .annotate(points=Sum("points"))
        .filter(points__gt=0)
        .order_by("-points", "member_id")[:limit]
    )
    return [
        {
            "member": row["member__display_name"] or row["member__username"],
            "points": row["points"],
        }
        for row in rows
    ]


# Cocrea's own counters ---------------------------------------------------------------------------

VISITS_DEFAULT_DAYS = 30


def visits_by_day(scope) -> list[dict]:
    """Page views and unique visitors per day of the range (the last 30 days when open). The
    counters know no campaign or segment: they are site-wide."""
    until = scope.until or timezone.localdate()
    since = scope.since or until - dt.timedelta(days=VISITS_DEFAULT_DAYS - 1)
    rows = {
        row["day"]: row
        for row in DailyVisits.objects.filter(day__gte=since, day__lte=until).values(
            "day", "page_views", "unique_visitors"
        )
    }
    # Days not yet closed still hold their hashes: count them.
    live = dict(
        VisitorHash.objects.filter(day__gte=since, day__lte=until)
        .order_by()
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    days, day = [], since
    while day <= until:
        row = rows.get(day, {})
        days.append(
            {
                "day": day.isoformat(),
                "page_views": row.get("page_views", 0),
                "unique_visitors": live.get(day, row.get("unique_visitors", 0)),
            }
        )
        day += dt.timedelta(days=1)
    return days


def search_misses(scope, *, limit=20) -> list[dict]:
    """The searches that found nothing in the range, most frequent first (site-wide)."""
    misses = SearchMiss.objects.all()
    if scope.since:
        misses = misses.filter(day__gte=scope.since)
    if scope.until:
        misses = misses.filter(day__lte=scope.until)
    rows = (
        misses.order_by()
        .values("query")
        .annotate(searches=Sum("count"))
        .order_by("-searches", "query")[:limit]
    )
    return [{"query": row["query"], "searches": row["searches"]} for row in rows]
