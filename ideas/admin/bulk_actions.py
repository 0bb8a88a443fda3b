"""Bulk actions on the admin idea list, on Wagtail's bulk action framework: tick ideas (or
"select all in listing"), pick an action, confirm on a page that lists the ideas."""

import csv

from django.core.exceptions import PermissionDenied
from django.db.models import Q, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin import messages
from wagtail.admin.views.bulk_action import BulkAction

from core.links import site_url

from ..models import Idea, idea_url
from ..permissions import NotAllowed
from ..services import idea_move, ideas_assign, ideas_tag
from .forms import (
    BulkAssignForm,
    BulkExportForm,
    BulkMoveForm,
    BulkTagForm,
    IdeaAdminFilterSet,
)
from .links import workspace_url
from .permissions import idea_policy
from .selectors import LIST_RELATED

REFUSALS_SHOWN = 20
CSV_HEADER = [
    "id",
    "title",
    "campaign",
    "stage",
    "votes",
    "comments",
    "author",
    "created",
    "assignee",
    "priority",
    "category",
    "tags",
    "official_response",
    "url",
]
# Excel reads a CSV file as UTF-8 only when it starts with a byte order mark.
UTF8_BOM = "\ufeff"


class IdeaBulkAction(BulkAction):
    models = [Idea]
    template_name = "ideas/admin/bulk_action.html"
    submit_label = gettext_lazy("Apply")

    def dispatch(self, request, *args, **kwargs):
        if not idea_policy().user_has_permission(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        ids = [pk for pk in object_ids if str(pk).isdigit()]
        ideas = list(Idea.objects.filter(pk__in=ids).select_related(*LIST_RELATED).order_by("pk"))
        if not ideas:
            raise Http404
        return ideas

    def get_all_objects_in_listing_query(self, parent_id):
        # "Select all in listing" sends the listing's own filters and search along.
        ideas = IdeaAdminFilterSet(self.request.GET, queryset=Idea.objects.all()).qs
        query = self.request.GET.get("q", "").strip()
        if query:
            ideas = ideas.filter(Q(title__icontains=query))
        return ideas.values_list("pk", flat=True)

    def object_context(self, obj):
        return {"item": obj, "edit_url": workspace_url(obj)}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "action_title": self.display_name,
            "submit_label": self.submit_label,
        }

    def form_valid(self, form):
        ideas, _unused = self.get_actionable_objects()
        response = self.apply(ideas, form.cleaned_data)
        return response or redirect(self.next_url)

    def apply(self, ideas, data):
        raise NotImplementedError


class MoveBulkAction(IdeaBulkAction):
    display_name = gettext_lazy("Move to stage")
    action_type = "move"
    aria_label = gettext_lazy("Move the selected ideas to another stage")
    action_priority = 10
    form_class = BulkMoveForm
    submit_label = gettext_lazy("Move")

    def apply(self, ideas, data):
        stage, note = data["stage"], data["note"]
        moved, refused = 0, []
        for idea in ideas:
            try:
                idea_move(idea=idea, to_stage=stage, actor=self.request.user, note=note)
            except NotAllowed as error:
                refused.append((idea, error.reason))
            else:
                moved += 1
        if moved:
            messages.success(
                self.request,
                ngettext(
                    "%(count)d idea moved to “%(stage)s”.",
                    "%(count)d ideas moved to “%(stage)s”.",
                    moved,
                )
                % {"count": moved, "stage": stage.display_name},
            )
        for idea, reason in refused[:REFUSALS_SHOWN]:
            messages.error(
                self.request,
                _("Not moved: “%(idea)s”. %(reason)s") % {"idea": idea.title, "reason": reason},
            )
        if len(refused) > REFUSALS_SHOWN:
            messages.error(
                self.request,
                _("%(count)d more ideas were not moved.")
                % {"count": len(refused) - REFUSALS_SHOWN},
            )


class AssignBulkAction(IdeaBulkAction):
    display_name = gettext_lazy("Assign")
    action_type = "assign"
    aria_label = gettext_lazy("Assign the selected ideas to a team member")
    action_priority = 20
    form_class = BulkAssignForm
    submit_label = gettext_lazy("Assign")

    def apply(self, ideas, data):
        assignee = data["assignee"]
        count = ideas_assign(ideas=ideas, assignee=assignee, actor=self.request.user)
        if assignee:
            text = ngettext(
                "%(count)d idea assigned to %(name)s.",
                "%(count)d ideas assigned to %(name)s.",
                count,
            ) % {"count": count, "name": assignee.public_name}
        else:
            text = ngettext("%(count)d idea unassigned.", "%(count)d ideas unassigned.", count) % {
                "count": count
            }
        messages.success(self.request, text)


class TagBulkAction(IdeaBulkAction):
    display_name = gettext_lazy("Add tag")
    action_type = "tag"
    aria_label = gettext_lazy("Add a tag to the selected ideas")
    action_priority = 30
    form_class = BulkTagForm
    submit_label = gettext_lazy("Add tag")

    def apply(self, ideas, data):
        tags = data["tag"]  # a list: the form splits on commas
        ideas_tag(ideas=ideas, tags=tags, actor=self.request.user)
        if len(tags) == 1:
            text = ngettext(
                "Tag “%(tag)s” added to %(count)d idea.",
                "Tag “%(tag)s” added to %(count)d ideas.",
                len(ideas),
            ) % {"tag": tags[0], "count": len(ideas)}
        else:
            text = ngettext(
                "Tags %(tags)s added to %(count)d idea.",
                "Tags %(tags)s added to %(count)d ideas.",
                len(ideas),
            ) % {"tags": ", ".join(f"“{tag}”" for tag in tags), "count": len(ideas)}
        messages.success(self.request, text)


def _cell(value):
    """Spreadsheets run cells that start with = + - @ as formulas; titles come from members."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def idea_urls(request, ideas):
    """The public address of each idea, on the site's public address (`SITE_URL`). One path
    lookup per campaign."""
    base = site_url()
    paths, urls = {}, {}
    for idea in ideas:
        if idea.campaign_id not in paths:
            parts = idea.campaign.get_url_parts(request)
            paths[idea.campaign_id] = parts[2] if parts else None
        path = paths[idea.campaign_id]
        urls[idea.pk] = base + idea_url(idea, path) if path else ""
    return urls


def ideas_csv(request, ideas):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="ideas-{stamp}.csv"'
    response.write(UTF8_BOM)
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    prefetch_related_objects(ideas, "tags")
    urls = idea_urls(request, ideas)
    # Internal notes are never exported; the official response is public.
    for idea in ideas:
        writer.writerow(
            [
                _cell(value)
                for value in (
                    idea.pk,
                    idea.title,
                    idea.campaign.title,
                    idea.stage.display_name,
                    idea.vote_count,
                    idea.comment_count,
                    idea.author_name,
                    timezone.localtime(idea.created_at).isoformat(timespec="minutes"),
                    idea.assignee.public_name if idea.assignee_id else "",
                    "" if idea.priority is None else idea.priority,
                    idea.category.name if idea.category_id else "",
                    ", ".join(sorted(tag.name for tag in idea.tags.all())),
                    idea.response,
                    urls[idea.pk],
                )
            ]
        )
    return response


class ExportBulkAction(IdeaBulkAction):
    display_name = gettext_lazy("Export CSV")
    action_type = "export"
    aria_label = gettext_lazy("Download the selected ideas as a CSV file")
    action_priority = 40
    form_class = BulkExportForm
    submit_label = gettext_lazy("Download CSV")

    def apply(self, ideas, data):
        return ideas_csv(self.request, ideas)
