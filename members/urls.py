from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("settings/", views.settings_view, name="settings"),
    path("settings/my-data.json", views.data_export, name="data_export"),
    path("settings/delete/", views.account_delete, name="account_delete"),
    path("<str:username>/", views.profile, name="profile"),
]
