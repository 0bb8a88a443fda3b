"""System checks of the sign-in settings (docs/sign-in.md)."""

from django.conf import settings
from django.core.checks import Warning, register

IDENTIFY_SECRET_MIN_LENGTH = 32


@register("security")
def identify_secret_check(app_configs=None, **kwargs):
    secret = settings.IDENTIFY_SECRET
    if secret and len(secret) < IDENTIFY_SECRET_MIN_LENGTH:
        return [
            Warning(
                "IDENTIFY_SECRET is shorter than 32 characters: a short HS256 secret can be "
                "guessed, and whoever guesses it signs in as any customer.",
                hint="Generate one: python -c 'import secrets; print(secrets.token_urlsafe(48))'",
                id="members.W001",
            )
        ]
    return []
