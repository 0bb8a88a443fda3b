"""The write path of moderation: flags, holds, decisions and appeals. Keyword-only and atomic;
every decision is permission-checked, written to Wagtail's audit log on the item (the idea's
history in the admin workspace; a comment's history in the queue) and, when the author is to
be told, recorded as an outbox event (`ideas.Event.Kind.MODERATION`) that the notifications
app turns into a notification and an e-mail — this app never imports notifications.

A suspended member cannot flag or appeal (`members.permissions.refuse_if_suspended`, first in
`item_flag` and `appeal_submit`); moderators are staff and cannot be suspended."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment
from wagtail.log_actions import log

from core.exceptions import NotAllowed
from core.permissions import require
from ideas.events import record_event
from ideas.models import Event, Idea
from ideas.signals import comment_posted
from members.permissions import refuse_if_suspended

from .models import (
    APPEAL_MAX,
    FLAG_TEXT_MAX,
    NOTE_MAX,
    Appeal,
    Case,
    Decision,
    Flag,
    FlagReason,
    HeldReason,
    ModerationReason,
)
from .permissions import can_appeal, can_flag, can_moderate

Action = Decision.Action
Status = Case.Status

# What each action does to a case: {action: {from status: to status}} (declared, as
# django-oscar's order pipeline; `case_decide` refuses any other move).
TRANSITIONS = {
    Action.APPROVE: {
        Status.PENDING: Status.CLEARED,
        Status.FLAGGED: Status.CLEARED,
        Status.HIDDEN_PENDING: Status.CLEARED,  # the flags were wrong: as a restore
    },
    Action.REJECT: {Status.PENDING: Status.REJECTED},
    Action.HIDE: {
        Status.FLAGGED: Status.HIDDEN,
        Status.HIDDEN_PENDING: Status.HIDDEN,
        Status.CLEARED: Status.HIDDEN,
    },
    Action.RESTORE: {Status.HIDDEN_PENDING: Status.CLEARED, Status.HIDDEN: Status.CLEARED},
}
# A decision against the author needs a reason (what they read, with its clause).
NEEDS_REASON = {Action.REJECT, Action.HIDE}
# Log action names, registered in wagtail_hooks.py.
LOG_ACTION = "cocrea_moderation.{}"


class AlreadyFlagged(NotAllowed):
    pass


def _is_comment(item):
    return isinstance(item, XtdComment)


def _idea_of(item):
    if not _is_comment(item):
        return item
    idea_type = ContentType.objects.get_for_model(Idea)
    if item.content_type_id != idea_type.pk:
        raise NotAllowed(_("This content is not available."))
    idea = Idea.objects.select_related("campaign").filter(pk=item.object_pk).first()
    if idea is None:
        raise NotAllowed(_("This content is not available."))
    return idea


def _case_for(item, *, status, lock=True):
    """The case of `item`, created with `status` when it has none; locked."""
    idea = _idea_of(item)
    lookup = {"comment": item} if _is_comment(item) else {"idea": item, "comment": None}
    cases = Case.objects.select_for_update() if lock else Case.objects
    case = cases.filter(**lookup).first()
    if case is None:
        try:
            with transaction.atomic():  # two first flags at once: one creates, one finds it
                Case.objects.create(
                    kind=Case.Kind.COMMENT if _is_comment(item) else Case.Kind.IDEA,
                    idea=idea,
                    comment=item if _is_comment(item) else None,
                    author_id=item.user_id if _is_comment(item) else item.author_id,
                    status=status,
                )
        except IntegrityError:
            pass
        case = cases.get(**lookup)
    return case


def _reopen(case, status):
    case.status = status
    case.opened_at = timezone.now()
    case.decided_at = None


def _set_visible(case, visible, *, actor=None):
    """Show or hide the case's item. A comment: `is_public` (what the discussion and
    `comment_count` read; its post_save keeps the count exact). An idea: its status."""
    if case.kind == Case.Kind.COMMENT:
        comment = XtdComment.objects.get(pk=case.comment_id)
        if comment.is_public != visible:
            comment.is_public = visible
            comment.save()
        return comment
    idea = Idea.objects.select_for_update().get(pk=case.idea_id)
    if visible and idea.status != Idea.Status.PUBLISHED:
        idea.status = Idea.Status.PUBLISHED
        idea.save(update_fields=["status", "updated_at"])
    elif not visible and idea.status == Idea.Status.PUBLISHED:
        idea.status = Idea.Status.HIDDEN
        idea.save(update_fields=["status", "updated_at"])
    return idea


def _publish_first_time(case):
    """A held item goes public: the same flow as an item published as it was written (the idea
    keeps its original date; followers and the team hear of it through the usual event)."""
    if case.kind == Case.Kind.COMMENT:
        comment = _set_visible(case, True)
        comment_posted(comment)
        return
    idea = _set_visible(case, True)
    # idea_submit made the author follow the idea already; this is its IDEA_CREATED.
    record_event(Event.Kind.IDEA_CREATED, idea=idea, actor=idea.author)


def _log(case, action, *, actor, decision=None, data=None):
    item = case.comment if case.kind == Case.Kind.COMMENT else case.idea
    payload = dict(data or {})
    if decision is not None:
        payload.update(
            decision=decision.pk,
            reason=decision.reason.code if decision.reason_id else "",
            reason_label=decision.reason.label if decision.reason_id else "",
            note=decision.note,
        )
    log(item, LOG_ACTION.format(action), user=actor, data=payload, title=str(case.idea.title))


def _notify(case, decision, actor):
    if not case.author_id:
        return
    record_event(
        Event.Kind.MODERATION,
        idea=case.idea,
        actor=actor,
        comment_id=case.comment_id,
        data={"decision": decision.pk, "recipient": case.author_id, "action": decision.action},
    )


def _clean_note(note):
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise NotAllowed(_("A note can be at most %(n)d characters.") % {"n": NOTE_MAX})
    return note


# Holds and flags -----------------------------------------------------------------------------


@transaction.atomic
def case_hold(*, item, reason) -> Case:
    """Record an idea or comment held for review as it was written (`ideas.signals.
    content_held`). Idempotent: the writer may announce the same hold twice."""
    if reason not in HeldReason.values:
        reason = HeldReason.CAMPAIGN
    case = _case_for(item, status=Status.PENDING)
    if case.status != Status.PENDING:
        _reopen(case, Status.PENDING)
    case.held_reason = reason
    case.save()
    return case


@transaction.atomic
def item_flag(*, item, member, reason, text="") -> Flag:
    """`member` reports an idea or a comment. One flag per member and item (a second one raises
    `AlreadyFlagged`); at `MODERATION_HIDE_AT_FLAGS` open flags the item is hidden until a
    moderator decides."""
    refuse_if_suspended(member)
    idea = _idea_of(item)
    if _is_comment(item) and (not item.is_public or item.is_removed):
        raise NotAllowed(_("This content is not available."))
    author_id = item.user_id if _is_comment(item) else item.author_id
    require(can_flag(member, idea, author_id=author_id))
    if reason not in FlagReason.values:
        raise NotAllowed(_("Choose why you are reporting this."))
    text = (text or "").strip()
    if reason == FlagReason.OTHER and not text:
        raise NotAllowed(_("Tell the moderators what is wrong."))
    if len(text) > FLAG_TEXT_MAX:
        raise NotAllowed(_("Keep it under %(n)d characters, please.") % {"n": FLAG_TEXT_MAX})
    case = _case_for(item, status=Status.FLAGGED)
    if case.flags.filter(member=member).exists():
        raise AlreadyFlagged(_("You already reported this. A moderator will look at it."))
    try:
        with transaction.atomic():
            flag = Flag.objects.create(case=case, member=member, reason=reason, text=text)
    except IntegrityError as error:  # a racing double submit
        raise AlreadyFlagged(
            _("You already reported this. A moderator will look at it.")
        ) from error
    if not case.is_open:
        _reopen(case, Status.FLAGGED)
    case.flag_count = case.flags.filter(decision=None).count()
    if case.status == Status.FLAGGED and case.flag_count >= settings.MODERATION_HIDE_AT_FLAGS:
        case.status = Status.HIDDEN_PENDING
        case.save()  # before hiding: what hears the item hidden sees it is awaiting review
        _set_visible(case, False)
        _log(case, "auto_hide", actor=None, data={"flags": case.flag_count})
    case.save()
    return flag


# Decisions ---------------------------------------------------------------------------------


def _reason(action, reason):
    if reason is not None and not isinstance(reason, ModerationReason):
        reason = ModerationReason.objects.filter(pk=reason).first()
    if action in NEEDS_REASON and reason is None:
        raise NotAllowed(_("Choose a reason: the author will read it with its clause."))
    return reason


@transaction.atomic
def case_decide(*, case, action, actor, reason=None, note="") -> Decision:
    """Approve, reject, hide or restore the item of `case`, with a reason (required to reject
    or hide) and an optional note. The author is told, except when flags are dismissed on an
    item that stayed visible (they never knew)."""
    if not can_moderate(actor):
        raise NotAllowed(_("Only moderators can decide on reported content."))
    if action not in TRANSITIONS:
        raise NotAllowed(_("Unknown moderation action."))
    reason = _reason(action, reason)
    note = _clean_note(note)
    case = Case.objects.select_for_update().select_related("idea").get(pk=case.pk)
    target = TRANSITIONS[action].get(case.status)
    if target is None:
        raise NotAllowed(
            _("This item is “%(status)s”: it cannot be given “%(action)s”.")
            % {"status": case.get_status_display(), "action": Action(action).label}
        )
    was = case.status
    if action == Action.APPROVE and was == Status.PENDING:
        _publish_first_time(case)
    elif action == Action.RESTORE or was == Status.HIDDEN_PENDING and action == Action.APPROVE:
        _set_visible(case, True)
    elif action == Action.HIDE:
        _set_visible(case, False)
    elif action == Action.REJECT and case.kind == Case.Kind.IDEA:
        Idea.objects.filter(pk=case.idea_id).update(status=Idea.Status.REJECTED)
    now = timezone.now()
    decision = Decision.objects.create(
        case=case,
        action=action,
        reason=reason,
        note=note,
        moderator=actor,
        created_at=now,
        case_opened_at=case.opened_at,
    )
    case.flags.filter(decision=None).update(decision=decision, upheld=action in NEEDS_REASON)
    case.flag_count = 0
    case.status = target
    case.decided_at = now
    case.save()
    _log(case, action, actor=actor, decision=decision)
    # The author hears of decisions on held content and of a moderator's hide and restore, not
    # of flags dismissed on content that stayed (or was only hidden by the flags) public.
    dismissed = action in (Action.APPROVE, Action.RESTORE) and was in (
        Status.FLAGGED,
        Status.HIDDEN_PENDING,
    )
    if not dismissed:
        _notify(case, decision, actor)
    return decision


def cases_decide(*, cases: Iterable[Case], action, actor, reason=None, note=""):
    """The bulk form: each case decided in its own transaction. Returns (decided, refusals),
    the refusals as (case, reason) pairs."""
    decided, refusals = [], []
    for case in cases:
        try:
            decided.append(
                case_decide(case=case, action=action, actor=actor, reason=reason, note=note)
            )
        except NotAllowed as refusal:
            refusals.append((case, refusal.reason))
    return decided, refusals


# Appeals -----------------------------------------------------------------------------------


@transaction.atomic
def appeal_submit(*, decision, author, text) -> Appeal:
    """The author contests a decision against their content, once per decision."""
    refuse_if_suspended(author)
    decision = Decision.objects.select_for_update().select_related("case__idea").get(pk=decision.pk)
    require(can_appeal(author, decision))
    if decision.case.decisions.order_by("-created_at", "-pk").first().pk != decision.pk:
        raise NotAllowed(_("A moderator has decided on this item again since."))
    if Appeal.objects.filter(decision=decision).exists():
        raise NotAllowed(_("You already appealed this decision. It can be appealed once."))
    text = (text or "").strip()
    if not text:
        raise NotAllowed(_("Tell the moderators why the decision should change."))
    if len(text) > APPEAL_MAX:
        raise NotAllowed(_("An appeal can be at most %(n)d characters.") % {"n": APPEAL_MAX})
    appeal = Appeal.objects.create(decision=decision, author=author, text=text)
    _log(decision.case, "appeal", actor=author, data={"decision": decision.pk, "appeal": appeal.pk})
    return appeal


@transaction.atomic
def appeal_decide(*, appeal, action, actor, note="") -> Decision:
    """Uphold or overturn the decision an appeal contests. Final: it cannot be appealed. An
    overturned rejection publishes the idea (as an approval would); an overturned hide
    restores the item."""
    if not can_moderate(actor):
        raise NotAllowed(_("Only moderators can decide on appeals."))
    if action not in (Action.UPHOLD, Action.OVERTURN):
        raise NotAllowed(_("An appeal is upheld or overturned."))
    note = _clean_note(note)
    appeal = Appeal.objects.select_for_update().select_related("decision__case").get(pk=appeal.pk)
    if appeal.status != Appeal.Status.OPEN:
        raise NotAllowed(_("This appeal was already decided; the decision is final."))
    contested = appeal.decision
    case = Case.objects.select_for_update().select_related("idea").get(pk=contested.case_id)
    now = timezone.now()
    if action == Action.OVERTURN:
        if contested.action == Action.REJECT:
            _publish_first_time(case)
        else:
            _set_visible(case, True)
        contested.flags.update(upheld=False)
        case.status = Status.CLEARED
        case.decided_at = now
        case.save()
    appeal.status = Appeal.Status.OVERTURNED if action == Action.OVERTURN else Appeal.Status.UPHELD
    appeal.save(update_fields=["status"])
    decision = Decision.objects.create(
        case=case,
        action=action,
        reason=contested.reason,
        note=note,
        moderator=actor,
        created_at=now,
        case_opened_at=appeal.created_at,
        appeal=appeal,
    )
    _log(case, action, actor=actor, decision=decision, data={"appeal": appeal.pk})
    _notify(case, decision, actor)
    return decision
