"""Thin tasks: they take ids, call one service, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from training import services


@shared_task
def issue_certificate(enrolment_id: int) -> int:
    return services.certificate_issue(enrolment_id=enrolment_id).pk


@shared_task
def render_certificate_pdf(certificate_id: int) -> None:
    services.certificate_pdf_render(certificate_id=certificate_id)


@shared_task
def remind_expiring_certificates() -> int:
    return services.certificates_remind_expiring()


@shared_task
def remind_idle_enrolments() -> int:
    return services.enrolments_remind_idle()


@shared_task
def remind_overdue_questions() -> int:
    return services.advisory_questions_remind_overdue()
