"""E-mail campaigns in the Wagtail admin: create from an article, preview, test send, send,
follow progress, see results, cancel. Every view checks the model permission (the Editors
group has add/view/change; superusers have everything), not only the menu."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from core.exceptions import NotAllowed

from .forms import CampaignForm
from .messages import render
from .models import EmailCampaign, MarketingDelivery
from .permissions import can_manage_campaigns
from .selectors import campaign_recipients, delivery_counts
from .services import (
    campaign_cancel,
    campaign_create,
    campaign_send,
    campaign_test_send,
    campaign_update,
)

PROGRESS_SECONDS = 3


def can(user, action):
    return bool(can_manage_campaigns(user, action))


def needs(action):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _campaign(pk):
    return get_object_or_404(EmailCampaign.objects.select_related("article", "created_by"), pk=pk)


@needs("view")
def campaign_index(request):
    page = Paginator(EmailCampaign.objects.select_related("article", "created_by"), 50).get_page(
        request.GET.get("p")
    )
    return TemplateResponse(
        request,
        "mailings/admin/index.html",
        {
            "campaigns": page,
            "header_title": _("E-mail campaigns"),
            "can_add": can(request.user, "add"),
        },
    )


@needs("add")
def campaign_new(request):
    form = CampaignForm(request.POST or None, initial={"article": request.GET.get("article")})
    if request.method == "POST" and form.is_valid():
        campaign = campaign_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Campaign created. Check the preview, then send."))
        return redirect("mailings_admin:detail", campaign.pk)
    return TemplateResponse(
        request,
        "mailings/admin/form.html",
        {"form": form, "header_title": _("Send an article by e-mail")},
    )


@needs("change")
def campaign_edit(request, pk):
    campaign = _campaign(pk)
    if campaign.status != EmailCampaign.Status.DRAFT:
        return redirect("mailings_admin:detail", campaign.pk)
    initial = {
        "article": campaign.article_id,
        "segments": list(campaign.segments.all()),
        "subject": campaign.subject,
    }
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaign_update(campaign=campaign, actor=request.user, **form.cleaned_data)
        except NotAllowed as refusal:
            messages.error(request, str(refusal))
        return redirect("mailings_admin:detail", campaign.pk)
    return TemplateResponse(
        request,
        "mailings/admin/form.html",
        {"form": form, "campaign": campaign, "header_title": _("Edit the e-mail campaign")},
    )


@needs("view")
def campaign_detail(request, pk):
    campaign = _campaign(pk)
    context = {
        "campaign": campaign,
        "header_title": campaign.subject_line,
        "can_change": can(request.user, "change"),
        "progress_seconds": PROGRESS_SECONDS,
    }
    if campaign.status == EmailCampaign.Status.DRAFT:
        context["recipient_count"] = campaign_recipients(campaign).count()
        context["segments"] = list(campaign.segments.all())
        context["audience"] = list(campaign.article.audience.all())
    else:
        context["counts"] = delivery_counts(campaign)
        problems = campaign.deliveries.filter(
            status__in=[MarketingDelivery.Status.FAILED, MarketingDelivery.Status.SKIPPED]
        ).select_related("member")
        context["problems"] = Paginator(problems.order_by("status", "pk"), 100).get_page(
            request.GET.get("p")
        )
    return TemplateResponse(request, "mailings/admin/detail.html", context)


@needs("view")
def campaign_progress(request, pk):
    """The counts while sending, polled by htmx every few seconds; reloads the page when done."""
    campaign = _campaign(pk)
    response = TemplateResponse(
        request,
        "mailings/admin/progress.html",
        {
            "campaign": campaign,
            "counts": delivery_counts(campaign),
            "progress_seconds": PROGRESS_SECONDS,
        },
    )
    if campaign.status != EmailCampaign.Status.SENDING and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@needs("view")
@xframe_options_sameorigin
def campaign_preview(request, pk):
    """The HTML e-mail as the signed-in editor would get it (shown in an iframe)."""
    campaign = _campaign(pk)
    _subject, _text, html, _unsubscribe = render(campaign, request.user)
    return HttpResponse(html)


@needs("change")
@require_POST
def campaign_test(request, pk):
    campaign = _campaign(pk)
    try:
        campaign_test_send(campaign=campaign, actor=request.user)
    except NotAllowed as refusal:
        messages.error(request, str(refusal))
    except Exception as error:  # the mail server said no: tell the editor why
        messages.error(
            request, _("The test e-mail could not be sent: %(error)s") % {"error": error}
        )
    else:
        messages.success(
            request, _("Test e-mail sent to %(email)s.") % {"email": request.user.email}
        )
    return redirect("mailings_admin:detail", campaign.pk)


@needs("change")
def campaign_send_view(request, pk):
    campaign = _campaign(pk)
    if campaign.status != EmailCampaign.Status.DRAFT:
        return redirect("mailings_admin:detail", campaign.pk)
    if request.method == "POST":
        try:
            count = campaign_send(campaign=campaign, actor=request.user)
        except NotAllowed as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Sending to %(n)d members.") % {"n": count})
        return redirect("mailings_admin:detail", campaign.pk)
    return TemplateResponse(
        request,
        "mailings/admin/send_confirm.html",
        {
            "campaign": campaign,
            "recipient_count": campaign_recipients(campaign).count(),
            "header_title": _("Send “%(subject)s”?") % {"subject": campaign.subject_line},
        },
    )


@needs("change")
@require_POST
def campaign_cancel_view(request, pk):
    campaign = _campaign(pk)
    try:
        skipped = campaign_cancel(campaign=campaign, actor=request.user)
    except NotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Cancelled: %(n)d e-mails will not be sent.") % {"n": skipped})
    return redirect("mailings_admin:detail", campaign.pk)


def admin_urls():
    return [
        path("", campaign_index, name="index"),
        path("new/", campaign_new, name="new"),
        path("<int:pk>/", campaign_detail, name="detail"),
        path("<int:pk>/edit/", campaign_edit, name="edit"),
        path("<int:pk>/preview/", campaign_preview, name="preview"),
        path("<int:pk>/progress/", campaign_progress, name="progress"),
        path("<int:pk>/test/", campaign_test, name="test"),
        path("<int:pk>/send/", campaign_send_view, name="send"),
        path("<int:pk>/cancel/", campaign_cancel_view, name="cancel"),
    ]


def new_campaign_url(article):
    return reverse("mailings_admin:new") + f"?article={article.pk}"
