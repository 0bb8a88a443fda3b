"""The product team's triage in the Wagtail admin: the idea list, the board by stage, the idea
workspace and the stages snippet. Every write goes through `ideas.services` where a service
exists; every view checks the triage permission, not only the menu."""

from urllib.parse import urlsplit

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber, TruncDate
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    Column,
    DateColumn,
    TitleColumn,
)
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import SnippetViewSet

from voting.models import Vote

from .admin_forms import (
    DEFAULT_STAGE_SLUGS,
    BoardFilterForm,
    IdeaAdminFilterSet,
    IdeaTriageForm,
    InternalNoteForm,
    MergeForm,
    MoveForm,
    StageForm,
    other_languages,
    translation_field_name,
)
from .models import Follow, Idea, IdeaStageChange, InternalNote, Stage
from .permissions import NotAllowed, can_move_idea
from .selectors import similar_ideas
from .services import idea_move, idea_note_add, ideas_merge

BOARD_COLUMN_LIMIT = 50
MERGE_SEARCH_LIMIT = 10
MERGE_SEARCH_WORDS = 8
VOTE_DAYS_SHOWN = 60
TRIAGE_FIELDS = ["assignee", "category", "reach", "impact", "confidence", "effort"]
LIST_RELATED = ("campaign", "stage", "assignee", "author", "category")
NULLABLE_SORTS = {"priority"}


# Permissions ------------------------------------------------------------------------------


class IdeaTriagePolicy(ModelPermissionPolicy):
    """Django model permissions (granted to the Product team group by migration) *and*
    `can_move_idea`: an editor given `change_idea` by mistake still cannot triage."""

    def user_has_permission(self, user, action):
        return bool(can_move_idea(user)) and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return bool(can_move_idea(user)) and super().user_has_any_permission(user, actions)


def idea_policy():
    return policy_registry.get_by_type(Idea)


def require_triage(user, action="change"):
    if not idea_policy().user_has_permission(user, action):
        raise PermissionDenied


def can_see_ideas(user):
    return idea_policy().user_has_any_permission(user, ["view", "change"])


def safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def workspace_url(idea):
    return reverse("ideas:edit", args=[idea.pk])


def list_url(**params):
    url = reverse("ideas:index")
    return f"{url}?{urlencode(params)}" if params else url


# The idea list ------------------------------------------------------------------------------


class StageColumn(Column):
    cell_template_name = "ideas/admin/stage_cell.html"


class IdeaIndexView(IndexView):
    template_name = "ideas/admin/idea_index.html"
    filterset_class = IdeaAdminFilterSet
    default_ordering = "-created_at"
    any_permission_required = ["view", "change"]
    page_title = gettext_lazy("Ideas")

    def get_base_queryset(self):
        # Everything a row shows comes in the same query, whatever the number of rows.
        return Idea.objects.select_related(*LIST_RELATED)

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
            BulkActionsCheckboxColumn("bulk_actions", obj_type="idea"),
            TitleColumn(
                "title",
                label=_("Title"),
                sort_key="title",
                get_url=workspace_url,
                get_title_id=lambda idea: f"idea_{idea.pk}_title",
            ),
            Column("campaign", label=_("Campaign"), accessor="campaign.title"),
            StageColumn("stage", label=_("Stage")),
            Column("vote_count", label=_("Votes"), sort_key="vote_count"),
            Column(
                "trending",
                label=_("Trending"),
                accessor=lambda idea: f"{idea.trending:.1f}",
                sort_key="trending",
            ),
            Column("comment_count", label=_("Comments"), sort_key="comment_count"),
            Column("priority", label=_("RICE priority"), sort_key="priority"),
            Column(
                "assignee",
                label=_("Assignee"),
                accessor=lambda idea: idea.assignee.public_name if idea.assignee_id else "",
            ),
            DateColumn("created_at", label=_("Created"), sort_key="created_at"),
        ]

    @cached_property
    def header_buttons(self):
        return [HeaderButton(_("Board"), url=reverse("ideas:board"), icon_name="table")]


# The idea workspace ---------------------------------------------------------------------------


