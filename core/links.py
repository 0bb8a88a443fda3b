"""Absolute links for channels that leave the site (e-mails, webhooks, feeds, the API)."""

from django.conf import settings


def absolute(path, language=None):
    """`path` on the site's public address (`BASE_URL`), with the language prefix of
    `language` when it is not the default one. Absolute URLs are returned unchanged."""
    if not path:
        return path
    if path.startswith(("http://", "https://")):
        return path
    prefix = ""
    if language and language != settings.LANGUAGE_CODE:
        prefix = f"/{language}"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + prefix + path
