from django.utils import timezone
from django.utils.translation import gettext as _

from ideas.permissions import ALLOWED, Decision, _when


def _voting_window(campaign, now):
    if campaign.voting_is_open(now):
        return ALLOWED
    if now < campaign.voting_opens_at:
        return Decision(
            False, _("Voting opens %(when)s.") % {"when": _when(campaign.voting_opens_at)}
        )
    return Decision(False, _("Voting in this campaign has closed."))


def can_vote(user, idea, now=None):
    now = now or timezone.now()
    if not user.is_authenticated:
        return Decision(False, _("Sign in to vote."))
    if idea.status != idea.Status.PUBLISHED:
        return Decision(False, _("This idea is not open for votes."))
    if idea.stage.is_closed:
        return Decision(
            False,
            _("Votes are frozen: this idea is %(stage)s.") % {"stage": idea.stage.display_name},
        )
    return _voting_window(idea.campaign, now)


def can_withdraw_vote(user, idea, now=None):
    """Withdrawing follows the same windows as voting: a frozen count stays frozen."""
    return can_vote(user, idea, now)
