"""The authentication backends, loading the signed-in member with what every page and write
service asks of them: whether a suspension holds now (`members.permissions.suspension_in_force`
then costs no query for the many members who are not suspended)."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.db.models import OuterRef, Subquery

from .models import Suspension, User

SUSPENSION_ANNOTATION = "suspension_in_force_pk"


def with_suspension(queryset):
    """Members annotated with the pk of the suspension that holds now (or None)."""
    holding = Suspension.objects.in_force().filter(member=OuterRef("pk")).values("pk")[:1]
    return queryset.annotate(**{SUSPENSION_ANNOTATION: Subquery(holding)})


class _LoadsSuspension:
    def get_user(self, user_id):
        user = with_suspension(User._default_manager.filter(pk=user_id)).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class MemberBackend(_LoadsSuspension, ModelBackend):
    """Django's username/password backend (the admin, `force_login`)."""


class MemberAllauthBackend(_LoadsSuspension, AuthenticationBackend):
    """allauth's backend (sign-in by e-mail or username)."""
