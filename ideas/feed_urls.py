from django.urls import path

from .feeds import CampaignAtomFeed, CampaignFeed, ChangelogAtomFeed, ChangelogFeed

app_name = "feeds"
urlpatterns = [
    path("changelog/", ChangelogFeed(), name="changelog"),
    path("changelog/atom/", ChangelogAtomFeed(), name="changelog_atom"),
    path("campaigns/<slug:slug>/", CampaignFeed(), name="campaign"),
    path("campaigns/<slug:slug>/atom/", CampaignAtomFeed(), name="campaign_atom"),
]
