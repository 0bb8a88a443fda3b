"""Sign-in with other accounts (docs/sign-in.md), read from the environment.

A provider is switched on by its client id *and* secret: without both it is not configured,
and no button is shown for it. Each configured provider also needs its authorisation page
allowed as a form target in the Content-Security-Policy (the sign-in button posts to our own
URL, which redirects there, and browsers check `form-action` on that redirect too).
"""

from urllib.parse import urlsplit

GOOGLE_AUTHORIZE_ORIGIN = "https://accounts.google.com"
MICROSOFT_AUTHORIZE_ORIGIN = "https://login.microsoftonline.com"
GITHUB_AUTHORIZE_ORIGIN = "https://github.com"


def _app(prefix, environ):
    client_id = (environ.get(f"{prefix}_CLIENT_ID") or "").strip()
    secret = (environ.get(f"{prefix}_CLIENT_SECRET") or "").strip()
    if not (client_id and secret):
        return None
    return {"client_id": client_id, "secret": secret, "key": "", "settings": {}}


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def social_providers(environ):
    """(SOCIALACCOUNT_PROVIDERS, origins for `form-action`) from environment variables."""
    providers, origins = {}, []

    google = _app("GOOGLE", environ)
    if google:
        providers["google"] = {
            "APPS": [google],
            "SCOPE": ["openid", "profile", "email"],
            "AUTH_PARAMS": {"prompt": "select_account"},
        }
        origins.append(GOOGLE_AUTHORIZE_ORIGIN)

    microsoft = _app("MICROSOFT", environ)
    if microsoft:
        # "organizations": work and school accounts only; "common" adds personal accounts;
        # a tenant id keeps sign-in to one company's directory.
        microsoft["settings"]["tenant"] = (environ.get("MICROSOFT_TENANT") or "").strip() or (
            "organizations"
        )
        providers["microsoft"] = {"APPS": [microsoft]}
        origins.append(MICROSOFT_AUTHORIZE_ORIGIN)

    github = _app("GITHUB", environ)
    if github:
        providers["github"] = {"APPS": [github], "SCOPE": ["read:user", "user:email"]}
        origins.append(GITHUB_AUTHORIZE_ORIGIN)

    oidc = _app("OIDC", environ)
    server_url = (environ.get("OIDC_SERVER_URL") or "").strip()
    if oidc and server_url:
        oidc["provider_id"] = (environ.get("OIDC_PROVIDER_ID") or "").strip() or "sso"
        oidc["name"] = (environ.get("OIDC_NAME") or "").strip() or "Single sign-on"
        oidc["settings"] = {
            "server_url": server_url,
            "fetch_userinfo": True,
            "oauth_pkce_enabled": True,
        }
        providers["openid_connect"] = {"APPS": [oidc], "SCOPE": ["openid", "profile", "email"]}
        origins.append((environ.get("OIDC_AUTHORIZE_ORIGIN") or "").strip() or _origin(server_url))

    return providers, [origin for origin in origins if origin]
