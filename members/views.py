from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .models import User
from .selectors import member_comments, member_ideas


def profile(request, username):
    member = get_object_or_404(User, username=username, is_active=True)
    ideas = Paginator(member_ideas(member=member, viewer=request.user), 10).get_page(
        request.GET.get("ideas")
    )
    comments = Paginator(member_comments(member=member), 10).get_page(request.GET.get("comments"))
    return render(
        request,
        "members/profile.html",
        {"member": member, "ideas": ideas, "comments": comments},
    )


@login_required
def settings_view(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("members:settings")
    return render(request, "members/settings.html", {"form": form})
