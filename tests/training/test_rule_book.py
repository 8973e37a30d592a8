"""The staff actions in training: what the back office offers is exactly what the services allow."""

from __future__ import annotations

from portal.roles import StaffGroup
from tests.conftest import _staff
from tests.consultations.test_rule_book import _allowed


def test_training_staff_actions_offered_exactly_when_allowed(adviser, author, course, alice, atlantic, mallory):
    from training import permissions as training_permissions
    from training import services as training_services
    from training.models import AdvisoryQuestion, Certificate, Enrolment

    centre = course.centre
    centre.advisers.add(adviser)
    question = AdvisoryQuestion.objects.create(centre=centre, organisation=atlantic, asked_by=alice,
                                               subject="Seals", text="Which seals count as high security?")
    enrolment = Enrolment.objects.create(user=alice, course=course, organisation=atlantic)
    certificate = Certificate.objects.create(enrolment=enrolment, user=alice, course=course, holder_name="Alice")
    mismatches = []
    cast = {"trader": alice, "outsider": mallory, "author": author, "adviser": adviser,
            "programme administrator": _staff("pa@customs.example", StaffGroup.PROGRAMME_ADMINISTRATOR)}
    for persona, user in cast.items():
        checks = {
            "answer a question": (
                training_permissions.can_answer_question(user, question),
                lambda u=user: training_services.advisory_question_answer(actor=u, question=question,
                                                                          answer="ISO 17712 H seals.")),
            "revoke a certificate": (
                training_permissions.can_revoke_certificate(user),
                lambda u=user: training_services.certificate_revoke(actor=u, certificate=certificate,
                                                                    reason="Obtained unfairly.")),
        }
        for name, (offered, run) in checks.items():
            allowed = _allowed(run)
            if offered != allowed:
                mismatches.append(f"{persona} / {name}: offered {offered}, allowed {allowed}")
    assert mismatches == []
    certificate.refresh_from_db()
    assert certificate.revoked_at is None  # every attempt was rolled back
