"""The moderation figures (`moderation.selectors.moderation_figures`) as a dashboard panel:
what moderators reviewed in the dashboard's range and campaign, how fast, how many flags were
upheld, and the appeals with their outcomes."""

from django.utils.translation import gettext as _

from moderation.selectors import moderation_figures

from .panels import _kpi_panel, hours, percent


def moderation_panel(scope):
    figures = moderation_figures(since=scope.start, until=scope.end, campaign=scope.campaign)
    wait = figures["median_time_to_decision"]
    wait_hours = None if wait is None else round(wait.total_seconds() / 3600, 1)
    share = figures["flags_upheld_share"]
    panel = _kpi_panel(
        "moderation",
        _("Moderation"),
        [
            (_("Items reviewed"), figures["items_reviewed"]),
            (_("Decisions"), figures["decisions"]),
            (_("Flags upheld"), figures["flags_upheld"]),
            (_("Flags dismissed"), figures["flags"] - figures["flags_upheld"]),
            (_("Appeals"), figures["appeals"]),
            (_("Appeals overturned"), figures["appeals_overturned"]),
            (_("Appeals upheld"), figures["appeals_upheld"]),
            (_("Appeals open"), figures["appeals_open"]),
        ],
    )
    panel["summary"] = [
        (_("Median time to decision"), hours(wait_hours)),
        (_("Share of flags upheld"), percent(share)),
    ]
    panel["table"]["rows"] += [
        {"kpi": _("Median time to decision (hours)"), "value": wait_hours},
        {
            "kpi": _("Share of flags upheld (%)"),
            "value": None if share is None else round(share * 100, 1),
        },
    ]
    return panel
