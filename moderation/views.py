"""The public side of moderation: flag an idea or a comment, and the decision page where the
author reads what was decided and appeals once. Both answer 404 for what the visitor may not
see, exactly as for what does not exist."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django_comments_xtd.models import XtdComment

from core.exceptions import NotAllowed
from core.throttle import throttle
from ideas.models import Idea
from ideas.permissions import can_view_idea
from segments.audience import can_see_idea

from .forms import AppealForm, FlagForm
from .models import Appeal, Decision, FlagReason
from .permissions import can_appeal, can_moderate
from .services import AlreadyFlagged, appeal_submit, item_flag


def _visible_idea(user, idea_pk):
    idea = Idea.objects.select_related("campaign").filter(pk=idea_pk).first()
    if (
        idea is None
        or not idea.campaign.live
        or not can_see_idea(user, idea)
        or not can_view_idea(user, idea)
    ):
        raise Http404
    return idea


def _flag(request, *, item, idea, permalink, kind):
    if not request.user.is_authenticated:
        return redirect_to_login(permalink)
    form = FlagForm(request.POST or None)
    context = {
        "form": form,
        "item": item,
        "idea": idea,
        "kind": kind,
        "next": permalink,
        "flag_reasons": FlagReason.choices,
    }
    if request.method == "POST" and form.is_valid():
        try:
            item_flag(
                item=item,
                member=request.user,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
            message, level = _("Thanks — a moderator will look at it."), messages.SUCCESS
        except AlreadyFlagged as refused:
            message, level = refused.reason, messages.INFO
        except NotAllowed as refused:
            message, level = refused.reason, messages.ERROR
        if request.htmx:
            return render(
                request,
                "moderation/flag_done.html",
                {"message": message, "reported": level != messages.ERROR},
            )
        messages.add_message(request, level, message)
        return redirect(permalink)
    if request.htmx:
        # htmx swaps only 2xx answers: the widget comes back open, with the form's errors.
        return render(request, "moderation/flag_widget.html", {**context, "reported": False})
    return render(
        request, "moderation/flag.html", context, status=400 if request.method == "POST" else 200
    )


@csrf_protect
@throttle("flag")
def flag_idea(request, idea_id):
    idea = _visible_idea(request.user, idea_id)
    return _flag(request, item=idea, idea=idea, permalink=idea.url, kind="idea")


@csrf_protect
@throttle("flag")
def flag_comment(request, comment_id):
    idea_type = ContentType.objects.get_for_model(Idea)
    comment = XtdComment.objects.filter(
        pk=comment_id, content_type=idea_type, is_public=True, is_removed=False
    ).first()
    if comment is None:
        raise Http404
    idea = _visible_idea(request.user, comment.object_pk)
    return _flag(
        request, item=comment, idea=idea, permalink=f"{idea.url}#c{comment.pk}", kind="comment"
    )


@csrf_protect
@throttle("appeal")
def decision_detail(request, decision_id):
    """What was decided on the member's content, why, and the appeal (once). Only the author
    and moderators may see it; for anyone else it does not exist."""
    decision = get_object_or_404(
        Decision.objects.select_related("case__idea__campaign", "case__comment", "reason"),
        pk=decision_id,
    )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if decision.case.author_id != request.user.pk and not can_moderate(request.user):
        raise Http404
    appeal = Appeal.objects.filter(decision=decision).first()
    may_appeal = appeal is None and bool(can_appeal(request.user, decision))
    form = AppealForm(request.POST or None) if may_appeal else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            appeal_submit(decision=decision, author=request.user, text=form.cleaned_data["text"])
        except NotAllowed as refused:
            messages.error(request, refused.reason)
        else:
            messages.success(
                request,
                _("Your appeal was sent. A moderator will review it; that decision is final."),
            )
        return redirect(request.path)
    return render(
        request,
        "moderation/decision.html",
        {"decision": decision, "case": decision.case, "appeal": appeal, "form": form},
    )
