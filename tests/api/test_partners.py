"""Partner administrations (mutual recognition): a credential of their own, the status of consenting holders
only, nothing else; every read audited; a change feed that pages stably while changes keep coming."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from rest_framework.test import APIClient

from aeo import services
from aeo.models import Application, Authorisation
from portal.api.partners import PartnerThrottle
from portal.models import AuditEvent
from portal.services.partners import partner_client_issue, partner_client_revoke
from tests.factories import MembershipFactory, OrganisationFactory

LOOKUP = "/api/v1/aeo/mra/lookup/"
CHANGES = "/api/v1/aeo/mra/changes/"
SHARED_FIELDS = {"number", "status", "kind", "valid_from", "suspended_until", "revoked_on", "holder_name",
                 "holder_identifier", "holder_country"}


def _holder(questionnaire, n: int, *, consent: bool) -> Authorisation:
    organisation = OrganisationFactory(name=f"Holder {n}", identifier=f"PT7000000{n:02d}")
    officer = MembershipFactory(organisation=organisation, role="admin").user
    application = Application.objects.create(organisation=organisation, kind="AEOC", questionnaire=questionnaire,
                                             created_by=officer, state="granted")
    return Authorisation.objects.create(application=application, organisation=organisation, kind="AEOC",
                                        number=f"PTAEOC{n:06d}", valid_from=timezone.localdate(),
                                        granted_by=officer, consent_mra=consent)


@pytest.fixture
def holders(questionnaire):
    return [_holder(questionnaire, n, consent=n % 2 == 0) for n in range(4)]  # 0 and 2 consent


@pytest.fixture
def partner(programme_admin):
    client, key = partner_client_issue(actor=programme_admin, name="Customs of Japan", country="JP")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    api.client = client
    return api


def test_only_a_programme_administrator_issues_partner_credentials(reviewer):
    with pytest.raises(PermissionDenied):
        partner_client_issue(actor=reviewer, name="Customs of Japan", country="JP")


def test_a_partner_reads_consenting_holders_only_and_nothing_personal(partner, holders):
    asked = [h.number for h in holders] + ["PTAEOC999999"]
    response = partner.post(LOOKUP, {"numbers": asked})
    assert response.status_code == 200
    results = response.json()["numbers"]
    assert [r["number"] for r in results] == asked
    assert [r["status"] for r in results] == ["active", "unknown", "active", "unknown", "unknown"]
    # one who did not consent answers exactly as a number that does not exist
    assert results[1] == {"number": holders[1].number, "status": "unknown"} == {**results[4],
                                                                                  "number": holders[1].number}
    assert set(results[0]) == SHARED_FIELDS
    assert results[0]["holder_identifier"] == "PT700000000" and results[0]["holder_country"] == "PT"
    by_identifier = partner.post(LOOKUP, {"identifiers": ["PT700000002", "PT700000003"]}).json()["identifiers"]
    assert [a["number"] for a in by_identifier["PT700000002"]] == [holders[2].number]
    assert by_identifier["PT700000003"] == []
    # every read is in the audit trail, with what was asked and what was shared
    reads = AuditEvent.objects.filter(action="partner.lookup").order_by("pk")
    assert [e.data["shared"] for e in reads] == [[holders[0].number, holders[2].number], [holders[2].number]]
    assert reads[0].data["numbers"] == asked and reads[0].target_repr == "Customs of Japan (JP)"


def test_lookups_are_bounded(partner, db):
    assert partner.post(LOOKUP, {"numbers": [f"N{i}" for i in range(501)]}).status_code == 400
    assert partner.post(LOOKUP, {"numbers": []}).json() == {
        "numbers": ["Give the authorisation numbers or holder identifiers to check."]}


def test_a_partner_token_opens_nothing_else(partner, holders, draft):
    for url in ["/api/v1/me/", "/api/v1/aeo/applications/", f"/api/v1/aeo/applications/{draft.pk}/",
                "/api/v1/aeo/authorisations/", f"/api/v1/aeo/authorisations/{holders[0].pk}/",
                "/api/v1/organisations/", "/api/v1/notifications/", "/api/v1/webhooks/",
                "/api/v1/training/enrolments/"]:
        assert partner.get(url).status_code in (401, 403, 404), url
    assert partner.post("/api/v1/aeo/applications/", {"organisation": 1, "kind": "AEOC"}).status_code in (401, 403)


def test_a_trader_s_token_does_not_open_the_partner_routes(alice, api_for, holders):
    api = api_for(alice)
    assert api.post(LOOKUP, {"numbers": [holders[0].number]}).status_code == 401
    assert api.get(CHANGES).status_code == 401
    assert APIClient().post(LOOKUP, {"numbers": [holders[0].number]}).status_code == 401


def test_a_revoked_partner_token_stops_working(partner, programme_admin, holders):
    partner_client_revoke(actor=programme_admin, client=partner.client)
    assert partner.post(LOOKUP, {"numbers": [holders[0].number]}).status_code == 401


def test_partners_are_rate_limited(partner, holders, monkeypatch):
    monkeypatch.setattr(PartnerThrottle, "THROTTLE_RATES", {"partner": "3/minute"})
    codes = [partner.post(LOOKUP, {"numbers": [holders[0].number]}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_holders_see_which_partners_their_consent_covers(partner, alice, atlantic, api_for, questionnaire):
    application = Application.objects.create(organisation=atlantic, kind="AEOC", questionnaire=questionnaire,
                                             created_by=alice, state="granted")
    authorisation = Authorisation.objects.create(application=application, organisation=atlantic, kind="AEOC",
                                                 number="PTAEOC000777", valid_from=timezone.localdate(),
                                                 granted_by=alice, consent_mra=True)
    listed = api_for(alice).get(f"/api/v1/aeo/authorisations/{authorisation.pk}/").json()
    assert listed["mra_partners"] == [{"name": "Customs of Japan", "country": "JP"}]


def test_the_change_feed_pages_stably_while_changes_keep_coming(partner, holders, reviewer, settings):
    settings.MRA_FEED_SETTLE_SECONDS = 0
    officer = holders[1].application.created_by
    # given: three changes to shared holders, and one to a holder who does not share
    services.consent_set(actor=officer, authorisation=holders[1], publish=False, mra=True)  # now shared
    services.authorisation_suspend(actor=reviewer, authorisation=holders[0], reason="Audit findings.",
                                   remedial_measures="Fix them.", until=timezone.localdate() + timedelta(days=30))
    services.authorisation_suspend(actor=reviewer, authorisation=holders[3], reason="Audit findings.",
                                   remedial_measures="Fix them.", until=timezone.localdate() + timedelta(days=30))
    services.authorisation_lift_suspension(actor=reviewer, authorisation=holders[0], note="Fixed.")

    # when: the partner reads two at a time, while more changes arrive between its pages
    seen = []
    page = partner.get(CHANGES, {"page_size": 2, "since": "2000-01-01T00:00:00Z"}).json()
    seen += page["results"]
    services.authorisation_revoke(actor=reviewer, authorisation=holders[2], reason="Fraud.")
    while page["next"]:
        page = partner.get(page["next"]).json()
        seen += page["results"]

    # then: every change to a shared holder, once, in order, with the new one at the end; none of the other's
    assert [(c["change"], c["authorisation"]["number"]) for c in seen] == [
        ("consent", holders[1].number), ("suspended", holders[0].number), ("reinstated", holders[0].number),
        ("revoked", holders[2].number)]
    assert all(c["authorisation"]["number"] != holders[3].number for c in seen)
    # and reading again with the ETag costs nothing when nothing changed
    first = partner.get(CHANGES, {"since": "2000-01-01T00:00:00Z"})
    assert first.status_code == 200 and first["ETag"]
    again = partner.get(CHANGES, {"since": "2000-01-01T00:00:00Z"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert partner.get(CHANGES, {"since": "yesterday"}).status_code == 400
    assert AuditEvent.objects.filter(action="partner.changes").count() == 5


def test_the_command_issues_a_token_that_works_and_refuses_others(programme_admin, reviewer, holders):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("partner_token", "--by", programme_admin.email, "--name", "Korea Customs", "--country", "kr",
                 stdout=out)
    key = out.getvalue().split()[-1]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.post(LOOKUP, {"numbers": [holders[0].number]}).json()["numbers"][0]["status"] == "active"
    with pytest.raises(CommandError, match="Only a programme administrator"):
        call_command("partner_token", "--by", reviewer.email, "--name", "X", "--country", "FR", stdout=StringIO())
