"""The one door to the discussion of ideas. django-comments-xtd owns the comment write path, but
its views know nothing of campaigns, audiences or phases: every comment URL the site mounts
(`ideas/discussion_urls.py`) goes through a wrapper here first, which finds the idea the
comment belongs to and asks the audience policy (`segments.audience.can_see_idea`) and the
comment permissions (`ideas.permissions`). An idea the visitor may not see answers 404 before
anything is read or stored, exactly as an idea that does not exist; only then does the
library's own view run. See docs/permissions.md."""

import django_comments
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django_comments.models import CommentFlag
from django_comments.views.comments import post_comment
from django_comments_xtd import views as xtd_views
from django_comments_xtd.models import LIKEDIT_FLAG, XtdComment

from core.exceptions import NotAllowed
from core.honeypot import tripped
from members.permissions import refuse_if_suspended
from segments.audience import can_see_idea

from . import holds, hooks
from .models import Idea
from .permissions import can_comment_on_idea, can_react_to_comment, can_view_idea


def _idea_or_404(user, idea_pk):
    if not str(idea_pk).isdigit():
        raise Http404
    idea = Idea.objects.select_related("campaign").filter(pk=int(idea_pk)).first()
    if idea is None or not can_see_idea(user, idea) or not can_view_idea(user, idea):
        raise Http404
    if not idea.campaign.live:
        raise Http404
    return idea


def _comment_or_404(user, comment_id):
    """A public comment on an idea `user` may see, with `comment.idea` set; else 404."""
    idea_type = ContentType.objects.get_for_model(Idea)
    comment = XtdComment.objects.filter(
        pk=comment_id, content_type=idea_type, is_public=True, is_removed=False
    ).first()
    if comment is None:
        raise Http404
    comment.idea = _idea_or_404(user, comment.object_pk)
    return comment


def comment_permalink(comment, idea) -> str:
    """Where a comment lives: its idea's page and the comment's anchor. Relative to the site,
    so the browser keeps the request's host (never the `Site` domain)."""
    return f"{idea.url}#c{comment.pk}"


