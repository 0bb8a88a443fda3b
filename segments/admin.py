"""Segments in the Wagtail admin: the segment snippet (hand-picked members as e-mail lists, a
live preview of who matches while the rules are edited, a CSV import into the “always include”
list) and the interests snippet. Writes go through `segments.services`."""

import re

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import Button
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from core.forms import CsvUploadForm, header_name
from members.imports import members_by_email
from members.models import Interest, User

from .models import Segment
from .rules import matching
from .services import segment_include_import

PREVIEW_SAMPLE = 10
MAX_LISTED = 20


class SegmentIncludeImportForm(CsvUploadForm):
    """One member per row: an `email` or `external_id` column under a header row, or without a
    header the first column (an e-mail if it contains “@”, else an external id)."""

    def clean_file(self):
        lines = super().clean_file()
        header = [header_name(cell) for cell in lines[0][1]]
        rows = []
        if "email" in header or "external_id" in header:
            for line, cells in lines[1:]:
                row = dict(zip(header, cells, strict=False))
                email = row.get("email", "").strip()
                external_id = row.get("external_id", "").strip()
                if email:
                    rows.append((line, "email", email))
                elif external_id:
                    rows.append((line, "external_id", external_id))
                elif any(cell.strip() for cell in cells):
                    rows.append((line, "email", ""))
        else:
            for line, cells in lines:
                value = cells[0].strip() if cells else ""
                if value:
                    rows.append((line, "email" if "@" in value else "external_id", value))
        if not rows:
            raise ValidationError(_("The file has no e-mail addresses or external ids."))
        return rows


# Segments -------------------------------------------------------------------------------------

EMAIL_SEPARATORS = re.compile(r"[\s,;]+")


def parse_email_list(text):
    """(member ids, invalid entries, unknown e-mails) for a textarea of e-mail addresses."""
    entries = [e for e in EMAIL_SEPARATORS.split(text or "") if e]
    invalid, emails = [], []
    for entry in entries:
        try:
            validate_email(entry)
        except ValidationError:
            invalid.append(entry)
        else:
            emails.append(entry)
    found = members_by_email(emails)
    ids, unknown = set(), []
    for email in emails:
        members = found.get(email.lower())
        if members:
            ids.update(m.pk for m in members)
        elif email not in unknown:
            unknown.append(email)
    return ids, invalid, unknown


def _listed(values):
    shown = ", ".join(values[:MAX_LISTED])
    if len(values) > MAX_LISTED:
        shown += " " + _("and %(n)d more") % {"n": len(values) - MAX_LISTED}
    return shown


