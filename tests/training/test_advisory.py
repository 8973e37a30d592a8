"""A trader asks a centre on behalf of its organisation; only that centre's advisers answer; the trader hears."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.models import Notification
from tests import documents
from training import services
from training.models import AdvisoryQuestion

from .factories import AdvisoryQuestionFactory, centre

PDF = documents.PDF


def test_trader_asks_with_a_file_and_the_centres_advisers_are_told(alice, atlantic, adviser, other_adviser,
                                                                   client_for):
    client = client_for(alice)
    form = client.get(reverse("training:question_ask"))
    assert form.context["form"].initial["centre"] == centre("machinery").pk  # Atlantic's sector
    response = client.post(reverse("training:question_ask"), {
        "centre": centre("machinery").pk, "subject": "Classifying a palletiser",
        "text": "Is a palletiser with its own conveyor a functional unit?",
        "files": [SimpleUploadedFile("drawing.pdf", PDF, content_type="application/pdf"),
                  SimpleUploadedFile("notes.txt", b"Line speed 12 pallets an hour.", content_type="text/plain")],
    })
    question = AdvisoryQuestion.objects.get()
    assert response.status_code == 302 and response.url == question.get_absolute_url()
    assert question.organisation == atlantic
    assert sorted(question.attachments.values_list("original_name", flat=True)) == ["drawing.pdf", "notes.txt"]
    assert Notification.objects.filter(recipient=adviser, kind="training.advisory_queue").count() == 1
    assert not Notification.objects.filter(recipient=other_adviser).exists()


def test_a_renamed_executable_is_refused_with_a_message(alice, atlantic, client_for):
    response = client_for(alice).post(reverse("training:question_ask"), {
        "centre": centre("machinery").pk, "subject": "S", "text": "T",
        "files": SimpleUploadedFile("drawing.pdf", b"MZ\x90\x00" + b"\x00" * 100),
    })
    assert response.status_code == 200 and "its content is" in response.content.decode()
    assert not AdvisoryQuestion.objects.exists()


def test_questions_are_404_outside_their_organisation(alice, bob, mallory, atlantic, client_for):
    question = AdvisoryQuestionFactory(organisation=atlantic, asked_by=alice)
    assert client_for(bob).get(question.get_absolute_url()).status_code == 200  # a colleague reads it
    assert client_for(mallory).get(question.get_absolute_url()).status_code == 404
    assert question.subject not in client_for(mallory).get(reverse("training:questions")).content.decode()


def test_attachment_downloads_only_inside_the_organisation(alice, mallory, atlantic, client_for):
    from portal.files import check_upload

    upload = check_upload(SimpleUploadedFile("drawing.pdf", PDF))
    question = services.advisory_question_ask(actor=alice, organisation=atlantic, centre=centre("machinery"),
                                              subject="S", text="T", files=[upload])
    url = question.attachments.get().get_download_url()
    assert client_for(alice).get(url).status_code == 200
    assert client_for(mallory).get(url).status_code == 404


def test_cannot_ask_for_an_organisation_one_is_not_in(mallory, atlantic):
    with pytest.raises(ValidationError):
        services.advisory_question_ask(actor=mallory, organisation=atlantic, centre=centre("machinery"),
                                       subject="S", text="T")


def test_only_the_centres_advisers_answer(alice, atlantic, adviser, other_adviser, reviewer):
    question = AdvisoryQuestionFactory(organisation=atlantic, asked_by=alice)
    for outsider in (other_adviser, reviewer, alice):
        with pytest.raises(ValidationError, match="Only this centre's advisers"):
            services.advisory_question_answer(actor=outsider, question=question, answer="Yes.")
    services.advisory_question_answer(actor=adviser, question=question, answer="Yes: **Note 4** applies.")
    question.refresh_from_db()
    assert question.status == "answered" and "<strong>Note 4</strong>" in question.answer_html
    assert Notification.objects.filter(recipient=alice, kind="training.advisory").count() == 1


def test_a_programme_administrator_reads_a_question_without_an_answer_box(alice, atlantic, programme_admin,
                                                                          client_for):
    question = AdvisoryQuestionFactory(organisation=atlantic, asked_by=alice)
    response = client_for(programme_admin).get(reverse("admin:training_advisoryquestion_change", args=[question.pk]))
    assert response.status_code == 200  # a server error before: the read-only form has no answer field
    assert question.subject in response.content.decode() and 'name="answer"' not in response.content.decode()


def test_adviser_answers_in_the_admin_queue(alice, atlantic, adviser, other_adviser, client_for):
    mine = AdvisoryQuestionFactory(organisation=atlantic, asked_by=alice)
    theirs = AdvisoryQuestionFactory(organisation=atlantic, asked_by=alice, centre=centre("pharma"),
                                     subject="Cold chain seals")
    client = client_for(adviser)
    queue = client.get(reverse("admin:training_advisoryquestion_changelist")).content.decode()
    assert mine.subject in queue and theirs.subject not in queue
    assert client.get(reverse("admin:training_advisoryquestion_change", args=[theirs.pk])).status_code == 302
    response = client.post(reverse("admin:training_advisoryquestion_change", args=[mine.pk]),
                           {"answer": "Yes, it is one functional unit."})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "answered" and mine.answered_by == adviser
    # the other centre's adviser cannot change it either
    response = client_for(other_adviser).post(reverse("admin:training_advisoryquestion_change", args=[mine.pk]),
                                              {"answer": "Overwritten"})
    mine.refresh_from_db()
    assert mine.answer == "Yes, it is one functional unit."


def test_overdue_questions_remind_the_advisers_once(alice, atlantic, adviser):
    question = AdvisoryQuestionFactory(organisation=atlantic, asked_by=alice)
    AdvisoryQuestion.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(days=11))
    assert services.advisory_questions_remind_overdue() == 1
    assert services.advisory_questions_remind_overdue() == 0  # safe to run twice
    assert Notification.objects.filter(recipient=adviser, subject__startswith="Overdue").count() == 1


def test_programme_administrators_see_the_whole_queue_but_cannot_answer(alice, atlantic, programme_admin,
                                                                        client_for):
    question = AdvisoryQuestionFactory(organisation=atlantic, asked_by=alice)
    client = client_for(programme_admin)
    assert question.subject in client.get(reverse("admin:training_advisoryquestion_changelist")).content.decode()
    client.post(reverse("admin:training_advisoryquestion_change", args=[question.pk]), {"answer": "No."})
    question.refresh_from_db()
    assert question.status == "open"
