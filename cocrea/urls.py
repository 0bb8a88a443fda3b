from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.views import search
from core.views import unsubscribe_view

# allauth's limits (sign-in, sign-up, password reset) answer with the site's 429 page.
handler429 = "core.throttle.handler429"

# The Django admin is a back door for superusers; editors and the team work in Wagtail's admin.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    # Only the comment endpoints Cocrea uses, each behind the audience policy (ideas.discussion).
    path("comments/", include("ideas.discussion_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap),
    path("api/v1/", include("integrations.urls")),
    path("feeds/", include("ideas.feed_urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
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
