"""The sub-routes of a campaign page (`/campaigns/<slug>/submit/`, `…/ideas/<id>/`…). The page
does not know the views: the apps that own them register them here in their `AppConfig.ready`
(ideas, voting), and `CampaignPage.get_subpage_urls` serves what is registered, so the
dependency points from the views to the page, never back."""

from django.urls import path, re_path

_routes = {}


def register(route, view, name, *, regex=False):
    """Serve `view(request, campaign=<the page>, **url kwargs)` at `route` below every
    campaign page; `name` is what `campaign.reverse_subpage(name)` takes."""

    def routed(page, request, *args, **kwargs):
        return view(request, *args, campaign=page, **kwargs)

    routed.__name__ = routed.__qualname__ = name
    _routes[name] = (re_path if regex else path)(route, routed, name=name)


def patterns():
    return tuple(_routes.values())
