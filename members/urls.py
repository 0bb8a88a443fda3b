from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("settings/", views.settings_view, name="settings"),
    path("<str:username>/", views.profile, name="profile"),
]
