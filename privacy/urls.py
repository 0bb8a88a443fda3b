from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("settings/my-data.json", views.data_export, name="data_export"),
    path("settings/delete/", views.account_delete, name="account_delete"),
]
