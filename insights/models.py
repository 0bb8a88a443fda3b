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
