"""The triage views: the idea list, the idea workspace, moving, merging, internal notes and the
board. They read through `ideas.admin.selectors`, write through `ideas.services` only, and check
the triage permission themselves."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format, localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    Column,
    DateColumn,
    Table,
    TitleColumn,
)
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.widgets.button import HeaderButton

from .. import hooks
from ..models import Idea, IdeaStageChange, InternalNote, Stage
from ..permissions import NotAllowed, can_move_between
from ..selectors import similar_ideas
from ..services import idea_move, idea_note_add, idea_triage_update, ideas_merge
from .drafts import keep_merge_draft, take_merge_draft
from .forms import BoardFilterForm, IdeaAdminFilterSet, InternalNoteForm, MergeForm, MoveForm
from .links import back_to_card, list_url, safe_next, workspace_url
from .listcache import filters_html
from .permissions import can_see_ideas, idea_policy, require_triage
from .selectors import (
    BOARD_COLUMN_LIMIT,
    LIST_RELATED,
    board_cards,
    board_stages,
    merge_candidates,
    merge_summary,
)
from .sidebarcache import keyboard_shortcuts_html, sidebar_props_html

NULLABLE_SORTS = {"priority"}
# What a row of the idea list reads (`IdeaIndexView.columns`); anything else would be a query
# per row.
LIST_FIELDS = (
    "pk",
    "title",
    "campaign_id",
    "stage",
    "stage__name",
    "stage__name_translations",
    "stage__colour",
    "vote_count",
    "trending",
    "comment_count",
    "priority",
    "assignee",
    "assignee__username",
    "assignee__display_name",
    "created_at",
)


# The idea list ------------------------------------------------------------------------------


# Cells written out: a page of 50 ideas has 500 of them, and a template (or even `format_html`)
# per cell is most of the page's time. Every value is escaped (`escape`); the markup is that of
# Wagtail's cell templates.


class PlainColumn(Column):
    """Wagtail's `Column`, its cell written out directly: the markup of
    wagtailadmin/tables/cell.html (the value localised and escaped as `{{ value }}` would)."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        shown = "" if value is None else escape(localize(template_localtime(value)))
        if self.classname:
            return mark_safe(f'<td class="{escape(self.classname)}">{shown}</td>')  # noqa: S308
        return mark_safe(f"<td>{shown}</td>")  # noqa: S308


class StageColumn(Column):
    """The stage's name with a bar of its colour."""

    def render_cell_html(self, instance, parent_context):
        stage = instance.stage
        return mark_safe(  # noqa: S308
            f'<td><span class="cocrea-stage" style="border-inline-start: 0.5rem solid'
            f' {escape(stage.colour)}; padding-inline-start: 0.4rem;">'
            f"{escape(stage.display_name)}</span></td>"
        )


class IdeaTitleColumn(TitleColumn):
    """The idea's title linking to its workspace, with the id the bulk actions' checkbox
    describes itself by: wagtailadmin/tables/title_cell.html written out."""

    def __init__(self, name, **kwargs):
        super().__init__(name, get_title_id=lambda idea: f"idea_{idea.pk}_title", **kwargs)

    @cached_property
    def edit_url(self):
        # One reverse for the page, not one per row: "/admin/ideas/edit/{}/".
        return reverse("ideas:edit", args=[0]).replace("/0/", "/{}/")

    def render_cell_html(self, instance, parent_context):
        title = instance.title
        if not str(title).strip():
            title = self.empty_value_display
        pk = int(instance.pk)
        url = escape(self.edit_url.format(pk))
        return mark_safe(  # noqa: S308
            f'<td class="title"><div class="title-wrapper"><a href="{url}">'
            f'<span id="idea_{pk}_title">{escape(title)}</span></a></div></td>'
        )


class IdeaCheckboxColumn(BulkActionsCheckboxColumn):
    """The bulk actions' checkbox: wagtailadmin/bulk_actions/listing_checkbox_cell.html written
    out (same attributes, same label)."""

    def __init__(self, name):
        super().__init__(name, obj_type="idea")

    def render_cell_html(self, instance, parent_context):
        pk = int(instance.pk)
        return mark_safe(  # noqa: S308
            f'<td class="bulk-action-checkbox-cell"><input type="checkbox" data-object-id="{pk}"'
            f' data-bulk-action-checkbox class="bulk-action-checkbox"'
            f' aria-label="{escape(_("Select"))}" aria-describedby="idea_{pk}_title" /></td>'
        )


