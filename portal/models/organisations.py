from __future__ import annotations

from typing import cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from portal.models.files import StoredFile


class Sector(models.TextChoices):
    """Industry sectors, one per Centre of Excellence and Expertise."""

    AGRICULTURE = "agriculture", _("Agriculture and prepared products")
    APPAREL = "apparel", _("Apparel, footwear and textiles")
    AUTOMOTIVE = "automotive", _("Automotive and aerospace")
    BASE_METALS = "base_metals", _("Base metals")
    CONSUMER = "consumer", _("Consumer products and mass merchandising")
    ELECTRONICS = "electronics", _("Electronics")
    INDUSTRIAL = "industrial", _("Industrial and manufacturing materials")
    MACHINERY = "machinery", _("Machinery")
    PETROLEUM = "petroleum", _("Petroleum, natural gas and minerals")
    PHARMA = "pharma", _("Pharmaceuticals, health and chemicals")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")
    CONSULTANT = "consultant", _("Consultant")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user) -> OrganisationQuerySet:
        """Organisations the user belongs to (staff see all of them in the admin only)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        OPERATOR = "operator", _("Economic operator")
        ASSOCIATION = "association", _("Trade association")
        CUSTOMS = "customs", _("Customs administration")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    identifier = models.CharField(
        _("identifier"), max_length=40, help_text=_("EORI, tax number or national registration number.")
    )
    country = CountryField(_("country"))
    sector = models.CharField(
        _("main industry sector"), max_length=20, choices=Sector.choices, blank=True,
        help_text=_("For economic operators: decides which Centre of Excellence advises you."),
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("town or city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        editable=False,
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]
        permissions = [("verify_organisation", "Can verify organisations")]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "identifier"], name="organisation_identifier_unique_per_country",
                violation_error_message=_("An organisation with this identifier is already registered "
                                          "in this country."),
            ),
            models.CheckConstraint(
                condition=Q(kind="operator") | Q(sector=""), name="organisation_sector_only_for_operators"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation_detail", args=[self.pk])

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def missing_profile_fields(self) -> list[str]:
        """What the profile still lacks before the organisation can apply for anything."""
        required = ["name", "identifier", "country", "street", "postcode", "city"]
        if self.kind == self.Kind.OPERATOR:
            required.append("sector")
        # All are the model's own fields; get_field may also answer with a reverse relation, which has no label.
        return [str(cast(models.Field, self._meta.get_field(f)).verbose_name) for f in required if not getattr(self, f)]


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.organisation}"


class Invitation(models.Model):
    """An e-mailed, expiring, single-use link to join an organisation. Only a hash of the token is kept."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one open invitation per address and organisation.
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class OrganisationDocument(StoredFile):
    """Proof of registration and similar papers that customs looks at when verifying an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="documents")
    description = models.CharField(_("what it is"), max_length=200)

    class Meta(StoredFile.Meta):
        verbose_name = _("organisation document")
        ordering = ["-uploaded_at"]

    def get_download_url(self) -> str:
        return reverse("organisation_document_download", args=[self.organisation_id, self.pk])
