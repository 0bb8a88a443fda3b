from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Frequency, Notification, NotificationKind, NotificationPreference, User
from .notifications import (
    ALL_KINDS,
    comments_for,
    describe,
    frequencies,
    mark_read,
    notifications_for_display,
    read_unsubscribe_token,
    unsubscribe,
)

PER_PAGE = 20


@login_required
def notification_list(request):
    show = request.GET.get("show")
    queryset = Notification.objects.filter(recipient=request.user)
    if show == "unread":
        queryset = queryset.filter(read_at__isnull=True)
    page = Paginator(notifications_for_display(queryset), PER_PAGE).get_page(
        request.GET.get("page")
    )
    comments = comments_for(page.object_list)
    entries = [(n, describe(n, comments)) for n in page.object_list]
    return render(
        request,
        "members/notifications.html",
        {"page": page, "entries": entries, "show": show},
    )


@login_required
@require_POST
def notifications_read(request):
    ids = request.POST.getlist("id")
    try:
        ids = [int(i) for i in ids] or None
    except ValueError:
        ids = []
    changed = mark_read(request.user, ids)
    if changed:
        messages.success(request, _("Marked as read."))
    return redirect("notifications:list")


@login_required
@require_POST
def notification_open(request, pk):
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(
        notifications_for_display(Notification.objects.filter(recipient=request.user)), pk=pk
    )
    mark_read(request.user, [notification.pk])
    return redirect(describe(notification, comments_for([notification]))["url"])


class PreferencesForm(forms.Form):
    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=Frequency.choices, initial=current[kind]
            )


@login_required
def notification_settings(request):
    current = frequencies([request.user.pk])[request.user.pk]
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        for kind in current:
            NotificationPreference.objects.update_or_create(
                member=request.user, kind=kind, defaults={"frequency": form.cleaned_data[kind]}
            )
        messages.success(request, _("Your e-mail settings were saved."))
        return redirect("notifications:settings")
    return render(request, "members/notification_settings.html", {"form": form})


UNSUBSCRIBE_LABELS = {ALL_KINDS: gettext_lazy("all notifications")} | dict(NotificationKind.choices)


@csrf_exempt  # the signed token is the credential: mail clients POST here (RFC 8058)
def unsubscribe_view(request, token):
    """One-click unsubscribe without signing in. GET shows a single button (link scanners must
    not unsubscribe anyone); POST — the button or a mail client's List-Unsubscribe-Post — does."""
    try:
        member, kind = read_unsubscribe_token(token)
    except (signing.BadSignature, User.DoesNotExist):
        return render(request, "members/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        unsubscribe(member, kind)
        done = True
    return render(
        request,
        "members/unsubscribe.html",
        {"what": UNSUBSCRIBE_LABELS[kind], "done": done, "email": mask_email(member.email)},
    )


def mask_email(address):
    """Enough of the address to recognise it, not enough to learn it from a forwarded link:
    ana.garcia@example.com → a…a@example.com."""
    local, _at, domain = address.partition("@")
    if len(local) <= 2:
        return f"{local[:1]}…@{domain}"
    return f"{local[0]}…{local[-1]}@{domain}"
