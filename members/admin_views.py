"""Members and segments in the Wagtail admin: a read-only member directory with a CSV import of
member attributes, the segment snippet (hand-picked members as e-mail lists, a live preview of
who matches while the rules are edited, a CSV import into the “always include” list), and the
interests snippet. Writes go through `members.services`."""

import csv
import io
import re

from django import forms
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
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
from django_countries import countries
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from .models import Interest, Segment, User
from .segments import matching
from .services import (
    IMPORT_COLUMNS,
    member_attributes_import,
    members_by_email,
    segment_include_import,
)

PREVIEW_SAMPLE = 10
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_LISTED = 20


# CSV uploads ----------------------------------------------------------------------------------


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8, comma- or semicolon-separated, at most 5 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 5 MB: split it into several."))
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(
                _("The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again.")
            ) from error
        if not text.strip():
            raise ValidationError(_("The file is empty."))
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        try:
            return [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text), dialect), 1)]
        except csv.Error as error:
            raise ValidationError(
                _("The file is not valid CSV: %(error)s") % {"error": error}
            ) from error


def _header_name(cell):
    name = cell.strip().lower().replace("-", "_").replace(" ", "_")
    return {"e_mail": "email", "mail": "email"}.get(name, name)


class MemberImportForm(CsvUploadForm):
    """A header row is required: `email` and/or `external_id` to find the member, then any of
    the attribute columns."""

    def clean_file(self):
        lines = super().clean_file()
        header = [_header_name(cell) for cell in lines[0][1]]
        unknown = [name for name in header if name and name not in IMPORT_COLUMNS]
        if unknown:
            raise ValidationError(
                _("Unknown column(s): %(unknown)s. The columns can be: %(allowed)s.")
                % {"unknown": ", ".join(unknown), "allowed": ", ".join(IMPORT_COLUMNS)}
            )
        if "email" not in header and "external_id" not in header:
            raise ValidationError(
                _("The first row must name the columns, with “email” or “external_id”.")
            )
        rows = []
        for line, cells in lines[1:]:
            if not any(cell.strip() for cell in cells):
                continue
            rows.append(
                (line, {name: value for name, value in zip(header, cells, strict=False) if name})
            )
        if not rows:
            raise ValidationError(_("The file has a header but no rows."))
        return rows


class SegmentIncludeImportForm(CsvUploadForm):
    """One member per row: an `email` or `external_id` column under a header row, or without a
    header the first column (an e-mail if it contains “@”, else an external id)."""

    def clean_file(self):
        lines = super().clean_file()
        header = [_header_name(cell) for cell in lines[0][1]]
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
    the editor types (see members/admin/segment_preview_panel.html)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "members/admin/segment_preview_panel.html"

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
    return f"wagtailsnippets_members_segment:{name}"


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
        return TemplateResponse(request, "members/admin/segment_preview.html", context)
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
    return TemplateResponse(request, "members/admin/segment_preview.html", context)


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
        "members/admin/segment_import.html",
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


# The member directory -------------------------------------------------------------------------

CONSENT_CHOICES = [("yes", gettext_lazy("Given")), ("no", gettext_lazy("Not given"))]


def country_choices():
    return [(code, name) for code, name in countries]