@csrf_protect
def comment_post(request):
    """Post a comment or a reply (django-comments' `post_comment`) on an idea the member may
    see and comment on. A reply must answer a comment of the same idea.

    Without JavaScript: a redirect back to the discussion, with a message saying the comment is
    posted (or waiting for review). With htmx (`components/comment_posted.html`): a fresh form
    in place of the one sent, the new comment in its thread, the count and a confirmation
    (out-of-band). A refusal with htmx leaves the form and what was typed as they are
    (`HX-Reswap: none`) and says why in the form's status line."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    app_label, _dot, model = request.POST.get("content_type", "").partition(".")
    if (app_label, model) != ("ideas", "idea"):
        raise Http404
    idea = _idea_or_404(request.user, request.POST.get("object_pk", ""))
    reply_to = request.POST.get("reply_to", "0") or "0"
    if reply_to != "0":
        parent = _comment_or_404(request.user, reply_to) if reply_to.isdigit() else None
        if parent is None or parent.idea.pk != idea.pk:
            raise Http404
    if not request.user.is_authenticated:
        if request.htmx:
            login = f"{reverse('account_login')}?{urlencode({'next': f'{idea.url}#discussion'})}"
            return _refused(
                request,
                reply_to,
                _("You are signed out. Sign in, then post again: copy your text first."),
                link=login,
            )
        return redirect_to_login(idea.url)
    if tripped(request, "honeypot"):
        # django-comments' own honeypot field, filled by a bot: refused quietly, nothing stored.
        if request.htmx:
            return _posted(request, idea, reply_to, comment=None)
        return redirect(f"{idea.url}#discussion")
    decision = can_comment_on_idea(request.user, idea)
    if not decision:
        if request.htmx:
            return _refused(request, reply_to, decision.reason)
        messages.error(request, decision.reason)
        return redirect(idea.url)
    try:
        refuse_if_suspended(request.user)
    except NotAllowed as refused:
        if request.htmx:
            return _refused(request, reply_to, refused.reason)
        messages.error(request, refused.reason)
        return redirect(f"{idea.url}#discussion")
    if request.htmx:
        data = request.POST.copy()  # as `post_comment` fills them in for a member
        data["name"] = data.get("name") or request.user.get_full_name() or request.user.username
        data["email"] = data.get("email") or request.user.email
        form = django_comments.get_form()(idea, data=data)
        if form.security_errors():
            # Mostly a page left open for hours (the form's timestamp expired).
            return _refused(
                request,
                reply_to,
                _("This page is too old to post from. Copy your text, reload, then post again."),
            )
        if form.errors:
            # What was typed comes back with the errors, in place.
            return render(
                request,
                "components/comment_form_form.html",
                {"form": form, "reply_to": int(reply_to), "idea_url": idea.url},
            )
    response = post_comment(request, next=f"{idea.url}#discussion")
    comment = getattr(request, "cocrea_comment_posted", None)
    if comment is None:
        return response  # a bad request, or the library's preview page
    if request.htmx:
        return _posted(request, idea, reply_to, comment=comment)
    if comment.is_public:
        messages.success(request, _("Your comment is posted."))
    return response


def _refused(request, reply_to, reason, *, link=""):
    response = render(
        request,
        "components/comment_refused.html",
        {"reply_to": int(reply_to), "reason": reason, "link": link},
    )
    response["HX-Reswap"] = "none"
    return response


def _posted(request, idea, reply_to, *, comment):
    """The htmx answer to a comment posted (or quietly refused: `comment` None)."""
    context = {
        "form": django_comments.get_form()(idea),
        "reply_to": int(reply_to),
        "idea_url": idea.url,
        "idea": idea,
    }
    if comment is not None and comment.is_public:
        comment = XtdComment.objects.select_related("user").filter(pk=comment.pk).first() or comment
        comment.replies, comment.like_count, comment.liked = [], 0, False
        context.update(
            {
                **hooks.page_context(request, idea.campaign, [idea]),
                "comment": comment,
                "comment_is_new": True,
                "comment_form": context["form"],
                "comment_count": Idea.objects.values_list("comment_count", flat=True).get(
                    pk=idea.pk
                ),
                "status": _("Your comment is posted."),
            }
        )
    elif comment is not None:
        context["status"] = holds.HELD_MESSAGE
    return render(request, "components/comment_posted.html", context)


def _reaction(library_view):
    """Like: the library's confirmation page (GET) and action (POST), for a comment on
    an idea the member may see; the fallback after the action is the comment's permalink.
    With htmx, the answer is the like button in its new state (`components/comment_like.html`)
    and a refusal says why in its place; without JavaScript, a redirect and a message."""

    @csrf_protect
    def view(request, comment_id):
        comment = _comment_or_404(request.user, comment_id)
        permalink = comment_permalink(comment, comment.idea)
        htmx_post = bool(request.htmx) and request.method == "POST"
        if not request.user.is_authenticated:
            if htmx_post:
                return _like_answer(request, comment, error=_("Sign in to like comments."))
            return redirect_to_login(permalink)
        decision = can_react_to_comment(request.user, comment.idea)
        if not decision:
            if htmx_post:
                return _like_answer(request, comment, error=decision.reason)
            messages.error(request, decision.reason)
            return redirect(permalink)
        try:
            refuse_if_suspended(request.user)
        except NotAllowed as refused:
            if htmx_post:
                return _like_answer(request, comment, error=refused.reason)
            messages.error(request, refused.reason)
            return redirect(permalink)
        response = library_view(request, comment_id, next_url=permalink)
        if request.method != "POST":
            return response
        if htmx_post:
            return _like_answer(request, comment)
        if _likes(comment, request.user)[1]:
            messages.success(request, _("Thanks: you like this comment."))
        else:
            messages.info(request, _("Your like is taken back."))
        return response

    view.__name__ = f"comment_{library_view.__name__}"
    view.__doc__ = library_view.__doc__
    return view


def _likes(comment, user):
    """(how many like the comment, whether `user` does), in one query."""
    likes = CommentFlag.objects.filter(comment=comment, flag=LIKEDIT_FLAG).aggregate(
        n=Count("pk"), mine=Count("pk", filter=Q(user_id=user.pk))
    )
    return likes["n"], bool(likes["mine"])


def _like_answer(request, comment, *, error=""):
    comment.like_count, comment.liked = _likes(comment, request.user)
    return render(
        request,
        "components/comment_like.html",
        {
            "comment": comment,
            "idea_url": comment.idea.url,
            "swapped": True,
            "like_error": error,
        },
    )


comment_like = _reaction(xtd_views.like)


def comment_redirect(request, content_type_id, object_pk):
    """`comment.get_absolute_url()` points here (django-comments' content-type redirect, which
    would build the address with the `Site` domain and for any model): only ideas, only those
    the visitor may see, and to a relative address."""
    idea_type = ContentType.objects.get_for_model(Idea)
    if str(content_type_id) != str(idea_type.pk):
        raise Http404
    idea = _idea_or_404(request.user, object_pk)
    return redirect(idea.url)


def reaction_done(template):
    """The "thanks" page after a like (reached only without a `next`): they show no
    comment, so they need no audience check and give nothing away."""

    def view(request):
        return render(request, template)

    return view


comment_like_done = reaction_done("django_comments_xtd/liked.html")
