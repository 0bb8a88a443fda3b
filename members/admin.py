"""The member directory in the Wagtail admin: a read-only list of members with filters and a
CSV import of member attributes; suspending and lifting (moderators) and the "Suspended
members" list. Writes go through `members.services`. Other apps add filters (segments adds
"Segment") with `MemberFilterSet.extra_filters`."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import policy_registry

from core.exceptions import NotAllowed
from core.forms import CsvUploadForm, header_name

from .models import Interest, Suspension, User
from .permissions import can_moderate, can_suspend, suspension_in_force
from .services import (
    IMPORT_COLUMNS,
    REASON_MAX,
    member_attributes_import,
    member_suspend,
    member_suspension_lift,
)


class MemberImportForm(CsvUploadForm):
    """A header row is required: `email` and/or `external_id` to find the member, then any of
    the attribute columns."""

    def clean_file(self):
        lines = super().clean_file()
        header = [header_name(cell) for cell in lines[0][1]]
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

    class Meta:
        model = User
        fields = []

    def filter_consent(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(marketing_consent_at__isnull=False)
        if value == "no":
            return queryset.filter(marketing_consent_at__isnull=True)
        return queryset


def add_member_filter(name, filter_):
    """Another app's filter on the member directory (segments adds "Segment"): members know
    nothing of the apps built on them."""
    MemberFilterSet.base_filters[name] = filter_


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
        suspended = Suspension.objects.in_force().filter(member=OuterRef("pk"))
        return User.objects.annotate(is_suspended=Exists(suspended))

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
            *(
                [
                    Column(
                        "is_suspended",
                        label=_("Suspended"),
                        accessor=lambda m: _("Suspended") if m.is_suspended else "",
                    )
                ]
                if can_moderate(self.request.user)
                else []
            ),
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


class MemberInspectView(InspectView):
    @cached_property
    def header_buttons(self):
        """Moderators suspend a member, or lift their suspension, from here."""
        member = self.object
        if not can_suspend(self.request.user, member):
            return []
        if suspension_in_force(member) is not None:
            return [
                HeaderButton(
                    _("Lift the suspension"),
                    url=reverse("member_directory:lift", args=[member.pk]),
                    icon_name="lock-open",
                )
            ]
        return [
            HeaderButton(
                _("Suspend"),
                url=reverse("member_directory:suspend", args=[member.pk]),
                icon_name="lock",
            )
        ]


class MemberViewSet(ModelViewSet):
    """Read-only: accounts are edited in Settings › Users (passwords, groups); attributes come
    from members themselves or the import."""

    model = User
    icon = "user"
    menu_label = gettext_lazy("Members")
    menu_order = 261
    add_to_admin_menu = True
    index_view_class = MemberIndexView
    inspect_view_class = MemberInspectView
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
        # Who the brand's app says they are (identify links, docs/sign-in.md).
        "external_identities",
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
            path("<int:pk>/suspend/", member_suspend_view, name="suspend"),
            path("<int:pk>/lift/", member_suspension_lift_view, name="lift"),
        ]

    def register_admin_url_finder(self):
        # Links to a user elsewhere in the admin keep going to Settings › Users.
        pass

    def get_permissions_to_register(self):
        # add/change/delete user are Wagtail's own (Settings › Users); "view" opens this list.
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(User), codename="view_user"
        )


# Suspensions (moderators) ---------------------------------------------------------------------


class SuspensionForm(forms.Form):
    until = forms.DateField(
        label=gettext_lazy("Suspended until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The member may post again from this day on."),
    )
    permanent = forms.BooleanField(label=gettext_lazy("Permanently"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The member reads it in the e-mail that tells them."),
        error_messages={"required": gettext_lazy("Say why: the member reads the reason.")},
    )

    def clean(self):
        data = super().clean()
        until, permanent = data.get("until"), data.get("permanent")
        if until and permanent:
            self.add_error("until", _("Choose a date or “Permanently”, not both."))
        elif not until and not permanent and "until" not in self.errors:
            self.add_error("until", _("Choose the day the suspension ends, or “Permanently”."))
        elif until and until <= timezone.localdate():
            self.add_error("until", _("Choose a day in the future."))
        return data

    def until_moment(self):
        """The start of the chosen day in the site's time zone (None: permanently)."""
        day = self.cleaned_data.get("until")
        if not day:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class LiftForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _require_moderator(request):
    if not can_moderate(request.user):
        raise PermissionDenied


def member_suspend_view(request, pk):
    _require_moderator(request)
    member = get_object_or_404(User, pk=pk)
    if not can_suspend(request.user, member):
        messages.error(
            request, _("Staff members, superusers and yourself cannot be suspended here.")
        )
        return redirect("suspended_members:index")
    form = SuspensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_suspend(
                member=member,
                until=form.until_moment(),
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except NotAllowed as refused:
            messages.error(request, refused.reason)
        else:
            messages.success(
                request, _("%(member)s is suspended and told by e-mail.") % {"member": member}
            )
            return redirect("suspended_members:index")
    return TemplateResponse(
        request,
        "members/admin/member_suspend.html",
        {
            "form": form,
            "member": member,
            "current": suspension_in_force(member),
            "header_title": _("Suspend %(member)s") % {"member": member},
            "index_url": reverse("suspended_members:index"),
        },
    )


def member_suspension_lift_view(request, pk):
    _require_moderator(request)
    member = get_object_or_404(User, pk=pk)
    current = suspension_in_force(member)
    form = LiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_suspension_lift(
                member=member, actor=request.user, note=form.cleaned_data["note"]
            )
        except NotAllowed as refused:
            messages.error(request, refused.reason)
        else:
            messages.success(
                request,
                _("The suspension of %(member)s is lifted; they are told by e-mail.")
                % {"member": member},
            )
        return redirect("suspended_members:index")
    return TemplateResponse(
        request,
        "members/admin/member_suspension_lift.html",
        {
            "form": form,
            "member": member,
            "current": current,
            "header_title": _("Lift the suspension of %(member)s") % {"member": member},
            "index_url": reverse("suspended_members:index"),
        },
    )


SUSPENSION_LISTS = {"current": gettext_lazy("In force"), "all": gettext_lazy("History")}


def suspended_members_view(request):
    """Members suspended now (or, with `?show=all`, every suspension ever made), newest first."""
    _require_moderator(request)
    show = request.GET.get("show") if request.GET.get("show") in SUSPENSION_LISTS else "current"
    suspensions = Suspension.objects.select_related("member", "created_by", "lifted_by")
    if show == "current":
        suspensions = suspensions.in_force()
    page = Paginator(suspensions, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "members/admin/suspended_members.html",
        {
            "page": page,
            "show": show,
            "lists": SUSPENSION_LISTS,
            "now": timezone.now(),
            "header_title": _("Suspended members"),
            "directory_url": reverse("member_directory:index"),
        },
    )


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate(request.user)


class SuspendedMemberViewSet(ViewSet):
    icon = "warning"
    menu_label = gettext_lazy("Suspended members")
    menu_order = 262
    add_to_admin_menu = True
    menu_item_class = ModeratorMenuItem

    def get_urlpatterns(self):
        return [path("", suspended_members_view, name="index")]