class HumanDateColumn(DateColumn):
    """wagtailadmin/tables/date_cell.html and its `human_readable_date` written out: “3 days
    ago”, the full date and time in the tooltip."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if not value:
            return mark_safe("<td></td>")  # noqa: S308 (a constant)
        local = template_localtime(value)
        tooltip = escape(date_format(local, get_format("DATETIME_FORMAT") or "N j, Y, P"))
        return mark_safe(  # noqa: S308
            '<td><button type="button" class="w-human-readable-date" data-controller="w-tooltip"'
            f' data-w-tooltip-content-value="{tooltip}" data-w-tooltip-placement-value="top">'
            # Django's "c" date format is isoformat().
            f'<time class="w-human-readable-date__date" datetime="{escape(local.isoformat())}">'
            f"{escape(capfirst(timesince_simple(value)))}</time></button></td>"
        )


class IdeaTable(Table):
    """Wagtail's listing table (wagtailadmin/tables/table.html) with its rows written out: each
    column renders its cell from the idea, without a component tag and a template per cell
    (500 on a page of 50 ideas). Headers still render through their templates (sort links)."""

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        columns = list(self.columns.values())
        header = "".join(column.render_header_html(context) for column in columns)
        rows = []
        for index, instance in enumerate(self.data):
            cell_context = {**context, "row": Table.Row(self, instance, index)}
            cells = "".join(column.render_cell_html(instance, cell_context) for column in columns)
            rows.append(f"<tr>{cells}</tr>")
        # Every part is escaped by the columns or their templates.
        return mark_safe(  # noqa: S308
            f'<table class="{conditional_escape(self.classname)}"><thead><tr>{header}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )


class IdeaIndexView(IndexView):
    template_name = "ideas/admin/idea_index.html"
    filterset_class = IdeaAdminFilterSet
    default_ordering = "-created_at"
    any_permission_required = ["view", "change"]
    page_title = gettext_lazy("Ideas")

    table_class = IdeaTable

    def get_base_queryset(self):
        # Everything a row shows comes in the same query, whatever the number of rows, and
        # only that: the campaign's title (not a whole page), the stage's name and colour, the
        # assignee's names.
        return (
            Idea.objects.select_related("stage", "assignee")
            .annotate(campaign_title=F("campaign__title"))
            .only(*LIST_FIELDS)
        )

    def order_queryset(self, queryset):
        ordering = self.ordering or self.default_ordering
        name = ordering.lstrip("-")
        if name not in NULLABLE_SORTS:
            # Plain orderings can use the idea indexes; NULLS LAST would rule them out.
            return queryset.order_by(ordering, "-pk" if ordering.startswith("-") else "pk")
        if ordering.startswith("-"):
            return queryset.order_by(F(name).desc(nulls_last=True), "-pk")
        return queryset.order_by(F(name).asc(nulls_last=True), "pk")

    @cached_property
    def columns(self):
        return [
            IdeaCheckboxColumn("bulk_actions"),
            IdeaTitleColumn("title", label=_("Title"), sort_key="title"),
            PlainColumn("campaign", label=_("Campaign"), accessor="campaign_title"),
            StageColumn("stage", label=_("Stage")),
            PlainColumn("vote_count", label=_("Votes"), sort_key="vote_count"),
            PlainColumn(
                "trending",
                label=_("Trending"),
                accessor=lambda idea: f"{idea.trending:.1f}",
                sort_key="trending",
            ),
            PlainColumn("comment_count", label=_("Comments"), sort_key="comment_count"),
            PlainColumn("priority", label=_("RICE priority"), sort_key="priority"),
            PlainColumn(
                "assignee",
                label=_("Assignee"),
                accessor=lambda idea: idea.assignee.public_name if idea.assignee_id else "",
            ),
            HumanDateColumn("created_at", label=_("Created"), sort_key="created_at"),
        ]

    @cached_property
    def header_buttons(self):
        return [HeaderButton(_("Board"), url=reverse("ideas:board"), icon_name="table")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filters and not self.results_only:
            # The header's filter menu (ideas/admin/idea_slim_header.html), from the cache.
            context["filters_html"] = filters_html(self.request, self.filters)
        if not self.results_only:
            # Wagtail's sidebar and shortcuts dialog (ideas/admin/idea_index.html), from the cache.
            context["sidebar_props_html"] = sidebar_props_html(self.request)
            context["keyboard_shortcuts_html"] = keyboard_shortcuts_html(self.request)
        return context


# The idea workspace ---------------------------------------------------------------------------


class IdeaWorkspaceView(EditView):
    """One idea, everything the team needs to decide about it. The form edits only the team's
    fields, through `idea_triage_update`; moving, responding and merging post to their own
    views."""

    template_name = "ideas/admin/idea_workspace.html"
    success_message = gettext_lazy("Idea “%(object)s” updated.")

    def get_object(self, queryset=None):
        pk = self.kwargs[self.pk_url_kwarg]
        return get_object_or_404(
            Idea.objects.select_related(*LIST_RELATED, "merged_into", "author"), pk=pk
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except NotAllowed as refused:
            form.add_error(None, refused.reason)
        except ValidationError as invalid:
            form.add_error(None, invalid)
        return self.form_invalid(form)

    def save_instance(self):
        return idea_triage_update(
            idea=self.object, actor=self.request.user, data=self.form.cleaned_data
        )

    def get_success_url(self):
        return workspace_url(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(workspace_context(self.request, self.object))
        return context


def workspace_context(request, idea):
    user = request.user
    merge_into = request.GET.get("merge_into", "")
    merge_target = None
    if merge_into.isdigit() and len(merge_into) < 10:
        merge_target = Idea.objects.filter(pk=int(merge_into)).select_related("stage").first()
    merge_query = request.GET.get("merge_q", "").strip()[:100]
    merge_initial = {"target": merge_target.pk if merge_target else None}
    draft = take_merge_draft(request, idea, merge_into)
    if draft:
        merge_initial["note"] = draft
    # Whether the pipeline lets this idea be merged at all: merged ideas stay merged, and a
    # stage's declared moves may leave out merging (shipped and declined ideas, by default).
    merge_refusal = (
        "" if idea.stage.is_merged else can_move_between(idea.stage, Stage.merged()).reason
    )
    can_merge = not idea.stage.is_merged and not merge_refusal
    can_read_notes = user.has_perm("ideas.view_internalnote")
    return {
        "idea": idea,
        "public_url": idea.url if idea.status == Idea.Status.PUBLISHED else "",
        **hooks.workspace_context(request, idea),
        "stage_changes": IdeaStageChange.objects.filter(idea=idea).select_related(
            "from_stage", "to_stage", "actor"
        ),
        "similar": [
            i
            for i in similar_ideas(campaign=idea.campaign, text=idea.title, exclude_pk=idea.pk)
            if not i.stage.is_merged
        ]
        if can_merge
        else [],
        "merge_query": merge_query,
        "merge_results": merge_candidates(idea, merge_query) if merge_query and can_merge else [],
        "merge_target": merge_target,
        # Several forms on one page: distinct ids, same field names as the views expect.
        "merge_form": MergeForm(source=idea, auto_id="merge_%s", initial=merge_initial),
        "move_form": MoveForm(auto_id="move_%s", initial={"stage": idea.stage_id}, idea=idea),
        "can_read_notes": can_read_notes,
        "internal_notes": (
            InternalNote.objects.filter(idea=idea).select_related("author")
            if can_read_notes
            else []
        ),
        "note_form": InternalNoteForm(auto_id="internal_%s")
        if user.has_perm("ideas.add_internalnote")
        else None,
        "is_merged": idea.stage.is_merged,
        "can_merge": can_merge,
        "merge_refusal": merge_refusal,
    }


# Triage actions -------------------------------------------------------------------------------


def move_view(request, pk):
    """Move an idea (or post an official response). Used by the workspace, the board and as a
    follow-up page when a move needs a note that was not given or the pipeline refuses it."""
    require_triage(request.user)
    idea = get_object_or_404(Idea.objects.select_related("stage", "campaign"), pk=pk)
    back = back_to_card(safe_next(request, workspace_url(idea)), idea)
    refusal = ""
    if request.method == "POST":
        # The form offers only the stages the pipeline allows, but any movable stage validates:
        # a move the pipeline refuses (a stale board, a crafted post) gets the service's reason.
        form = MoveForm(request.POST, idea=idea)
        if form.is_valid():
            stage, note = form.cleaned_data["stage"], form.cleaned_data["note"]
            was = idea.stage_id
            try:
                idea_move(idea=idea, to_stage=stage, actor=request.user, note=note)
            except NotAllowed as refused:
                refusal = refused.reason
            else:
                if stage.pk == was:
                    done = _("Official response posted on “%(idea)s”.")
                else:
                    done = _("“%(idea)s” is now in “%(stage)s”.")
                messages.success(request, done % {"idea": idea.title, "stage": stage.display_name})
                return redirect(back)
    else:
        initial = {"stage": request.GET.get("stage") or idea.stage_id}
        form = MoveForm(initial=initial, idea=idea)
    return TemplateResponse(
        request,
        "ideas/admin/idea_move.html",
        {
            "idea": idea,
            "form": form,
            "refusal": refusal,
            "next": back,
            "header_title": _("Move “%(idea)s”") % {"idea": idea.title},
        },
        status=200,
    )


@require_POST
def merge_view(request, pk):
    """Two steps: the workspace's merge form shows a confirmation page with what will happen;
    only its “Confirm” (which posts `confirm`) merges."""
    require_triage(request.user)
    source = get_object_or_404(Idea.objects.select_related("stage", "campaign"), pk=pk)
    form = MergeForm(request.POST, source=source)
    back = workspace_url(source)
    target = request.POST.get("target", "").strip()
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        if target.isdigit():
            keep_merge_draft(request, source, target, request.POST.get("note", ""))
            back += f"?merge_into={target}#merge-form"
        return redirect(back)
    target = form.cleaned_data["target"]
    note = form.cleaned_data["note"]
    cancel_url = f"{back}?merge_into={target.pk}#merge-form"
    if "cancel" in request.POST:
        keep_merge_draft(request, source, target.pk, note)
        return redirect(cancel_url)
    if "confirm" not in request.POST:
        summary = merge_summary(source, target)
        return TemplateResponse(
            request,
            "ideas/admin/idea_merge_confirm.html",
            {
                "source": source,
                "target": target,
                "note": note,
                "summary": summary,
                "summary_lines": merge_summary_lines(source, target, summary),
                "header_title": _("Merge “%(source)s” into “%(target)s”?")
                % {"source": source.title, "target": target.title},
            },
        )
    try:
        ideas_merge(source=source, target=target, actor=request.user, note=note)
    except NotAllowed as refused:
        messages.error(request, refused.reason)
        keep_merge_draft(request, source, target.pk, note)
        return redirect(cancel_url)
    messages.success(
        request,
        _("“%(source)s” was merged into “%(target)s”: its votes and followers moved.")
        % {"source": source.title, "target": target.title},
    )
    return redirect(workspace_url(target))


def merge_summary_lines(source, target, summary):
    names = {"source": source.title, "target": target.title}
    return [
        ngettext(
            "%(count)d vote moves to “%(target)s”.",
            "%(count)d votes move to “%(target)s”.",
            summary["moved"],
        )
        % {**names, "count": summary["moved"]},
        ngettext(
            "%(count)d member voted for both and gets one vote back.",
            "%(count)d members voted for both and get one vote back.",
            summary["both"],
        )
        % {"count": summary["both"]},
        ngettext(
            "%(count)d follower of “%(source)s” moves to “%(target)s”.",
            "%(count)d followers of “%(source)s” move to “%(target)s”.",
            summary["followers"],
        )
        % {**names, "count": summary["followers"]},
    ]


@require_POST
def note_view(request, pk):
    require_triage(request.user)
    if not request.user.has_perm("ideas.add_internalnote"):
        raise PermissionDenied
    idea = get_object_or_404(Idea, pk=pk)
    form = InternalNoteForm(request.POST)
    if form.is_valid():
        idea_note_add(idea=idea, actor=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Internal note added."))
    else:
        messages.error(request, _("The internal note is empty or too long."))
    return redirect(workspace_url(idea) + "#internal-notes")


# The board --------------------------------------------------------------------------------------


def board_view(request):
    """A column per stage with its most-voted ideas; each card moves with a small form that
    offers only the stages the pipeline allows from its column."""
    if not can_see_ideas(request.user):
        raise PermissionDenied
    filters = BoardFilterForm(request.GET or None)
    ideas = Idea.objects.filter(status=Idea.Status.PUBLISHED)
    campaign = None
    if filters.is_valid() and filters.cleaned_data["campaign"]:
        campaign = filters.cleaned_data["campaign"]
        ideas = ideas.filter(campaign=campaign)
    stages = board_stages()
    by_stage, counts = board_cards(ideas, stages)
    columns = []
    for stage in stages:
        params = {"stage": stage.pk, "status": Idea.Status.PUBLISHED}
        if campaign:
            params["campaign"] = campaign.pk
        columns.append(
            {
                "stage": stage,
                "ideas": by_stage.get(stage.pk, []),
                "count": counts.get(stage.pk, 0),
                "see_all_url": list_url(**params, ordering="-vote_count"),
                "targets": stage.targets,
            }
        )
    return TemplateResponse(
        request,
        "ideas/admin/board.html",
        {
            "columns": columns,
            "filters": filters,
            "campaign": campaign,
            "limit": BOARD_COLUMN_LIMIT,
            "can_move": idea_policy().user_has_permission(request.user, "change"),
            "board_url": request.get_full_path(),
            "header_title": _("Idea board"),
        },
    )
