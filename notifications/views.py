from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.throttle import throttle

from .fan_out import frequencies
from .messages import comments_for, describe, notifications_for_display
from .models import Frequency, Notification, NotificationKind
from .services import notifications_mark_read, preferences_set

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
        "notifications/notifications.html",
        {"page": page, "entries": entries, "show": show},
    )


@login_required
@require_POST
@throttle("notifications_read")
def notifications_read(request):
    ids = request.POST.getlist("id")
    try:
        ids = [int(i) for i in ids] or None
    except ValueError:
        ids = []
    changed = notifications_mark_read(member=request.user, notification_ids=ids)
    if changed:
        messages.success(request, _("Marked as read."))
    return redirect("notifications:list")


@login_required
@require_POST
@throttle("notifications_read")
def notification_open(request, pk):
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(
        notifications_for_display(Notification.objects.filter(recipient=request.user)), pk=pk
    )
    notifications_mark_read(member=request.user, notification_ids=[notification.pk])
    return redirect(describe(notification, comments_for([notification]))["url"])


class PreferencesForm(forms.Form):
    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=Frequency.choices, initial=current[kind]
            )


@login_required
@throttle("account")
def notification_settings(request):
    current = frequencies([request.user.pk])[request.user.pk]
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        preferences_set(
            member=request.user, frequencies={kind: form.cleaned_data[kind] for kind in current}
        )
        messages.success(request, _("Your e-mail settings were saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/notification_settings.html", {"form": form})
