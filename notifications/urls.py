from django.urls import path

from core.views import unsubscribe_view

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notifications_read, name="read"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("settings/", views.notification_settings, name="settings"),
    # Links in e-mails sent before the one unsubscribe flow (core.unsubscribe).
    path("unsubscribe/<str:token>/", unsubscribe_view, name="unsubscribe"),
]
