"""Who may do what with e-mail campaigns: the model permissions (the Editors group has
add/view/change; superusers have everything). The admin views check them to show pages and
buttons; the services check them again, so no other caller can skip them."""

from django.utils.translation import gettext as _

from core.permissions import ALLOWED, Decision


def can_manage_campaigns(user, action):
    """`action` is "view", "add" or "change" (change covers test send, send and cancel)."""
    if user is not None and user.is_active and user.has_perm(f"mailings.{action}_emailcampaign"):
        return ALLOWED
    return Decision(False, _("You may not manage e-mail campaigns."))
