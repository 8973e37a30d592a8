"""Training as AEO evidence: a valid certificate is attached to an application in one step."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.urls import reverse

from aeo.services import application_start
from aeo.workflow import State
from tests import documents
from tests.aeo.conftest import questionnaire  # noqa: F401  (the fixture)

from .factories import CertificateFactory, EnrolmentFactory, full_course

PDF = documents.PDF


def _certificate(user, organisation, sections):
    certificate = CertificateFactory(enrolment=EnrolmentFactory(
        user=user, course=full_course(title="Seals and the seven-point inspection", aeo_sections=sections),
        organisation=organisation))
    certificate.pdf.save("certificate.pdf", ContentFile(PDF))
    return certificate


def test_a_section_offers_the_organisations_certificates_in_one_step(alice, bob, atlantic, client_for,
                                                                     questionnaire):  # noqa: F811
    application = application_start(actor=alice, organisation=atlantic, kind="AEOS")
    certificate = _certificate(bob, atlantic, ["J"])
    client = client_for(bob)
    section_page = client.get(reverse("aeo:section_edit", args=[application.pk, "J"])).content.decode()
    url = reverse("training:aeo_evidence", args=[application.pk, "J"])
    assert url in section_page
    page = client.get(url).content.decode()
    assert "Seals and the seven-point inspection" in page
    question = application.questionnaire.sections.get(code="J").questions.exclude(evidence="").first()
    response = client.post(url, {"certificate": certificate.pk, "question": question.pk})
    assert response.status_code == 302
    evidence = application.evidence.get()
    assert evidence.question == question and evidence.content_type == "application/pdf"
    assert evidence.original_name.startswith("Training certificate Seals")
    # not offered for a section the course does not support
    assert "has no valid certificate" in client.get(
        reverse("training:aeo_evidence", args=[application.pk, "A"])).content.decode()


def test_another_company_sees_nothing_and_cannot_attach(alice, mallory, atlantic, client_for,
                                                         questionnaire):  # noqa: F811
    application = application_start(actor=alice, organisation=atlantic, kind="AEOS")
    certificate = _certificate(alice, atlantic, ["J"])
    url = reverse("training:aeo_evidence", args=[application.pk, "J"])
    assert client_for(mallory).get(url).status_code == 404
    # nor can it offer its own certificates to a company's application
    mine = mallory.memberships.get().organisation
    own = application_start(actor=mallory, organisation=mine, kind="AEOS")
    question = own.questionnaire.sections.get(code="J").questions.first()
    response = client_for(mallory).post(reverse("training:aeo_evidence", args=[own.pk, "J"]),
                                        {"certificate": certificate.pk, "question": question.pk})
    assert "has no valid certificate" in response.content.decode()
    assert not own.evidence.exists()


def test_submitted_application_takes_no_more_evidence(alice, atlantic, client_for, questionnaire):  # noqa: F811
    application = application_start(actor=alice, organisation=atlantic, kind="AEOS")
    certificate = _certificate(alice, atlantic, ["J"])
    application.state = State.SUBMITTED
    application.save(update_fields=["state"])
    question = application.questionnaire.sections.get(code="J").questions.first()
    response = client_for(alice).post(reverse("training:aeo_evidence", args=[application.pk, "J"]),
                                      {"certificate": certificate.pk, "question": question.pk})
    assert "can no longer be changed" in response.content.decode()
    assert not application.evidence.exists()
