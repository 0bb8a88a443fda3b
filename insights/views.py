from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from . import exports, panels
from .filters import DashboardFilter
from .permissions import can_view_insights

# Sheet names may not hold these characters.
SHEET_UNSAFE = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _require(request):
    if not can_view_insights(request.user):
        raise PermissionDenied


def dashboard(request):
    _require(request)
    filters = DashboardFilter(request.GET or None)
    scope = filters.scope()
    return TemplateResponse(
        request,
        "insights/dashboard.html",
        {
            "header_title": _("Community dashboard"),
            "filters": filters,
            "filter_error": filters.clean_error() if request.GET else "",
            "panels": panels.build_all(scope),
            "query": request.GET.urlencode(),
        },
    )


def export(request, name, fmt):
    _require(request)
    if name not in panels.names() or fmt not in ("csv", "xlsx"):
        raise Http404
    panel = panels.build(name, DashboardFilter(request.GET or None).scope())
    filename = f"cocrea-{name}-{timezone.localdate().isoformat()}"
    if fmt == "csv":
        return exports.csv_response(panel["table"], filename)
    return exports.xlsx_response(
        panel["table"], filename, str(panel["title"]).translate(SHEET_UNSAFE)
    )


def admin_urls():
    return [
        path("", dashboard, name="dashboard"),
        path("export/<slug:name>.<str:fmt>", export, name="export"),
    ]
