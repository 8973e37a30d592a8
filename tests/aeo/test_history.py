"""The applicant's history reads as what people did: a sitting of saves is one line that names its sections,
and the files the applicant sent customs open from it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from aeo import services
from aeo.selectors import SAVES_COALESCE_WITHIN, history, sections_of
from aeo.services import AnswerInput
from tests import documents


def _save(application, user, section, value="We keep written procedures."):
    answers = {q.pk: AnswerInput(value if q.answer_type == "text" else "") for q in section.questions.all()
               if q.answer_type == "text"}
    version = application.section_versions.filter(section=section).values_list("version", flat=True).first() or 0
    services.section_save(actor=user, application=application, section=section, answers=answers, version=version)


def test_a_sitting_of_saves_is_one_line_naming_its_sections(draft, alice, bob):
    # given: Alice saves A, B and A again within minutes; Bob then saves B; an hour later Alice saves C
    a, b, c = sections_of(draft)[:3]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _save(draft, alice, a, "First draft.")
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        _save(draft, alice, b)
    with time_machine.travel(start + timedelta(minutes=9), tick=False):
        _save(draft, alice, a, "Second draft.")
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        _save(draft, bob, b, "Bob's version.")
    with time_machine.travel(start + timedelta(minutes=10) + SAVES_COALESCE_WITHIN + timedelta(minutes=1),
                             tick=False):
        _save(draft, alice, c)
    # when
    lines = history(draft, for_applicant=True)
    # then: newest first
    assert [(line.action_label, line.actor, line.saves, line.sections) for line in lines] == [
        ("Answers saved", alice, 1, [str(c)]),
        ("Answers saved", bob, 1, [str(b)]),
        ("Answers saved", alice, 3, [str(b), str(a)]),
        ("Application started", alice, 1, []),
    ]
    assert lines[2].started_at == start and lines[2].created_at == start + timedelta(minutes=9)


def test_the_status_page_shows_the_sitting_once_with_its_sections(complete_draft, alice, client_for):
    sections = sections_of(complete_draft)
    client = client_for(alice)
    url = reverse("aeo:application_status", args=[complete_draft.pk])
    client.get(url)
    page = client.get(url).content.decode()
    assert page.count("Answers saved") == 1
    assert f"({len(sections)} saves)" in page
    assert f"{sections[0]}; {sections[1]}" in page.replace("&#x27;", "'")


def test_history_stays_two_queries_however_many_saves(complete_draft, alice, django_assert_num_queries):
    for _ in range(3):
        for section in sections_of(complete_draft)[:2]:
            _save(complete_draft, alice, section, f"Revision {_}.")
    # the sections' titles; the events with their actors
    with django_assert_num_queries(2):
        history(complete_draft, for_applicant=True)


@pytest.fixture
def answered_with_a_file(complete_draft, alice, bob, reviewer, client_for):
    submitted = services.application_submit(actor=alice, application=complete_draft, signatory_name="Alice Admin",
                                            signatory_position="Director", confirmed=True)
    services.application_accept(actor=reviewer, application=submitted)
    request = services.information_request_create(actor=reviewer, application=submitted,
                                                  questions="Send your seal register.",
                                                  due_date=timezone.now().date() + timedelta(days=14))
    client_for(bob).post(reverse("aeo:information_response", args=[submitted.pk, request.pk]),
                         {"response": "Attached.", "file": SimpleUploadedFile("register.pdf", documents.PDF)})
    return request.files.get()


def test_the_file_sent_with_an_answer_is_a_link_for_the_organisation(answered_with_a_file, alice, client_for):
    application_id = answered_with_a_file.information_request.application_id
    url = reverse("aeo:dialogue_file_download", args=[application_id, answered_with_a_file.pk])
    client = client_for(alice)
    page = client.get(reverse("aeo:application_status", args=[application_id])).content.decode()
    assert f'<a href="{url}">register.pdf</a>' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == documents.PDF


def test_the_file_is_not_found_for_another_company(answered_with_a_file, mallory, client_for):
    application_id = answered_with_a_file.information_request.application_id
    url = reverse("aeo:dialogue_file_download", args=[application_id, answered_with_a_file.pk])
    assert client_for(mallory).get(url).status_code == 404
