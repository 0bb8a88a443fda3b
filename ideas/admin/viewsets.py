"""The ideas viewset (list, workspace, board and the triage actions' URLs) and the stages
snippet, where the product team edits names, flags and the moves allowed between stages."""

from django import forms
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import Idea, IdeaStageChange, InternalNote, Stage
from .forms import IdeaTriageForm, StageForm, other_languages, translation_field_name
from .views import IdeaIndexView, IdeaWorkspaceView, board_view, merge_view, move_view, note_view


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


def next_stage_names(stage):
    # Prefetched by StageViewSet.get_queryset: no query per row.
    return ", ".join(s.display_name for s in stage.next_stages.all()) or "—"


class StageViewSet(SnippetViewSet):
    model = Stage
    icon = "list-ol"
    menu_label = gettext_lazy("Stages")
    list_display = [
        "name",
        "slug",
        Column("role", label=gettext_lazy("Role"), accessor="get_role_display"),
        stage_column(ColourColumn, "colour"),
        "order",
        Column("next_stages", label=gettext_lazy("Can move to"), accessor=next_stage_names),
        stage_column(YesNoColumn, "is_closed"),
        stage_column(YesNoColumn, "on_roadmap"),
        stage_column(YesNoColumn, "needs_note"),
    ]
    ordering = ["order", "pk"]

    def get_queryset(self, request):
        return Stage.objects.prefetch_related("next_stages")

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
                FieldPanel("role", read_only=True),
                FieldRowPanel([FieldPanel("colour"), FieldPanel("order")]),
                FieldPanel("is_closed"),
                FieldPanel("on_roadmap"),
                FieldPanel("needs_note"),
                FieldPanel("next_stages", widget=forms.CheckboxSelectMultiple),
            ],
            base_form_class=StageForm,
        ).bind_to_model(Stage)


def stage_delete_refusal(stage):
    """Why `stage` cannot be deleted, or "" when it can."""
    if stage.role:
        return _(
            "“%(stage)s” is a default stage and cannot be deleted: the pipeline relies on its "
            "role (%(role)s)."
        ) % {"stage": stage.display_name, "role": stage.get_role_display()}
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
