"""Forms and filters of the product team's triage in the Wagtail admin."""

import re

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm

from campaigns.models import CampaignPage, Category
from core import widgets
from core.locales import sources

from ..models import Idea, InternalNote, Stage
from ..permissions import can_move_between
from ..services import NOTE_MAX

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def other_languages():
    """The languages a stage name can be translated into (all but the default one)."""
    default = settings.LANGUAGE_CODE.split("-")[0]
    return [(code, name) for code, name in settings.LANGUAGES if code != default]


def translation_field_name(code):
    return f"name_{code.replace('-', '_')}"


def team_users():
    """The people ideas can be assigned to: active staff in the product team, or superusers.
    Editors reach the admin too but do not triage."""
    return (
        get_user_model()
        .objects.filter(Q(is_team=True) | Q(is_superuser=True), is_staff=True, is_active=True)
        .order_by("username")
    )


def movable_stages():
    # "Merged" is reached only through a merge, which moves votes and followers too.
    return Stage.objects.exclude(role=Stage.Role.MERGED)


def stage_choice_label(stage):
    return stage.display_name


class StageFormBase(WagtailAdminModelForm):
    """Stage snippet form: one text field per non-default language, stored in
    `name_translations`, and the stages its ideas may move to. Default stages (those with a
    role) keep their slug: API clients and saved links (`?stage=planned`) use it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        translations = self.instance.name_translations or {}
        for code, _name in other_languages():
            field = self.fields.get(translation_field_name(code))
            if field is not None:
                field.initial = translations.get(code, "")
        moves = self.fields.get("next_stages")
        if moves is not None:
            moves.queryset = Stage.objects.exclude(pk=self.instance.pk).order_by("order", "pk")
            moves.label_from_instance = stage_choice_label
            if self.instance.is_merged:
                # There is no un-merge: a merged idea stays merged.
                moves.disabled = True
                moves.help_text = _("Merged ideas stay merged: they move nowhere.")

    def clean_colour(self):
        colour = self.cleaned_data["colour"].strip()
        if not HEX_COLOUR.match(colour):
            raise forms.ValidationError(_("Use a colour in the form #rrggbb, e.g. #0b5cad."))
        return colour.lower()

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        original = self.instance.slug if self.instance.pk else None
        if self.instance.role and slug != original:
            raise forms.ValidationError(
                _("This is a default stage: its slug “%(slug)s” cannot change.")
                % {"slug": original}
            )
        return slug

    def save(self, commit=True):
        translations = dict(self.instance.name_translations or {})
        for code, _name in other_languages():
            value = (self.cleaned_data.get(translation_field_name(code)) or "").strip()
            if value:
                translations[code] = value
            else:
                translations.pop(code, None)
        self.instance.name_translations = translations
        return super().save(commit=commit)


def _stage_form_class():
    fields = {
        translation_field_name(code): forms.CharField(
            label=_("Name (%(language)s)") % {"language": name},
            max_length=60,
            required=False,
        )
        for code, name in other_languages()
    }
    return type("StageForm", (StageFormBase,), fields)


StageForm = _stage_form_class()


class IdeaTriageForm(WagtailAdminModelForm):
    """The fields the team edits in the workspace. Title and description are the author's;
    the stage changes only through `idea_move`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "category" in self.fields:
            self.fields["category"].queryset = Category.objects.filter(
                campaign_id=self.instance.campaign_id
            )
        if "assignee" in self.fields:
            # The current assignee stays selectable, so saving does not unassign silently.
            current = self.instance.assignee_id
            self.fields["assignee"].queryset = (
                get_user_model()
                .objects.filter(Q(pk__in=team_users().values("pk")) | Q(pk=current))
                .order_by("username")
            )


