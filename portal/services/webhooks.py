"""Webhooks: an organisation's systems are told of what changed, through the portal's durable outbox.

- **Where events come from.** Every change the portal makes writes an audit event in the change's own
  transaction. Each app says, once, which audit actions are webhook events, of which kind and for which
  organisations (`register_audit_event`, called from its `AppConfig.ready()`); `deliveries_record` is
  the one hook, run for every new audit event. It writes one `WebhookDelivery` row per event and
  subscribed endpoint in that same transaction, and nudges the delivery task after commit: the change
  never waits on a subscriber, and an event is never lost because a worker or the broker was down.
- **Delivery** (`deliveries_deliver`, on the `webhooks` queue) claims a row with a lease in a short
  transaction, posts outside any transaction, and records the answer. 2xx is delivered; anything else
  backs off (`WEBHOOK_RETRY_SECONDS` × 4ⁿ, at most six hours) and is given up (`dead`) after
  `WEBHOOK_MAX_ATTEMPTS`. The sweep picks up every due row the nudge or a retry missed.
- **Signatures** follow Standard Webhooks: `webhook-id` (the same on every attempt: the receiver's
  idempotency key), `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature`
  (`v1,` and the base64 HMAC-SHA256 of "id.timestamp.body" with the endpoint's secret).
- **SSRF.** Only https URLs (unless `WEBHOOK_ALLOW_HTTP`), and every address the host name resolves
  to must be public (unless `WEBHOOK_ALLOW_PRIVATE_ADDRESSES`): checked on registration and again at
  each delivery, which then connects to the address it checked (a name cannot be re-pointed between
  the check and the connection). Redirects are not followed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import AuditEvent, Organisation, User, WebhookDelivery, WebhookEndpoint
from portal.services.audit import audit_record
from portal.work import SWEEP_BATCH, enqueue_on_commit

logger = logging.getLogger(__name__)
Status = WebhookDelivery.Status

MAX_BACKOFF_SECONDS = 6 * 3600
RESPONSE_KEPT_CHARS = 1000
USER_AGENT = "CustomsBusinessPortal-Webhooks/1"


# --- What is an event, for whom -------------------------------------------------------------------------

@dataclass(frozen=True)
class WebhookEvent:
    kind: str
    organisation_ids: frozenset[int | None]  # an audit event's organisation may be None: no endpoint hears it
    data: dict[str, Any]  # the event's JSON payload


EVENT_KINDS: dict[str, str] = {"webhook.test": "A test event, sent when you ask for one"}
# audit action → function of the audit event returning the webhook events it makes
PRODUCERS: dict[str, list[Callable[[AuditEvent], Iterable[WebhookEvent]]]] = {}


def register_event_kinds(kinds: dict[str, str]) -> None:
    EVENT_KINDS.update(kinds)


def register_audit_event(actions: Iterable[str], producer: Callable[[AuditEvent], Iterable[WebhookEvent]]) -> None:
    """`producer(event)` says which webhook events an audit event with one of `actions` makes."""
    for action in actions:
        PRODUCERS.setdefault(action, []).append(producer)


def deliveries_record(event: AuditEvent) -> list[WebhookDelivery]:
    """The one hook: turn a new audit event into delivery rows, in its transaction, and nudge them after commit.

    Costs nothing for actions that are no webhook event, and one query for endpoints otherwise.
    """
    producers = PRODUCERS.get(event.action)
    if not producers:
        return []
    events = [e for producer in producers for e in producer(event)]
    organisation_ids = {o for e in events for o in e.organisation_ids if o}
    if not organisation_ids:
        return []
    endpoints = list(WebhookEndpoint.objects.filter(organisation_id__in=organisation_ids, disabled_at__isnull=True))
    rows = []
    for webhook_event in events:
        event_id = uuid.uuid4()  # one message, the same id at every endpoint and on every attempt
        payload = {"type": webhook_event.kind, "timestamp": event.created_at.isoformat(), "data": webhook_event.data}
        for endpoint in endpoints:
            wanted = webhook_event.kind in endpoint.event_kinds
            if wanted and endpoint.organisation_id in webhook_event.organisation_ids:
                rows.append(WebhookDelivery(endpoint=endpoint, event_id=event_id, kind=webhook_event.kind,
                                            payload={**payload, "organisation": endpoint.organisation_id}))
    if rows:
        WebhookDelivery.objects.bulk_create(rows)
        _nudge([row.pk for row in rows])
    return rows


def _nudge(ids: list[int]) -> None:
    from portal.tasks import deliver_webhooks

    enqueue_on_commit(deliver_webhooks, ids)


# --- Registering endpoints --------------------------------------------------------------------------------

def url_refusal(url: str) -> str | None:
    """Why the portal will not post to this URL, or None. Resolves the name: every address must be public."""
    try:
        _addresses(url)
    except ValidationError as error:
        return error.messages[0]
    return None


def _addresses(url: str) -> tuple[str, int, list[str]]:
    """(host name, port, the addresses to connect to), or a ValidationError saying why not."""
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.WEBHOOK_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed:
        raise ValidationError(_("Give an https:// address."))
    if not parts.hostname or parts.username or parts.password:
        raise ValidationError(_("Give a full address such as https://erp.example.com/portal-events, "
                                "without a user name or password in it."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValidationError(_("The port in this address is not a number from 1 to 65535.")) from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ValidationError(_("%(host)s could not be found. Check the address.") % {"host": parts.hostname}) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))  # the host of each (host, port, …)
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise ValidationError(_("%(host)s leads to a private, loopback or link-local address (%(ip)s); the "
                                        "portal only sends events to public addresses.")
                                      % {"host": parts.hostname, "ip": address})
    return parts.hostname, port, addresses


def _clean_kinds(kinds: Iterable[str]) -> list[str]:
    kinds = list(dict.fromkeys(kinds))
    unknown = [k for k in kinds if k not in EVENT_KINDS]
    if unknown or not kinds:
        raise ValidationError({"event_kinds": _("Choose one or more of: %(kinds)s.")
                               % {"kinds": ", ".join(sorted(EVENT_KINDS))}})
    return kinds


@transaction.atomic
def webhook_endpoint_register(*, actor: User, organisation: Organisation, url: str, event_kinds: Iterable[str],
                              description: str = "") -> tuple[WebhookEndpoint, str]:
    """Register an endpoint for an organisation's administrator; returns it with its secret, shown once."""
    from portal.permissions import FORBIDDEN, role_in

    if role_in(actor, organisation.pk) != "admin":
        raise ValidationError(_("Only the organisation's administrators can do this."), code=FORBIDDEN)
    kinds = _clean_kinds(event_kinds)
    refusal = url_refusal(url)
    if refusal:
        raise ValidationError({"url": refusal})
    if WebhookEndpoint.objects.filter(organisation=organisation, disabled_at__isnull=True).count() >= \
            settings.WEBHOOK_MAX_ENDPOINTS:
        raise ValidationError(_("An organisation may have at most %(n)s endpoints; remove one first.")
                              % {"n": settings.WEBHOOK_MAX_ENDPOINTS})
    endpoint = WebhookEndpoint.objects.create(organisation=organisation, url=url, event_kinds=kinds,
                                              description=description.strip(), created_by=actor)
    audit_record(actor=actor, action="webhook.registered", target=endpoint, organisation=organisation,
                 data={"url": url, "events": kinds})
    return endpoint, endpoint.secret


