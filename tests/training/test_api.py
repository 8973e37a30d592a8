"""The training API: a public catalogue, your own enrolments and attempts, public verification; in the schema."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from training.models import Certificate, Choice, QuizAttempt

from .factories import CourseFactory, full_course


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_catalogue_is_public_and_filtered(db):
    full_course(title="Container security", slug="container-security", aeo_sections=["J"])
    full_course(title="Valuation basics", slug="valuation-basics")
    CourseFactory(title="Draft", is_published=False)
    response = api().get("/api/v1/training/courses/")
    assert response.status_code == 200
    assert [c["title"] for c in response.json()["results"]] == ["Container security", "Valuation basics"]
    assert [c["slug"] for c in api().get("/api/v1/training/courses/?aeo=J").json()["results"]] == [
        "container-security"]
    detail = api().get("/api/v1/training/courses/container-security/").json()
    assert detail["modules"][0]["lessons"] and detail["quizzes"][0]["pass_mark"] == 50
    assert api().get("/api/v1/training/centres/").json()[0]["slug"] == "agriculture"


def test_enrol_progress_quiz_and_verification_through_the_api(alice, course, django_capture_on_commit_callbacks):
    client = api(alice)
    # enrol
    response = client.post("/api/v1/training/enrolments/", {"course": course.slug}, format="json")
    assert response.status_code == 201, response.json()
    enrolment = response.json()
    assert (enrolment["steps_done"], enrolment["steps_total"]) == (0, 3)
    # lessons
    detail = client.get(f"/api/v1/training/courses/{course.slug}/").json()
    for lesson in detail["modules"][0]["lessons"]:
        response = client.post(f"/api/v1/training/enrolments/{enrolment['id']}/complete-lesson/",
                               {"lesson": lesson["id"]}, format="json")
    assert response.json()["percent"] == 66
    # a quiz attempt: the questions come without their right answers
    response = client.post("/api/v1/training/attempts/", {"enrolment": enrolment["id"],
                                                          "quiz": detail["quizzes"][0]["id"]}, format="json")
    assert response.status_code == 201
    attempt = response.json()
    assert "is_correct" not in str(attempt)
    answers = {str(q["id"]): list(Choice.objects.filter(question_id=q["id"], is_correct=True)
                                  .values_list("pk", flat=True)) for q in attempt["questions"]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/training/attempts/{attempt['id']}/submit/", {"answers": answers},
                               format="json")
    assert response.json()["passed"] is True and response.json()["score"] == 2
    code = client.get(f"/api/v1/training/enrolments/{enrolment['id']}/").json()["certificate_code"]
    assert code == Certificate.objects.get().code
    verification = api().get(f"/api/v1/training/certificates/verify/{code}/").json()
    assert verification["status"] == "valid" and verification["holder_name"] == "Alice Admin"


def test_enrolments_and_attempts_are_scoped_to_the_user(alice, mallory, course):
    from training import services

    enrolment = services.enrolment_create(actor=alice, course=course)
    attempt = services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=course.quizzes.get())
    client = api(mallory)
    assert client.get("/api/v1/training/enrolments/").json()["results"] == []
    assert client.get(f"/api/v1/training/enrolments/{enrolment.pk}/").status_code == 404
    assert client.get(f"/api/v1/training/attempts/{attempt.pk}/").status_code == 404
    assert client.post(f"/api/v1/training/attempts/{attempt.pk}/submit/", {"answers": {}},
                       format="json").status_code == 404
    assert client.post("/api/v1/training/attempts/", {"enrolment": enrolment.pk, "quiz": 1},
                       format="json").status_code == 404
    assert QuizAttempt.objects.get().submitted_at is None


def test_bad_input_is_400_with_field_errors(alice, course):
    client = api(alice)
    assert client.post("/api/v1/training/enrolments/", {"course": "nope"}, format="json").status_code == 400
    enrolment = client.post("/api/v1/training/enrolments/", {"course": course.slug}, format="json").json()
    attempt = client.post("/api/v1/training/attempts/", {"enrolment": enrolment["id"],
                                                         "quiz": course.quizzes.get().pk}, format="json").json()
    response = client.post(f"/api/v1/training/attempts/{attempt['id']}/submit/", {"answers": {"x": [1]}},
                           format="json")
    assert response.status_code == 400 and "answers" in response.json()
    response = client.post(f"/api/v1/training/enrolments/{enrolment['id']}/complete-lesson/", {"lesson": 0},
                           format="json")
    assert response.status_code == 400 and "lesson" in response.json()


def test_private_endpoints_need_authentication(db):
    assert api().get("/api/v1/training/enrolments/").status_code == 401
    assert api().get("/api/v1/training/attempts/").status_code == 401


def test_training_is_in_the_openapi_schema(client, db):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for expected in ["/api/v1/training/courses/", "/api/v1/training/enrolments/",
                     "/api/v1/training/attempts/{id}/submit/", "/api/v1/training/certificates/verify/{code}/"]:
        assert expected in paths, expected
