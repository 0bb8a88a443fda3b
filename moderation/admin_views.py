"""The moderation queue in the Wagtail admin: cases to review (held, flagged, hidden), open
appeals, the actions one at a time or in bulk, and a comment's history. Moderators only
(`members.permissions.can_moderate`); everyone else gets 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import registry as log_registry

from core.exceptions import NotAllowed
from ideas.admin.permissions import can_see_ideas

from .filters import CaseFilter
from .forms import AppealDecisionForm, DecisionForm
from .models import Appeal, Case
from .permissions import can_see_queue
from .selectors import moderation_figures, queue_page
from .services import appeal_decide, cases_decide


def _require(user):
    if not can_see_queue(user):
        raise PermissionDenied


def queue_view(request):
    _require(request.user)
    filterset = CaseFilter(request.GET or None, queryset=Case.objects.all())
    page = queue_page(filterset.qs, request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "moderation/admin/queue.html",
        {
            "header_title": _("Moderation queue"),
            "filter": filterset,
            "page": page,
            "cases": page.cases,
            "decision_form": DecisionForm(auto_id="decide_%s"),  # the filters have id_reason
            "appeal_form": AppealDecisionForm(),
            "figures": moderation_figures(),
            "query_string": query.urlencode(),
            # Plain moderators read the idea here; only who may triage opens its workspace.
            "can_open_workspace": can_see_ideas(request.user),
        },
    )


@require_POST
def decide_view(request):
    """One case (`case`) or many (`cases`), one action, one reason and note."""
    _require(request.user)
    form = DecisionForm(request.POST)
    back = request.POST.get("next") or "moderation_admin:queue"
    ids = [
        pk for pk in request.POST.getlist("cases") + request.POST.getlist("case") if pk.isdigit()
    ]
    if not ids:
        messages.error(request, _("Choose at least one item."))
        return redirect(back)
    if not form.is_valid():
        messages.error(request, _("Choose an action (and a reason to reject or hide)."))
        return redirect(back)
    decided, refusals = cases_decide(
        cases=Case.objects.filter(pk__in=ids).order_by("pk"),
        action=form.cleaned_data["action"],
        actor=request.user,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )
    if decided:
        messages.success(
            request,
            _("%(n)d item(s) decided: %(action)s.")
            % {
                "n": len(decided),
                "action": dict(DecisionForm.ACTIONS)[form.cleaned_data["action"]],
            },
        )
    for case, reason in refusals:
        messages.error(request, f"{case.idea.title}: {reason}")
    return redirect(back)


@require_POST
def appeal_view(request, appeal_id):
    _require(request.user)
    appeal = get_object_or_404(Appeal, pk=appeal_id)
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to uphold or overturn the decision."))
        return redirect("moderation_admin:queue")
    try:
        appeal_decide(
            appeal=appeal,
            action=form.cleaned_data["action"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except NotAllowed as refused:
        messages.error(request, refused.reason)
    else:
        messages.success(request, _("The appeal was decided. The author has been told."))
    return redirect(request.POST.get("next") or "moderation_admin:queue")


def history_view(request, case_id):
    """The audit log of a case's item (for an idea, the same as its history in the workspace),
    with the flags, decisions and appeals."""
    _require(request.user)
    case = get_object_or_404(Case.objects.select_related("idea", "comment", "author"), pk=case_id)
    item = case.comment if case.kind == Case.Kind.COMMENT else case.idea
    entries = list(log_registry.get_logs_for_instance(item).select_related("user"))
    return TemplateResponse(
        request,
        "moderation/admin/history.html",
        {
            "header_title": _("Moderation history"),
            "case": case,
            "item": item,
            "entries": entries,
            "flags": case.flags.select_related("member"),
            "decisions": case.decisions.select_related("reason", "moderator", "appeal"),
        },
    )
