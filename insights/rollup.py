"""The roll-up behind the dashboard (docs/kpis.md, "How the figures stay fast").

Counting distinct voters over a million votes, joined to their ideas, takes seconds. The
roll-up holds, for everything before `RollupState.covers_until` (the last refresh):

- `DailyVoters`: votes per day, campaign and member; `DailyVotes`: votes per day and campaign;
- `DailyActive`: who took part (an idea, a vote or a comment) per day and campaign, so "who
  took part between two days" is one index probe per member, not a DISTINCT over the votes;
- `WeeklyActive`: the same per whole week, per campaign and across campaigns, so a week's
  active members are counted without a DISTINCT.

A selector reads those rows for the days of its range that the roll-up holds and counts the
rest of the range live (by the index on `Vote.created_at`: the time since the last refresh and
a first part-day). Without a roll-up (a new site, the tests of exact figures) everything is
counted live, so the figures are the same either way; only an idea leaving "published" after
its days were rolled up is seen late: today's at the next hourly refresh, older days' at the
nightly rebuild."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, TruncDate, TruncWeek
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from ideas.models import Idea
from voting.models import Vote

from .models import DailyActive, DailyVoters, DailyVotes, RollupState, WeeklyActive

NAME = "votes"


def _midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def rollup_rebuild(*, today=None, since=None) -> int:
    """Rebuild the roll-up from the votes, ideas and comments: of everything before now (or
    before the midnight that starts `today`), so that only what happened since is counted
    live. With `since` (a day), only the days from it on are rebuilt (the hourly refresh: the
    rows of earlier days stay). The `DailyVoters` rows written."""
    before = _midnight(today) if today else timezone.now()
    today = timezone.localtime(before).date()
    start = _midnight(since) if since else None
    with transaction.atomic():
        for model, field in (
            (DailyVoters, "day"),
            (DailyVotes, "day"),
            (DailyActive, "day"),
            (WeeklyActive, "week"),
        ):
            rows = model.objects.all()
            if since:
                first = monday(since) if field == "week" else since
                rows = rows.filter(**{f"{field}__gte": first})
            rows.delete()
        rows = _insert_voters(start, before)
        _insert_totals(since)
        _insert_active(start, before)
        _insert_weekly(monday(since) if since else None, monday(today))
        RollupState.objects.update_or_create(
            name=NAME,
            defaults={"covers_before": today, "covers_until": before, "built_at": timezone.now()},
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (DailyVoters, DailyVotes, DailyActive, WeeklyActive):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return rows


def rollup_refresh() -> int:
    """The hourly task: rebuild the days since the last roll-up's (today's, usually) and keep
    the rest; a full rebuild when there is none yet. Votes on an idea that has since left
    "published" leave the older days at the nightly full rebuild."""
    state = RollupState.objects.filter(name=NAME).first()
    if state is None or state.covers_until is None:
        return rollup_rebuild()
    return rollup_rebuild(since=min(state.covers_before, timezone.localdate()))


def monday(day):
    return day - dt.timedelta(days=day.weekday())


def _insert_voters(start, before):
    votes = Vote.objects.filter(idea__status=Idea.Status.PUBLISHED, created_at__lt=before)
    if start:
        votes = votes.filter(created_at__gte=start)
    grouped = (
        votes.annotate(d=TruncDate("created_at"), c=F("campaign_id"), m=F("member_id"))
        .order_by()
        .values("d", "c", "m")
        .annotate(n=Count("pk"))
    )
    columns = [("d", "day"), ("c", "campaign_id"), ("m", "member_id"), ("n", "votes")]
    return _insert_from(DailyVoters, columns, [grouped])


def _insert_totals(since):
    days = DailyVoters.objects.all()
    if since:
        days = days.filter(day__gte=since)
    days = days.annotate(c=F("campaign_id")).order_by().values("day", "c").annotate(n=Sum("votes"))
    columns = [("day", "day"), ("c", "campaign_id"), ("n", "votes")]
    return _insert_from(DailyVotes, columns, [days])


def activity(start, before):
    """(d: day, c: campaign, m: member) of every idea and comment on a published idea in
    [start, before), and of those days' voters (`DailyVoters`, built first): who took part
    where and when, as the dashboard counts it live."""
    published = Idea.objects.filter(status=Idea.Status.PUBLISHED)
    after = {"created_at__gte": start} if start else {}
    ideas = (
        published.filter(created_at__lt=before, author__isnull=False, **after)
        .annotate(d=TruncDate("created_at"), c=F("campaign_id"), m=F("author_id"))
        .values("d", "c", "m")
    )
    voters = DailyVoters.objects.all()
    if start:
        voters = voters.filter(day__gte=timezone.localtime(start).date())
    votes = voters.annotate(d=F("day"), c=F("campaign_id"), m=F("member_id")).values("d", "c", "m")
    comments = (
        XtdComment.objects.filter(
            content_type=ContentType.objects.get_for_model(Idea),
            is_public=True,
            is_removed=False,
            user__isnull=False,
            submit_date__lt=before,
            **({"submit_date__gte": start} if start else {}),
            object_pk__in=published.annotate(t=Cast("pk", CharField())).values("t"),
        )
        .annotate(
            d=TruncDate("submit_date"),
            c=Subquery(
                Idea.objects.filter(pk=Cast(OuterRef("object_pk"), BigIntegerField())).values(
                    "campaign_id"
                )[:1]
            ),
            m=F("user_id"),
        )
        .values("d", "c", "m")
    )
    return [ideas, votes, comments]


def _insert_from(model, columns, parts, *, distinct=False):
    """INSERT INTO the model's table the rows of the querysets (each selecting the aliases
    `columns` names): compiled by the ORM, parameters kept apart."""
    sqls, params = [], []
    for part in parts:
        sql, part_params = part.order_by().query.sql_with_params()
        aliases = ", ".join(f"p.{alias}" for alias, _column in columns)
        sqls.append(f"SELECT {'DISTINCT ' if distinct else ''}{aliases} FROM ({sql}) AS p")  # noqa: S608
        params.extend(part_params)
    targets = ", ".join(column for _alias, column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({targets}) {' UNION '.join(sqls)}",  # noqa: S608
            params,
        )
        return cursor.rowcount


def _insert_active(start, before):
    return _insert_from(
        DailyActive,
        [("d", "day"), ("c", "campaign_id"), ("m", "member_id")],
        activity(start, before),
    )


def _insert_weekly(first_week, week_cut):
    """The weeks first_week (None: the first) to before `week_cut` (Mondays): each is held
    whole by the daily roll-up."""
    days = DailyActive.objects.filter(day__lt=week_cut)
    if first_week:
        days = days.filter(day__gte=first_week)
    days = days.annotate(w=TruncWeek("day"))
    per_campaign = days.annotate(c=F("campaign_id"), m=F("member_id")).values("w", "c", "m")
    nowhere = Cast(Value(None), IntegerField())
    anywhere = days.annotate(c=nowhere, m=F("member_id")).values("w", "c", "m")
    columns = [("w", "week"), ("c", "campaign_id"), ("m", "member_id")]
    return _insert_from(WeeklyActive, columns, [per_campaign], distinct=True) + _insert_from(
        WeeklyActive, columns, [anywhere], distinct=True
    )


def version():
    """When the roll-up was last written (None without one): what it holds cannot change
    before the next."""
    built = RollupState.objects.filter(name=NAME).values_list("built_at", flat=True).first()
    return built and built.isoformat()


@dataclass(frozen=True)
class Split:
    """A range [start, end) cut in two: the days `first_day`..`last_day` (included) read from
    the roll-up, and the `live` sub-ranges counted from the votes, ideas and comments.
    `weeks_before`: the first Monday whose week the weekly roll-up does not hold."""

    first_day: dt.date | None
    last_day: dt.date | None
    live: tuple  # ((start or None, end), ...)
    weeks_before: dt.date | None = None

    @property
    def uses_rollup(self):
        return self.last_day is not None


def split(start, end, *, until=None, cut=None) -> Split:
    """Cut [start, end) (start None: from the first vote) into roll-up days and live ranges.
    The roll-up holds every day before `until` and, of that day, what happened before `cut`:
    its rows are read when the range runs past `cut` (the dashboard's open range, up to now),
    so only the time since the roll-up is counted live."""
    if until is None:
        state = RollupState.objects.filter(name=NAME).values_list("covers_before", "covers_until")
        until, cut = state.first() or (None, None)
        if until is None:
            return Split(None, None, ((start, end),))
    cut = cut or _midnight(until)
    if start is None:
        first_day = None
        head = None
    else:
        local = timezone.localtime(start)
        first_day = local.date() if local.time() == dt.time.min else local.date() + dt.timedelta(1)
        head = (start, _midnight(first_day))
    if cut > _midnight(until) and end >= cut:
        last_day, tail_start = until, cut
    else:
        # The last whole day inside [start, end) that the roll-up holds.
        last_day = min(until - dt.timedelta(1), timezone.localtime(end).date() - dt.timedelta(1))
        tail_start = _midnight(last_day + dt.timedelta(1))
    if first_day is not None and last_day < first_day:
        return Split(None, None, ((start, end),))
    live = []
    if head and head[0] < head[1]:
        live.append(head)
    if tail_start < end:
        live.append((tail_start, end))
    return Split(first_day, last_day, tuple(live), monday(until))


def rolled(split_, campaign=None, members=None, *, per_member=False):
    """The votes roll-up rows of the split's days: per member (`DailyVoters`) when `members`
    narrows them or `per_member` asks, else per campaign and day (`DailyVotes`)."""
    per_member = per_member or members is not None
    rows = (DailyVoters if per_member else DailyVotes).objects.all()
    if split_.first_day is not None:
        rows = rows.filter(day__gte=split_.first_day)
    rows = rows.filter(day__lte=split_.last_day)
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    if members is not None:
        rows = rows.filter(member_id__in=members)
    return rows


def active(split_, campaign=None):
    """The activity roll-up rows of the split's whole days."""
    rows = DailyActive.objects.all()
    if split_.first_day is not None:
        rows = rows.filter(day__gte=split_.first_day)
    rows = rows.filter(day__lte=split_.last_day)
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    return rows


def weekly_active(first_week, last_week, campaign=None):
    """Rows of the weeks first_week..last_week (Mondays; first None: from the first)."""
    rows = WeeklyActive.objects.filter(week__lte=last_week)
    if first_week is not None:
        rows = rows.filter(week__gte=first_week)
    if campaign is None:
        return rows.filter(campaign__isnull=True)
    return rows.filter(campaign=campaign)
