"""The write path for ideas. Views, the admin, commands and tasks all come through here."""

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .events import record_event
from .models import Event, Follow, Idea, IdeaStageChange, Stage
from .permissions import (
    NotAllowed,
    can_be_assigned,
    can_edit_idea,
    can_move_between,
    can_move_idea,
    can_submit_idea,
    can_withdraw_idea,
    require,
)
from .signals import content_held, idea_merging

NOTE_MAX = 5000

EDITABLE_FIELDS = ("title", "description", "category", "image")
# The product team's own fields; title and description are the author's, the stage idea_move's.
TRIAGE_FIELDS = ("assignee", "category", "reach", "impact", "confidence", "effort")


def _apply(idea, data):
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(idea, field, data[field])


@transaction.atomic
def idea_submit(*, campaign, author, data) -> Idea:
    """Create an idea in `campaign`. `data` holds cleaned form data (title, description,
    category, tags, image). Held for review when the campaign pre-moderates."""
    require(can_submit_idea(author, campaign))
    category = data.get("category")
    if category is not None and category.campaign_id != campaign.pk:
        raise ValueError("category belongs to another campaign")
    held = campaign.moderation == campaign.Moderation.HOLD
    idea = Idea(
        campaign=campaign,
        author=author,
        stage=Stage.initial(),
        status=Idea.Status.PENDING if held else Idea.Status.PUBLISHED,
    )
    _apply(idea, data)
    idea.full_clean()
    idea.save()
    if data.get("tags"):
        idea.tags.set(data["tags"])
    follow(member=author, idea=idea)
    if idea.status == Idea.Status.PUBLISHED:
        record_event(Event.Kind.IDEA_CREATED, idea=idea, actor=author)
    else:
        # The moderation queue records the hold (its receiver is idempotent).
        content_held.send(sender=Idea, instance=idea, reason="campaign")
    return idea


def follow(*, member, idea):
    """`member` hears about `idea` from now on. Idempotent."""
    if member is not None and member.is_authenticated:
        Follow.objects.get_or_create(member=member, idea=idea)


def unfollow(*, member, idea):
    Follow.objects.filter(member=member, idea=idea).delete()


@transaction.atomic
def idea_update(*, idea, actor, data) -> Idea:
    require(can_edit_idea(actor, idea))
    _apply(idea, data)
    idea.full_clean()
    idea.save()
    if "tags" in data:
        idea.tags.set(data["tags"] or [])
    return idea


@transaction.atomic
def idea_withdraw(*, idea, actor) -> Idea:
    """The author takes the idea back. It leaves every listing; votes stay recorded."""
    require(can_withdraw_idea(actor, idea))
    idea.status = Idea.Status.WITHDRAWN
    idea.save(update_fields=["status", "updated_at"])
    return idea


def _clean_note(note):
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise NotAllowed(_("A note can be at most %(n)d characters.") % {"n": NOTE_MAX})
    return note