@transaction.atomic
def webhook_endpoint_remove(*, actor: User, endpoint: WebhookEndpoint) -> None:
    """Stop sending to the endpoint; what was not delivered yet is given up. Kept, with its deliveries."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if endpoint.disabled_at:
        return
    endpoint.disabled_at = timezone.now()
    endpoint.save(update_fields=["disabled_at"])
    endpoint.deliveries.filter(status__in=[Status.PENDING, Status.SENDING]).update(
        status=Status.DEAD, last_error=_("The endpoint was removed."))
    audit_record(actor=actor, action="webhook.removed", target=endpoint, organisation=endpoint.organisation,
                 data={"url": endpoint.url})


@transaction.atomic
def webhook_test_send(*, actor: User, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """"Send a test event": a `webhook.test` delivery through the same outbox, signed like any other."""
    if endpoint.disabled_at:
        raise ValidationError(_("This endpoint was removed."))
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, kind="webhook.test",
        payload={"type": "webhook.test", "timestamp": timezone.now().isoformat(), "organisation":
                 endpoint.organisation_id, "data": {"requested_by": actor.email}})
    _nudge([delivery.pk])
    return delivery


# --- Signing and sending -----------------------------------------------------------------------------------

def signature(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """Standard Webhooks' `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the `whsec_` secret."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{event_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def _body(delivery: WebhookDelivery) -> bytes:
    return json.dumps({"id": str(delivery.event_id), **delivery.payload}, cls=DjangoJSONEncoder,
                      separators=(",", ":"), sort_keys=True).encode()


def _backoff(attempts: int) -> float:
    return min(settings.WEBHOOK_RETRY_SECONDS * 4 ** (attempts - 1), MAX_BACKOFF_SECONDS)


