"""The one delivery mechanism: every e-mail, digest, webhook call and campaign e-mail is a row
of a `Delivery` model, written in the same transaction as what caused it, and sent by
`deliver()`:

* **claim** — the row is locked with `SELECT … FOR UPDATE SKIP LOCKED` while it is sent, so two
  workers (a retry, a redelivered message, the sweep) never send it at once, and only a row
  still pending and due is sent at all;
* **at most once** — the send and the "sent" stamp happen in that one transaction, and a
  delivery's key (a unique constraint on the model) means one row per thing to send;
* **retry with backoff** — a failed attempt stays pending with `next_attempt_at` pushed back by
  the channel's backoff, until `max_attempts`; a permanent refusal fails at once;
* **sweep** — rows left pending (Redis or the worker was down, a message was lost, a retry due
  later than we park in the broker) are queued again by `sweep()`, from Celery beat and at
  worker start-up;
* **batches** — a channel with a `session` (e-mail: one SMTP connection) is swept, and large
  fan-outs are queued, as `deliver_batch()` tasks: each claims due rows one at a time with
  `SKIP LOCKED` and sends them over one session, every row still claimed, sent and stamped in
  its own transaction (so a crash loses or repeats at most the row in flight, as `deliver`);
  claim and stamp are one statement, so a row costs the database one round trip and a commit.

A channel (`register(Channel(...))`, in the owning app's `AppConfig.ready`) says which model it
sends and how to send one row; this module knows nothing of e-mails or HTTP.
"""

import logging
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

# Retries due later than this are not parked in the broker (Redis hands a message held past its
# visibility timeout to a second worker); the sweep queues them when they are due.
MAX_COUNTDOWN_SECONDS = 15 * 60
SWEEP_LIMIT = 5000
PREPARE_CHUNK = 50
ERROR_KEEP = 2000


