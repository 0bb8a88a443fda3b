"""Views behind the campaign page's routes (see CampaignPage). They read through selectors,
write through services, and render inside the campaign page so the site chrome stays the same."""

import django_comments
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef, Value
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.honeypot import honeypot_protected
from core.permissions import Decision
from core.throttle import throttle
from members.permissions import suspension_in_force, suspension_message

from . import discussion, drafts, hooks, selectors
from .filters import SEED_PARAM
from .forms import IdeaForm
from .holds import HELD_MESSAGE
from .models import Follow, Idea, idea_url
from .permissions import (
    NotAllowed,
    can_edit_idea,
    can_submit_idea,
    can_view_idea,
    can_withdraw_idea,
)
from .pipeline import campaign_feeds
from .services import follow, idea_update, unfollow
from .services import idea_submit as submit_service
from .services import idea_withdraw as withdraw_service


def _idea_or_404(campaign, idea_id, user, *, count_merged=False):
    # Whether the member follows the idea comes with the idea: no extra query.
    following = (
        Exists(Follow.objects.filter(idea=OuterRef("pk"), member=user))
        if user.is_authenticated
        else Value(False)
    )
    ideas = Idea.objects.select_related("author", "stage", "category", "merged_into").annotate(
        is_followed=following
    )
    if count_merged:
        # So is the number of duplicates merged into it: most ideas have none, and their page
        # then needs no query to say so.
        ideas = ideas.annotate(merged_count=selectors.merged_ideas_count())
    try:
        idea = ideas.get(pk=idea_id, campaign=campaign.source)
    except Idea.DoesNotExist:
        raise Http404 from None
    # The idea belongs to the source campaign; its address is on the page being viewed (the
    # Spanish page links to the Spanish idea page).
    idea.campaign = campaign.source
    idea.url = idea_url(idea, campaign.url)
    if not can_view_idea(user, idea):
        raise Http404
    return idea


def idea_list(request, campaign):
    filterset, page = selectors.idea_list_page(campaign=campaign, request=request)
    context = {
        "filter": filterset,
        "ideas": page,
        **hooks.page_context(request, campaign, page.object_list),
        "campaign_url": campaign.url,
        "submit_decision": can_submit_idea(request.user, campaign),
        "query_string": _without_page(request, seed=filterset.random_seed),
        "feeds": campaign_feeds(campaign),
    }
    if request.htmx and request.htmx.target == "idea-list":
        drawn = filterset.random_seed is not None and request.GET.get(SEED_PARAM) != str(
            filterset.random_seed
        )
        if drawn:
            # The seed was just drawn: the filter form (out of band) and the address in the
            # location bar keep it, so the next filter and a reload show the same order.
            context["seed_drawn"] = str(filterset.random_seed)
        response = render(request, "ideas/idea_list_results.html", {"page": campaign, **context})
        if drawn:
            params = request.GET.copy()
            params[SEED_PARAM] = str(filterset.random_seed)
            response["HX-Push-Url"] = f"{request.path}?{params.urlencode()}"
        return response
    return campaign.render(request, context_overrides=context)


def _suspension_notice(user):
    suspension = suspension_in_force(user)
    return suspension_message(suspension) if suspension is not None else ""


def _unless_suspended(user, decision):
    """A suspended member sees why they cannot post before filling a form in."""
    if decision:
        suspension = suspension_in_force(user)
        if suspension is not None:
            return Decision(False, suspension_message(suspension))
    return decision


def _without_page(request, seed=None):
    params = request.GET.copy()
    params.pop("page", None)
    if seed is not None:
        params[SEED_PARAM] = str(seed)  # sort=random: the next pages keep the seed
    return params.urlencode()


