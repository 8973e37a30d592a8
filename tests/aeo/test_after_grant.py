"""Certificates, public verification, the holders list, the holder's page, and the deadline watch."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from aeo import services
from aeo.models import Application, Authorisation
from aeo.services.deadlines import deadlines_watch
from portal.models import Notification
from tests.pdf import pdf_text, qr_codes_in


@pytest.fixture
def granted(complete_draft, alice, reviewer, supervisor, django_capture_on_commit_callbacks) -> Authorisation:
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=alice, application=complete_draft, signatory_name="Alice Admin",
                                    signatory_position="Director", confirmed=True)
        app = Application.objects.get(pk=complete_draft.pk)
        services.application_accept(actor=reviewer, application=app)
        services.grant_propose(actor=reviewer, application=app, kind="AEOC", note="")
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_approve(actor=supervisor, application=app)
    return Authorisation.objects.get(application=app)


def test_certificate_has_the_number_and_a_qr_code_to_the_verification_page(granted):
    pdf = granted.certificate.read()
    text = pdf_text(pdf)
    assert granted.number in text and "Atlantic Freight" in text
    assert qr_codes_in(pdf) == [f"http://localhost:8000/aeo/verify/{granted.verification_token}/"]


def test_certificate_task_is_safe_to_run_twice(granted):
    name = granted.certificate.name
    services.certificate_generate(authorisation_id=granted.pk)
    assert Authorisation.objects.get(pk=granted.pk).certificate.name == name
    assert Notification.objects.filter(subject__contains="certificate").count() == 1


def test_holder_downloads_the_certificate_and_outsider_cannot(granted, bob, mallory, client_for):
    url = reverse("aeo:certificate_download", args=[granted.application_id])
    response = client_for(bob).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(mallory).get(url).status_code == 404


@pytest.mark.parametrize("status", ["active", "suspended", "revoked"])
def test_public_verification_without_sign_in(granted, client, status):
    Authorisation.objects.filter(pk=granted.pk).update(status=status)
    page = client.get(reverse("aeo:verify", args=[granted.verification_token]))
    api = client.get(f"/api/v1/aeo/verify/{granted.verification_token}/").json()
    label = {"active": "Valid", "suspended": "Suspended", "revoked": "Revoked"}[status]
    assert page.status_code == 200 and f"<h2>{label}</h2>" in page.content.decode()
    assert api["status"] == status and api["number"] == granted.number
    assert ("holder" in api) == (status != "revoked")


@pytest.mark.parametrize("token", ["made-up", "x" * 32])
def test_unknown_or_altered_code_reveals_nothing(granted, client, token):
    altered = granted.verification_token[:-1] + ("A" if granted.verification_token[-1] != "A" else "B")
    for code in (token, altered):
        page = client.get(reverse("aeo:verify", args=[code]))
        assert page.status_code == 404 and "does not match any certificate" in page.content.decode()
        assert granted.number not in page.content.decode()
        api = client.get(f"/api/v1/aeo/verify/{code}/")
        assert api.status_code == 404 and api.json() == {"status": "unknown"}


def test_holders_list_shows_only_those_who_consented(granted, alice, client, client_for):
    assert "Atlantic Freight" not in client.get(reverse("aeo:holders")).content.decode()
    client_for(alice).post(reverse("aeo:consent_update", args=[granted.application_id]), {"publish": "on"})
    assert Authorisation.objects.get().consent_publish is True
    assert "Atlantic Freight" in client.get(reverse("aeo:holders") + "?name=atlantic&country=PT&kind=AEOC"
                                            ).content.decode()
    assert "Atlantic Freight" not in client.get(reverse("aeo:holders") + "?kind=AEOS").content.decode()
    # a country that does not exist is named on the form, and the list is not filtered by it
    page = client.get(reverse("aeo:holders") + "?country=XX&page=1")
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode() and "Atlantic Freight" in page.content.decode()


def test_the_consent_is_one_group_with_its_button_inside(granted, alice, client_for):
    page = client_for(alice).get(reverse("aeo:application_status", args=[granted.application_id])).content.decode()
    group = page[page.index('<fieldset class="fieldset"><legend>Your consent</legend>'):page.index("</fieldset>")]
    assert 'name="publish"' in group and 'name="mra"' in group and "Save consent</button>" in group


def test_holder_page_shows_the_authorisation_and_takes_a_change_notice(granted, bob, client_for):
    client = client_for(bob)
    page = client.get(reverse("aeo:application_status", args=[granted.application_id])).content.decode()
    assert granted.number in page and "Download the certificate" in page and "Report a change" in page
    response = client.post(reverse("aeo:change_notice", args=[granted.application_id]),
                           {"description": "We moved the warehouse to Braga."})
    assert response.status_code == 302
    assert granted.change_notices.get().description == "We moved the warehouse to Braga."


def test_reassessment_starts_from_a_copy_of_the_granted_application(granted, alice, client_for):
    response = client_for(alice).post(reverse("aeo:application_copy", args=[granted.application_id]))
    copy = Application.objects.exclude(pk=granted.application_id).get()
    assert response.status_code == 302 and copy.answers.count() == granted.application.answers.count()


def test_deadline_watch_reminds_once_and_escalates_exactly_the_overdue(
    complete_draft, alice, reviewer, supervisor, atlantic, questionnaire
):
    services.application_submit(actor=alice, application=complete_draft, signatory_name="A", signatory_position="B",
                                confirmed=True)
    services.application_screen(application_id=complete_draft.pk)
    app = Application.objects.get(pk=complete_draft.pk)
    due = app.acceptance_due
    before = Notification.objects.count()
    with time_machine.travel(due - timedelta(days=14)):
        first = deadlines_watch()
        second = deadlines_watch()
    assert first["reminders"] == 1 and second["reminders"] == 0
    assert Notification.objects.filter(recipient=reviewer, subject__contains="acceptance due in 14 days").count() == 1
    with time_machine.travel(due - timedelta(days=10)):
        assert deadlines_watch() == {"reminders": 0, "escalations": 0, "applicant_reminders": 0, "hearings_ended": 0}
    with time_machine.travel(due + timedelta(days=1)):
        assert deadlines_watch()["escalations"] == 1
        assert deadlines_watch()["escalations"] == 0
    assert Notification.objects.filter(recipient=supervisor, subject__startswith="Overdue").count() == 1
    assert Notification.objects.count() - before == 2


def test_deadline_reminder_missed_on_its_day_is_sent_on_the_next_run_once(
    complete_draft, alice, reviewer, questionnaire
):
    services.application_submit(actor=alice, application=complete_draft, signatory_name="A", signatory_position="B",
                                confirmed=True)
    services.application_screen(application_id=complete_draft.pk)
    app = Application.objects.get(pk=complete_draft.pk)
    due = app.acceptance_due
    reminders = Notification.objects.filter(recipient=reviewer, subject__contains="acceptance due in")
    # given the daily job did not run on the day 14 days ahead
    # when it runs the day after, and again that day
    with time_machine.travel(due - timedelta(days=13)):
        assert deadlines_watch()["reminders"] == 1
        assert deadlines_watch()["reminders"] == 0
    # then the 14-day reminder went out once, late; skipping the 7-day run is made up the same way
    with time_machine.travel(due - timedelta(days=5)):
        assert deadlines_watch()["reminders"] == 1
    with time_machine.travel(due - timedelta(days=4)):
        assert deadlines_watch()["reminders"] == 0
    assert list(reminders.order_by("pk").values_list("subject", flat=True)) == [
        f"{app.reference}: acceptance due in 13 days", f"{app.reference}: acceptance due in 5 days"]


def test_deadline_watch_reminds_the_applicant_and_ends_the_hearing(complete_draft, alice, reviewer):
    services.application_submit(actor=alice, application=complete_draft, signatory_name="A", signatory_position="B",
                                confirmed=True)
    services.application_screen(application_id=complete_draft.pk)  # assigns the reviewer
    app = Application.objects.get(pk=complete_draft.pk)
    services.application_accept(actor=reviewer, application=app)
    request = services.information_request_create(actor=reviewer, application=app, questions="Send the log.",
                                                  due_date=timezone.now().date() + timedelta(days=8))
    with time_machine.travel(request.due_date - timedelta(days=7)):
        assert deadlines_watch()["applicant_reminders"] == 1
        assert deadlines_watch()["applicant_reminders"] == 0
    services.information_request_respond(actor=alice, request=request, response="Here.", files=[])
    hearing = services.rejection_propose(actor=reviewer, application=app, grounds="Gaps.")
    with time_machine.travel(hearing.due_date + timedelta(days=1)):
        assert deadlines_watch()["hearings_ended"] == 1
        assert deadlines_watch()["hearings_ended"] == 0
    assert Notification.objects.filter(recipient=reviewer, subject__contains="right-to-be-heard period has ended"
                                       ).count() == 1
