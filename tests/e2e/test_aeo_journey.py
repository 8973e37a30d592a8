"""A trader's administrator applies for AEO status, from the first section to the status page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from aeo.models import Application
from aeo.selectors import sections_of
from aeo.services import AnswerInput, section_save
from portal.models import Role
from tests import documents
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.e2e
PDF = documents.PDF


def _fill_section(page) -> None:
    """Answer every question on the section page as a careful applicant would."""
    for question in page.locator(".question").all():
        radios = question.locator("input[type=radio]")
        if radios.count():
            radios.first.check()
        elif question.locator("textarea").count():
            question.locator("textarea").first.fill("We follow a written procedure, reviewed every year.")
        elif question.locator("input[type=date]").count():
            question.locator("input[type=date]").first.fill("2026-01-15")
        else:
            question.locator("input[type=text]").first.fill("12")


def _answer_other_sections(application, user, skip: int) -> None:
    for section in sections_of(application)[skip:]:
        answers = {q.pk: AnswerInput({"yes_no": "yes", "text": "Documented.", "date": "2026-01-15",
                                      "number": "5", "choice": (q.choices or [""])[0]}[q.answer_type])
                   for q in section.questions.all()}
        section_save(actor=user, application=application, section=section, answers=answers, version=0)


def test_admin_applies_fills_sections_uploads_evidence_signs_and_sees_status(journey, tmp_path):
    page = journey.page
    organisation = OrganisationFactory(name="Tejo Machinery Lda", identifier="PT501234567")
    admin = UserFactory(email="ana@tejo.example", full_name="Ana Ribeiro")
    MembershipFactory(user=admin, organisation=organisation, role=Role.ADMIN)

    journey.sign_in(admin)

    # when she starts an AEOC application from the AEO page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="AEO").click()
    journey.check("aeo")
    page.get_by_role("radio", name="AEOC — customs simplifications").check()
    page.get_by_role("button", name="Start an application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your AEO application")
    expect(page.get_by_text("You have completed 0 of")).to_be_visible()
    journey.check("task-list")
    application = Application.objects.get(organisation=organisation)

    # and fills the first two sections in the browser
    for code in ("A", "B"):
        page.get_by_role("link", name=re.compile(rf"^{code}\. ")).click()
        journey.check(f"section-{code}")
        _fill_section(page)
        page.get_by_role("button", name="Save and return to the task list").click()
        expect(page.get_by_role("status")).to_contain_text(f"Section {code} has been saved.")
        if code == "A":
            journey.check("task-list-one-done")
    expect(page.get_by_text("You have completed 2 of")).to_be_visible()
    expect(page.locator("#status-A")).to_have_text(re.compile("Completed|Needs attention"))
    journey.check("task-list-two-done")

    # and uploads evidence for a question of section A
    page.get_by_role("link", name=re.compile(r"^A\. ")).click()
    journey.check("section-A-saved")
    page.get_by_role("link", name=re.compile("Add or remove evidence")).first.click()
    journey.check("evidence")
    pdf = tmp_path / "organisation-chart.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Add a file").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text("“organisation-chart.pdf” has been added.")
    expect(page.get_by_role("link", name="organisation-chart.pdf")).to_be_visible()
    journey.check("evidence-added")

    # (the other sections were prepared by colleagues)
    _answer_other_sections(application, admin, skip=2)

    # when she checks the answers, signs and submits
    page.goto(f"/aeo/applications/{application.pk}/check/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before signing")
    journey.check("check-answers")
    # she says why each document customs expects and she has not attached is missing
    reasons = page.locator("textarea[name^=evidence_reason_]")
    for index in range(reasons.count()):
        reasons.nth(index).fill("Kept at the Leixões office; we send it on request.")
    page.get_by_label("Full name of the person signing").fill("Ana Ribeiro")
    page.get_by_label("Position in the organisation").fill("Managing director")
    page.get_by_label(re.compile("I declare that the answers")).check()
    page.get_by_role("button", name="Sign and submit the application").click()

    # then she sees the status page with the reference and the acceptance deadline
    application.refresh_from_db()
    expect(page.get_by_role("heading", level=1)).to_have_text(application.reference)
    expect(page.get_by_role("status")).to_contain_text(f"Application {application.reference} has been submitted")
    expect(page.get_by_text("Customs decides whether to accept it by")).to_be_visible()
    expect(page.get_by_text("30 days left")).to_be_visible()
    expect(page.get_by_text("Signed and submitted")).to_be_visible()
    journey.check("status")
    assert application.state == "submitted"
    assert application.evidence.get().original_name == "organisation-chart.pdf"