@require_http_methods(["GET", "POST"])
@throttle("idea_submit")
@honeypot_protected
def idea_submit(request, campaign):
    decision = _unless_suspended(request.user, can_submit_idea(request.user, campaign))
    if not request.user.is_authenticated and campaign.submission_is_open():
        if request.method == "POST":
            return _keep_draft_and_sign_in(request, campaign)
        return redirect_to_login(request.get_full_path())
    form = None
    token = request.GET.get(drafts.DRAFT_PARAM, "")
    if decision:
        initial = None
        if request.method == "GET" and token:
            initial = drafts.draft_restore(request=request, campaign=campaign, token=token)
            if initial:
                messages.info(
                    request,
                    _("Here is what you typed before signing in. Check it, then submit."),
                )
        form = IdeaForm(
            request.POST or None, request.FILES or None, campaign=campaign, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            try:
                idea = submit_service(
                    campaign=campaign.source, author=request.user, data=form.cleaned_data
                )
            except NotAllowed as refused:
                messages.error(request, refused.reason)
            else:
                drafts.draft_discard(request=request, campaign=campaign, token=token)
                if idea.status == Idea.Status.PENDING:
                    messages.info(request, HELD_MESSAGE)
                else:
                    messages.success(request, _("Your idea is published. Thanks for sharing it!"))
                return redirect(idea_url(idea, campaign.url))
    return campaign.render(
        request,
        template="ideas/idea_form.html",
        context_overrides={"form": form, "decision": decision, "editing": None},
    )


def _keep_draft_and_sign_in(request, campaign):
    """Someone signed out (never signed in, or their session ended) posted the idea form: keep
    what they typed, send them to sign in, and bring it back in the form afterwards."""
    data = drafts.draft_data(request.POST)
    if not data:
        return redirect_to_login(request.path)
    draft = drafts.draft_keep(campaign=campaign, data=data)
    form_url = f"{request.path}?{urlencode({drafts.DRAFT_PARAM: drafts.draft_token(draft)})}"
    note = _(
        "Please sign in to submit your idea: what you typed is kept and will be back in the form."
    )
    if request.FILES:
        note = f"{note} {_('Attach the image again before you submit.')}"
    messages.info(request, note)
    response = redirect_to_login(form_url)
    response.set_cookie(
        drafts.DRAFT_COOKIE,
        draft.key,
        max_age=int(drafts.DRAFT_MAX_AGE.total_seconds()),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def similar_ideas(request, campaign):
    """The hint under the title while a member types (htmx, every few keystrokes): a fragment
    made from the ideas alone, without the context processors of a page; nothing at all when
    nothing looks like it."""
    exclude = request.GET.get("exclude", "")
    ideas = selectors.similar_ideas(
        campaign=campaign,
        viewer=request.user,
        text=request.GET.get("title", ""),
        exclude_pk=int(exclude)
        if exclude.isascii() and exclude.isdigit() and len(exclude) < 10
        else None,
    )
    if not ideas:
        return HttpResponse("")
    similar = selectors.with_urls(ideas, campaign_url=campaign.url or "")
    return HttpResponse(render_to_string("ideas/similar_ideas.html", {"similar": similar}))


def idea_detail(request, campaign, idea_id):
    idea = _idea_or_404(campaign, idea_id, request.user, count_merged=True)
    merged_here = selectors.merged_ideas(idea=idea) if idea.merged_count else []
    selectors.with_urls(merged_here, campaign_url=campaign.url or "")
    threads = discussion.discussion_threads(
        idea=idea, viewer=request.user, page_number=request.GET.get("comments")
    )
    context = {
        "idea": idea,
        "idea_url": idea.url,
        "campaign_url": campaign.url,
        "tags": list(idea.tags.all()),
        "threads": threads,
        # The one reply form goes where the member clicks "Reply" (static/js/cocrea.js); without
        # JavaScript, `?reply=<comment>` renders it under that comment.
        "reply_link": f"?comments={threads.number}&reply=" if threads.number > 1 else "?reply=",
        "can_edit": can_edit_idea(request.user, idea),
        "can_withdraw": can_withdraw_idea(request.user, idea),
        "suspension_notice": _suspension_notice(request.user),
        "history": selectors.stage_history(idea=idea),
        "merged_into_url": idea_url(idea.merged_into, campaign.url) if idea.merged_into else "",
        "merged_here": merged_here,
        "merged_here_more": max(idea.merged_count - len(merged_here), 0),
        **_follow_context(idea, following=idea.is_followed, campaign=campaign),
        "feeds": campaign_feeds(campaign),
        **hooks.page_context(request, campaign, [idea]),
    }
    if request.user.is_authenticated:
        context["comment_form"] = django_comments.get_form()(idea)
    context["discussion"] = discussion.discussion_html(
        request,
        threads,
        {"helpful_ids": (), "can_mark_helpful": False, **context},
        reply_open=_reply_to(request),
    )
    return campaign.render(request, template="ideas/idea_detail.html", context_overrides=context)


def _reply_to(request):
    value = request.GET.get("reply", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _follow_context(idea, *, following, campaign):
    return {
        "following": following,
        "follow_url": f"{idea.url}follow/",
        "idea_url": idea.url,
    }


@throttle("follow")
def idea_follow(request, campaign, idea_id):
    """POST `action=follow|unfollow`. Without JavaScript: redirect back to the idea. With htmx:
    just the button, in its new state."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    address = idea_url(Idea(pk=int(idea_id)), campaign.url)
    if not request.user.is_authenticated:
        if request.htmx:
            return render(
                request,
                "components/follow_button.html",
                {"idea_url": address, "follow_url": f"{address}follow/", "swapped": True},
            )
        return redirect_to_login(address)
    idea = _idea_or_404(campaign, idea_id, request.user)
    following = request.POST.get("action") != "unfollow"
    error = ""
    try:
        if following:
            follow(member=request.user, idea=idea)
        else:
            unfollow(member=request.user, idea=idea)
    except NotAllowed as refused:
        error, following = refused.reason, idea.is_followed
    if request.htmx:
        return render(
            request,
            "components/follow_button.html",
            {
                "idea": idea,
                "swapped": True,
                "follow_error": error,
                **_follow_context(idea, following=following, campaign=campaign),
            },
        )
    if error:
        messages.error(request, error)
    elif following:
        messages.success(request, _("You follow this idea: you'll hear when it changes."))
    else:
        messages.info(request, _("You no longer follow this idea."))
    return redirect(address)


@require_http_methods(["GET", "POST"])
@throttle("idea_edit")
@honeypot_protected
def idea_edit(request, campaign, idea_id):
    idea = _idea_or_404(campaign, idea_id, request.user)
    decision = _unless_suspended(request.user, can_edit_idea(request.user, idea))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = None
    if decision:
        initial = {"tags": list(idea.tags.all())}
        form = IdeaForm(
            request.POST or None,
            request.FILES or None,
            instance=idea,
            initial=initial,
            campaign=campaign,
        )
        if request.method == "POST" and form.is_valid():
            try:
                idea_update(idea=idea, actor=request.user, data=form.cleaned_data)
            except NotAllowed as refused:
                messages.error(request, refused.reason)
            else:
                if idea.status == Idea.Status.PENDING:
                    messages.info(request, HELD_MESSAGE)
                else:
                    messages.success(request, _("Your changes are saved."))
                return redirect(idea.url)
    return campaign.render(
        request,
        template="ideas/idea_form.html",
        context_overrides={"form": form, "decision": decision, "editing": idea},
    )


@require_http_methods(["GET", "POST"])
@throttle("idea_edit")
def idea_withdraw(request, campaign, idea_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    idea = _idea_or_404(campaign, idea_id, request.user)
    decision = _unless_suspended(request.user, can_withdraw_idea(request.user, idea))
    if request.method == "POST":
        try:
            withdraw_service(idea=idea, actor=request.user)
        except NotAllowed as refused:
            messages.error(request, refused.reason)
            return redirect(idea.url)
        messages.success(request, _("Your idea was withdrawn."))
        return redirect(campaign.url)
    return campaign.render(
        request,
        template="ideas/idea_withdraw.html",
        context_overrides={
            "idea": idea,
            "decision": decision,
            "idea_url": idea.url,
        },
    )
