"""A trader enrols on a course, reads its lessons, passes the quiz, downloads the certificate and opens
its verification link, as a visitor would from the QR code."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from portal.models import Role
from tests import documents
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.pdf import qr_codes_in
from tests.training.factories import centre, full_course
from training.models import Certificate, Choice, QuizAttempt

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_learner_completes_a_course_and_verifies_the_certificate(journey, tmp_path):
    page = journey.page
    # given a member of a machinery importer, and a published course of the Machinery centre
    organisation = OrganisationFactory(name="Tagus Machine Imports", identifier="PT508888880")
    user = UserFactory(email="rita@tagus.example", full_name="Rita Almeida")
    MembershipFactory(user=user, organisation=organisation, role=Role.ADMIN)
    full_course(title="Functional units in Section XVI", slug="functional-units", lessons=2, questions=3,
                per_attempt=2, pass_mark=100, centre=centre("machinery"))

    journey.sign_in(user)

    # when she finds the course recommended for her sector in the catalogue and enrols
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Training").click()
    recommended = page.get_by_role("region", name="Recommended for your sector: Machinery")
    expect(recommended).to_contain_text("Functional units in Section XVI")
    journey.check("catalogue")
    recommended.get_by_role("link", name="Functional units in Section XVI").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Functional units in Section XVI")
    journey.check("course")
    page.get_by_role("button", name="Enrol on this course").click()
    expect(page.get_by_role("status").or_(page.locator(".notice--success")).first).to_contain_text("You are enrolled")
    expect(page.get_by_text("0 of 3 steps done (0%)")).to_be_visible()
    journey.check("enrolled")

    # and reads the two lessons, marking each done
    page.get_by_role("link", name="Start the first lesson").click()
    expect(page.get_by_text("Lesson 1 of 2")).to_be_visible()
    journey.check("lesson-1")
    page.get_by_role("button", name="Mark as done and continue").click()
    expect(page.get_by_text("Lesson 2 of 2")).to_be_visible()
    expect(page.get_by_text("1 of 3 steps done (33%)")).to_be_visible()
    journey.check("lesson-2")
    page.get_by_role("button", name="Mark as done and continue").click()
    expect(page.get_by_text("2 of 3 steps done (66%)")).to_be_visible()
    journey.check("lessons-read")

    # and takes the quiz, answering every question right
    page.get_by_role("button", name="Take the quiz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your understanding")
    journey.check("quiz")
    attempt = QuizAttempt.objects.get(enrolment__user=user)
    for question_id in attempt.question_ids:
        for choice in Choice.objects.filter(question_id=question_id, is_correct=True):
            page.get_by_label(choice.text, exact=True).check()
    page.get_by_role("button", name="Submit your answers").click()

    # then she has passed, and her certificate is ready
    expect(page.get_by_role("heading", level=1)).to_have_text("You passed")
    expect(page.get_by_text("You scored 2 out of 2 (100%).")).to_be_visible()
    journey.check("passed")
    certificate = Certificate.objects.get(user=user)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your certificate (PDF)").click()
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    [qr_url] = qr_codes_in(pdf_path.read_bytes())
    assert urlparse(qr_url).path == f"/training/verify/{certificate.code}/"

    # when anyone opens the address in the QR code, signed out
    page.context.clear_cookies()
    page.goto(urlparse(qr_url).path)
    expect(page.get_by_text("This certificate is valid.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Rita Almeida")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    journey.check("verification")

    # and an altered code reveals nothing
    page.goto(f"/training/verify/{certificate.code[:-2]}xy/")
    expect(page.get_by_text("We cannot confirm a certificate with this code.")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Rita Almeida")
    journey.check("verification-unknown")


def test_organisation_admin_follows_coverage_and_asks_a_centre(journey, tmp_path):
    page = journey.page
    # given an importer whose colleague is half-way through a course, and a centre adviser
    from training import services
    from training.selectors import course_for_page, lessons_in_order

    organisation = OrganisationFactory(name="Tagus Machine Imports", identifier="PT508888881")
    admin = UserFactory(email="rita@tagus.example", full_name="Rita Almeida")
    colleague = UserFactory(email="nuno@tagus.example", full_name="Nuno Pires")
    MembershipFactory(user=admin, organisation=organisation, role=Role.ADMIN)
    MembershipFactory(user=colleague, organisation=organisation, role=Role.MEMBER)
    course = full_course(title="Valuation of machinery", slug="valuation-machinery", lessons=2,
                         centre=centre("machinery"))
    enrolment = services.enrolment_create(actor=colleague, course=course, organisation=organisation)
    services.lesson_complete(actor=colleague, enrolment=enrolment,
                             lesson=lessons_in_order(course_for_page(course.slug))[0])

    journey.sign_in(admin)

    # when she opens the training coverage of her organisation
    page.goto("/training/")
    journey.check("catalogue")
    page.get_by_role("link", name="Training coverage of Tagus Machine Imports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Training coverage")
    expect(page.get_by_role("main")).to_contain_text("Nuno Pires")
    expect(page.get_by_text("1 of 3 steps done (33%)")).to_be_visible()
    journey.check("coverage")

    # and asks the Machinery centre a question with a document attached
    page.goto("/training/questions/new/")
    journey.check("ask")
    expect(page.get_by_label("Centre")).to_have_value(str(centre("machinery").pk))
    page.get_by_role("button", name="Send the question").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    journey.check("ask-errors")
    page.get_by_label("Subject").fill("Customs value of a lathe with installation")
    page.get_by_label("Your question").fill("Our supplier invoices installation at our plant together with the "
                                            "machine. Which part is in the customs value?")
    drawing = tmp_path / "contract-extract.pdf"
    drawing.write_bytes(documents.PDF)
    page.get_by_label("Attach documents").set_input_files(str(drawing))
    page.get_by_role("button", name="Send the question").click()

    # then the question waits for the centre, with its attachment, for everyone in the organisation
    expect(page.get_by_role("heading", level=1)).to_have_text("Customs value of a lathe with installation")
    expect(page.get_by_role("main")).to_contain_text("Waiting for an answer")
    expect(page.get_by_role("link", name="contract-extract.pdf")).to_be_visible()
    journey.check("question")