class SegmentAdminForm(WagtailAdminModelForm):
    """Hand-picked members as one e-mail address per line: usable with thousands of members,
    unlike a multiple select."""

    include_emails = forms.CharField(
        label=gettext_lazy("Always include"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "One e-mail address per line: these members are in the segment whatever the rules."
        ),
    )
    exclude_emails = forms.CharField(
        label=gettext_lazy("Always exclude"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "One e-mail address per line: these members are never in the segment."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name, relation in (("include_emails", "include"), ("exclude_emails", "exclude")):
                self.initial[name] = "\n".join(
                    getattr(self.instance, relation)
                    .exclude(email="")
                    .order_by("email")
                    .values_list("email", flat=True)
                )

    def _clean_emails(self, name):
        ids, invalid, unknown = parse_email_list(self.cleaned_data.get(name, ""))
        errors = []
        if invalid:
            errors.append(_("Not e-mail addresses: %(list)s.") % {"list": _listed(invalid)})
        if unknown:
            errors.append(
                _("No member has these e-mail addresses: %(list)s.") % {"list": _listed(unknown)}
            )
        if errors:
            raise ValidationError(errors)
        return ids

    def clean_include_emails(self):
        return self._clean_emails("include_emails")

    def clean_exclude_emails(self):
        return self._clean_emails("exclude_emails")

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("include_emails") or ()) & set(cleaned.get("exclude_emails") or ())
        if both:
            emails = sorted(User.objects.filter(pk__in=both).values_list("email", flat=True))
            self.add_error(
                "exclude_emails",
                _("These members are both included and excluded: %(list)s.")
                % {"list": _listed(emails)},
            )
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.include.set(self.cleaned_data.get("include_emails") or ())
        self.instance.exclude.set(self.cleaned_data.get("exclude_emails") or ())


class SegmentPreviewPanel(Panel):
    """Who matches the rules as they are being edited: a count and a sample, refreshed while
    the editor types (see segments/admin/segment_preview_panel.html)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "segments/admin/segment_preview_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["preview_url"] = reverse(segment_url_name("members_preview"))
            context["segment"] = self.instance
            if self.instance and self.instance.pk:
                context["import_url"] = reverse(
                    segment_url_name("import_include"), args=[self.instance.pk]
                )
            return context


def segment_url_name(name):
    return f"wagtailsnippets_segments_segment:{name}"


def segment_policy():
    return policy_registry.get_by_type(Segment)


def _stream_rules(data):
    """The rules of an unsaved segment form, validated like the form does, or raise
    ValidationError."""
    block = Segment._meta.get_field("rules").stream_block
    return block.clean(block.value_from_datadict(data, {}, "rules"))


@require_POST
def segment_members_preview(request):
    """The live preview: posts the whole segment form and answers with the count and a sample
    of the members the unsaved definition matches. Editing segments is the permission."""
    if not segment_policy().user_has_any_permission(request.user, ["add", "change"]):
        # A plain 403, not the admin's redirect: the answer is shown inside the edit form.
        return HttpResponseForbidden(_("You may not edit segments."))
    context = {"sample_size": PREVIEW_SAMPLE, "notes": []}
    try:
        rules = _stream_rules(request.POST)
    except ValidationError:
        context["invalid_rules"] = True
        return TemplateResponse(request, "segments/admin/segment_preview.html", context)
    match = request.POST.get("match")
    if match not in Segment.Match.values:
        match = Segment.Match.ALL
    include, _invalid, unknown_in = parse_email_list(request.POST.get("include_emails", ""))
    exclude, _invalid, unknown_out = parse_email_list(request.POST.get("exclude_emails", ""))
    if unknown_in or unknown_out:
        context["notes"].append(
            _("Unknown e-mail addresses are left out: %(list)s.")
            % {"list": _listed(unknown_in + unknown_out)}
        )
    members = matching(Segment(), match=match, rules=rules, include=include, exclude=exclude)
    context["count"] = members.count()
    context["sample"] = list(
        members.order_by("-date_joined", "-pk").only("pk", "username", "display_name", "email")[
            :PREVIEW_SAMPLE
        ]
    )
    context["has_rules"] = bool(list(rules)) or bool(include)
    return TemplateResponse(request, "segments/admin/segment_preview.html", context)


def segment_import_include(request, pk):
    """CSV import of members into a segment's “always include” list, with a report."""
    segment = get_object_or_404(Segment, pk=pk)
    if not segment_policy().user_has_permission_for_instance(request.user, "change", segment):
        raise PermissionDenied
    form = SegmentIncludeImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = segment_include_import(segment=segment, rows=form.cleaned_data["file"])
        form = SegmentIncludeImportForm()
    return TemplateResponse(
        request,
        "segments/admin/segment_import.html",
        {
            "segment": segment,
            "form": form,
            "report": report,
            "edit_url": reverse(segment_url_name("edit"), args=[segment.pk]),
            "header_title": _("Import members into “%(segment)s”") % {"segment": segment},
        },
    )


class SegmentEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("Import members (CSV)"),
                url=reverse(segment_url_name("import_include"), args=[self.object.pk]),
                icon_name="upload",
                priority=30,
            ),
        ]


class SegmentViewSet(SnippetViewSet):
    model = Segment
    icon = "group"
    menu_label = gettext_lazy("Segments")
    edit_view_class = SegmentEditView
    copy_view_enabled = False
    list_display = [
        "name",
        Column("member_count", label=gettext_lazy("Members"), sort_key="member_count"),
        DateColumn("refreshed_at", label=gettext_lazy("Refreshed"), sort_key="refreshed_at"),
    ]
    search_fields = ["name", "description"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("description"),
            MultiFieldPanel(
                [FieldPanel("match"), FieldPanel("rules")],
                heading=gettext_lazy("Rules"),
                help_text=gettext_lazy(
                    "Members who match the rules are in the segment. No rules: only the "
                    "members included by hand."
                ),
            ),
            MultiFieldPanel(
                [FieldPanel("include_emails"), FieldPanel("exclude_emails")],
                heading=gettext_lazy("Hand-picked members"),
            ),
            SegmentPreviewPanel(heading=gettext_lazy("Who matches")),
        ],
        base_form_class=SegmentAdminForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("members-preview/", segment_members_preview, name="members_preview"),
            path("import/<int:pk>/", segment_import_include, name="import_include"),
        ]


class InterestViewSet(SnippetViewSet):
    model = Interest
    icon = "tag"
    menu_label = gettext_lazy("Interests")
    list_display = ["name", "slug"]
    copy_view_enabled = False


class SegmentsGroup(SnippetViewSetGroup):
    items = (SegmentViewSet, InterestViewSet)
    menu_icon = "group"
    menu_label = gettext_lazy("Segments")
    menu_order = 262
