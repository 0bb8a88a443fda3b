"""The votes roll-up behind the dashboard (docs/kpis.md, "How the figures stay fast").

Counting distinct voters over a million votes, joined to their ideas, takes a second. The
roll-up (`DailyVoters`) keeps one row per day, campaign and member for every day before
`RollupState.covers_before`; a selector reads those rows for the whole days of its range that
the roll-up holds and counts the votes of the rest of the range live (by the index on
`Vote.created_at`: the hours since the roll-up, and a first part-day). Without a roll-up (a new
site, the tests of exact figures) every vote is counted live, so the figures are the same
either way; only a vote's idea leaving "published" after the roll-up is seen late, at the
next hourly rebuild."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from ideas.models import Idea
from voting.models import Vote

from .models import DailyVoters, RollupState

NAME = "votes"


def _midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def rollup_rebuild(*, today=None) -> int:
    """Rebuild the roll-up from the votes, for every day before `today` (the site's today):
    the rows written."""
    today = today or timezone.localdate()
    before = _midnight(today)
    with transaction.atomic():
        DailyVoters.objects.all().delete()
        if connection.vendor == "postgresql":
            rows = _insert_select(before)
        else:
            grouped = (
                Vote.objects.filter(idea__status=Idea.Status.PUBLISHED, created_at__lt=before)
                .annotate(d=TruncDate("created_at"))
                .order_by()
                .values("d", "campaign_id", "member_id")
                .annotate(n=Count("pk"))
            )
            batch = [
                DailyVoters(
                    day=row["d"],
                    campaign_id=row["campaign_id"],
                    member_id=row["member_id"],
                    votes=row["n"],
                )
                for row in grouped
            ]
            DailyVoters.objects.bulk_create(batch, batch_size=2000)
            rows = len(batch)
        RollupState.objects.update_or_create(
            name=NAME, defaults={"covers_before": today, "built_at": timezone.now()}
        )
    return rows


def _insert_select(before):
    """One statement on PostgreSQL: the grouping never leaves the database."""
    voters, votes, ideas = (
        DailyVoters._meta.db_table,
        Vote._meta.db_table,
        Idea._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {voters} (day, campaign_id, member_id, votes)
            SELECT (v.created_at AT TIME ZONE %s)::date, v.campaign_id, v.member_id, COUNT(*)
            FROM {votes} v JOIN {ideas} i ON i.id = v.idea_id
            WHERE i.status = %s AND v.created_at < %s
            GROUP BY 1, 2, 3""",  # noqa: S608 (table names from the models, values as parameters)
            [settings.TIME_ZONE, Idea.Status.PUBLISHED, before],
        )
        return cursor.rowcount


def covers_before():
    """The first day the roll-up does not hold (None without a roll-up)."""
    return RollupState.objects.filter(name=NAME).values_list("covers_before", flat=True).first()


@dataclass(frozen=True)
class Split:
    """A range [start, end) of votes cut in two: whole days `first_day`..`last_day` (included)
    read from the roll-up, and the `live` sub-ranges counted from the votes."""

    first_day: dt.date | None
    last_day: dt.date | None
    live: tuple  # ((start or None, end), ...)

    @property
    def uses_rollup(self):
        return self.last_day is not None


def split(start, end, *, until=None) -> Split:
    """Cut [start, end) (start None: from the first vote) into roll-up days and live ranges."""
    until = covers_before() if until is None else until
    if until is None:
        return Split(None, None, ((start, end),))
    if start is None:
        first_day = None
        head = None
    else:
        local = timezone.localtime(start)
        first_day = local.date() if local.time() == dt.time.min else local.date() + dt.timedelta(1)
        head = (start, _midnight(first_day))
    # The last whole day inside [start, end) that the roll-up holds.
    last_day = min(until - dt.timedelta(1), timezone.localtime(end).date() - dt.timedelta(1))
    if first_day is not None and last_day < first_day:
        return Split(None, None, ((start, end),))
    live = []
    if head and head[0] < head[1]:
        live.append(head)
    tail_start = _midnight(last_day + dt.timedelta(1))
    if tail_start < end:
        live.append((tail_start, end))
    return Split(first_day, last_day, tuple(live))


def rolled(split_, campaign=None, members=None):
    """The roll-up rows of the split's whole days."""
    rows = DailyVoters.objects.all()
    if split_.first_day is not None:
        rows = rows.filter(day__gte=split_.first_day)
    rows = rows.filter(day__lte=split_.last_day)
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    if members is not None:
        rows = rows.filter(member_id__in=members)
    return rows


def rolled_total(rows) -> int:
    return rows.aggregate(n=Sum("votes"))["n"] or 0


def rolled_by(rows, key) -> dict:
    return dict(rows.order_by().values(g=F(key)).annotate(n=Sum("votes")).values_list("g", "n"))
