"""Moderation in the admin: only the moderator group sees the queue and hides or restores."""

from __future__ import annotations

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from consultations import services
from tests.consultations.factories import CommentFactory


def test_only_moderators_see_the_queue(open_consultation, alice, moderator, reviewer, customs_officer, client_for):
    comment = CommentFactory(consultation=open_consultation, author=alice, body="Buy my software!")
    services.comment_report(actor=customs_officer, comment=comment, reason="Advertising")
    url = reverse("admin:consultations_report_changelist")
    for user in (reviewer, customs_officer):
        assert client_for(user).get(url).status_code == 403
    page = client_for(moderator).get(url)
    assert page.status_code == 200 and "Buy my software!" in page.content.decode()


def test_moderator_hides_with_a_reason_shown_in_place(open_consultation, alice, moderator, client_for, client):
    comment = CommentFactory(consultation=open_consultation, author=alice, body="Buy my software!")
    services.comment_report(actor=moderator, comment=comment, reason="Advertising")
    admin = client_for(moderator)
    url = reverse("admin:consultations_report_changelist")
    report_ids = [str(r.pk) for r in comment.reports.all()]
    # the action first asks for the reason
    confirm = admin.post(url, {"action": "hide_reported", ACTION_CHECKBOX_NAME: report_ids})
    assert confirm.status_code == 200 and "Reason shown in place of the comment" in confirm.content.decode()
    admin.post(url, {"action": "hide_reported", ACTION_CHECKBOX_NAME: report_ids,
                     "reason": "Advertising is not allowed in consultations"})
    comment.refresh_from_db()
    assert comment.is_hidden
    page = client.get(reverse("consultations:detail", args=[open_consultation.pk])).content.decode()
    assert "Hidden by a moderator: Advertising is not allowed in consultations" in page
    assert "Buy my software!" not in page
    # and restores it
    admin.post(reverse("admin:consultations_comment_changelist"),
               {"action": "restore_comments", ACTION_CHECKBOX_NAME: [str(comment.pk)]})
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_reporting_from_the_page(open_consultation, alice, bob, client_for):
    comment = CommentFactory(consultation=open_consultation, author=alice)
    url = reverse("consultations:comment_report", args=[open_consultation.pk, comment.pk])
    assert client_for(bob).post(url, {"reason": ""}).status_code == 200  # error shown, nothing lost
    assert client_for(bob).post(url, {"reason": "Personal attack on a named official"}).status_code == 302
    assert comment.reports.get().reporter == bob


def test_moderator_pages_render(open_consultation, alice, moderator, client_for):
    comment = CommentFactory(consultation=open_consultation, author=alice)
    services.comment_report(actor=moderator, comment=comment, reason="Off topic")
    admin = client_for(moderator)
    for url in (reverse("admin:consultations_consultation_changelist"),
                reverse("admin:consultations_comment_changelist") + "?reports=open",
                reverse("admin:consultations_comment_change", args=[comment.pk]),
                reverse("admin:consultations_report_changelist") + "?state=resolved"):
        assert admin.get(url).status_code == 200, url
    assert "1 consultation" in admin.get(reverse("admin:consultations_consultation_changelist")).content.decode()


def test_moderators_are_told_once_per_reported_comment(open_consultation, alice, bob, carol, moderator):
    from portal.models import Notification

    comment = CommentFactory(consultation=open_consultation, author=alice)
    services.comment_report(actor=bob, comment=comment, reason="Insulting")
    services.comment_report(actor=carol, comment=comment, reason="Insulting, too")
    assert Notification.objects.filter(kind="consultations.reported", recipient=moderator).count() == 1
