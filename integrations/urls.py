from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from .api import views

app_name = "api"

router = SimpleRouter()
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("ideas", views.IdeaViewSet, basename="idea")
router.register("stages", views.StageViewSet, basename="stage")

urlpatterns = [
    path("", include(router.urls)),
    path("roadmap/", views.RoadmapView.as_view(), name="roadmap"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Only addresses ending in a slash: without one, APPEND_SLASH still redirects first.
    re_path(r"^.*/$", views.NotFoundView.as_view(), name="not_found"),
]
