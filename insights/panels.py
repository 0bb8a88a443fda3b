"""The dashboard's panels. A panel is `build(scope) -> dict` with a `title`, a `table`
(`columns`: [(key, label)], `rows`: [dict]) and optionally a `chart` (SVG from insights.charts)
and a `summary` ([(label, value)]). Every table can be exported as CSV or XLSX.

Apps add their own panels with `register(name, build)` (e.g. the moderation figures, wired in
insights' AppConfig.ready once the moderation app is there); they render after the built-in ones
in the order they were registered."""

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import charts, selectors

_panels = {}


def register(name, build):
    _panels[name] = build


def names():
    return list(_panels)


def _cache_key(name, scope):
    parts = (
        name,
        get_language() or "",
        getattr(scope.campaign, "pk", ""),
        scope.since or "",
        scope.until or "",
        getattr(scope.segment, "pk", ""),
    )
    return "insights:" + ":".join(str(part) for part in parts)


def build(name, scope):
    """The panel's figures, kept for INSIGHTS_CACHE_SECONDS for the same filters and language
    (the fault-tolerant cache: without Redis they are computed every time)."""
    seconds = getattr(settings, "INSIGHTS_CACHE_SECONDS", 0)
    key = _cache_key(name, scope)
    panel = cache.get(key) if seconds else None
    if panel is None:
        panel = _build(name, scope)
        if seconds:
            cache.set(key, panel, seconds)
    return panel


def _build(name, scope):
    panel = _panels[name](scope)
    panel.setdefault("name", name)
    panel.setdefault("summary", [])
    panel.setdefault("chart", None)
    table = panel["table"]
    table["cells"] = [[row.get(key) for key, _label in table["columns"]] for row in table["rows"]]
    return panel


def build_all(scope):
    return [build(name, scope) for name in _panels]


def warm(scopes, languages) -> int:
    """Compute the panels of `scopes` in each language and keep them for
    INSIGHTS_CACHE_SECONDS (the `insights.tasks.dashboard_warm` task, every few minutes): the
    views a manager opens first (all campaigns, each campaign, without other filters) are then
    read from the cache. The panels written."""
    from django.utils import translation

    seconds = getattr(settings, "INSIGHTS_CACHE_SECONDS", 0)
    if not seconds:
        return 0
    written = 0
    for language in languages:
        with translation.override(language):
            for scope in scopes:
                for name in _panels:
                    cache.set(_cache_key(name, scope), _build(name, scope), seconds)
                    written += 1
    return written


def percent(share):
    return "—" if share is None else f"{share * 100:.1f}%"


def hours(value):
    return "—" if value is None else _("%(hours)s h") % {"hours": f"{value:g}"}


def _kpi_columns():
    return [("kpi", _("Figure")), ("value", _("Value"))]


def _kpi_panel(name, title, figures, *, unit=""):
    """A panel of a few headline figures: bars of the figures, a table of the same."""
    rows = [{"kpi": label, "value": value} for label, value in figures]
    return {
        "title": title,
        "table": {"columns": _kpi_columns(), "rows": rows},
        "chart": charts.bar_chart(
            f"chart-{name}", title, [r["kpi"] for r in rows], [r["value"] for r in rows], unit
        ),
    }


def members_panel(scope):
    return _kpi_panel(
        "members",
        _("Members and activity"),
        [
            (_("Members"), selectors.members_count(scope)),
            (_("New members"), selectors.new_members_count(scope)),
            (_("Active members (30 days)"), selectors.active_members_count(scope)),
            (_("Ideas"), selectors.ideas_count(scope)),
            (_("Votes"), selectors.votes_count(scope)),
            (_("Comments"), selectors.comments_count(scope)),
        ],
    )


def campaigns_panel(scope):
    rows = selectors.activity_by_campaign(scope)
    title = _("Activity per campaign")
    return {
        "title": title,
        "table": {
            "columns": [
                ("campaign", _("Campaign")),
                ("participants", _("Participants")),
                ("ideas", _("Ideas")),
                ("votes", _("Votes")),
                ("comments", _("Comments")),
            ],
            "rows": rows,
        },
        "chart": charts.bar_chart(
            "chart-campaigns",
            _("Ideas per campaign"),
            [r["campaign"] for r in rows],
            [r["ideas"] for r in rows],
        ),
    }


def weeks_panel(scope):
    rows = selectors.activity_by_week(scope)
    columns = [
        ("week", _("ISO week")),
        ("new_members", _("New members")),
        ("active_members", _("Active members")),
        ("ideas", _("Ideas")),
        ("votes", _("Votes")),
        ("comments", _("Comments")),
    ]
    title = _("Activity per week")
    return {
        "title": title,
        "table": {"columns": columns, "rows": rows},
        "chart": charts.line_chart(
            "chart-weeks",
            title,
            [r["week"] for r in rows],
            [(label, [r[key] for r in rows]) for key, label in columns[1:]],
        ),
    }


