"""Who may do what to members and their content (see docs/permissions.md)."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.exceptions import NotAllowed

from .backends import SUSPENSION_ANNOTATION
from .models import MODERATORS_GROUP, Suspension


def can_moderate(user) -> bool:
    """Moderators review flagged and held content and suspend members: the Moderators group,
    the product team and superusers."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.is_team:
        return True
    cached = getattr(user, "_can_moderate", None)
    if cached is None:
        cached = user._can_moderate = user.groups.filter(name=MODERATORS_GROUP).exists()
    return cached


def can_suspend(actor, member) -> bool:
    """A moderator suspends members, but not staff or superusers (an admin matter), nor
    themselves."""
    if not can_moderate(actor):
        return False
    return not (member.pk == actor.pk or member.is_staff or member.is_superuser)


def suspension_in_force(member, now=None):
    """The member's suspension that holds now, or None. The signed-in member comes with the
    answer (`members.backends`): no query unless they are suspended; any other member object,
    one query."""
    if not (member and member.is_authenticated):
        return None
    if now is None and hasattr(member, SUSPENSION_ANNOTATION):
        pk = getattr(member, SUSPENSION_ANNOTATION)
        if pk is None:
            return None
        return Suspension.objects.filter(pk=pk).first()
    return Suspension.objects.in_force(now).filter(member=member).first()


def suspension_date(suspension):
    """The day a suspension ends, as a member reads it ("12 January 2027")."""
    # The format is translatable: Spanish says "12 de enero de 2027".
    return formats.date_format(
        timezone.localtime(suspension.until), pgettext("suspension end date", "j F Y")
    )


def suspension_message(suspension) -> str:
    if suspension.until is None:
        return _("Your account is suspended permanently: you can read but not post.")
    return _("Your account is suspended until %(date)s: you can read but not post.") % {
        "date": suspension_date(suspension)
    }


def refuse_if_suspended(member):
    """Every write service of a contribution (ideas, votes, comments, reactions, follows, a
    profile others read, flags and appeals) calls this first: a suspended member can read but
    not post. Privacy rights (data export, deletion, preferences, unsubscribing, signing out)
    never call it. Raises `NotAllowed` with a message saying until when."""
    suspension = suspension_in_force(member)
    if suspension is not None:
        raise NotAllowed(suspension_message(suspension))