class Delivery(models.Model):
    """What every delivery row has. Subclasses add what they send and to whom."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    error = models.TextField(_("error or reason"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        abstract = True


class Skip(Exception):  # noqa: N818 — an outcome, not an error
    """Nothing to send (any more): the delivery is marked skipped with this reason."""


class GiveUp(Exception):  # noqa: N818
    """A refusal no retry will change: the delivery fails at once with this reason."""


def exponential(base_seconds, factor=2):
    """Backoff: base, base × factor, base × factor², … after 1, 2, 3 … failed attempts."""
    return lambda attempts: base_seconds * factor ** max(attempts - 1, 0)


def steps(base_seconds, multipliers):
    """Backoff from a table: base × multipliers[attempts - 1] (the last one repeats)."""
    return lambda attempts: base_seconds * multipliers[min(max(attempts, 1), len(multipliers)) - 1]


@dataclass
class Channel:
    """One kind of delivery. `send(row)` is called with the row locked, inside the
    transaction: it sends, or raises `Skip`, `GiveUp` or any exception (a failed attempt, to be
    retried). It may set fields of the row (a response code); they are saved with the outcome.
    `done(row)` runs in the same transaction once the row reached a final status."""

    name: str
    model: type
    send: Callable
    max_attempts: int | Callable = 6  # or a callable reading a setting
    backoff: Callable = field(default_factory=lambda: exponential(60))
    select_related: tuple = ()
    claim_filter: models.Q = field(default_factory=models.Q)
    done: Callable | None = None
    # Per-delivery tasks (the default) or sent by the owner in paced batches (campaign
    # e-mails): then `sweep(due_before, at_start=…)` is the owner's resume function instead
    # of queueing rows.
    queued: bool = True
    sweep: Callable | None = None
    # A context manager factory opening what a batch of sends shares (an SMTP connection):
    # then `send(row, session)` is called inside it, and backlogs go out in batches.
    session: Callable | None = None
    # `prepare(pks)` -> {pk: payload}: a batch builds what it sends for many rows at once
    # (read-only, before claiming them); then `send(row, session, payload)`.
    prepare: Callable | None = None
    # `done_many(rows)`: what `done` does, for many rows sent by a batch at once (in a
    # transaction of its own after them; `done` still runs for every other final outcome).
    done_many: Callable | None = None


_channels = {}
_sweepers = {}


def register(channel):
    _channels[channel.name] = channel
    return channel


def channel(name):
    return _channels[name]


def channels():
    return list(_channels.values())


def register_sweeper(name, sweeper):
    """Something else left behind that the outbox sweep should pick up (the event bus):
    `sweeper(due_before)` returns how many it queued."""
    _sweepers[name] = sweeper


# Queueing -------------------------------------------------------------------------------------


def enqueue(name, pk, countdown=None):
    """Ask a worker to send one delivery. Never raises: when the broker is away the row stays
    pending and the sweep queues it again. Returns whether the message was handed over."""
    from .tasks import deliver as deliver_task

    try:
        deliver_task.apply_async(args=[name, pk], countdown=countdown, retry=False)
    except Exception:
        log.exception("outbox: %s delivery %s left for the sweep", name, pk)
        return False
    return True


def enqueue_on_commit(name, pk, countdown=None):
    transaction.on_commit(partial(enqueue, name, pk, countdown))


def batch_size():
    return int(getattr(settings, "OUTBOX_BATCH_SIZE", 200))


def enqueue_batches(name, count):
    """Ask workers to send about `count` due deliveries of a batching channel: one
    `deliver_batch` task per `batch_size()` rows. Never raises; returns how many rows the queued
    tasks cover."""
    from .tasks import deliver_batch as batch_task

    size = batch_size()
    queued = 0
    for _batch in range(-(-count // size)):
        try:
            batch_task.apply_async(args=[name], retry=False)
        except Exception:
            log.exception("outbox: %s batch left for the sweep", name)
            break
        queued += size
    return min(queued, count)


def enqueue_many_on_commit(name, pks):
    """After commit, ask for these deliveries to be sent: in batches when the channel has a
    session and there are several, one task each otherwise."""
    pks = list(pks)
    if _channels[name].session is not None and len(pks) > 1:
        transaction.on_commit(partial(enqueue_batches, name, len(pks)))
    else:
        for pk in pks:
            enqueue_on_commit(name, pk)


# Sending --------------------------------------------------------------------------------------


def deliver(name, pk, *, now=None):
    """Send delivery `pk` of channel `name` if it is pending and due. Returns its status
    afterwards, or None when there was nothing to do (locked by another worker, already done,
    not due yet). A failed attempt is recorded and retried later (the returned status is then
    still `pending`)."""
    spec = _channels[name]
    now = now or timezone.now()
    with transaction.atomic():
        row = _claimable(spec).filter(pk=pk).first()
        # Locked by another worker, done, or an early duplicate of a later retry.
        if row is None or row.next_attempt_at > now + timedelta(seconds=1):
            return None
        return _attempt(spec, row)[0]


def deliver_batch(name, *, limit=None, now=None):
    """Send up to `limit` (default `batch_size()`) due deliveries of channel `name` over one
    session: each row is claimed (`SKIP LOCKED`, so workers share a backlog), sent and stamped
    in its own transaction. A failed attempt ends the batch (the session may be broken; the row
    is retried by its backoff, the rest stay due). A full batch queues the next one. Returns
    {status: count}.

    What a row costs the database is what makes a backlog fast or slow, so a batch reads and
    prepares its rows 50 at a time, unlocked; then per row one statement claims it and stamps it
    sent at once (`UPDATE … WHERE pk IN (SELECT … FOR UPDATE SKIP LOCKED)`), the e-mail goes out,
    and the transaction commits. A send that fails rewrites the stamp with the failed attempt,
    in the same transaction; a crash during the send rolls the stamp back, so the row stays
    pending as in `deliver`. The channel's `done` hook runs once per 50 rows for those sent
    (`done_many`, when the channel has one), and at once for any other outcome."""
    spec = _channels[name]
    limit = batch_size() if limit is None else limit
    counts = {}
    handled = 0
    with _relaxed_commits(), spec.session() if spec.session else nullcontext() as session:
        while handled < limit:
            when = now or timezone.now()
            pks = list(
                due(name, due_before=when).values_list("pk", flat=True)[
                    : min(PREPARE_CHUNK, limit - handled)
                ]
            )
            if not pks:
                break
            rows = spec.model.objects.select_related(*spec.select_related).in_bulk(pks)
            prepared = spec.prepare(pks) if spec.prepare else {}
            claimed, sent = 0, []
            try:
                for pk in pks:
                    with transaction.atomic():
                        if pk not in rows or not _claim_as_sent(spec, pk, when):
                            continue  # another worker took it, or it is no longer due
                        claimed += 1
                        row = rows[pk]
                        args = [session] if spec.session else []
                        if pk in prepared:
                            args.append(prepared[pk])
                        try:
                            spec.send(row, *args)
                        except Exception as error:
                            status, failed = _failed(spec, _locked(spec, pk), error)
                        else:
                            status, failed = Delivery.Status.SENT, False
                            row.status = status
                            if spec.done_many is None and spec.done is not None:
                                spec.done(row)
                            else:
                                sent.append(row)
                    handled += 1
                    counts[status] = counts.get(status, 0) + 1
                    if failed:
                        return counts
            finally:
                if sent and spec.done_many is not None:
                    with transaction.atomic():
                        spec.done_many(sent)
            if not claimed:  # all held by other workers: leave them to them
                break
    if handled >= limit:
        enqueue_batches(name, limit)
    return counts


def _claim_as_sent(spec, pk, when):
    """Lock row `pk` if it is still pending and due and nobody holds it, and stamp it sent (one
    statement). Returns whether it was claimed; the caller's transaction holds the lock."""
    claimable = (
        spec.model.objects.select_for_update(skip_locked=True)
        .filter(spec.claim_filter, pk=pk, status=Delivery.Status.PENDING, next_attempt_at__lte=when)
        .values("pk")
    )
    sql, params = claimable.query.sql_with_params()
    table = connection.ops.quote_name(spec.model._meta.db_table)
    pk_column = connection.ops.quote_name(spec.model._meta.pk.column)
    with connection.cursor() as cursor:
        # Identifiers quoted by the backend, the subquery compiled by the ORM with its params.
        statement = (
            f"UPDATE {table} SET status = %s, sent_at = %s, attempts = attempts + 1, error = '' "  # noqa: S608
            f"WHERE {pk_column} IN ({sql})"
        )
        cursor.execute(
            statement,
            [Delivery.Status.SENT, timezone.now(), *params],
        )
        return cursor.rowcount == 1


