"""The identify link (members.identify), mounted at /sso/ in every language."""

from django.urls import path

from . import views

urlpatterns = [path("identify/", views.identify_view, name="sso_identify")]