def responses_panel(scope):
    answered = selectors.official_response_share(scope)
    first = selectors.first_response_times(scope)
    helpful = selectors.first_helpful_times(scope)
    panel = _kpi_panel(
        "responses",
        _("Time to first team response and first helpful comment (hours)"),
        [
            (_("First team response: median"), first["median_hours"]),
            (_("First team response: 90th percentile"), first["p90_hours"]),
            (_("First helpful comment: median"), helpful["median_hours"]),
            (_("First helpful comment: 90th percentile"), helpful["p90_hours"]),
        ],
        unit=" h",
    )
    panel["title"] = _("Responses")
    panel["summary"] = [
        (_("Ideas with an official response"), percent(answered["share"])),
        (_("Median time to first team response"), hours(first["median_hours"])),
        (_("90th percentile"), hours(first["p90_hours"])),
        (_("Median time to first helpful comment"), hours(helpful["median_hours"])),
    ]
    panel["table"]["rows"].insert(
        0, {"kpi": _("Share of ideas with an official response (%)"), "value": _pct(answered)}
    )
    return panel


def _pct(figures, key="share"):
    share = figures[key]
    return None if share is None else round(share * 100, 1)


def pipeline_panel(scope):
    figures = selectors.pipeline_figures(scope)
    decided = selectors.decided_share(scope, figures=figures)
    roadmap = selectors.roadmap_conversion(scope, figures=figures)
    shipped = selectors.shipped_conversion(scope, figures=figures)
    panel = _kpi_panel(
        "pipeline",
        _("Pipeline (% of ideas)"),
        [
            (_("Decided"), _pct(decided)),
            (_("On the roadmap"), _pct(roadmap)),
            (_("Shipped"), _pct(shipped)),
        ],
        unit="%",
    )
    panel["summary"] = [
        (_("Ideas decided"), percent(decided["share"])),
        (_("Conversion to the roadmap"), percent(roadmap["share"])),
        (_("Conversion to shipped"), percent(shipped["share"])),
    ]
    return panel


def participation_panel(scope):
    staff = selectors.staff_participation(scope)
    helpful = selectors.helpful_share(scope)
    panel = _kpi_panel(
        "participation",
        _("Staff participation and helpful comments (%)"),
        [
            (_("Comments by staff"), _pct(staff, "staff_comment_share")),
            (_("Ideas with a staff reply"), _pct(staff, "staff_reply_share")),
            (_("Comments marked helpful"), _pct(helpful)),
        ],
        unit="%",
    )
    panel["summary"] = [
        (_("Comments by staff"), percent(staff["staff_comment_share"])),
        (_("Ideas with a staff reply"), percent(staff["staff_reply_share"])),
        (_("Comments marked helpful"), percent(helpful["share"])),
    ]
    return panel


def contributors_panel(scope):
    rows = selectors.top_contributors(scope)
    title = _("Top contributors (points)")
    return {
        "title": title,
        "table": {"columns": [("member", _("Member")), ("points", _("Points"))], "rows": rows},
        "chart": charts.bar_chart(
            "chart-contributors", title, [r["member"] for r in rows], [r["points"] for r in rows]
        ),
    }


def visits_panel(scope):
    rows = selectors.visits_by_day(scope)
    title = _("Page views and unique visitors per day")
    columns = [
        ("day", _("Day")),
        ("page_views", _("Page views")),
        ("unique_visitors", _("Unique visitors")),
    ]
    return {
        "title": title,
        "table": {"columns": columns, "rows": rows},
        "chart": charts.line_chart(
            "chart-visits",
            title,
            [r["day"] for r in rows],
            [(label, [r[key] for r in rows]) for key, label in columns[1:]],
        ),
    }


def search_misses_panel(scope):
    rows = selectors.search_misses(scope)
    title = _("Searches that found nothing")
    return {
        "title": title,
        "table": {"columns": [("query", _("Search")), ("searches", _("Times"))], "rows": rows},
        "chart": charts.bar_chart(
            "chart-search-misses",
            title,
            [r["query"] for r in rows],
            [r["searches"] for r in rows],
        ),
    }


def register_defaults():
    register("members", members_panel)
    register("campaigns", campaigns_panel)
    register("weeks", weeks_panel)
    register("responses", responses_panel)
    register("pipeline", pipeline_panel)
    register("participation", participation_panel)
    register("contributors", contributors_panel)
    register("visits", visits_panel)
    register("search_misses", search_misses_panel)
