"""Partner administrations of mutual-recognition agreements, and the API clients customs issues to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class PartnerClientQuerySet(models.QuerySet["PartnerClient"]):
    def active(self) -> PartnerClientQuerySet:
        return self.filter(revoked_at__isnull=True)


class PartnerClient(models.Model):
    """A partner customs administration's API credential, issued by a programme administrator.

    It is no user and belongs to no organisation: with it the partner reads the status of the
    authorisations whose holders consented to exchange with mutual-recognition partners, and nothing
    else. The secret is shown once; only its SHA-256 is stored.
    """

    class Scope(models.TextChoices):
        MRA = "mra", _("AEO status of consenting holders (mutual recognition)")

    name = models.CharField(_("administration"), max_length=200)
    country = CountryField(_("country"))
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.MRA)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PartnerClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner administration client")
        ordering = ["country", "name"]

    def __str__(self) -> str:
        # A CountryField gives a Country; the stubs see the str of the CharField it extends.
        return f"{self.name} ({self.country.code})"  # type: ignore[attr-defined]

    @property
    def is_authenticated(self) -> bool:  # DRF's throttles and permissions ask the credential this
        return self.revoked_at is None
