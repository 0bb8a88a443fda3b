from django.urls import path

from core.views import unsubscribe_view

app_name = "mailings"
urlpatterns = [
    # Links in e-mails sent before the one unsubscribe flow (core.unsubscribe).
    path("unsubscribe/<str:token>/", unsubscribe_view, name="unsubscribe"),
]
