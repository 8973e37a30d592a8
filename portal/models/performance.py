"""Daily snapshot tables of the performance figures (see portal/performance/).

One row is a count of things of one kind on one day: a flow (applications received that day, with a
duration in days for distributions) or a stock (cases open at the end of that day, by state and age).
Pages add rows up over a period, so they cost the same whatever the portal holds.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PerformanceDay(models.Model):
    """A day whose figures were computed, when, and how long it took."""

    day = models.DateField(_("day"), unique=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", help_text=_("Empty for the daily job."))
    seconds = models.FloatField(default=0)
    figures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("performance snapshot day")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"


class PerformanceFigure(models.Model):
    """One count on one day. `indicator` names what is counted; `key` a breakdown (a state, an outcome,
    a centre); `days` a duration for distributions; `aeo_type`, `country`, `sector` the dimensions staff
    filter by (blank where they do not apply)."""

    day = models.DateField()
    stock = models.BooleanField(default=False, help_text=_("Counted at the end of the day rather than during it."))
    indicator = models.CharField(max_length=60)
    key = models.CharField(max_length=80, blank=True)
    days = models.IntegerField(null=True, blank=True)
    aeo_type = models.CharField(max_length=4, blank=True)
    country = models.CharField(max_length=2, blank=True)
    sector = models.CharField(max_length=20, blank=True)
    count = models.IntegerField()

    class Meta:
        verbose_name = _("performance figure")
        indexes = [models.Index(fields=["stock", "day", "indicator"])]

    def __str__(self) -> str:
        return f"{self.day} {self.indicator} {self.key} {self.count}"