def _locked(spec, pk):
    """The row as it is in this transaction (locked by it), with what `send` reads."""
    return spec.model.objects.select_related(*spec.select_related).get(pk=pk)


@contextmanager
def _relaxed_commits():
    """A backlog's per-row commits need not wait for the disk (PostgreSQL's
    `synchronous_commit = off`, for this connection while the batch runs): the row stays locked
    while it is sent, so no other worker can send it twice, and a database crash can at worst
    forget the last fraction of a second of "sent" stamps — those e-mails are sent again, with
    the same Message-ID, which is the crash window every delivery already has. Nothing can be
    lost: a claim that is forgotten leaves the row pending."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except Exception:  # a broken connection is closed and replaced: nothing to reset
            log.warning("outbox: could not reset synchronous_commit", exc_info=True)


def _claimable(spec):
    """Pending rows of a channel, locked as they are read, skipping those another worker holds."""
    return (
        spec.model.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related(*spec.select_related)
        .filter(spec.claim_filter, status=Delivery.Status.PENDING)
    )


def _attempt(spec, row, *session):
    """One attempt at sending a claimed (locked) row, inside the caller's transaction; records
    the outcome on the row. Returns (its status, whether the attempt failed)."""
    row.attempts += 1
    try:
        spec.send(row, *session)
    except Exception as error:
        return _failed(spec, row, error)
    row.status, row.sent_at, row.error = Delivery.Status.SENT, timezone.now(), ""
    row.save()
    if spec.done is not None:
        spec.done(row)
    return row.status, False


def _failed(spec, row, error):
    """Record an attempt that did not send (its `attempts` already counts it) on the locked row:
    skipped, failed for good, or pending again with the channel's backoff. Returns (its status,
    whether the attempt failed)."""
    name = spec.name
    retry_in = failed = None
    row.sent_at = None
    if isinstance(error, Skip):
        row.status, row.error = Delivery.Status.SKIPPED, str(error)[:ERROR_KEEP]
        row.attempts -= 1  # nothing was attempted
    elif isinstance(error, GiveUp):
        row.status, row.error = Delivery.Status.FAILED, str(error)[:ERROR_KEEP]
    else:  # the server is down, refused, timed out…: try again later
        failed = True
        row.error = (getattr(error, "delivery_error", "") or f"{type(error).__name__}: {error}")[
            :ERROR_KEEP
        ]
        limit = spec.max_attempts() if callable(spec.max_attempts) else spec.max_attempts
        if row.attempts >= limit:
            row.status = Delivery.Status.FAILED
        else:
            row.status = Delivery.Status.PENDING
            retry_in = spec.backoff(row.attempts)
            row.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
        log.warning("outbox: %s delivery %s attempt %s: %s", name, row.pk, row.attempts, row.error)
    row.save()
    if row.status != Delivery.Status.PENDING and spec.done is not None:
        spec.done(row)
    if retry_in is not None and spec.queued and retry_in <= MAX_COUNTDOWN_SECONDS:
        enqueue_on_commit(name, row.pk, countdown=retry_in)
    return row.status, bool(failed)


def due(name, *, due_before=None):
    """Pending deliveries of a channel due before `due_before` (default: now), oldest first."""
    spec = _channels[name]
    return spec.model.objects.filter(
        spec.claim_filter,
        status=Delivery.Status.PENDING,
        next_attempt_at__lte=due_before or timezone.now(),
    ).order_by("next_attempt_at", "pk")


def grace_cutoff():
    """Rows younger than the grace period are probably still on their way to a worker."""
    return timezone.now() - timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)


def sweep(*, due_before=None, only=None, at_start=False):
    """Queue what was left behind, for every channel and sweeper (or those named in `only`).
    `at_start`: a worker is starting, so work another worker had claimed may be taken over.
    Returns {name: how many were queued}."""
    due_before = due_before or grace_cutoff()
    counts = {}
    for name, sweeper in list(_sweepers.items()):
        if only is None or name in only:
            counts[name] = sweeper(due_before)
    for spec in channels():
        if only is not None and spec.name not in only:
            continue
        if spec.sweep is not None:
            counts[spec.name] = spec.sweep(due_before, at_start=at_start)
        elif spec.queued and spec.session is not None:
            backlog = due(spec.name, due_before=due_before)[:SWEEP_LIMIT].count()
            counts[spec.name] = enqueue_batches(spec.name, backlog)
        elif spec.queued:
            pks = list(
                due(spec.name, due_before=due_before).values_list("pk", flat=True)[:SWEEP_LIMIT]
            )
            counts[spec.name] = sum(1 for pk in pks if enqueue(spec.name, pk))
    if any(counts.values()):
        log.info("outbox sweep: %s", counts)
    return counts