class IdeaWorkspaceView(EditView):
    """One idea, everything the team needs to decide about it. The form edits only the team's
    fields; moving, responding and merging post to their own views."""

    template_name = "ideas/admin/idea_workspace.html"
    success_message = gettext_lazy("Idea “%(object)s” updated.")

    def get_object(self, queryset=None):
        pk = self.kwargs[self.pk_url_kwarg]
        return get_object_or_404(
            Idea.objects.select_related(*LIST_RELATED, "merged_into", "author"), pk=pk
        )

    def save_instance(self):
        idea = self.form.save(commit=False)
        # Save only the team's fields: the vote and comment counts move under our feet.
        idea.vote_count = Idea.objects.values_list("vote_count", flat=True).get(pk=idea.pk)
        idea.save(update_fields=[*TRIAGE_FIELDS, "updated_at"])
        self.form.save_m2m()
        log(idea, "wagtail.edit", user=self.request.user)
        return idea

    def get_success_url(self):
        return workspace_url(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(workspace_context(self.request, self.object))
        return context


def votes_per_day(idea):
    rows = (
        Vote.objects.filter(idea=idea)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("-day")[:VOTE_DAYS_SHOWN]
    )
    days = list(reversed(rows))
    top = max((d["n"] for d in days), default=0)
    for day in days:
        day["percent"] = round(100 * day["n"] / top) if top else 0
    return days


def merge_candidates(idea, query):
    """Ideas `idea` could be merged into that match `query`: every word in the title (in any
    order), or the idea's number (“27” or “#27”), which comes first."""
    words = query.split()[:MERGE_SEARCH_WORDS]
    if not words:
        return []
    match = Q()
    for word in words:
        match &= Q(title__icontains=word)
    number = query.strip().lstrip("#").strip()
    ordering = ["-vote_count", "-pk"]
    if number.isdigit() and len(number) < 10:
        match |= Q(pk=int(number))
        ordering.insert(
            0,
            Case(
                When(pk=int(number), then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
    return list(
        Idea.objects.filter(match, campaign_id=idea.campaign_id, status=Idea.Status.PUBLISHED)
        .exclude(pk=idea.pk)
        .exclude(stage__slug="merged")
        .select_related("stage")
        .order_by(*ordering)[:MERGE_SEARCH_LIMIT]
    )


def merge_draft_key(idea):
    return f"cocrea-merge-draft-{idea.pk}"


def keep_merge_draft(request, idea, target, note):
    """Keep a merge note the user typed when the merge goes back to the workspace (an error,
    or Cancel on the confirmation page), so it is not lost."""
    if note.strip():
        request.session[merge_draft_key(idea)] = {"target": target, "note": note}


def workspace_context(request, idea, merge_form=None, move_form=None, note_form=None):
    user = request.user
    merge_into = request.GET.get("merge_into", "")
    merge_target = None
    if merge_into.isdigit() and len(merge_into) < 10:
        merge_target = Idea.objects.filter(pk=int(merge_into)).select_related("stage").first()
    merge_query = request.GET.get("merge_q", "").strip()[:100]
    merge_results = merge_candidates(idea, merge_query) if merge_query else []
    draft = request.session.pop(merge_draft_key(idea), None) or {}
    merge_initial = {"target": merge_target.pk if merge_target else None}
    if draft and str(draft.get("target")) == merge_into:
        merge_initial["note"] = draft.get("note", "")
    can_read_notes = user.has_perm("ideas.view_internalnote")
    return {
        "idea": idea,
        "public_url": idea.get_absolute_url() if idea.status == Idea.Status.PUBLISHED else "",
        "votes_by_day": votes_per_day(idea),
        "stage_changes": IdeaStageChange.objects.filter(idea=idea).select_related(
            "from_stage", "to_stage", "actor"
        ),
        "similar": [
            i
            for i in similar_ideas(campaign=idea.campaign, text=idea.title, exclude_pk=idea.pk)
            if i.stage.slug != "merged"
        ],
        "merge_query": merge_query,
        "merge_results": merge_results,
        "merge_target": merge_target,
        # Several forms on one page: distinct ids, same field names as the views expect.
        "merge_form": merge_form
        or MergeForm(source=idea, auto_id="merge_%s", initial=merge_initial),
        "move_form": move_form or MoveForm(auto_id="move_%s", initial={"stage": idea.stage_id}),
        "can_read_notes": can_read_notes,
        "internal_notes": (
            InternalNote.objects.filter(idea=idea).select_related("author")
            if can_read_notes
            else []
        ),
        "note_form": (note_form or InternalNoteForm(auto_id="internal_%s"))
        if user.has_perm("ideas.add_internalnote")
        else None,
        "is_merged": idea.stage.slug == "merged",
    }


# Triage actions -------------------------------------------------------------------------------


def back_to_card(url, idea):
    """Back on the board, land on the idea's card (`#idea-<pk>`), which takes the focus."""
    if urlsplit(url).path == reverse("ideas:board") and "#" not in url:
        return f"{url}#idea-{idea.pk}"
    return url


def move_view(request, pk):
    """Move an idea (or post an official response). Used by the workspace, the board and as a
    follow-up page when a stage needs a note that was not given."""
    require_triage(request.user)
    idea = get_object_or_404(Idea.objects.select_related("stage", "campaign"), pk=pk)
    back = back_to_card(safe_next(request, workspace_url(idea)), idea)
    refusal = ""
    if request.method == "POST":
        form = MoveForm(request.POST)
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
        form = MoveForm(initial=initial)
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


def merge_summary(source, target):
    """What a merge will do, in three COUNT queries: votes that move, members who voted for
    both (they keep one vote and get the other back) and followers that move."""
    voted_target = Vote.objects.filter(idea=target).values("member_id")
    votes = Vote.objects.filter(idea=source).count()
    both = Vote.objects.filter(idea=source, member_id__in=voted_target).count() if votes else 0
    followers = Follow.objects.filter(idea=source).count()
    return {"moved": votes - both, "both": both, "followers": followers}


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
    """A column per stage with its most-voted ideas; each card moves with a small form."""
    if not can_see_ideas(request.user):
        raise PermissionDenied
    filters = BoardFilterForm(request.GET or None)
    ideas = Idea.objects.filter(status=Idea.Status.PUBLISHED)
    campaign = None
    if filters.is_valid() and filters.cleaned_data["campaign"]:
        campaign = filters.cleaned_data["campaign"]
        ideas = ideas.filter(campaign=campaign)
    stages = list(Stage.objects.all())
    counts = dict(ideas.order_by().values_list("stage_id").annotate(n=Count("id")))
    # One query: the top ideas of each stage, as a UNION ALL of per-stage "ORDER BY votes
    # LIMIT n" that each walk an index, instead of ranking every idea with a window.
    per_stage = [
        ideas.filter(stage_id=stage.pk)
        .annotate(campaign_title=F("campaign__title"))
        .only("pk", "title", "vote_count", "stage_id", "campaign_id")
        .order_by("-vote_count", "-id")[:BOARD_COLUMN_LIMIT]
        for stage in stages
    ]
    if connection.features.supports_slicing_ordering_in_compound and len(per_stage) > 1:
        top = per_stage[0].union(*per_stage[1:], all=True)
    else:  # SQLite: rank with a window function instead
        rank = Window(
            RowNumber(),
            partition_by=[F("stage_id")],
            order_by=[F("vote_count").desc(), F("id").desc()],
        )
        top = (
            ideas.annotate(campaign_title=F("campaign__title"), rank=rank)
            .filter(rank__lte=BOARD_COLUMN_LIMIT)
            .order_by("stage_id", "rank")
        )
    by_stage = {}
    for idea in top:
        by_stage.setdefault(idea.stage_id, []).append(idea)
    movable = [s for s in stages if s.slug != "merged"]
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
                "targets": [s for s in movable if s.pk != stage.pk],
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


# Viewsets -----------------------------------------------------------------------------------------


class IdeaViewSet(ModelViewSet):
    model = Idea
    icon = "tasks"
    menu_label = gettext_lazy("Ideas")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = IdeaIndexView
    edit_view_class = IdeaWorkspaceView
    index_template_name = "ideas/admin/idea_index.html"
    edit_template_name = "ideas/admin/idea_workspace.html"
    copy_view_enabled = False
    # Ideas are not referenced from content; indexing them would cost a write per vote.
    add_to_reference_index = False
    list_per_page = 50
    search_fields = ["title"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("assignee"), FieldPanel("category"), FieldPanel("tags")],
                heading=gettext_lazy("Triage"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("reach"), FieldPanel("impact")]),
                    FieldRowPanel([FieldPanel("confidence"), FieldPanel("effort")]),
                ],
                heading=gettext_lazy("RICE score"),
                help_text=gettext_lazy(
                    "Priority = reach × impact × confidence ÷ effort, computed on save."
                ),
            ),
        ],
        base_form_class=IdeaTriageForm,
    )

    def get_common_view_kwargs(self, **kwargs):
        # Ideas are created by members (idea_submit) and never deleted from the admin.
        return {
            **super().get_common_view_kwargs(**kwargs),
            "add_url_name": None,
            "delete_url_name": None,
            "usage_url_name": None,
        }

    def get_urlpatterns(self):
        keep = {"index", "index_results", "edit", "history", "history_results"}
        return [p for p in super().get_urlpatterns() if p.name in keep] + [
            path("board/", board_view, name="board"),
            path("move/<int:pk>/", move_view, name="move"),
            path("merge/<int:pk>/", merge_view, name="merge"),
            path("note/<int:pk>/", note_view, name="note"),
        ]

    def get_permissions_to_register(self):
        return Permission.objects.filter(
            content_type__in=[
                ContentType.objects.get_for_model(Idea),
                ContentType.objects.get_for_model(InternalNote),
            ],
            codename__in=["view_idea", "change_idea", "add_internalnote", "view_internalnote"],
        )


