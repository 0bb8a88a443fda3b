"""Cookies and security headers (imported by `base.py`)."""

from csp.constants import NONCE

from .environment import env_list

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4). The public site runs no inline script: scripts come
# from our own static files, each tag carrying the request's nonce (`request.csp_nonce`), as
# does htmx's indicator <style>. Style attributes stay allowed (style-src-attr), style elements
# need the nonce. Wagtail's admin (/admin/) ships inline scripts and styles of its own, and the
# Swagger UI (/api/v1/docs/) an inline initialiser: both are left out of this policy (they are
# for signed-in staff and our own static files; X-Frame-Options and the rest still apply).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": env_list("CSP_EXCLUDE_URL_PREFIXES", "/admin/,/api/v1/docs/"),
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", *env_list("CSP_IMG_SRC", "")],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Wagtail embeds (videos in articles) are iframes from these origins.
        "frame-src": [
            "'self'",
            *env_list(
                "CSP_FRAME_SRC",
                "https://www.youtube.com,https://www.youtube-nocookie.com,https://player.vimeo.com",
            ),
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features no page of ours uses, off for pages and the frames in them.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
}
