"""Only training authors write courses in the back office; other staff and traders cannot."""

from __future__ import annotations

import pytest
from django.urls import reverse

from training.models import Course, Lesson

from .factories import centre, full_course


def test_author_creates_a_course_with_modules_inline(author, client_for):
    client = client_for(author)
    assert client.get(reverse("admin:training_course_add")).status_code == 200
    response = client.post(reverse("admin:training_course_add"), {
        "centre": centre("pharma").pk, "title": "Cold-chain security", "slug": "cold-chain-security",
        "summary": "Keeping medicines secure and at temperature from factory to pharmacy.",
        "level": "intermediate", "duration_minutes": 40, "is_published": "on", "validity_months": 24,
        "aeo_sections": ["J"],
        "modules-TOTAL_FORMS": 1, "modules-INITIAL_FORMS": 0, "modules-0-order": 1,
        "modules-0-title": "Seals and loggers",
        "quizzes-TOTAL_FORMS": 0, "quizzes-INITIAL_FORMS": 0,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    course = Course.objects.get(slug="cold-chain-security")
    assert course.aeo_sections == ["J"] and course.modules.get().title == "Seals and loggers"


def test_author_writes_lessons_inline_on_the_module(author, client_for):
    course = full_course(lessons=0)
    module = course.modules.get()
    response = client_for(author).post(reverse("admin:training_module_change", args=[module.pk]), {
        "course": course.pk, "title": module.title, "order": 1,
        "lessons-TOTAL_FORMS": 1, "lessons-INITIAL_FORMS": 0,
        "lessons-0-order": 1, "lessons-0-title": "Seals", "lessons-0-duration_minutes": 10,
        "lessons-0-body": "Record the **seal number** on the transport document.",
    })
    assert response.status_code == 302
    assert "<strong>seal number</strong>" in Lesson.objects.get().body_html


@pytest.mark.parametrize("persona", ["reviewer", "adviser"])
def test_other_staff_cannot_edit_courses(persona, request, client_for):
    course = full_course()
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("admin:training_course_add")).status_code == 403
    assert client.post(reverse("admin:training_course_change", args=[course.pk]), {"title": "x"}).status_code == 403


def test_traders_cannot_open_the_back_office(alice, client_for):
    response = client_for(alice).get(reverse("admin:training_course_changelist"))
    assert response.status_code == 302 and "login" in response.url


def test_certificates_can_be_revoked_with_a_reason(programme_admin, alice, client_for):
    from training import services

    from .conftest import complete_lessons, pass_quizzes

    course = full_course()
    enrolment = services.enrolment_create(actor=alice, course=course)
    complete_lessons(alice, enrolment)
    pass_quizzes(alice, enrolment)
    certificate = services.certificate_issue(enrolment_id=enrolment.pk)
    client = client_for(programme_admin)
    url = reverse("admin:training_certificate_changelist")
    confirm = client.post(url, {"action": "revoke", "_selected_action": [certificate.pk]})
    assert confirm.status_code == 200 and "Revoke" in confirm.content.decode()
    client.post(url, {"action": "revoke", "_selected_action": [certificate.pk], "confirm": "yes",
                      "reason": "The exam was taken by someone else."})
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revoked_reason == "The exam was taken by someone else."


def test_a_course_cannot_require_a_course_that_requires_it(author, client_for):
    basics, advanced = full_course(slug="basics"), full_course(slug="advanced")
    advanced.prerequisites.add(basics)
    client = client_for(author)
    form = client.get(reverse("admin:training_course_change", args=[basics.pk])).context["adminform"].form
    assert basics not in form.fields["prerequisites"].queryset
    data = {
        "centre": basics.centre_id, "title": basics.title, "slug": basics.slug, "summary": basics.summary,
        "level": basics.level, "duration_minutes": 30, "is_published": "on", "prerequisites": [advanced.pk],
        "modules-TOTAL_FORMS": 0, "modules-INITIAL_FORMS": 0, "quizzes-TOTAL_FORMS": 0, "quizzes-INITIAL_FORMS": 0,
    }
    # the existing module and quiz stay as they are
    data.update({"modules-TOTAL_FORMS": 1, "modules-INITIAL_FORMS": 1, "modules-0-id": basics.modules.get().pk,
                 "modules-0-course": basics.pk, "modules-0-order": 1, "modules-0-title": "Module",
                 "quizzes-TOTAL_FORMS": 1, "quizzes-INITIAL_FORMS": 1, "quizzes-0-id": basics.quizzes.get().pk,
                 "quizzes-0-course": basics.pk, "quizzes-0-order": 0, "quizzes-0-title": "Quiz",
                 "quizzes-0-questions_per_attempt": 2, "quizzes-0-pass_mark": 50, "quizzes-0-max_attempts": 3})
    response = client.post(reverse("admin:training_course_change", args=[basics.pk]), data)
    assert response.status_code == 200
    assert "These courses require this one already" in response.content.decode()
    assert not basics.prerequisites.exists()