class YesNoColumn(Column):
    """“Yes” / “No” with an icon, instead of True / False."""

    cell_template_name = "ideas/admin/yes_no_cell.html"


class ColourColumn(Column):
    """The hex code with a small swatch of the colour."""

    cell_template_name = "ideas/admin/colour_cell.html"


def stage_column(column_class, name):
    return column_class(
        name, label=capfirst(Stage._meta.get_field(name).verbose_name), sort_key=name
    )


class StageViewSet(SnippetViewSet):
    model = Stage
    icon = "list-ol"
    menu_label = gettext_lazy("Stages")
    list_display = [
        "name",
        "slug",
        stage_column(ColourColumn, "colour"),
        "order",
        stage_column(YesNoColumn, "is_closed"),
        stage_column(YesNoColumn, "on_roadmap"),
        stage_column(YesNoColumn, "needs_note"),
    ]
    ordering = ["order", "pk"]

    def get_edit_handler(self):
        translated = [
            FieldPanel(translation_field_name(code), heading=None)
            for code, _name in other_languages()
        ]
        return ObjectList(
            [
                FieldPanel("name"),
                *translated,
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("colour"), FieldPanel("order")]),
                FieldPanel("is_closed"),
                FieldPanel("on_roadmap"),
                FieldPanel("needs_note"),
            ],
            base_form_class=StageForm,
        ).bind_to_model(Stage)


def stage_delete_refusal(stage):
    """Why `stage` cannot be deleted, or "" when it can."""
    if stage.slug in DEFAULT_STAGE_SLUGS:
        return _("“%(stage)s” is a default stage and cannot be deleted.") % {
            "stage": stage.display_name
        }
    ideas = Idea.objects.filter(stage=stage).count()
    if ideas:
        return _(
            "“%(stage)s” still has %(count)d ideas. Move them to another stage before deleting it."
        ) % {"stage": stage.display_name, "count": ideas}
    if IdeaStageChange.objects.filter(Q(from_stage=stage) | Q(to_stage=stage)).exists():
        return _(
            "“%(stage)s” appears in the stage history of some ideas, which is never rewritten."
        ) % {"stage": stage.display_name}
    return ""
