"""The comment URLs the site mounts under /comments/: only those Cocrea uses, each behind the
audience policy and the comment permissions (`ideas.discussion`). Flags are the moderation
app's (`/moderation/flag/comment/<id>/`). django-comments-xtd's other endpoints — its REST
API, reply and dislike pages, e-mail confirmation and mute links, the moderation pages of
django-comments — are not mounted, so they answer 404. The names are the library's, so its
template tags (`comment_form_target`) and `get_absolute_url` keep working."""

from django.urls import path

from core.throttle import throttle

from . import discussion

urlpatterns = [
    path("post/", throttle("comment")(discussion.comment_post), name="comments-post-comment"),
    path(
        "like/<int:comment_id>/",
        throttle("react")(discussion.comment_like),
        name="comments-xtd-like",
    ),
    path("liked/", discussion.comment_like_done, name="comments-xtd-like-done"),
    path(
        "cr/<int:content_type_id>/<str:object_pk>/",
        discussion.comment_redirect,
        name="comments-url-redirect",
    ),
]
