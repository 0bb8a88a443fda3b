"""Cocrea's own privacy-friendly counters: page views and unique visitors per day, and the
searches that found nothing. No IP address is stored: a visitor is a salted hash of IP and user
agent, the salt is random, valid for one day and deleted with the day's hashes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyVisits(models.Model):
    day = models.DateField(_("day"), primary_key=True)
    page_views = models.PositiveIntegerField(_("page views"), default=0)
    unique_visitors = models.PositiveIntegerField(_("unique visitors"), default=0)

    class Meta:
        verbose_name = _("daily visits")
        verbose_name_plural = _("daily visits")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day}: {self.page_views}/{self.unique_visitors}"


class DailySalt(models.Model):
    """Today's salt. Rows of past days are deleted as the first visit of a day creates its own,
    so yesterday's hashes can never be recomputed."""

    day = models.DateField(primary_key=True)
    salt = models.CharField(max_length=64)

    def __str__(self):
        return str(self.day)


class VisitorHash(models.Model):
    """One visitor seen today (a salted hash, deleted with the day's salt)."""

    day = models.DateField()
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "digest"], name="visitor_once_a_day")]

    def __str__(self):
        return f"{self.day} {self.digest[:8]}"


class SearchMiss(models.Model):
    """A normalised site search query that found nothing, counted per day."""

    day = models.DateField(_("day"))
    query = models.CharField(_("query"), max_length=200)
    count = models.PositiveIntegerField(_("searches"), default=0)

    class Meta:
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="search_miss_once")]

    def __str__(self):
        return f"{self.day} {self.query}: {self.count}"


class DailyVoters(models.Model):
    """The votes roll-up: per day (in the site's time zone), campaign and member, the votes
    cast on ideas that were published when it was built. The dashboard reads it for the days
    before `RollupState.covers_before` and counts later votes live (`insights.rollup`): a
    million votes become a few thousand rows. `insights_rollup` (hourly, Celery beat) rebuilds
    it from the votes; it is never the source of truth."""

    day = models.DateField(_("day"))
    campaign = models.ForeignKey(
        "campaigns.CampaignPage", on_delete=models.CASCADE, related_name="+"
    )
    # Indexed with the day (below): a segment's votes are one range per member.
    member = models.ForeignKey(
        "members.User", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    votes = models.PositiveIntegerField(_("votes"))

    class Meta:
        verbose_name = _("votes per day")
        verbose_name_plural = _("votes per day")
        constraints = [
            models.UniqueConstraint(fields=["day", "campaign", "member"], name="daily_voters_once")
        ]
        indexes = [
            models.Index(fields=["campaign", "day"], name="daily_voters_campaign"),
            models.Index(fields=["member", "day"], name="daily_voters_member"),
        ]

    def __str__(self):
        return f"{self.day} {self.campaign_id} {self.member_id}: {self.votes}"


class DailyVotes(models.Model):
    """The votes roll-up without members: per day and campaign, the votes (the sum of that
    day's `DailyVoters`), for the figures of every member."""

    day = models.DateField(_("day"))
    campaign = models.ForeignKey(
        "campaigns.CampaignPage", on_delete=models.CASCADE, related_name="+"
    )
    votes = models.PositiveIntegerField(_("votes"))

    class Meta:
        verbose_name = _("votes per day and campaign")
        verbose_name_plural = _("votes per day and campaign")
        constraints = [models.UniqueConstraint(fields=["day", "campaign"], name="daily_votes_once")]

    def __str__(self):
        return f"{self.day} {self.campaign_id}: {self.votes}"


class DailyActive(models.Model):
    """The activity roll-up: one row per day, campaign and member who posted an idea, voted or
    commented there that day (on ideas published when it was built). "Who took part" over any
    range of days is then one index probe per member (`insights.rollup`), not a DISTINCT over
    every vote. Rebuilt with `DailyVoters`; never the source of truth."""

    day = models.DateField(_("day"))
    # Both indexed in the composite indexes below.
    campaign = models.ForeignKey(
        "campaigns.CampaignPage", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    member = models.ForeignKey(
        "members.User", on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("members active per day")
        verbose_name_plural = _("members active per day")
        constraints = [
            models.UniqueConstraint(fields=["day", "campaign", "member"], name="daily_active_once")
        ]
        indexes = [
            models.Index(fields=["member", "day"], name="daily_active_member"),
            models.Index(fields=["campaign", "member", "day"], name="daily_active_campaign"),
        ]

    def __str__(self):
        return f"{self.day} {self.campaign_id} {self.member_id}"


class WeeklyActive(models.Model):
    """The same roll-up per ISO week (its Monday), for the weeks the roll-up holds whole: one
    row per week, campaign and member, and one per week and member with no campaign (active in
    any campaign), so a week's active members are counted without a DISTINCT."""

    week = models.DateField(_("week"))
    campaign = models.ForeignKey(
        "campaigns.CampaignPage", null=True, on_delete=models.CASCADE, related_name="+"
    )
    member = models.ForeignKey("members.User", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("members active per week")
        verbose_name_plural = _("members active per week")
        indexes = [
            models.Index(fields=["campaign", "member", "week"], name="weekly_active_campaign")
        ]

    def __str__(self):
        return f"{self.week} {self.campaign_id} {self.member_id}"


class RollupState(models.Model):
    """What a roll-up holds: every day before `covers_before`, and of that day what happened
    before `covers_until` (its midnight when the roll-up was cut at a day), as of `built_at`."""

    name = models.CharField(max_length=32, primary_key=True)
    covers_before = models.DateField()
    covers_until = models.DateTimeField(null=True)
    built_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name}: before {self.covers_before} ({self.built_at:%Y-%m-%d %H:%M})"
