from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.exceptions import NotAllowed
from core.throttle import throttle

from . import profile as profile_sections
from .forms import ProfileForm
from .models import User


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
