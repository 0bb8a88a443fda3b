"""The one door to the discussion of ideas. django-comments-xtd owns the comment write path, but
its views know nothing of campaigns, audiences or phases: every comment URL the site mounts
(`ideas/discussion_urls.py`) goes through a wrapper here first, which finds the idea the
comment belongs to and asks the audience policy (`segments.audience.can_see_idea`) and the
comment permissions (`ideas.permissions`). An idea the visitor may not see answers 404 before
anything is read or stored, exactly as an idea that does not exist; only then does the
library's own view run. See docs/permissions.md."""

import hashlib
import re
import threading
from collections import OrderedDict

import django_comments
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import ArrayAgg, StringAgg
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Func, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import MD5
from django.http import Http404, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
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
        shown = {**hooks.page_context(request, idea.campaign, [idea]), **context}
        context.update(
            {
                "comment": comment,
                "comment_html": comment_html(request, comment, {**shown, "comment_is_new": True}),
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


# The discussion on an idea's page ------------------------------------------------------------
#
# A page of 200 comments is one template loop (components/comment_list.html), kept in the cache
# once rendered. Its key is a digest of everything the HTML shows, read from the database on
# every request in one light query (the comments of the page's threads with their authors and
# like counts, as tuples), plus the helpful marks, the idea's address, the language, the time
# zone and the viewer's role (signed out, member, member who may mark comments helpful). So
# the cache cannot go stale: a new, edited, removed or hidden comment, a like, a helpful mark or
# an author's new name or level is a new key, at once. It never decides who sees what either:
# the idea's audience was checked before, and only the comments read for this idea go in.
#
# What differs between two members of the same role is left out of the cached HTML, as marked
# regions `<!--§kind:pk:extra-->default<!--§/-->` filled per request (`_assemble`): the CSRF
# token, the viewer's own likes, the report widget (none on the viewer's own comments, "Reported"
# on those they reported). Marked regions cannot come from members' text: it is autoescaped or
# sanitised by nh3, which drops HTML comments.

DISCUSSION_CACHE_SECONDS = 600  # also bounds how long a deploy's new template or text waits
_FRAGMENT_VERSION = 1
_REGION = re.compile(r"<!--§(\w+):(\d+):(\d*)-->(.*?)<!--§/-->", re.S)
COMMENT_ROW = (
    "pk",
    "parent_id",
    "level",
    "thread_id",
    "is_removed",
    "submit_date",
    "comment",
    "user_name",
    "user_id",
    "user__username",
    "user__display_name",
    "user__reputation_level",
    "user__is_team",
    "like_count",
)


class _Author:
    __slots__ = ("pk", "username", "public_name", "reputation_level", "is_team")

    def __init__(self, pk, username, display_name, level, is_team):
        self.pk, self.username, self.public_name = pk, username, display_name or username
        self.reputation_level, self.is_team = level, is_team


class _Comment:
    """What components/comment_list.html shows of a comment (from a `COMMENT_ROW` tuple)."""

    def __init__(self, row):
        (
            self.pk,
            self.parent_id,
            self.level,
            self.thread_id,
            self.is_removed,
            self.submit_date,
            self.comment,
            self.name,
            self.user_id,
            username,
            display_name,
            level,
            is_team,
            self.like_count,
        ) = row
        self.user = (
            _Author(self.user_id, username, display_name, level, is_team) if username else None
        )
        self.replies, self.tail = [], ""


def discussion_threads(*, idea, viewer, page_number, per_page=None):
    """One page of the idea's discussion: the paginator's page of thread ids, with `liked`
    (the pks of its comments the viewer likes), `fingerprint` (a digest of everything the page
    shows of its comments, authors and likes) and `rows()` (the comments of those threads as
    `COMMENT_ROW` tuples, in thread order, read once when asked). Three queries whatever the
    thread sizes, a fourth when the discussion is not in the cache. On PostgreSQL the digest
    is computed by the database (no row comes to Python); elsewhere from the rows."""
    per_page = per_page or settings.COMMENTS_PER_PAGE
    comments = XtdComment.objects.filter(
        content_type=ContentType.objects.get_for_model(Idea),
        object_pk=str(idea.pk),
        site_id=settings.SITE_ID,
        is_public=True,
    )
    roots = comments.filter(level=0).order_by("-thread_id").values_list("thread_id", flat=True)
    page = Paginator(roots, per_page).get_page(page_number)
    page.thread_ids = list(page.object_list)
    page.liked, page.fingerprint = set(), None
    rows = comments.filter(thread_id__in=page.thread_ids)
    found = []

    def read_rows():
        if not found and page.thread_ids:
            likes = Count("flags", filter=Q(flags__flag=LIKEDIT_FLAG))
            query = rows.annotate(like_count=likes).order_by("thread_id", "order")
            found.append(list(query.values_list(*COMMENT_ROW)))
        return found[0] if found else []

    page.rows = read_rows
    if not page.thread_ids:
        return page
    mine = CommentFlag.objects.filter(comment=OuterRef("pk"), user=viewer.pk, flag=LIKEDIT_FLAG)
    if settings.USING_POSTGRES:
        likes = CommentFlag.objects.filter(comment=OuterRef("pk"), flag=LIKEDIT_FLAG)
        shown = Func(
            *COMMENT_ROW[:-1],
            Subquery(likes.order_by().values("comment").annotate(n=Count("pk")).values("n")),
            template="ROW(%(expressions)s)::text",
            output_field=TextField(),
        )
        summary = {"fingerprint": MD5(StringAgg(shown, "\n", order_by=("thread_id", "order")))}
        if viewer.is_authenticated:
            summary["liked"] = ArrayAgg("pk", filter=Q(Exists(mine)), default=Value([]))
        summed = rows.aggregate(**summary)
        page.fingerprint, page.liked = summed["fingerprint"], set(summed.get("liked") or ())
    else:
        page.fingerprint = read_rows()
        if viewer.is_authenticated:
            page.liked = set(rows.filter(Exists(mine)).values_list("pk", flat=True))
    return page


def _threads(rows, thread_ids):
    """The rows as trees, in the page's thread order, flattened for one loop: each comment's
    `tail` closes what its last descendant ends (its reply list and item)."""
    by_pk, roots = {}, {}
    for row in rows:
        comment = _Comment(row)
        if comment.level == 0:
            roots[comment.thread_id] = comment
        elif comment.parent_id in by_pk:
            by_pk[comment.parent_id].replies.append(comment)
        else:
            continue  # its parent is not shown (hidden): neither is the reply
        by_pk[comment.pk] = comment
    flat = []

    def walk(comment):
        flat.append(comment)
        # The reply list is there (empty) wherever a reply can be posted, for htmx to append to.
        comment.has_list = bool(comment.replies) or (comment.level < 2 and not comment.is_removed)
        for reply in comment.replies:
            walk(reply)
        flat[-1].tail += ("</ol>" if comment.has_list else "") + "</li>"

    for thread_id in thread_ids:
        if thread_id in roots:
            walk(roots[thread_id])
    for comment in flat:
        comment.tail = mark_safe(comment.tail)  # noqa: S308 - closing tags only
    return flat


class _Recent:
    """The last rendered discussions of this process, by key (a digest of their content, so
    never stale), at most `max_bytes` of HTML."""

    def __init__(self, max_bytes):
        self.items, self.size, self.max_bytes = OrderedDict(), 0, max_bytes
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.items.get(key)
            if found is None:
                return None
            self.items.move_to_end(key)
            return found[0]

    def put(self, key, value, cost):
        with self.lock:
            if key in self.items or cost > self.max_bytes:
                return
            self.items[key] = (value, cost)
            self.size += cost
            while self.size > self.max_bytes:
                _key, (_old, old_cost) = self.items.popitem(last=False)
                self.size -= old_cost


# This process's copy of the most recent discussions (the shared copy is in Redis): 1.5 MB, a
# few pages of 200 comments; see the sizes in ideas.templatetags.idea_cards.
_recent = _Recent(3 * 2**19)


def _key(request, page, context):
    user = request.user
    role = ("member" if user.is_authenticated else "anonymous", bool(context["can_mark_helpful"]))
    content = (
        _FRAGMENT_VERSION,
        context["idea_url"],
        get_language(),
        timezone.get_current_timezone_name(),
        role,
        page.number,
        context["reply_link"],
        page.thread_ids,
        page.fingerprint,
        sorted(context["helpful_ids"]),
    )
    return "discussion:" + hashlib.blake2b(repr(content).encode(), digest_size=20).hexdigest()


def _render_regions(request, comments, context):
    """The comments' HTML (components/comment_list.html), split at its marked regions:
    (text before the first, [(kind, pk, extra, default, text after), ...])."""
    like_url = _url_pattern("comments-xtd-like")
    flag_url = _url_pattern("moderation:flag_comment")
    profiles = {}
    for comment in comments:
        comment.like_url = like_url(comment.pk)
        comment.flag_url = flag_url(comment.pk)
        if comment.user is not None:
            username = comment.user.username
            if username not in profiles:
                profiles[username] = reverse("members:profile", args=[username])
            comment.profile_url = profiles[username]
    html = render_to_string(
        "components/comment_list.html", {**context, "comments": comments}, request=request
    )
    parts = _REGION.split(html)
    regions = [
        (parts[i], int(parts[i + 1]), int(parts[i + 2] or 0), parts[i + 3], parts[i + 4])
        for i in range(1, len(parts), 5)
    ]
    return parts[0], regions


def _url_pattern(name):
    marker = 918273645
    head, _marker, tail = reverse(name, args=[marker]).partition(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def _assemble(request, rendered, *, liked, reported):
    """The viewer's discussion: the rendered regions filled for them."""
    head, regions = rendered
    user = request.user
    csrf = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    liked_button = format_html(
        '<button type="submit" class="link-button" aria-pressed="true">♥ {}</button>',
        _("Liked"),
    )
    reported_widget = None
    out = [head]
    append = out.append
    for kind, pk, extra, default, text in regions:
        if kind == "csrf":
            append(csrf)
        elif kind == "like":
            append(liked_button if pk in liked else default)
        elif kind == "flag":
            if extra and extra == user.pk:
                pass  # one's own comment: nothing to report
            elif pk in reported:
                if reported_widget is None:
                    reported_widget = format_html(
                        '<span class="flag flag--reported meta">{}</span>', _("Reported")
                    )
                append(reported_widget)
            else:
                append(default)
        else:
            append(default)
        append(text)
    return mark_safe("".join(out))  # noqa: S308 - autoescaped template output and format_html


def discussion_html(request, page, context, *, reply_open=None, cache_it=True):
    """The HTML of `page`'s comments (`discussion_threads`) for this viewer. `context` gives
    `idea_url`, `reply_link`, `helpful_ids`, `can_mark_helpful`, `reported_comments` and
    `comment_form`. With `?reply=<comment>` (the reply form under a comment, without
    JavaScript) the HTML is made for this request only."""
    if not page.thread_ids:
        return ""
    context = {**context, "reply_open": reply_open}
    cached = cache_it and reply_open is None
    key = _key(request, page, context) if cached else None
    rendered = _recent.get(key) if cached else None
    if rendered is None and cached:
        rendered = cache.get(key)
        if rendered is not None:
            _recent.put(key, rendered, sum(len(r[3]) + len(r[4]) for r in rendered[1]))
    if rendered is None:
        rendered = _render_regions(request, _threads(page.rows(), page.thread_ids), context)
        if cached:
            cache.set(key, rendered, DISCUSSION_CACHE_SECONDS)
            _recent.put(key, rendered, sum(len(r[3]) + len(r[4]) for r in rendered[1]))
    reported = context.get("reported_comments") or () if request.user.is_authenticated else ()
    return _assemble(request, rendered, liked=page.liked, reported=reported)


def comment_html(request, comment, context):
    """One comment just posted (with htmx), as on the page: no replies, no likes yet."""
    row = (
        comment.pk,
        comment.parent_id,
        comment.level,
        comment.thread_id,
        comment.is_removed,
        comment.submit_date,
        comment.comment,
        comment.user_name,
        comment.user_id,
        *(
            (u.username, u.display_name, u.reputation_level, u.is_team)
            if (u := comment.user)
            else (None, "", 0, False)
        ),
        0,
    )
    comments = _threads([row], [comment.thread_id]) if comment.level == 0 else [_Comment(row)]
    if comment.level:
        only = comments[0]
        only.has_list = only.level < 2 and not only.is_removed
        only.tail = mark_safe(("</ol>" if only.has_list else "") + "</li>")  # noqa: S308
    rendered = _render_regions(request, comments, {**context, "reply_open": None})
    return _assemble(request, rendered, liked=set(), reported=())
