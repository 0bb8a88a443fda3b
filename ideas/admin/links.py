"""Admin addresses of the triage views, and "next" redirects that stay on this site."""

from urllib.parse import urlsplit

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def workspace_url(idea):
    return reverse("ideas:edit", args=[idea.pk])


def list_url(**params):
    url = reverse("ideas:index")
    return f"{url}?{urlencode(params)}" if params else url


def safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def back_to_card(url, idea):
    """Back on the board, land on the idea's card (`#idea-<pk>`), which takes the focus."""
    if urlsplit(url).path == reverse("ideas:board") and "#" not in url:
        return f"{url}#idea-{idea.pk}"
    return url
