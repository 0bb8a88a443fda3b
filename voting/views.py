"""The vote button's endpoint. Two addresses, one answer:

* `/votes/<idea id>/` (`voting/urls.py`, under the language prefix): what the button posts to.
  It finds the idea and its campaign in one query and asks what Wagtail's page routing would
  have asked of the campaign page (live, the audience, Wagtail's own page privacy), without
  walking the page tree;
* `<campaign>/ideas/<id>/vote/`, the campaign page's sub-route, as before: pages already open
  (or cached) still post there.

Both answer the same: with htmx the widget (and the member's budget for every "votes left" of
the campaign on the page, out of band); without JavaScript a redirect back to where the member
was (`next`), or to the idea's page in their language."""

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction

from core.exceptions import NotAllowed
from core.locales import active_locale_id
from core.throttle import throttle
from ideas.models import Idea, idea_url
from segments.audience import can_see_page, page_audiences

from .services import vote_cast, vote_withdraw, votes_left

# Columns a vote never reads (long texts, the search vector).
_NOT_READ = ("description", "search_vector", "response")


def vote_url(idea_id):
    """The address the vote button posts to, in the active language."""
    return reverse("vote", args=[idea_id])


@throttle("vote")
def vote(request, campaign, idea_id):
    """The campaign page's sub-route (Wagtail found the page and checked it)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated and not request.htmx:
        return redirect_to_login(idea_url(Idea(pk=int(idea_id)), campaign.url))
    try:
        idea = (
            Idea.objects.select_related("stage")
            .defer(*_NOT_READ)
            .get(pk=idea_id, campaign=campaign.source, status=Idea.Status.PUBLISHED)
        )
    except Idea.DoesNotExist:
        raise Http404 from None
    idea.campaign = campaign.source  # ideas and votes belong to the source page
    return _answer(request, idea, lambda: idea_url(idea, campaign.url))


@throttle("vote")
def vote_idea(request, idea_id):
    """`/votes/<idea id>/`: the idea, its stage and its campaign in one query (`_idea_for_vote`),
    refused as the campaign page would refuse it: 404 for an idea that is not published, a
    campaign that is not live or that the member may not see (its audience); where one of
    Wagtail's page restrictions (password, login, groups) may apply, the campaign page in the
    member's language is served through Wagtail's hooks, as its sub-route would be."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    found = _idea_for_vote(idea_id)
    if found is None:
        raise Http404
    idea, page_restricted = found
    campaign = idea.campaign
    if page_restricted or not campaign.live:
        return _through_wagtail(request, idea)
    # `can_see_page`, without the member's segments for a campaign that has no audience.
    if campaign.pk in page_audiences() and not can_see_page(request.user, campaign):
        raise Http404
    return _answer_here(request, idea)


# The one query of a vote before the vote: written once, as the statements in `services` are
# (a vote is the hottest write of the site; building it with the ORM cost more than running
# it). Only what a vote reads is loaded; anything else a rare path touches loads on access.
_IDEA_FIELDS = {"id", "campaign_id", "stage_id", "status", "vote_count"}
_STAGE_FIELDS = {"id", "name", "slug", "role", "is_closed", "name_translations"}
_CAMPAIGN_FIELDS = {
    *("id", "path", "depth", "url_path", "live", "locale_id", "translation_key", "title"),
    *("slug", "content_type_id", "alias_of_id", "page_ptr_id", "vote_budget"),
    *("submission_opens_at", "submission_closes_at", "voting_opens_at", "voting_closes_at"),
}


@functools.cache
def _lookup():
    """(SQL, [(model, attnames, converters), …]) of `_idea_for_vote`, built on first use."""
    from campaigns.models import CampaignPage
    from ideas.models import Stage

    def columns(model, wanted):
        # In the order of the model's fields, as `Model.from_db` takes them.
        fields = [f for f in model._meta.concrete_fields if f.attname in wanted]
        names = [f"{f.model._meta.db_table}.{f.column}" for f in fields]
        converters = [f.get_db_converters(connection) for f in fields]
        return names, (model, [f.attname for f in fields], converters)

    parts = [
        columns(Idea, _IDEA_FIELDS),
        columns(Stage, _STAGE_FIELDS),
        columns(CampaignPage, _CAMPAIGN_FIELDS),
    ]
    idea, stage, campaign, page = (
        Idea._meta.db_table,
        Stage._meta.db_table,
        CampaignPage._meta.db_table,
        Page._meta.db_table,
    )
    restriction = PageViewRestriction._meta.db_table
    # Wagtail page restrictions that may concern the campaign: on the campaign, a translation
    # of it or an ancestor of either (by tree path), or on a page that has aliases (Wagtail
    # reads an alias's restrictions from its source). Hardly any site has one at all.
    sql = f"""SELECT {", ".join(name for names, _m in parts for name in names)},
    EXISTS (
        SELECT 1 FROM {restriction} r JOIN {page} rp ON rp.id = r.page_id
        WHERE EXISTS (
            SELECT 1 FROM {page} t
            WHERE t.translation_key = {page}.translation_key AND t.path LIKE rp.path || '%%'
        ) OR EXISTS (SELECT 1 FROM {page} a WHERE a.alias_of_id = rp.id)
    )
FROM {idea}
JOIN {stage} ON {stage}.id = {idea}.stage_id
JOIN {campaign} ON {campaign}.page_ptr_id = {idea}.campaign_id
JOIN {page} ON {page}.id = {campaign}.page_ptr_id
WHERE {idea}.id = %s AND {idea}.status = %s"""  # noqa: S608 - names from the models
    return sql, [m for _names, m in parts]


