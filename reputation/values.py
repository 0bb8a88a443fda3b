"""The points and thresholds in force: the default site's `ReputationSettings` (one query), the
field defaults while no row exists. Not cached: a page that shows levels always pays the same
one query, and a change in the admin applies at once on every process."""

from .models import ReputationSettings


def current() -> ReputationSettings:
    return (
        ReputationSettings.base_queryset().filter(site__is_default_site=True).first()
        or ReputationSettings()
    )
