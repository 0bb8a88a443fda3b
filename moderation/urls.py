from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("flag/idea/<int:idea_id>/", views.flag_idea, name="flag_idea"),
    path("flag/comment/<int:comment_id>/", views.flag_comment, name="flag_comment"),
    path("decisions/<int:decision_id>/", views.decision_detail, name="decision"),
]