def _idea_for_vote(idea_id):
    """(the published idea, with its stage and campaign, whether a Wagtail page restriction
    may apply to the campaign), or None."""
    sql, models = _lookup()
    with connection.cursor() as cursor:
        cursor.execute(sql, [idea_id, Idea.Status.PUBLISHED])
        row = cursor.fetchone()
    if row is None:
        return None
    objects, start = [], 0
    for model, attnames, converters in models:
        values = list(row[start : start + len(attnames)])
        for i, field_converters in enumerate(converters):
            for convert in field_converters:
                values[i] = convert(values[i], None, connection)
        objects.append(model.from_db(connection.alias, attnames, values))
        start += len(attnames)
    idea, stage, campaign = objects
    idea.stage, idea.campaign = stage, campaign
    return idea, bool(row[start])


def _page_in_language(campaign):
    """The campaign's page in the active language (a live translation), else the campaign:
    the page the member votes from, whose address the answer links to. A query only in a
    language other than the campaign's."""
    active = active_locale_id()
    if active is None or campaign.locale_id == active:
        return campaign
    translation = (
        type(campaign)
        .objects.live()
        .filter(translation_key=campaign.translation_key, locale_id=active)
        .first()
    )
    return translation or campaign


def _answer_here(request, idea):
    campaign = idea.campaign

    def address():
        return idea_url(idea, _page_in_language(campaign).url)

    if not request.user.is_authenticated and not request.htmx:
        return redirect_to_login(_back(request) or address())
    return _answer(request, idea, address)


def _through_wagtail(request, idea):
    """What Wagtail's `serve` does for the campaign page's vote sub-route: the page live,
    then the `before_serve_page` and `on_serve_page` hooks (Wagtail's page privacy), then
    the audience (`AudienceMixin.serve`)."""
    page = _page_in_language(idea.campaign)
    if not page.live:
        raise Http404

    def serve(page, request, args, kwargs):
        if not can_see_page(request.user, page):
            raise Http404
        page_url = page.url
        if not request.user.is_authenticated and not request.htmx:
            return redirect_to_login(idea_url(idea, page_url))
        return _answer(request, idea, lambda: idea_url(idea, page_url))

    chain = serve
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        chain = fn(chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, (), {})
        if isinstance(result, HttpResponse):
            return result
    return chain(page, request, (), {})


def _back(request):
    """Where the member was (the form's `next`), if it is on this site; else ""."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return ""


def _answer(request, idea, address):
    """Vote or withdraw (`action=vote|unvote`) and answer. `idea.campaign` is the source
    campaign; `address()` is the idea's page as the member sees it (for links and redirects,
    only called when one needs it)."""
    campaign = idea.campaign
    back = _back(request)
    if not request.user.is_authenticated:
        # The widget stays where it was (no layout shift); its status line asks to sign in.
        here = address()
        return render(
            request,
            "components/vote_login.html",
            {
                **_widget(idea, campaign, voted=False, count=idea.vote_count, back=back or here),
                "sign_in_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
            },
        )
    error = ""
    try:
        if request.POST.get("action") == "unvote":
            result = vote_withdraw(idea=idea, member=request.user)
        else:
            result = vote_cast(idea=idea, member=request.user)
        voted, count, left = result.voted, result.vote_count, result.votes_left
    except NotAllowed as refused:
        error = refused.reason
        voted = idea.votes.filter(member=request.user).exists()
        count = idea.vote_count
        left = votes_left(member=request.user, campaign=campaign)
    if request.htmx:
        return render(
            request,
            "components/vote_response.html",
            {
                **_widget(idea, campaign, voted=voted, count=count, back=back or address),
                "votes_left": left,
                "vote_error": error,
            },
        )
    if error:
        messages.error(request, error)
    return redirect(back or address())


def _widget(idea, campaign, *, voted, count, back):
    return {
        "idea": idea,
        "has_voted": voted,
        "vote_count": count,
        "votes_left": None,
        "action_url": vote_url(idea.pk),
        # Where a post without JavaScript returns to: the page the widget was on. Called by
        # the template only if there is no `next` (a callable: no query unless needed).
        "next_url": back,
        "voting_open": campaign.voting_is_open(),
        "swapped": True,
    }
