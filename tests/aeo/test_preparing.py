"""Starting an application, the task list, sections, evidence and working together."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aeo.models import Application, Question
from aeo.selectors import SectionStatus, task_list
from aeo.services import AnswerInput, section_save
from portal.models import Organisation
from tests import documents

PDF = documents.PDF
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 60


def test_member_starts_an_application_from_the_aeo_page(bob, atlantic, client_for, questionnaire):
    client = client_for(bob)
    page = client.get(reverse("aeo:index")).content.decode()
    assert "Start an application" in page
    response = client.post(reverse("aeo:application_start", args=[atlantic.pk]), {"kind": "AEOS"})
    application = Application.objects.get()
    assert response["Location"] == application.get_absolute_url()
    assert (application.kind, application.state, application.questionnaire) == ("AEOS", "draft", questionnaire)


def test_incomplete_profile_blocks_the_start_and_says_what_is_missing(alice, atlantic, client_for, questionnaire):
    Organisation.objects.filter(pk=atlantic.pk).update(street="", postcode="")
    client = client_for(alice)
    assert "street and number, postcode" in client.get(reverse("aeo:index")).content.decode()
    response = client.post(reverse("aeo:application_start", args=[atlantic.pk]), {"kind": "AEOC"}, follow=True)
    assert "Complete your organisation&#x27;s profile first. Missing: street and number, postcode." in (
        response.content.decode())
    assert not Application.objects.exists()


def test_one_open_application_per_type(draft, alice, atlantic, client_for):
    response = client_for(alice).post(reverse("aeo:application_start", args=[atlantic.pk]), {"kind": "AEOC"},
                                      follow=True)
    assert "already has an open application of this type" in response.content.decode()
    client_for(alice).post(reverse("aeo:application_start", args=[atlantic.pk]), {"kind": "AEOS"})
    assert Application.objects.count() == 2


def test_outsider_cannot_start_for_another_company(mallory, atlantic, client_for, questionnaire):
    response = client_for(mallory).post(reverse("aeo:application_start", args=[atlantic.pk]), {"kind": "AEOC"})
    assert response.status_code == 404


def test_task_list_shows_only_sections_that_apply(draft):
    codes = {item.section.applies_to for item in task_list(draft)}
    assert codes == {"both", "AEOC"}


def _first_section_post(draft, section, answers: dict, version=0):
    data = {"version": version}
    for q in section.questions.all():
        data[f"q{q.pk}"] = answers.get(q.code, "")
    return data


def test_section_saves_and_status_moves(draft, alice, client_for):
    item = task_list(draft)[0]
    section = item.section
    assert item.status == SectionStatus.NOT_STARTED
    first = section.questions.order_by("order").first()
    client = client_for(alice)
    url = reverse("aeo:section_edit", args=[draft.pk, section.code])
    response = client.post(url, _first_section_post(draft, section, {first.code: _valid(first)}))
    assert response.status_code == 302
    assert task_list(draft)[0].status == SectionStatus.IN_PROGRESS
    answers = {q.code: _valid(q) for q in section.questions.all()}
    client.post(url, _first_section_post(draft, section, answers, version=1))
    assert task_list(draft)[0].status == SectionStatus.COMPLETED


def _valid(question: Question) -> str:
    return {"yes_no": "yes", "text": "Described here.", "date": "2026-02-01", "number": "3",
            "choice": (question.choices or [""])[0]}[question.answer_type]


def test_must_question_answered_no_is_accepted_but_flagged(draft, alice):
    question = Question.objects.filter(section__questionnaire=draft.questionnaire, criterion="must",
                                       answer_type="yes_no", section__applies_to="both").first()
    section = question.section
    answers = {q.pk: AnswerInput(_valid(q)) for q in section.questions.all()}
    answers[question.pk] = AnswerInput("no")
    section_save(actor=alice, application=draft, section=section, answers=answers, version=0)
    item = next(i for i in task_list(draft) if i.section == section)
    assert item.status == SectionStatus.NEEDS_ATTENTION
    assert item.must_no == [question]


def test_bad_answers_get_field_errors_and_nothing_typed_is_lost(draft, alice, client_for):
    number_q = Question.objects.filter(section__questionnaire=draft.questionnaire, answer_type="number",
                                       section__applies_to="both").first()
    section = number_q.section
    data = _first_section_post(draft, section, {q.code: _valid(q) for q in section.questions.all()})
    data[f"q{number_q.pk}"] = "about twelve"
    text_q = section.questions.filter(answer_type="text").first()
    if text_q:
        data[f"q{text_q.pk}"] = "Our own careful wording"
    response = client_for(alice).post(reverse("aeo:section_edit", args=[draft.pk, section.code]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a number, for example 12 or 3.5." in page
    assert 'value="about twelve"' in page
    if text_q:
        assert "Our own careful wording" in page
    assert not draft.answers.exists()


def test_not_applicable_needs_a_justification_to_complete(draft, alice):
    question = Question.objects.filter(section__questionnaire=draft.questionnaire, allows_na=True,
                                       section__applies_to="both").first()
    section = question.section
    answers = {q.pk: AnswerInput(_valid(q)) for q in section.questions.all()}
    answers[question.pk] = AnswerInput(not_applicable=True)
    section_save(actor=alice, application=draft, section=section, answers=answers, version=0)
    item = next(i for i in task_list(draft) if i.section == section)
    assert item.unjustified == [question] and item.status == SectionStatus.IN_PROGRESS
    answers[question.pk] = AnswerInput(not_applicable=True, justification="We own no vehicles.")
    section_save(actor=alice, application=draft, section=section, answers=answers, version=1)
    assert next(i for i in task_list(draft) if i.section == section).status == SectionStatus.COMPLETED


def test_colleagues_saving_the_same_section_are_caught(draft, alice, carol, client_for):
    section = task_list(draft)[0].section
    questions = list(section.questions.order_by("order"))
    url = reverse("aeo:section_edit", args=[draft.pk, section.code])
    # both open the section at version 0
    alice_client, carol_client = client_for(alice), client_for(carol)
    assert 'name="version" value="0"' in alice_client.get(url).content.decode()
    assert 'name="version" value="0"' in carol_client.get(url).content.decode()
    text_q = next(q for q in questions if q.answer_type in ("text", "number"))
    is_number = text_q.answer_type == "number"
    alice_data = _first_section_post(draft, section, {text_q.code: "4" if is_number else "Alice's"})
    carol_data = _first_section_post(draft, section, {text_q.code: "7" if is_number else "Carol's"})
    assert alice_client.post(url, alice_data).status_code == 302
    # carol's save is caught: she sees both versions and keeps her typing
    response = carol_client.post(url, carol_data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this section" in page
    assert "Alice Admin saved it" in page
    alice_value = alice_data[f"q{text_q.pk}"]
    carol_value = carol_data[f"q{text_q.pk}"]
    assert f"Their saved answer: <strong>{alice_value}" in page.replace("&#x27;", "'")
    assert carol_value in page.replace("&#x27;", "'")
    assert draft.answers.get(question=text_q).value == alice_value  # nothing overwritten yet
    # saving again, having seen both, keeps carol's answer
    resubmit = {**carol_data, "version": "1"}
    assert carol_client.post(url, resubmit).status_code == 302
    assert draft.answers.get(question=text_q).value == carol_value


def _evidence_url(draft, question):
    return reverse("aeo:evidence_upload", args=[draft.pk, question.pk])


def _evidence_question(draft):
    return Question.objects.filter(section__questionnaire=draft.questionnaire, section__applies_to="both"
                                   ).exclude(evidence="").first()


def test_evidence_upload_list_download_remove(draft, carol, bob, client_for):
    question = _evidence_question(draft)
    client = client_for(carol)
    response = client.post(_evidence_url(draft, question), {"file": SimpleUploadedFile("policy.pdf", PDF)})
    assert response.status_code == 302
    evidence = draft.evidence.get()
    page = client.get(_evidence_url(draft, question)).content.decode()
    assert "policy.pdf" in page, page
    assert f"uses {len(PDF)}\xa0bytes of 200.0\xa0MB" in page
    download = client_for(bob).get(evidence.get_download_url())
    assert b"".join(download.streaming_content) == PDF
    client.post(reverse("aeo:evidence_remove", args=[draft.pk, evidence.pk]))
    assert not draft.evidence.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("policy.pdf", EXE, "its content is EXE"),
        ("empty.pdf", b"", "is empty"),
        ("huge.pdf", PDF + b"0" * 3000, "files may be at most"),
    ],
)
def test_refused_evidence_says_why(draft, alice, client_for, settings, name, content, message):
    settings.UPLOAD_MAX_BYTES = 2048
    response = client_for(alice).post(_evidence_url(draft, _evidence_question(draft)),
                                      {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not draft.evidence.exists()


def test_evidence_over_the_application_total_is_refused(draft, alice, client_for, settings):
    limit = settings.AEO_EVIDENCE_TOTAL_BYTES = len(PDF) + 100
    client = client_for(alice)
    url = _evidence_url(draft, _evidence_question(draft))
    client.post(url, {"file": SimpleUploadedFile("one.pdf", PDF)})
    response = client.post(url, {"file": SimpleUploadedFile("two.pdf", PDF)})
    assert f"would take this application&#x27;s evidence over its limit of {limit}\xa0bytes; 100\xa0bytes is left" in (
        response.content.decode())
    assert draft.evidence.count() == 1


def test_the_organisation_page_offers_to_start_an_application(bob, atlantic, member_of_association, client_for,
                                                              questionnaire):
    page = client_for(bob).get(reverse("organisation_detail", args=[atlantic.pk])).content.decode()
    assert "AEO applications of Atlantic Freight" in page
    assert reverse("aeo:application_start", args=[atlantic.pk]) in page
    association = member_of_association.memberships.get().organisation
    page = client_for(member_of_association).get(reverse("organisation_detail", args=[association.pk]))
    assert "AEO applications of" not in page.content.decode()  # only economic operators apply
