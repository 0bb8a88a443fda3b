"""Who may do what with ideas, as small predicates keyed by role and campaign phase.

Each predicate returns a `Decision`: truthy when allowed, with a reason a member can read when not,
so buttons can explain instead of failing. Written down in docs/permissions.md.
"""

from django.utils import formats
from django.utils.translation import gettext as _

from core.exceptions import NotAllowed
from core.permissions import ALLOWED, Decision, require

__all__ = ["ALLOWED", "Decision", "NotAllowed", "require"]  # re-exported for this app's callers


def _when(moment):
    return formats.date_format(moment, "DATETIME_FORMAT")


def can_submit_idea(user, campaign, now=None):
    if not campaign.submission_is_open(now):
        if now is None:
            from django.utils import timezone

            now = timezone.now()
        if now < campaign.submission_opens_at:
            return Decision(
                False,
                _("Ideas can be submitted from %(when)s.")
                % {"when": _when(campaign.submission_opens_at)},
            )
        return Decision(False, _("This campaign no longer takes new ideas."))
    if not user.is_authenticated:
        return Decision(False, _("Sign in to submit an idea."))
    if not user.is_active:
        return Decision(False, _("Your account is not active."))
    return ALLOWED


def can_view_idea(user, idea):
    if idea.status == idea.Status.PUBLISHED:
        return ALLOWED
    if (
        idea.status == idea.Status.PENDING
        and user.is_authenticated
        and (user.pk == idea.author_id or user.is_team or user.is_superuser)
    ):
        return ALLOWED
    return Decision(False, _("This idea is not available."))


def can_edit_idea(user, idea):
    if not user.is_authenticated or user.pk != idea.author_id:
        return Decision(False, _("Only the author can edit this idea."))
    if idea.status not in (idea.Status.PUBLISHED, idea.Status.PENDING):
        return Decision(False, _("This idea was withdrawn."))
    if not idea.stage.is_initial:
        return Decision(
            False,
            _("The product team is already looking at this idea, so it can no longer be edited."),
        )
    return ALLOWED


def can_withdraw_idea(user, idea):
    if not user.is_authenticated or user.pk != idea.author_id:
        return Decision(False, _("Only the author can withdraw this idea."))
    if idea.status not in (idea.Status.PUBLISHED, idea.Status.PENDING):
        return Decision(False, _("This idea was already withdrawn."))
    if not idea.stage.is_initial:
        return Decision(
            False,
            _(
                "The product team is already looking at this idea, "
                "so it can no longer be withdrawn."
            ),
        )
    return ALLOWED


def can_move_idea(user):
    """Triage (moving, responding, merging) is for the product team."""
    if not user.is_authenticated or not user.is_active:
        return Decision(False, _("Sign in as a member of the product team."))
    if not (user.is_superuser or user.is_team):
        return Decision(False, _("Only the product team can move ideas."))
    return ALLOWED


def can_be_assigned(user):
    """Ideas are assigned to active staff of the product team (or superusers); editors reach
    the admin too but do not triage."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_team or user.is_superuser)
    )


def can_move_between(from_stage, to_stage):
    """Whether the pipeline lets an idea go from `from_stage` to `to_stage` (a declared
    `Stage.next_stages` move; to the merged stage, that means it may be merged). One query."""
    if from_stage.next_stages.filter(pk=to_stage.pk).exists():
        return ALLOWED
    if to_stage.is_merged:
        return Decision(
            False,
            _("Ideas in “%(stage)s” can't be merged into another idea.")
            % {"stage": from_stage.display_name},
        )
    allowed = [stage.display_name for stage in from_stage.allowed_next()]
    if not allowed:
        return Decision(
            False,
            _("Ideas in “%(stage)s” can't move to another stage.")
            % {"stage": from_stage.display_name},
        )
    return Decision(
        False,
        _("Ideas in “%(from)s” can't move to “%(to)s”. Allowed next: %(allowed)s.")
        % {
            "from": from_stage.display_name,
            "to": to_stage.display_name,
            "allowed": ", ".join(_("“%(stage)s”") % {"stage": name} for name in allowed),
        },
    )


def can_react_to_comment(user, idea):
    """Liking or flagging a comment: a signed-in, active member, on an idea they may see (the
    audience is checked by the caller, `ideas.discussion`, before anything is read)."""
    if not user.is_authenticated:
        return Decision(False, _("Sign in to join the discussion."))
    if not user.is_active:
        return Decision(False, _("Your account is not active."))
    if not can_view_idea(user, idea):
        return Decision(False, _("This idea is not available."))
    return ALLOWED


def can_comment_on_idea(user, idea):
    """Commenting and replying: as reacting, on a published idea of a live campaign."""
    decision = can_react_to_comment(user, idea)
    if not decision:
        return decision
    if idea.status != idea.Status.PUBLISHED or not idea.campaign.live:
        return Decision(False, _("This discussion is closed."))
    return ALLOWED