class MoveForm(forms.Form):
    stage = forms.ModelChoiceField(
        label=_("Move to"),
        queryset=Stage.objects.none(),
        empty_label=_("Choose a stage…"),
        error_messages={"required": _("Choose the stage to move the idea to.")},
    )
    note = forms.CharField(
        label=_("Public note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown on the idea and sent to its followers. Required for stages such as "
            "Declined. Keep the same stage and write a note to post an official response."
        ),
    )

    def __init__(self, *args, idea=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["stage"]
        field.queryset = movable_stages()
        if idea is not None:
            # Offer only what the pipeline allows from the idea's stage, and the stage itself
            # (a note there is an official response). Any movable stage still validates, so a
            # move the pipeline refuses gets the service's reason, not "not a valid choice".
            offered = [idea.stage, *idea.stage.allowed_next()]
            field.choices = [("", field.empty_label)] + [
                (stage.pk, stage.display_name) for stage in offered
            ]


class MergeForm(forms.Form):
    target = forms.IntegerField(
        label=_("Number of the idea to merge into"),
        min_value=1,
        help_text=_("Use “Merge into this one” on a similar idea, or search above."),
    )
    note = forms.CharField(
        label=_("Why are they the same? (public note)"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source

    def clean_target(self):
        pk = self.cleaned_data["target"]
        target = Idea.objects.filter(pk=pk).select_related("stage").first()
        if target is None:
            raise forms.ValidationError(_("There is no idea number %(pk)s.") % {"pk": pk})
        # The service checks these again when merging; asking first spares a confirmation
        # page for a merge that cannot happen.
        if target.pk == self.source.pk:
            raise forms.ValidationError(_("An idea cannot be merged into itself."))
        if target.campaign_id != self.source.campaign_id:
            raise forms.ValidationError(_("Ideas can only be merged within one campaign."))
        if target.stage.is_merged or target.status != Idea.Status.PUBLISHED:
            raise forms.ValidationError(
                _("The target idea must be a published idea that is not merged.")
            )
        return target

    def clean(self):
        data = super().clean()
        # The pipeline may not let ideas of the source's stage be merged (shipped, declined).
        if self.source.stage.is_merged:
            return data  # the service says it was already merged
        decision = can_move_between(self.source.stage, Stage.merged())
        if not decision:
            raise forms.ValidationError(decision.reason)
        return data


class InternalNoteForm(forms.ModelForm):
    class Meta:
        model = InternalNote
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class BulkMoveForm(MoveForm):
    note = forms.CharField(
        label=_("Public note (the same for every idea)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for stages such as Declined."),
    )

    def clean(self):
        data = super().clean()
        stage = data.get("stage")
        if stage is not None and stage.needs_note and not (data.get("note") or "").strip():
            self.add_error(
                "note",
                _(
                    "Moving to “%(stage)s” needs a public note that explains why. It is shown "
                    "on every idea and sent to their followers."
                )
                % {"stage": stage.display_name},
            )
        return data


class BulkAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody (unassign)"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = team_users()


TAG_MAX = 100  # taggit's Tag.name


def split_tags(text):
    """“Mobile Banking, travel” → ["Mobile Banking", "travel"]: commas separate tags, spaces do
    not; blanks, quotes around a tag and repeats are dropped."""
    tags = []
    for part in text.split(","):
        tag = part.strip().strip('"').strip()
        if tag and tag.lower() not in (t.lower() for t in tags):
            tags.append(tag)
    return tags


class BulkTagForm(forms.Form):
    tag = forms.CharField(
        label=_("Tags to add"),
        max_length=1000,
        help_text=_("Separate several tags with commas, e.g. “Mobile banking, travel”."),
        error_messages={"required": _("Type a tag to add.")},
    )

    def clean_tag(self):
        tags = split_tags(self.cleaned_data["tag"])
        if not tags:
            raise forms.ValidationError(_("Type a tag to add."))
        too_long = [t for t in tags if len(t) > TAG_MAX]
        if too_long:
            raise forms.ValidationError(
                _("A tag can be at most %(n)d characters.") % {"n": TAG_MAX}
            )
        return tags


class BulkExportForm(forms.Form):
    pass


RESPONSE_CHOICES = [("yes", _("Answered")), ("no", _("Not answered"))]


class IdeaAdminFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"),
        queryset=sources(CampaignPage.objects.order_by("title")),
        widget=widgets.Select,
    )
    stage = django_filters.ModelChoiceFilter(
        label=_("Stage"), queryset=Stage.objects.all(), widget=widgets.Select
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.select_related("campaign").order_by("campaign__title", "name"),
        widget=widgets.Select,
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"),
        field_name="tags",
        queryset=Tag.objects.filter(ideas_taggedidea_items__isnull=False)
        .distinct()
        .order_by("name"),
        widget=widgets.Select,
    )
    assignee = django_filters.ModelChoiceFilter(
        label=_("Assignee"),
        queryset=team_users(),
        null_label=_("Unassigned"),
        widget=widgets.Select,
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Created"), widget=DateRangePickerWidget
    )
    min_votes = django_filters.NumberFilter(
        label=_("Minimum votes"), field_name="vote_count", lookup_expr="gte", min_value=0
    )
    has_response = django_filters.ChoiceFilter(
        label=_("Official response"),
        choices=RESPONSE_CHOICES,
        method="filter_response",
        widget=widgets.Select,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Idea.Status.choices, widget=widgets.Select
    )

    class Meta:
        model = Idea
        fields = []

    def filter_response(self, queryset, name, value):
        if value == "yes":
            return queryset.exclude(response="")
        if value == "no":
            return queryset.filter(response="")
        return queryset


class BoardFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=sources(CampaignPage.objects.order_by("title")),
        required=False,
        empty_label=_("All campaigns"),
    )
