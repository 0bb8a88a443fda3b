"""`/votes/<idea id>/` (under the language prefix): what the vote button posts to
(`voting.views.vote_idea`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:idea_id>/", views.vote_idea, name="vote"),
]
