"""Absolute links for channels that leave the site (e-mails, webhooks, feeds, the API).

One setting, `SITE_URL` (`BASE_URL` is its older name), is the site's public address; every
absolute URL Cocrea builds goes through `absolute`, never through the request's host or the
`Site` records (which `core.sites.sync_sites` keeps in line with it)."""

from urllib.parse import urlsplit

from django.conf import settings


def site_url():
    """The site's public address without a trailing slash: "http://127.0.0.1:8110"."""
    return (getattr(settings, "SITE_URL", "") or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def site_parts():
    """(scheme, hostname, port) of `SITE_URL`; the port defaults to the scheme's."""
    parts = urlsplit(site_url())
    scheme = parts.scheme or "http"
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, (parts.hostname or "localhost"), port


def absolute(path, language=None):
    """`path` on the site's public address (`SITE_URL`), with the language prefix of
    `language` when it is not the default one. Absolute URLs are returned unchanged."""
    if not path:
        return path
    if path.startswith(("http://", "https://")):
        return path
    if not path.startswith("/"):
        path = "/" + path
    prefix = ""
    if language and language != settings.LANGUAGE_CODE:
        prefix = f"/{language}"
        # Paths reversed or page URLs built while that language is active carry it already.
        if path == prefix or path.startswith(prefix + "/"):
            prefix = ""
    return site_url() + prefix + path


def on_site(url):
    """An absolute URL of this site moved onto `SITE_URL` (same path, query and fragment):
    for links a library built from the request's host (allauth's account e-mails)."""
    if not url or not url.startswith(("http://", "https://")):
        return absolute(url)
    parts = urlsplit(url)
    tail = parts.path or "/"
    if parts.query:
        tail += "?" + parts.query
    if parts.fragment:
        tail += "#" + parts.fragment
    return site_url() + tail
