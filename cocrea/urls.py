import functools
import re

from allauth.account.views import signup as allauth_signup
from allauth.socialaccount.models import SocialApp
from allauth.urls import build_provider_urlpatterns
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import Http404
from django.urls import URLResolver, include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.sitemaps import LocalizedSitemap
from cms.views import search, set_language
from core.honeypot import honeypot_protected
from core.views import health, ready, unsubscribe_view
from ideas.media import idea_image


def _found_when_configured(patterns):
    """allauth's provider views fail (500) for a provider without client id and secret: for
    visitors such a provider is simply not there (404)."""

    def guard(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except SocialApp.DoesNotExist:
                raise Http404 from None

        return wrapped

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _found_when_configured(pattern.url_patterns)
        else:
            pattern.callback = guard(pattern.callback)
    return patterns


# allauth's limits (sign-in, sign-up, password reset) answer with the site's 429 page.
handler429 = "core.throttle.handler429"

# The Django admin is a back door for superusers; editors and the team work in Wagtail's admin.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

urlpatterns = [
    # Probes for load balancers and Kubernetes (docs/operations.md).
    path("health/", health, name="health"),
    path("ready/", ready, name="ready"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    # Django's set_language, to the page's translation when it has one (cms.views).
    path("i18n/setlang/", set_language, name="set_language"),
    path("sitemap.xml", sitemap, {"sitemaps": {"wagtail": LocalizedSitemap}}),
    path("api/v1/", include("integrations.urls")),
    path("feeds/", include("ideas.feed_urls")),
    # Idea images only through the audience policy (ideas.media), never from /media/ideas/.
    path("idea-images/<int:pk>/<str:name>", idea_image, name="idea_image"),
    # Sign-in with Google, Microsoft, GitHub, OpenID Connect (docs/sign-in.md): one address per
    # provider in every language, since each provider only returns to the callback registered
    # with it (/accounts/google/login/callback/, /accounts/oidc/<id>/login/callback/).
    path("accounts/", include(_found_when_configured(build_provider_urlpatterns()))),
]

if settings.DEBUG:  # in production the web server serves /media/ (all but ideas/)
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?!ideas/)(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += i18n_patterns(
    # allauth's sign-up, behind the honeypot: a bot that fills it is shown "check your
    # e-mail" and nothing is stored.
    path(
        "accounts/signup/",
        honeypot_protected(allauth_signup, redirect_to="account_email_verification_sent"),
        name="account_signup",
    ),
    path("accounts/", include("allauth.account.urls")),
    path("accounts/3rdparty/", include("allauth.socialaccount.urls")),
    path("sso/", include("members.identify_urls")),
    # Only the comment endpoints Cocrea uses, each behind the audience policy (ideas.discussion);
    # under the language prefix, so a comment posted or liked on a Spanish page answers in Spanish.
    path("comments/", include("ideas.discussion_urls")),
    # The vote button posts here (under the language prefix: a refusal answers in Spanish on a
    # Spanish page), not to the campaign page's sub-route: no page tree to walk for a vote.
    path("votes/", include("voting.urls")),
    path("members/", include("privacy.urls")),
    path("members/", include("members.urls")),
    path("notifications/", include("notifications.urls")),
    path("moderation/", include("moderation.urls")),
    path("unsubscribe/<str:token>/", unsubscribe_view, name="unsubscribe"),
    path("mailings/", include("mailings.urls")),
    path("search/", search, name="search"),
    path(
        "code-of-conduct/",
        TemplateView.as_view(template_name="pages/code_of_conduct.html"),
        name="code_of_conduct",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
