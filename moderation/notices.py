"""What a moderation decision says to the author: used by the notifications app (above this
one) to describe `ideas.Event.Kind.MODERATION` notifications in the centre and e-mails. Run in
the recipient's language (the caller activates it)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Case, Decision

A = Decision.Action


def decisions_for(events):
    ids = [e.data.get("decision") for e in events if (e.data or {}).get("decision")]
    if not ids:
        return {}
    return {
        d.pk: d
        for d in Decision.objects.filter(pk__in=ids).select_related("reason", "case", "appeal")
    }


def _headline(decision, title):
    comment = decision.case.kind == Case.Kind.COMMENT
    what = {"title": title}
    texts = {
        A.APPROVE: (
            _("Your comment on “%(title)s” was approved and is now public")
            if comment
            else _("Your idea “%(title)s” was approved and is now public")
        ),
        A.REJECT: (
            _("Your comment on “%(title)s” was not published")
            if comment
            else _("Your idea “%(title)s” was not published")
        ),
        A.HIDE: (
            _("A moderator hid your comment on “%(title)s”")
            if comment
            else _("A moderator hid your idea “%(title)s”")
        ),
        A.RESTORE: (
            _("Your comment on “%(title)s” is visible again")
            if comment
            else _("Your idea “%(title)s” is visible again")
        ),
        A.UPHOLD: _("Your appeal about “%(title)s” was reviewed: the decision stands"),
        A.OVERTURN: _("Your appeal about “%(title)s” was accepted: your content is public again"),
    }
    return texts[decision.action] % what


def describe(event, decision):
    """Headline, detail (the reason, its code-of-conduct clause, the moderator's note, how to
    appeal) and link (the decision's page, where the author can appeal once)."""
    if decision is None:
        return {"headline": _("A moderator reviewed your content"), "detail": "", "url": "/"}
    parts = []
    if decision.reason_id:
        parts.append(_("Reason: %(reason)s") % {"reason": decision.reason.display_label})
        parts.append(_("Code of conduct: %(clause)s") % {"clause": decision.reason.display_clause})
    if decision.note:
        parts.append(_("Moderator's note: %(note)s") % {"note": decision.note})
    if decision.is_appealable:
        parts.append(_("If you think this is a mistake, you can appeal once from the link."))
    elif decision.appeal_id:
        parts.append(_("This decision on your appeal is final."))
    with translation.override(settings.LANGUAGE_CODE):  # e-mails add the member's prefix
        url = reverse("moderation:decision", args=[decision.pk])
    return {
        "headline": _headline(decision, event.idea.title),
        "detail": "\n".join(parts),
        "url": url,
    }
