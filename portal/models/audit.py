from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What each action is called on timelines; apps add theirs with register_actions().
ACTION_LABELS: dict[str, str] = {}


def register_actions(labels: dict) -> None:
    ACTION_LABELS.update(labels)


register_actions({
    "organisation.created": _("Organisation registered"),
    "admin.added": _("Added in the back office"),
    "admin.changed": _("Changed in the back office"),
    "admin.deleted": _("Deleted in the back office"),
    "user.updated": _("Name changed by staff"),
    "user.deactivated": _("Account deactivated"),
    "user.reactivated": _("Account reactivated"),
    "staff.access_granted": _("Staff access granted"),
    "staff.access_removed": _("Staff access removed"),
    "staff.role_granted": _("Staff role granted"),
    "staff.role_removed": _("Staff role removed"),
    "organisation.updated": _("Profile updated"),
    "organisation.verified": _("Verified by customs"),
    "organisation.unverified": _("To be verified again after a change of identity"),
    "organisation.document_added": _("Document uploaded"),
    "organisation.document_removed": _("Document removed"),
    "invitation.created": _("Invitation sent"),
    "invitation.accepted": _("Invitation accepted"),
    "invitation.revoked": _("Invitation withdrawn"),
    "membership.role_changed": _("Role changed"),
    "membership.removed": _("Member removed"),
    "membership.left": _("Member left"),
    "api_token.created": _("API token created"),
    "api_token.revoked": _("API token revoked"),
})


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_target(self, target: models.Model) -> AuditEventQuerySet:
        return self.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
        ).select_related("actor")

    def update(self, **kwargs):
        raise TypeError("Audit events are append-only")

    def delete(self):
        raise TypeError("Audit events are append-only")


class AuditEvent(models.Model):
    """Who did what to which object, when, and from which state to which. Never changed or deleted.

    Written only by `portal.services.audit.audit_record`, from inside the service that made the change.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Empty for the system (scheduled jobs)."),
    )
    action = models.CharField(_("action"), max_length=80)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("target"), max_length=200)
    organisation = models.ForeignKey(
        "portal.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The organisation whose timeline shows this event."),
    )
    from_state = models.CharField(_("from"), max_length=40, blank=True)
    to_state = models.CharField(_("to"), max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only")

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action.replace(".", " ").replace("_", " ").capitalize()))
