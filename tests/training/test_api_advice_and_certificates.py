"""The training API beyond the catalogue: advisory questions with documents, certificates and their PDFs, and
quiz answers that stay on the server after a failed attempt. Scoped like the pages, through the same services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from portal.files import check_upload
from tests import documents
from training import services
from training.models import AdvisoryQuestion, Choice, QuizAttempt

from .conftest import complete_lessons, pass_quizzes, wrong_answers

BASE = "/api/v1/training/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_ask_a_centre_with_documents_through_the_api(alice, bob, mallory, atlantic, adviser):
    client = api(alice)
    # given: a file the question page refuses
    hostile = b"MZ\x90\x00" + b"\x00" * 200
    try:
        check_upload(SimpleUploadedFile("drawing.pdf", hostile))
    except ValidationError as error:
        page_message = error.messages
    refused = client.post(f"{BASE}questions/", {
        "organisation": atlantic.pk, "centre": "machinery", "subject": "Palletiser", "text": "Which heading?",
        "files": [SimpleUploadedFile("drawing.pdf", hostile)]}, format="multipart")
    assert refused.status_code == 400 and refused.json() == {"files": {"0": page_message}}
    empty = client.post(f"{BASE}questions/", {"organisation": atlantic.pk, "centre": "machinery", "subject": " ",
                                              "text": ""}, format="json")
    assert empty.json() == {"subject": ["Enter a subject."], "text": ["Enter your question."]}
    assert client.post(f"{BASE}questions/", {"organisation": mallory.memberships.get().organisation_id,
                                             "centre": "machinery", "subject": "x", "text": "y"},
                       format="json").json() == {"organisation": ["You do not belong to that organisation."]}
    assert not AdvisoryQuestion.objects.exists()

    # when
    asked = client.post(f"{BASE}questions/", {
        "organisation": atlantic.pk, "centre": "machinery", "subject": "Palletiser", "text": "Which heading?",
        "files": [SimpleUploadedFile("drawing.pdf", documents.PDF), SimpleUploadedFile("list.csv", documents.CSV)]},
        format="multipart")

    # then: the centre's adviser is told, colleagues read it, outsiders see nothing
    assert asked.status_code == 201, asked.json()
    question = asked.json()
    assert question["status"] == "open" and [a["original_name"] for a in question["attachments"]] == [
        "drawing.pdf", "list.csv"]
    assert adviser.notifications.filter(kind="training.advisory_queue").count() == 1
    colleague = api(bob)
    assert [q["id"] for q in colleague.get(f"{BASE}questions/?status=open").json()["results"]] == [question["id"]]
    assert colleague.get(f"{BASE}questions/?status=answered").json()["results"] == []
    assert colleague.get(f"{BASE}questions/?status=lost").status_code == 400
    download = colleague.get(question["attachments"][0]["download_url"])
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")

    services.advisory_question_answer(actor=adviser, question=AdvisoryQuestion.objects.get(), answer="**8428**")
    answered = colleague.get(f"{BASE}questions/{question['id']}/").json()
    assert answered["status"] == "answered" and "<strong>8428</strong>" in answered["answer_html"]

    outsider = api(mallory)
    assert outsider.get(f"{BASE}questions/").json()["results"] == []
    assert outsider.get(f"{BASE}questions/{question['id']}/").status_code == 404
    assert outsider.get(question["attachments"][0]["download_url"]).status_code == 404


def test_certificates_are_listed_and_downloaded_by_their_holder_only(alice, mallory, course,
                                                                     django_capture_on_commit_callbacks):
    enrolment = services.enrolment_create(actor=alice, course=course)
    complete_lessons(alice, enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        pass_quizzes(alice, enrolment)
    (certificate,) = api(alice).get(f"{BASE}certificates/").json()["results"]
    assert certificate["course"] == course.slug and certificate["status"] == "valid"
    assert certificate["verification_url"].endswith(f"{certificate['code']}/")
    pdf = api(alice).get(certificate["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")

    outsider = api(mallory)
    assert outsider.get(f"{BASE}certificates/").json()["results"] == []
    assert outsider.get(f"{BASE}certificates/{certificate['id']}/").status_code == 404
    assert outsider.get(certificate["pdf_url"]).status_code == 404


def _everything_the_learner_can_read(client, course, enrolment, attempt) -> list:
    return [client.get(url).json() for url in (
        f"{BASE}attempts/", f"{BASE}attempts/{attempt.pk}/", f"{BASE}enrolments/", f"{BASE}enrolments/{enrolment.pk}/",
        f"{BASE}courses/", f"{BASE}courses/{course.slug}/", f"{BASE}certificates/")]


def test_no_endpoint_reveals_the_right_answers_after_a_failed_attempt(alice, course):
    # given: a failed attempt, with attempts left
    client = api(alice)
    enrolment = services.enrolment_create(actor=alice, course=course)
    attempt = services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=course.quizzes.get())
    failed = client.post(f"{BASE}attempts/{attempt.pk}/submit/", {"answers": {
        str(q): ids for q, ids in wrong_answers(attempt).items()}}, format="json").json()
    assert failed["passed"] is False and failed["score"] == 0
    before = _everything_the_learner_can_read(client, course, enrolment, attempt)

    # when: the right and the wrong answers swap places on the server
    drawn = Choice.objects.filter(question_id__in=[int(q) for q in attempt.question_ids])
    right = set(drawn.filter(is_correct=True).values_list("pk", flat=True))
    drawn.filter(pk__in=right).update(is_correct=False)
    drawn.exclude(pk__in=right).update(is_correct=True)

    # then: nothing the learner can read changes, so nothing of it depends on which answer is right
    assert _everything_the_learner_can_read(client, course, enrolment, attempt) == before
    assert "is_correct" not in str(before) and "correct" not in str(before)
    assert QuizAttempt.objects.get(pk=attempt.pk).score == 0


def test_catalogue_filters_are_checked(db, course):
    client = APIClient()
    assert client.get(f"{BASE}courses/?level=wizard").status_code == 400
    assert client.get(f"{BASE}courses/?aeo=nowhere").status_code == 400
    assert [c["slug"] for c in client.get(f"{BASE}courses/?search=machinery").json()["results"]] == [course.slug]
    assert client.get(f"{BASE}courses/?search=valuation").json()["results"] == []
