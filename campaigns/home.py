"""What campaigns add to the home page (registered with `cms.home` in `apps.py`)."""

from cms.routing import cached_page

from .models import CampaignPage, Phase
from .selectors import campaigns_live


def home_context(request):
    campaigns = list(campaigns_live(user=request.user))
    return {
        "open_campaigns": [c for c in campaigns if c.phase in (Phase.OPEN, Phase.VOTING)],
        "upcoming_campaigns": [c for c in campaigns if c.phase == Phase.UPCOMING],
    }


def fast_route(home, request, path_components):
    """/<index>/<campaign>/… found with one query instead of one per tree level."""
    if len(path_components) < 2:
        return None
    url_path = f"{home.url_path}{path_components[0]}/{path_components[1]}/"
    campaign = cached_page(
        "campaign", url_path, lambda: CampaignPage.objects.filter(url_path=url_path).first()
    )
    if campaign is None:
        return None
    return campaign.route(request, path_components[2:])