def idea_move(*, idea, to_stage, actor, note="", _merged_into=None) -> IdeaStageChange:
    """Move `idea` to `to_stage`, the only way an idea changes stage. Only the moves the
    pipeline declares (`Stage.next_stages`) are allowed; any other raises `NotAllowed` with the
    stages that are. With the same stage and a note, it records an official response, which is
    always allowed. Writes the history and the outbox event in the same transaction; voters of
    an idea entering a closed stage get their vote back (budgets only count votes on ideas in
    open stages)."""
    require(can_move_idea(actor))
    note = _clean_note(note)
    with transaction.atomic():
        locked = Idea.objects.select_for_update().select_related("stage").get(pk=idea.pk)
        from_stage = locked.stage
        if locked.status == Idea.Status.WITHDRAWN:
            raise NotAllowed(_("This idea was withdrawn by its author."))
        if from_stage.is_merged:
            raise NotAllowed(_("This idea was merged into another one and stays merged."))
        if to_stage.is_merged and _merged_into is None:
            raise NotAllowed(_("Use “Merge” to mark an idea as a duplicate of another."))
        same = to_stage.pk == from_stage.pk
        if same and not note:
            raise NotAllowed(
                _("This idea is already in “%(stage)s”.") % {"stage": to_stage.display_name}
            )
        if not same:
            require(can_move_between(from_stage, to_stage))
        if to_stage.needs_note and not note:
            raise NotAllowed(
                _("Moving an idea to “%(stage)s” needs a public note that explains why.")
                % {"stage": to_stage.display_name}
            )
        now = timezone.now()
        change = IdeaStageChange.objects.create(
            idea=locked,
            from_stage=from_stage,
            to_stage=to_stage,
            actor=actor,
            note=note,
            created_at=now,
        )
        fields = ["stage", "updated_at"]
        locked.stage = to_stage
        if not same:
            locked.stage_changed_at = now
            fields.append("stage_changed_at")
        if note:
            locked.response, locked.response_at = note, now
            fields += ["response", "response_at"]
        if _merged_into is not None:
            locked.merged_into = _merged_into
            fields.append("merged_into")
        locked.save(update_fields=fields)
        if _merged_into is None:
            record_event(
                Event.Kind.RESPONSE if same else Event.Kind.STAGE_CHANGED,
                idea=locked,
                actor=actor,
                stage_change=change,
            )
    for field in ("stage", "stage_changed_at", "response", "response_at", "merged_into"):
        setattr(idea, field, getattr(locked, field))
    return change


def ideas_merge(*, source, target, actor, note) -> IdeaStageChange:
    """Mark `source` as a duplicate of `target`. Its votes move to the target without counting
    any member twice (a member who voted for both keeps one vote and gets the other back), its
    followers follow the target, its comments stay where they are and its URL keeps working.
    What other apps keep about the source (votes) moves with the `idea_merging` signal, in the
    same transaction."""
    require(can_move_idea(actor))
    note = _clean_note(note)
    if not note:
        raise NotAllowed(_("Say why these ideas are the same: the note is shown on both."))
    if source.pk == target.pk:
        raise NotAllowed(_("An idea cannot be merged into itself."))
    if source.campaign_id != target.campaign_id:
        raise NotAllowed(_("Ideas can only be merged within one campaign."))
    merged = Stage.merged()
    with transaction.atomic():
        # Both rows locked in a fixed order, so two merges cannot deadlock.
        locked = {
            i.pk: i
            for i in Idea.objects.select_for_update()
            .filter(pk__in=[source.pk, target.pk])
            .select_related("stage")
            .order_by("pk")
        }
        src, dst = locked[source.pk], locked[target.pk]
        if dst.stage.is_merged or dst.status != Idea.Status.PUBLISHED:
            raise NotAllowed(_("The target idea must be a published idea that is not merged."))
        if src.stage.is_merged:
            raise NotAllowed(_("This idea was already merged."))
        # Before any vote moves: idea_move checks it again, under the same lock.
        require(can_move_between(src.stage, merged))
        moved_data = {}
        for _receiver, data in idea_merging.send(sender=Idea, source=src, target=dst):
            moved_data.update(data or {})
        followers = list(Follow.objects.filter(idea=src).values_list("member_id", flat=True))
        Follow.objects.bulk_create(
            [Follow(member_id=m, idea=dst) for m in followers], ignore_conflicts=True
        )
        Follow.objects.filter(idea=src).delete()
        dst.refresh_from_db(fields=["vote_count"])
        change = idea_move(idea=src, to_stage=merged, actor=actor, note=note, _merged_into=dst)
        record_event(
            Event.Kind.MERGED,
            idea=src,
            actor=actor,
            stage_change=change,
            data={
                "target": dst.pk,
                "target_title": dst.title,
                "votes_moved": moved_data.get("votes_moved", 0),
                "votes_returned": moved_data.get("votes_returned", 0),
                "followers": followers,
            },
        )
    source.stage, source.merged_into, source.vote_count = merged, dst, 0
    target.vote_count = dst.vote_count
    return change


