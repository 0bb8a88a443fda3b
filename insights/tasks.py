from celery import shared_task
from django.conf import settings

from . import panels
from .rollup import rollup_rebuild, rollup_refresh
from .selectors import Scope


@shared_task(name="insights.tasks.rollup_votes", ignore_result=True)
def rollup_votes():
    """Hourly (CELERY_BEAT_SCHEDULE): the dashboard's roll-up brought up to now (the days
    since the last one rebuilt, the older ones kept)."""
    return rollup_refresh()


@shared_task(name="insights.tasks.rollup_rebuild", ignore_result=True)
def rollup_rebuild_all():
    """Nightly (CELERY_BEAT_SCHEDULE): the whole roll-up rebuilt from the votes, ideas and
    comments (what left "published" since leaves the older days too)."""
    return rollup_rebuild()


@shared_task(name="insights.tasks.dashboard_warm", ignore_result=True)
def dashboard_warm():
    """Every INSIGHTS_WARM_SECONDS: the unfiltered dashboard and each live campaign's, in every
    language, computed ahead so that opening the dashboard reads them from the cache."""
    from campaigns.models import CampaignPage

    scopes = [Scope()] + [
        Scope(campaign=campaign) for campaign in CampaignPage.objects.live().specific()
    ]
    return panels.warm(scopes, [code for code, _name in settings.LANGUAGES])