class MemberFilterSet(WagtailFilterSet):
    country = ChoiceFilter(label=gettext_lazy("Country"), choices=country_choices)
    tier = ChoiceFilter(label=gettext_lazy("Customer tier"), choices=settings.MEMBER_TIERS)
    consent = ChoiceFilter(
        label=gettext_lazy("Marketing consent"), choices=CONSENT_CHOICES, method="filter_consent"
    )
    interest = ModelChoiceFilter(
        label=gettext_lazy("Interest"), field_name="interests", queryset=Interest.objects.all()
    )
    segment = ModelChoiceFilter(
        label=gettext_lazy("Segment"),
        field_name="segment_memberships__segment",
        queryset=Segment.objects.all(),
    )

    class Meta:
        model = User
        fields = []

    def filter_consent(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(marketing_consent_at__isnull=False)
        if value == "no":
            return queryset.filter(marketing_consent_at__isnull=True)
        return queryset


def member_policy():
    return policy_registry.get_by_type(User)


def consent_display(member):
    if member.marketing_consent_at:
        return _("Yes, since %(date)s") % {"date": member.marketing_consent_at.date().isoformat()}
    return _("No")


class MemberIndexView(IndexView):
    filterset_class = MemberFilterSet
    default_ordering = "-date_joined"
    page_title = gettext_lazy("Members")

    def get_base_queryset(self):
        return User.objects.all()

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "username",
                label=_("Member"),
                sort_key="username",
                accessor=lambda m: m.display_name or m.username,
                get_url=lambda m: reverse("member_directory:inspect", args=[m.pk]),
            ),
            Column("email", label=_("E-mail"), sort_key="email"),
            Column("country", label=_("Country"), accessor=lambda m: m.country.name or ""),
            Column(
                "tier",
                label=_("Tier"),
                accessor=lambda m: dict(settings.MEMBER_TIERS).get(m.tier, m.tier),
                sort_key="tier",
            ),
            Column("company", label=_("Company"), sort_key="company"),
            Column("consent", label=_("Marketing e-mails"), accessor=consent_display),
            DateColumn("date_joined", label=_("Joined"), sort_key="date_joined"),
        ]

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if member_policy().user_has_permission(self.request.user, "change"):
            buttons = [
                *buttons,
                HeaderButton(
                    _("Import attributes (CSV)"),
                    url=reverse("member_directory:import"),
                    icon_name="upload",
                ),
            ]
        return buttons


def member_import(request):
    """CSV import of member attributes (country, language, tier, company, external id, and an
    explicit marketing consent), with a report of the rows that did not apply."""
    if not member_policy().user_has_permission(request.user, "change"):
        raise PermissionDenied
    form = MemberImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = member_attributes_import(rows=form.cleaned_data["file"])
        form = MemberImportForm()
    return TemplateResponse(
        request,
        "members/admin/member_import.html",
        {
            "form": form,
            "report": report,
            "columns": IMPORT_COLUMNS,
            "tiers": [label for _value, label in settings.MEMBER_TIERS],
            "index_url": reverse("member_directory:index"),
            "header_title": _("Import member attributes"),
        },
    )


class MemberViewSet(ModelViewSet):
    """Read-only: accounts are edited in Settings › Users (passwords, groups); attributes come
    from members themselves or the import."""

    model = User
    icon = "user"
    menu_label = gettext_lazy("Members")
    menu_order = 261
    add_to_admin_menu = True
    index_view_class = MemberIndexView
    inspect_view_enabled = True
    inspect_view_fields = [
        "username",
        "display_name",
        "email",
        "country",
        "language",
        "tier",
        "company",
        "external_id",
        "interests",
        "marketing_consent_at",
        "date_joined",
        "last_login",
        "is_active",
        "is_staff",
    ]
    copy_view_enabled = False
    add_to_reference_index = False
    list_per_page = 50
    search_fields = ["username", "email", "display_name", "company", "external_id"]
    search_backend_name = None

    def get_common_view_kwargs(self, **kwargs):
        return {
            **super().get_common_view_kwargs(**kwargs),
            "add_url_name": None,
            "edit_url_name": None,
            "delete_url_name": None,
            "usage_url_name": None,
            "history_url_name": None,
        }

    def get_urlpatterns(self):
        # Not super(): it would build the add and edit views, which need a form.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("import/", member_import, name="import"),
        ]

    def register_admin_url_finder(self):
        # Links to a user elsewhere in the admin keep going to Settings › Users.
        pass

    def get_permissions_to_register(self):
        # add/change/delete user are Wagtail's own (Settings › Users); "view" opens this list.
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(User), codename="view_user"
        )
