from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from core.exceptions import NotAllowed
from core.throttle import throttle
from ideas.models import Idea, idea_url

from .services import vote_cast, vote_withdraw, votes_left


@throttle("vote")
def vote(request, campaign, idea_id):
    """POST `action=vote|unvote`. Without JavaScript: redirect back. With htmx: the button,
    and the member's new budget for every other "votes left" of the campaign on the page
    (out-of-band, `components/vote_response.html`)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    address = idea_url(Idea(pk=int(idea_id)), campaign.url)
    if not request.user.is_authenticated and not request.htmx:
        return redirect_to_login(address)
    try:
        idea = Idea.objects.select_related("stage").get(
            pk=idea_id, campaign=campaign.source, status=Idea.Status.PUBLISHED
        )
    except Idea.DoesNotExist:
        raise Http404 from None
    idea.campaign = campaign.source  # ideas and votes belong to the source page
    if not request.user.is_authenticated:
        # The widget stays where it was (no layout shift); its status line asks to sign in.
        return render(
            request,
            "components/vote_login.html",
            {
                **_widget(idea, campaign, address, voted=False, count=idea.vote_count),
                "sign_in_url": f"{reverse('account_login')}?{urlencode({'next': address})}",
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
        left = votes_left(member=request.user, campaign=campaign.source)
    if request.htmx:
        return render(
            request,
            "components/vote_response.html",
            {
                **_widget(idea, campaign, address, voted=voted, count=count),
                "votes_left": left,
                "vote_error": error,
            },
        )
    if error:
        messages.error(request, error)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = address
    return redirect(next_url)


def _widget(idea, campaign, address, *, voted, count):
    return {
        "idea": idea,
        "has_voted": voted,
        "vote_count": count,
        "votes_left": None,
        "action_url": f"{address}vote/",
        "voting_open": campaign.voting_is_open(),
        "swapped": True,
    }