def _claim(delivery_id: int) -> WebhookDelivery | None:
    """Take the row for one attempt, leased, if it is due and nobody has it; in a transaction of its own."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("endpoint").filter(pk=delivery_id).filter(_due(now)).first())
        if delivery is None:
            return None
        delivery.status, delivery.attempts = Status.SENDING, delivery.attempts + 1
        delivery.lease_until = now + timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
        delivery.last_attempt_at = now
        delivery.save(update_fields=["status", "attempts", "lease_until", "last_attempt_at"])
    return delivery


def _due(now: datetime) -> Q:
    # A row "sending" past its lease was taken by a worker that died or hung: it is due again.
    return (Q(status=Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Status.SENDING, lease_until__lt=now))


def _post(delivery: WebhookDelivery) -> tuple[int | None, str, str]:
    """Post once: (status code or None, start of the answer, error). No transaction is open."""
    endpoint = delivery.endpoint
    try:
        host, port, addresses = _addresses(endpoint.url)
    except ValidationError as error:
        return None, "", error.messages[0]
    parts = urlsplit(endpoint.url)
    body = _body(delivery)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json", "User-Agent": USER_AGENT, "Host": parts.netloc.rsplit("@", 1)[-1],
        "webhook-id": str(delivery.event_id), "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(endpoint.secret, str(delivery.event_id), timestamp, body),
    }
    timeout = urllib3.Timeout(connect=settings.WEBHOOK_TIMEOUT, read=settings.WEBHOOK_TIMEOUT)
    pool_kwargs: dict[str, Any] = {"timeout": timeout, "retries": False, "maxsize": 1}
    pool: urllib3.HTTPConnectionPool
    if parts.scheme == "https":
        # Connect to the address checked above, and still verify the certificate for the host name.
        pool = urllib3.HTTPSConnectionPool(addresses[0], port, server_hostname=host, assert_hostname=host,
                                           cert_reqs="CERT_REQUIRED", **pool_kwargs)
    else:
        pool = urllib3.HTTPConnectionPool(addresses[0], port, **pool_kwargs)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        response = pool.urlopen("POST", path, body=body, headers=headers, redirect=False, preload_content=False,
                                assert_same_host=False)
        text = response.read(RESPONSE_KEPT_CHARS * 4, decode_content=True)[:RESPONSE_KEPT_CHARS * 4]
        response.release_conn()
        return response.status, text.decode(errors="replace")[:RESPONSE_KEPT_CHARS], ""
    except urllib3.exceptions.HTTPError as error:
        return None, "", f"{type(error).__name__}: {error}"[:RESPONSE_KEPT_CHARS]
    finally:
        pool.close()


def _record(delivery: WebhookDelivery, status_code: int | None, text: str, error: str) -> float | None:
    """Write what happened; returns the seconds until the next attempt, or None when there is none."""
    now = timezone.now()
    delivery.last_status_code, delivery.last_response, delivery.last_error = status_code, text, error
    delivery.lease_until = None
    retry_in = None
    if status_code is not None and 200 <= status_code < 300:
        delivery.status, delivery.delivered_at = Status.DELIVERED, now
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = Status.DEAD
    else:
        retry_in = _backoff(delivery.attempts)
        delivery.status, delivery.next_attempt_at = Status.PENDING, now + timedelta(seconds=retry_in)
    # Only if the lease is still ours: a row re-taken after an expired lease is the other worker's now.
    WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING, attempts=delivery.attempts).update(
        status=delivery.status, delivered_at=delivery.delivered_at, next_attempt_at=delivery.next_attempt_at,
        lease_until=None, last_status_code=status_code, last_response=text, last_error=error)
    return retry_in


def deliveries_deliver(delivery_ids: list[int], *, stop_at: float | None = None
                       ) -> tuple[list[tuple[int, float]], list[int]]:
    """One attempt for each due row, starting none after `stop_at` (time.monotonic()); returns the (id,
    seconds) to try again, and the ids left for another task. Safe to run twice."""
    retries: list[tuple[int, float]] = []
    for index, delivery_id in enumerate(delivery_ids):
        if stop_at is not None and time.monotonic() > stop_at:
            return retries, delivery_ids[index:]
        delivery = _claim(delivery_id)
        if delivery is None:
            continue  # delivered, given up, not due yet, or another worker has it
        status_code, text, error = _post(delivery)
        retry_in = _record(delivery, status_code, text, error)
        if retry_in is not None:
            retries.append((delivery.pk, retry_in))
        logger.info("Webhook %s to endpoint %s: %s", delivery.kind, delivery.endpoint_id,
                    status_code or error)
    return retries, []


def deliveries_due() -> list[int]:
    """Ids of the rows to attempt now: the sweep's work (it hands them to the delivery task)."""
    return list(WebhookDelivery.objects.filter(_due(timezone.now())).order_by("next_attempt_at", "pk")
                .values_list("pk", flat=True)[:SWEEP_BATCH])


def deliveries_sweep() -> int:
    """Hand every due row to the `webhooks` queue: a nudge or a retry that was lost is made up here."""
    from portal.tasks import deliver_webhooks

    due = deliveries_due()
    if due:
        deliver_webhooks.apply_async((due,), retry=False)
    return len(due)
