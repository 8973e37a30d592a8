from portal.models.audit import AuditEvent
from portal.models.files import StoredFile
from portal.models.notifications import Notification, NotificationPreference
from portal.models.organisations import (
    Invitation,
    Membership,
    Organisation,
    OrganisationDocument,
    Role,
    Sector,
)
from portal.models.partners import PartnerClient
from portal.models.performance import PerformanceDay, PerformanceFigure
from portal.models.tokens import ApiToken
from portal.models.users import User
from portal.models.webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Invitation",
    "Membership",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "OrganisationDocument",
    "PartnerClient",
    "PerformanceDay",
    "PerformanceFigure",
    "Role",
    "Sector",
    "StoredFile",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
]
