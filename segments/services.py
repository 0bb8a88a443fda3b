"""Writes of segments: refreshing the stored membership (when a segment is saved, when a
member's profile changes, nightly for activity rules), importing hand-picked members, and
forgetting a deleted member. Views, the admin, signals and tasks all come through here."""

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.imports import ImportReport, find_member, members_by_email, members_by_external_id

from .membership import audience_changed, audience_may_change
from .models import Segment, SegmentMembership
from .rules import matching

log = logging.getLogger(__name__)


# Queueing refreshes -------------------------------------------------------------------


def _send(task_name, args):
    """Ask a worker to run the task. Never fails the caller: the nightly refresh
    (`segments_refresh_all`) is the safety net when Redis or the worker is down."""
    from . import tasks

    _pending_list, queued = getattr(transaction.get_connection(), "_cocrea_queued", (None, set()))
    queued.discard((task_name, args))
    try:
        getattr(tasks, task_name).apply_async(args=list(args), retry=False)
    except Exception:
        log.exception("segments: %s%r left for the nightly refresh", task_name, args)


def _queue(task_name, *args):
    """Queue `task_name(*args)` after commit, once per transaction: a profile save touches
    several fields and relations, each of which asks for the same refresh."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Django replaces `run_on_commit` with a new list whenever callbacks are dropped (a
        # rollback) or run (a commit), so "same list" means "still pending".
        pending_list, queued = getattr(connection, "_cocrea_queued", (None, set()))
        if pending_list is not connection.run_on_commit:
            queued = set()
            connection._cocrea_queued = (connection.run_on_commit, queued)
        if (task_name, args) in queued:
            return
        queued.add((task_name, args))
    transaction.on_commit(partial(_send, task_name, args))


def member_refresh_queue(member_id):
    _queue("member_refresh_task", member_id)


def segment_refresh_queue(segment_id):
    _queue("segment_refresh_task", segment_id)


def segments_refresh_all_queue():
    _queue("segments_refresh_all_task")


@transaction.atomic
def segment_refresh(segment, now=None):
    """Bring the stored membership of `segment` in line with its definition. Returns
    (added, removed)."""
    segment = Segment.objects.select_for_update().get(pk=segment.pk)
    wanted = set(matching(segment, now=now).values_list("pk", flat=True))
    stored = set(segment.memberships.values_list("member_id", flat=True))
    added, removed = wanted - stored, stored - wanted
    if removed:
        segment.memberships.filter(member_id__in=removed).delete()
    SegmentMembership.objects.bulk_create(
        [SegmentMembership(segment=segment, member_id=m) for m in added],
        ignore_conflicts=True,
        batch_size=2000,
    )
    Segment.objects.filter(pk=segment.pk).update(
        member_count=len(wanted), refreshed_at=timezone.now()
    )
    if added or removed:
        audience_may_change()
    return len(added), len(removed)


def member_refresh(member, now=None):
    """Re-check one member against every segment (after a profile change)."""
    changed = 0
    for segment in Segment.objects.all():
        inside = matching(segment, now=now).filter(pk=member.pk).exists()
        with transaction.atomic():
            if inside:
                _row, created = SegmentMembership.objects.get_or_create(
                    segment=segment, member=member
                )
                changed += created
            else:
                deleted, _rows = SegmentMembership.objects.filter(
                    segment=segment, member=member
                ).delete()
                changed += bool(deleted)
            Segment.objects.filter(pk=segment.pk).update(
                member_count=SegmentMembership.objects.filter(segment=segment).count()
            )
    if changed:
        audience_may_change()
    return changed


@transaction.atomic
def segment_include_import(*, segment, rows) -> ImportReport:
    """Add members to a segment's hand-picked “always include” list. `rows` are
    (line number, kind, value) with kind "email" or "external_id". Members the segment excludes
    by hand stay out and are reported, as are values that match no (active) member."""
    rows = list(rows)
    report = ImportReport(rows=len(rows))
    by_email = members_by_email(v for _line, kind, v in rows if kind == "email")
    by_external_id = members_by_external_id(v for _line, kind, v in rows if kind == "external_id")
    excluded = set(segment.exclude.values_list("pk", flat=True))
    already = set(segment.include.values_list("pk", flat=True))
    to_add = set()
    for line, kind, value in rows:
        if kind == "email":
            member = find_member(report, line, value, "", by_email, {})
        else:
            member = find_member(report, line, "", value, {}, by_external_id)
        if member is None:
            continue
        if not member.is_active:
            report.problem(line, value, _("This member's account is deactivated."))
            continue
        if member.pk in excluded:
            report.problem(line, value, _("This member is in the segment's “always exclude” list."))
            continue
        report.matched += 1
        if member.pk not in already:
            to_add.add(member.pk)
    if to_add:
        segment.include.add(*to_add)
    report.changed = len(to_add)
    segment_refresh_queue(segment.pk)
    return report


@transaction.atomic
def memberships_forget(*, member):
    """Drop a member's stored memberships (their account is being deleted) and keep the
    segments' counts exact. Returns the segment ids they were in."""
    segment_ids = set(
        SegmentMembership.objects.filter(member=member).values_list("segment_id", flat=True)
    )
    SegmentMembership.objects.filter(member=member).delete()
    for segment_id in segment_ids:
        Segment.objects.filter(pk=segment_id).update(
            member_count=SegmentMembership.objects.filter(segment_id=segment_id).count()
        )
    if segment_ids:
        transaction.on_commit(audience_changed)
    return segment_ids


def segments_refresh_all():
    """Recompute every segment (nightly: activity-based rules drift without any save)."""
    for segment in Segment.objects.all():
        segment_refresh(segment)
