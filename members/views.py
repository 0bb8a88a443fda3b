from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.exceptions import NotAllowed
from core.throttle import throttle

from . import identify
from . import profile as profile_sections
from .forms import ProfileForm
from .models import User

# The session of a member signed in by an identify link is served by this backend.
IDENTIFY_BACKEND = "members.backends.MemberAllauthBackend"


def profile(request, username):
    """The public profile: the member, and what the apps built on members show of them (their
    ideas and comments; see `members.profile`)."""
    member = get_object_or_404(User, username=username, is_active=True)
    return render(
        request,
        "members/profile.html",
        {"member": member, **profile_sections.context(request, member)},
    )


@login_required
@throttle("account")
def settings_view(request):
    # Not `request.POST or None`: unticking every box posts nothing but is still a submission.
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                form.save()
            except NotAllowed as refused:
                # A suspended member keeps their private settings, not a new public name.
                messages.error(request, refused.reason)
                return redirect("members:settings")
            messages.success(request, _("Your profile was saved."))
            return redirect("members:settings")
        else:
            messages.error(
                request, _("Your profile was not saved: please correct the fields marked.")
            )
    member = request.user
    return render(
        request,
        "members/settings.html",
        {
            "form": form,
            "member": member,
            "tier_label": dict(settings.MEMBER_TIERS).get(member.tier, member.tier),
        },
    )


@never_cache
@throttle("identify", methods=("GET",))
def identify_view(request):
    """GET /sso/identify/?token=<JWT>&next=<path>: the brand's app signs its customer in
    (members.identify, docs/sign-in.md). Off (404) while IDENTIFY_SECRET is empty."""
    if not identify.enabled():
        raise Http404
    try:
        customer = identify.token_read(request.GET.get("token", ""))
        member = identify.member_identify(
            customer=customer, language=getattr(request, "LANGUAGE_CODE", "")
        )
    except identify.IdentifyRefused as refused:
        response = render(
            request,
            "members/identify_error.html",
            {"message": refused.message},
            status=refused.status,
        )
        # The token is in this page's address: never sent on to another site.
        response["Referrer-Policy"] = "no-referrer"
        return response
    login(request, member, backend=IDENTIFY_BACKEND)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
    return redirect(next_url)
