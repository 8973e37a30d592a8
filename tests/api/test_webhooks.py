"""Webhooks: registered by an organisation's administrators, written in the change's transaction, delivered
after commit, signed, retried with back-off until delivered once or given up; refused toward private addresses."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from aeo import services
from portal.models import WebhookDelivery
from portal.services.webhooks import deliveries_sweep, webhook_endpoint_register
from tests.api.receiver import verify

HOOKS = "/api/v1/webhooks/"


def _register(api, organisation, url, kinds=("application.state_changed",)):
    return api.post(HOOKS, {"organisation": organisation.pk, "url": url, "event_kinds": list(kinds)})


def test_an_administrator_registers_an_endpoint_and_sees_its_secret_once(alice, bob, mallory, atlantic, api_for,
                                                                         loopback_webhooks, receiver):
    created = _register(api_for(alice), atlantic, receiver.url)
    assert created.status_code == 201, created.json()
    assert created.json()["secret"].startswith("whsec_")
    endpoint_id = created.json()["id"]
    listed = api_for(alice).get(HOOKS).json()["results"]
    assert [e["id"] for e in listed] == [endpoint_id] and "secret" not in listed[0]
    # a member who is not an administrator may not register, and sees none
    refused = _register(api_for(bob), atlantic, receiver.url)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only the organisation's administrators can do this."
    assert api_for(bob).get(HOOKS).json()["results"] == []
    # another company sees nothing of it
    outsider = api_for(mallory)
    for method, url in [("get", f"{HOOKS}{endpoint_id}/"), ("delete", f"{HOOKS}{endpoint_id}/"),
                        ("post", f"{HOOKS}{endpoint_id}/test/"), ("get", f"{HOOKS}{endpoint_id}/deliveries/")]:
        assert getattr(outsider, method)(url).status_code == 404, url
    assert _register(outsider, atlantic, receiver.url).json() == {
        "organisation": ["You do not belong to that organisation."]}
    unknown = _register(api_for(alice), atlantic, receiver.url, kinds=["application.exploded"])
    assert unknown.status_code == 400 and "Choose one or more of" in unknown.json()["event_kinds"][0]


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data/",
    "http://localhost/hook", "http://[::1]/hook", "http://192.168.0.10/hook",
])
def test_private_loopback_and_link_local_addresses_are_refused(alice, atlantic, api_for, settings, url):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    response = _register(api_for(alice), atlantic, url)
    assert response.status_code == 400
    assert "the portal only sends events to public addresses" in response.json()["url"][0]


def test_plain_http_is_refused_in_production(alice, atlantic, api_for, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    assert _register(api_for(alice), atlantic, "http://example.com/hook").json() == {
        "url": ["Give an https:// address."]}


def test_the_address_is_checked_again_at_delivery(alice, atlantic, complete_draft, loopback_webhooks, receiver,
                                                  django_capture_on_commit_callbacks):
    webhook_endpoint_register(actor=alice, organisation=atlantic, url=receiver.url,
                              event_kinds=["application.state_changed"])
    loopback_webhooks.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False  # as if the name now pointed inside
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=alice, application=complete_draft, signatory_name="Alice",
                                    signatory_position="Director", confirmed=True)
    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == []
    assert delivery.status == "pending" and delivery.attempts == 1
    assert "public addresses" in delivery.last_error


def test_an_event_is_signed_retried_with_back_off_and_delivered_once(alice, atlantic, complete_draft, api_for,
                                                                     loopback_webhooks, receiver,
                                                                     django_capture_on_commit_callbacks):
    # given: an endpoint whose server fails three times, then recovers
    _endpoint, secret = webhook_endpoint_register(actor=alice, organisation=atlantic, url=receiver.url,
                                                  event_kinds=["application.state_changed"])
    receiver.answers = [500, 500, 500]

    # when: the application is submitted (the first attempt follows the commit)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=alice, application=complete_draft, signatory_name="Alice",
                                    signatory_position="Director", confirmed=True)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    # then: each retry waits longer (30 s, 2 min, 8 min); the sweep finds what is due, and nothing earlier
    for attempt, wait in [(2, 30), (3, 120), (4, 480)]:
        with time_machine.travel(delivery.next_attempt_at - timedelta(seconds=1)):
            deliveries_sweep()
        delivery.refresh_from_db()
        assert delivery.attempts == attempt - 1
        with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
            deliveries_sweep()
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        if delivery.status == "pending":
            assert round((delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()) == wait * 4
    assert delivery.status == "delivered" and delivery.last_status_code == 200
    assert [r.status for r in receiver.requests] == [500, 500, 500, 200]
    # every attempt carried the same id (the receiver's idempotency key) and a valid signature
    assert {r.headers["webhook-id"] for r in receiver.requests} == {str(delivery.event_id)}
    last = receiver.requests[-1]
    event = verify(secret, last.headers, last.body, now=last.at)
    assert event["type"] == "application.state_changed" and event["id"] == str(delivery.event_id)
    assert event["data"] == {"application": complete_draft.pk, "url": f"/api/v1/aeo/applications/{complete_draft.pk}/",
                             "from_state": "draft", "to_state": "submitted"}
    # a forged or altered body fails verification
    with pytest.raises(ValueError, match="no valid signature"):
        verify(secret, last.headers, last.body.replace(b"submitted", b"granted"), now=last.at)
    with pytest.raises(ValueError, match="no valid signature"):
        verify("whsec_" + "A" * 44, last.headers, last.body, now=last.at)
    # and a delivery replayed later than the window is refused by its timestamp
    with pytest.raises(ValueError, match="replay window"):
        verify(secret, last.headers, last.body, now=last.at + 301)
    # once delivered, the sweep sends it no more
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        deliveries_sweep()
    assert len(receiver.requests) == 4
    # the administrator sees it, with the receiver's last answer
    listed = api_for(alice).get(f"{HOOKS}{_endpoint.pk}/deliveries/").json()["results"]
    assert [(d["status"], d["attempts"], d["last_status_code"], d["last_response"]) for d in listed] == [
        ("delivered", 4, 200, "thanks")]


def test_a_delivery_is_given_up_after_the_last_attempt(alice, atlantic, complete_draft, api_for, loopback_webhooks,
                                                       receiver, django_capture_on_commit_callbacks):
    loopback_webhooks.WEBHOOK_MAX_ATTEMPTS = 2
    endpoint, _secret = webhook_endpoint_register(actor=alice, organisation=atlantic, url=receiver.url,
                                                  event_kinds=["application.state_changed"])
    receiver.answers = [503] * 10
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=alice, application=complete_draft, signatory_name="Alice",
                                    signatory_position="Director", confirmed=True)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        deliveries_sweep()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert deliveries_sweep() == 0
    listed = api_for(alice).get(f"{HOOKS}{endpoint.pk}/deliveries/").json()["results"]
    assert [(d["status"], d["attempts"], d["last_status_code"], d["last_response"]) for d in listed] == [
        ("dead", 2, 503, "try later")]


def test_the_change_does_not_wait_for_or_break_on_a_receiver(alice, atlantic, complete_draft, loopback_webhooks,
                                                             django_capture_on_commit_callbacks):
    # nothing listens on this port: the submission succeeds, the delivery waits for its retry
    from tests.integration.servers import free_port

    webhook_endpoint_register(actor=alice, organisation=atlantic, url=f"http://127.0.0.1:{free_port()}/",
                              event_kinds=["application.state_changed"])
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=alice, application=complete_draft, signatory_name="Alice",
                                    signatory_position="Director", confirmed=True)
    complete_draft.refresh_from_db()
    assert complete_draft.state == "submitted"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and "Connection" in delivery.last_error


def test_only_the_chosen_kinds_of_the_organisation_s_own_events_are_sent(alice, mallory, other_company, atlantic,
                                                                         complete_draft, reviewer, loopback_webhooks,
                                                                         receiver, django_capture_on_commit_callbacks):
    webhook_endpoint_register(actor=alice, organisation=atlantic, url=receiver.url,
                              event_kinds=["application.information_requested"])
    webhook_endpoint_register(actor=mallory, organisation=other_company, url=receiver.url,
                              event_kinds=["application.state_changed", "application.information_requested"])
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=alice, application=complete_draft, signatory_name="Alice",
                                    signatory_position="Director", confirmed=True)
        services.application_accept(actor=reviewer, application=complete_draft)
        services.information_request_create(actor=reviewer, application=complete_draft, questions="?",
                                            due_date=timezone.localdate() + timedelta(days=10))
    assert [r.event["type"] for r in receiver.requests] == ["application.information_requested"]
    assert receiver.requests[0].event["organisation"] == atlantic.pk


def test_send_a_test_event(alice, atlantic, api_for, loopback_webhooks, receiver, django_capture_on_commit_callbacks):
    api = api_for(alice)
    created = _register(api, atlantic, receiver.url).json()
    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(f"{HOOKS}{created['id']}/test/")
    assert sent.status_code == 202
    assert verify(created["secret"], receiver.requests[0].headers, receiver.requests[0].body)["type"] == "webhook.test"
    assert api.get(f"{HOOKS}{created['id']}/deliveries/").json()["results"][0]["status"] == "delivered"
    # removing the endpoint stops it, and it is no longer listed
    assert api.delete(f"{HOOKS}{created['id']}/").status_code == 204
    assert api.get(HOOKS).json()["results"] == []