def idea_note_add(*, idea, actor, body):
    """An internal note for the team (never shown publicly)."""
    from .models import InternalNote

    require(can_move_idea(actor))
    return InternalNote.objects.create(idea=idea, author=actor, body=body)


def _refuse_assignee(assignee, current_id=None):
    if assignee is not None and assignee.pk != current_id and not can_be_assigned(assignee):
        raise NotAllowed(_("Ideas can only be assigned to active members of the product team."))


@transaction.atomic
def idea_triage_update(*, idea: Idea, actor, data: Mapping) -> Idea:
    """The team's fields of one idea (the triage form of the workspace): assignee, category,
    RICE scores (the priority follows) and tags. Only the keys present in `data` change, on the
    locked row, so votes and comments counted meanwhile are kept. The current assignee may stay
    even if they left the team: saving the form must not unassign silently."""
    require(can_move_idea(actor))
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    category = data.get("category")
    if category is not None and category.campaign_id != locked.campaign_id:
        raise NotAllowed(_("Choose a category of the idea's own campaign."))
    if "assignee" in data:
        _refuse_assignee(data["assignee"], locked.assignee_id)
    fields = [field for field in TRIAGE_FIELDS if field in data]
    for field in fields:
        setattr(locked, field, data[field])
    locked.full_clean(
        exclude=[f.name for f in Idea._meta.concrete_fields if f.name not in fields],
        validate_unique=False,
        validate_constraints=False,
    )
    locked.save(update_fields=[*fields, "updated_at"])
    if "tags" in data:
        locked.tags.set(data["tags"] or [])
    log(locked, "wagtail.edit", user=actor)
    for field in (*fields, "priority", "updated_at"):
        setattr(idea, field, getattr(locked, field))
    return idea


def ideas_assign(*, ideas: Iterable[Idea], assignee, actor) -> int:
    """Assign (or, with `assignee=None`, unassign) ideas; returns how many changed."""
    require(can_move_idea(actor))
    _refuse_assignee(assignee)
    return Idea.objects.filter(pk__in=[i.pk for i in ideas]).update(
        assignee=assignee, updated_at=timezone.now()
    )


def ideas_tag(*, ideas, tags, actor):
    """Add `tags` to each idea (existing tags stay)."""
    require(can_move_idea(actor))
    for idea in ideas:
        idea.tags.add(*tags)


@transaction.atomic
def ideas_import(*, campaign, rows) -> list[Idea]:
    """Bring in ideas as they were elsewhere (a migration from another tool, the demo content):
    each row holds `author`, `title`, `description` and optionally `category`, `tags`, `stage`
    and `created_at`. Validated like a submission, but without the phase check (they were
    submitted back then) and without notifications (nobody is told about the past); each author
    follows their idea. The stage history starts here: later moves go through `idea_move`."""
    initial = Stage.initial()
    created = []
    for row in rows:
        category = row.get("category")
        if category is not None and category.campaign_id != campaign.pk:
            raise ValueError("category belongs to another campaign")
        idea = Idea(
            campaign=campaign,
            author=row["author"],
            stage=row.get("stage") or initial,
            status=Idea.Status.PUBLISHED,
            created_at=row.get("created_at") or timezone.now(),
        )
        _apply(idea, row)
        idea.full_clean()
        idea.save()
        if row.get("tags"):
            idea.tags.set(row["tags"])
        follow(member=idea.author, idea=idea)
        created.append(idea)
    return created


def follows_add(*, pairs):
    """Many follows at once, `pairs` of (idea id, member id); those that exist are kept.
    Returns how many pairs were asked for."""
    pairs = sorted(set(pairs))
    Follow.objects.bulk_create(
        [Follow(idea_id=idea, member_id=member) for idea, member in pairs],
        ignore_conflicts=True,
        batch_size=5000,
    )
    return len(pairs)
