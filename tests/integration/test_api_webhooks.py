"""Through the API alone, an application goes from start to grant while a real worker delivers the webhooks:
each event once, signed, in order, and the first one after its receiver failed three times and recovered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from aeo import services
from aeo.models import Application
from portal.models import WebhookDelivery
from portal.services.tokens import api_token_create
from tests import documents
from tests.api.receiver import Receiver, verify
from tests.api.test_aeo_flow import BASE, answer_everything
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration
KINDS = ["application.state_changed", "application.information_requested", "authorisation.granted",
         "authorisation.certificate_ready"]


@pytest.fixture
def receiver():
    server = Receiver(answers=[500, 500, 500])
    yield server
    server.close()


def test_webhooks_reach_a_receiver_once_each_in_order_while_the_api_drives_the_case(
    transactional_db, start_worker, publish_to_broker, settings, alice, atlantic, reviewer, supervisor, receiver,
):
    # given: a worker for promised work and webhooks, allowed to post to loopback, retrying after half a second
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    worker = start_worker("hooks", queues="celery,webhooks", WEBHOOK_ALLOW_HTTP="true",
                          WEBHOOK_ALLOW_PRIVATE_ADDRESSES="true", WEBHOOK_RETRY_SECONDS="0.5")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(actor=alice, name='ERP')[1]}")
    registered = api.post("/api/v1/webhooks/", {"organisation": atlantic.pk, "url": receiver.url,
                                                "event_kinds": KINDS})
    assert registered.status_code == 201, registered.json()
    secret = registered.json()["secret"]

    def delivered(count: int):
        return lambda: WebhookDelivery.objects.filter(status="delivered").count() >= count

    # when: the trader's software prepares, attaches the evidence and submits
    app_id = api.post(BASE, {"organisation": atlantic.pk, "kind": "AEOC"}).json()["id"]
    answer_everything(api, app_id)
    for item in api.get(f"{BASE}{app_id}/sections/").json():
        for code in item["evidence_missing"]:
            assert api.post(f"{BASE}{app_id}/evidence/", {"question": code, "file": SimpleUploadedFile(
                f"{code}.pdf", documents.PDF)}, format="multipart").status_code == 201
    submitted = api.post(f"{BASE}{app_id}/submit/", {"signatory_name": "Alice Admin", "signatory_position": "Director",
                                                     "confirmed": True})
    assert submitted.status_code == 200, submitted.json()
    # the receiver fails three times, then takes it
    wait_for(delivered(1), timeout=60, what="the submission event, after three failures", details=worker.details)

    # customs accepts and asks; the software answers through the API
    application = Application.objects.get(pk=app_id)
    services.application_accept(actor=reviewer, application=application)
    info = services.information_request_create(actor=reviewer, application=application, questions="Security plan?",
                                               due_date=timezone.localdate() + timedelta(days=14))
    wait_for(delivered(4), timeout=30, what="accept and information request events", details=worker.details)
    answered = api.post(f"{BASE}{app_id}/information-requests/{info.pk}/response/", {
        "response": "Attached.", "files": [SimpleUploadedFile("plan.pdf", documents.PDF)]}, format="multipart")
    assert answered.status_code == 200, answered.json()
    wait_for(delivered(5), timeout=30, what="the answer's event", details=worker.details)

    # customs proposes and a second officer grants; the worker writes the certificate
    services.grant_propose(actor=reviewer, application=application, kind="AEOC")
    wait_for(delivered(6), timeout=30, what="the proposal's event", details=worker.details)
    services.decision_approve(actor=supervisor, application=application)
    wait_for(delivered(9), timeout=60, what="grant and certificate events", details=worker.details)

    # then: every event arrived signed, exactly once accepted, in the order things happened
    accepted = receiver.accepted()
    events = [verify(secret, r.headers, r.body, now=r.at) for r in accepted]
    assert len({e["id"] for e in events}) == len(events) == 9
    assert [(e["type"], e["data"].get("to_state")) for e in events] == [
        ("application.state_changed", "submitted"),
        ("application.state_changed", "under_review"),
        ("application.state_changed", "information_requested"),
        ("application.information_requested", None),
        ("application.state_changed", "under_review"),
        ("application.state_changed", "decision_proposed"),
        ("application.state_changed", "granted"),
        ("authorisation.granted", None),
        ("authorisation.certificate_ready", None),
    ]
    # the first event was tried four times under one id; it was accepted once
    first = [r for r in receiver.requests if r.headers["webhook-id"] == events[0]["id"]]
    assert [r.status for r in first] == [500, 500, 500, 200]
    assert WebhookDelivery.objects.exclude(status="delivered").count() == 0
    assert api.get(f"{BASE}{app_id}/").json()["state"] == "granted"
