"""A rejected applicant opens the decision notice from the status page; a supervisor reads the risk reasons on
their scale."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from aeo import services
from aeo.models import Application
from portal.models import Role
from portal.roles import StaffGroup
from tests.aeo.conftest import answer_all
from tests.e2e.test_aeo_review_journey import _sign_in, _sign_out, _staff
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.e2e
GROUNDS = "Seals are not logged at the Porto warehouse."


def _application(name: str, identifier: str, email: str, *, must_answer: str = "yes"):
    organisation = OrganisationFactory(name=name, identifier=identifier)
    trader = UserFactory(email=email, full_name="Rita Sousa")
    MembershipFactory(user=trader, organisation=organisation, role=Role.ADMIN)
    application = services.application_start(actor=trader, organisation=organisation, kind="AEOC")
    answer_all(application, trader, must_answer=must_answer)
    services.application_submit(actor=trader, application=application, signatory_name="Rita Sousa",
                                signatory_position="Director", confirmed=True)
    return trader, Application.objects.get(pk=application.pk)


def test_rejected_applicant_opens_the_notice_and_supervisor_reads_the_risk_reasons(journey):
    page = journey.page
    reviewer = _staff("filipe@customs.example", StaffGroup.AEO_REVIEWER)
    proposer = _staff("helena@customs.example", StaffGroup.AEO_SUPERVISOR)
    supervisor = _staff("graca@customs.example", StaffGroup.AEO_SUPERVISOR)
    # given a case rejected after the right to be heard, and another one screened with conditions not met
    trader, rejected = _application("Sado Logistics Lda", "PT501234568", "rita@sado.example")
    services.application_accept(actor=reviewer, application=rejected)
    hearing = services.rejection_propose(actor=reviewer, application=rejected, grounds=GROUNDS)
    type(hearing).objects.filter(pk=hearing.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    services.rejection_confirm(actor=proposer, application=rejected, note="No reply within the period.")
    services.decision_approve(actor=supervisor, application=rejected, note="Agreed.")
    _trader2, screened = _application("Mondego Freight SA", "PT501234569", "rui@mondego.example", must_answer="no")
    screened.refresh_from_db()
    assert screened.risk_score is not None

    # the applicant opens the decision notice from the status page
    journey.sign_in(trader)
    page.goto(f"/aeo/applications/{rejected.pk}/status/")
    journey.check("status-rejected")
    expect(page.get_by_role("heading", name="Decisions")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Open the decision notice (PDF)").click()
    content = Path(download.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    assert GROUNDS in text and "Union Customs Code" in text and "Appeal by" in text
    _sign_out(page)

    # the supervisor sees each reason with its points, on the scale, with the band
    _sign_in(journey, supervisor, code=True)
    expect(page).to_have_url(re.compile(r"/admin/$"))  # signed in with the second factor
    journey.check("admin-home")
    page.goto(f"/admin/aeo/application/{screened.pk}/change/")
    journey.check("case-risk")
    expect(page.get_by_text("on a scale of 0 to 100")).to_be_visible()
    table = page.get_by_role("table", name="Why: each reason with the points it counts")
    expect(table).to_be_visible()
    expect(table.get_by_text("Condition answered “no”", exact=False).first).to_be_visible()
    expect(page.get_by_text("Very high 60–100")).to_be_visible()
