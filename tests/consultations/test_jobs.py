"""Periodic jobs: each notification goes out once, even when a job runs twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from consultations import services, tasks
from consultations.models import Comment, Follow, Phase
from portal.models import Notification
from tests.consultations.factories import CommentFactory, ConsultationFactory, FollowFactory, OfficialResponseFactory


def _kinds(kind: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", "idempotency_key"))


def test_closing_job_closes_once_and_tells_followers_once(open_consultation, alice, bob):
    FollowFactory(consultation=open_consultation, user=alice)
    FollowFactory(consultation=open_consultation, user=bob, delivery=Follow.Delivery.IMMEDIATE)
    with time_machine.travel(open_consultation.closes_at + timedelta(minutes=1)):
        assert tasks.close_due() == 1
        assert tasks.close_due() == 0
    open_consultation.refresh_from_db()
    assert open_consultation.phase == Phase.CLOSED
    assert len(_kinds("consultations.closed")) == 2


def test_closing_is_idempotent_even_if_the_phase_check_is_raced(open_consultation, alice):
    # given a follower, and a closing that already notified (as if a second worker got there first)
    FollowFactory(consultation=open_consultation, user=alice)
    services.consultation_close_record(open_consultation, actor=None, now=timezone.now())
    # when the close runs again on the same consultation
    services.consultation_close_record(open_consultation, actor=None, now=timezone.now())
    # then the key stops the second message
    assert len(_kinds("consultations.closed")) == 1


def test_closing_reminder_three_days_ahead_once(open_consultation, alice):
    FollowFactory(consultation=open_consultation, user=alice)
    with time_machine.travel(open_consultation.closes_at - timedelta(days=4)):
        assert tasks.remind_closing() == 0
    with time_machine.travel(open_consultation.closes_at - timedelta(days=2)):
        assert tasks.remind_closing() == 1
        assert tasks.remind_closing() == 0
    assert len(_kinds("consultations.closing_soon")) == 1


def test_daily_digest_once_per_follower_and_day(open_consultation, alice, bob, carol):
    FollowFactory(consultation=open_consultation, user=alice)  # digest
    FollowFactory(consultation=open_consultation, user=carol, delivery=Follow.Delivery.IMMEDIATE)
    yesterday = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    with time_machine.travel(yesterday):
        CommentFactory(consultation=open_consultation, author=bob, body="Yesterday's point")
        CommentFactory(consultation=open_consultation, author=alice, body="My own point")
    today = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
    assert services.digests_send(now=today) == 1
    assert services.digests_send(now=today + timedelta(hours=5)) == 0  # the hourly run again, same day
    digest = Notification.objects.get(kind="consultations.digest")
    assert digest.recipient == alice and "Yesterday's point" in digest.body and "My own point" not in digest.body
    # the next day, with nothing new, nothing is sent
    assert services.digests_send(now=today + timedelta(days=1)) == 0


def test_customs_reminded_of_unanswered_comments_once(open_consultation, alice, customs_officer, reviewer):
    answered = CommentFactory(consultation=open_consultation, author=alice)
    OfficialResponseFactory(comment=answered)
    CommentFactory(consultation=open_consultation, author=alice)
    services.consultation_close(actor=open_consultation.created_by, consultation=open_consultation)
    assert services.unanswered_remind() == 0  # too early
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert tasks.remind_unanswered() == 1
        assert tasks.remind_unanswered() == 0
    reminder = Notification.objects.get(kind="consultations.unanswered")
    assert reminder.recipient == customs_officer and reminder.subject.startswith("1 comments on")


def test_schedules_are_installed(db):
    names = set(PeriodicTask.objects.filter(task__startswith="consultations.tasks.").values_list("task", flat=True))
    assert names == {f"consultations.tasks.{t}" for t in
                     ("open_due", "close_due", "remind_closing", "send_digests", "remind_unanswered")}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_close_job_twice_in_committed_transactions(association, member_of_association, alice):
    # given a consultation past its date, committed, with a follower
    consultation = ConsultationFactory(organisation=association, created_by=member_of_association,
                                       closes_at=timezone.now() + timedelta(hours=1))
    FollowFactory(consultation=consultation, user=alice)
    later = timezone.now() + timedelta(hours=2)
    # when the job runs twice, each in its own transaction
    assert services.consultations_close_due(now=later) == 1
    assert services.consultations_close_due(now=later) == 0
    # then one closing message
    assert Notification.objects.filter(kind="consultations.closed").count() == 1
    assert Comment.objects.count() == 0


def test_digest_and_official_response_e_mails(open_consultation, alice, bob, customs_officer, mailoutbox):
    from portal.services.notifications import notification_deliver

    FollowFactory(consultation=open_consultation, user=alice)
    with time_machine.travel(datetime(2026, 11, 27, 15, 0, tzinfo=UTC)):
        comment = CommentFactory(consultation=open_consultation, author=bob, body="Carriers need a year.")
    services.digests_send(now=datetime(2026, 11, 28, 1, 0, tzinfo=UTC))
    services.official_response_post(actor=customs_officer, consultation=open_consultation, comment=comment,
                                    disposition="noted", reasoning="We will look at carriers' systems first.")
    for notification in Notification.objects.filter(kind__in=["consultations.digest",
                                                               "consultations.official_response"]):
        assert notification_deliver(notification.pk) == "sent"
    by_to = {m.to[0]: m for m in mailoutbox}
    assert "Yesterday's new comments" in by_to[alice.email].body and "Carriers need a year." in by_to[alice.email].body
    assert "Customs has answered officially" in by_to[bob.email].body
    assert "We will look at carriers&#x27; systems first." in by_to[bob.email].alternatives[0][0]  # escaped


def test_people_who_left_a_working_group_hear_no_more(invited_consultation, alice, mallory, bob):
    from portal.models import Membership

    FollowFactory(consultation=invited_consultation, user=alice)
    FollowFactory(consultation=invited_consultation, user=bob)
    FollowFactory(consultation=invited_consultation, user=mallory)  # never invited
    Membership.objects.filter(user=bob).delete()  # bob leaves Atlantic, the invited organisation
    services.consultation_close(actor=invited_consultation.created_by, consultation=invited_consultation)
    assert _kinds("consultations.closed") == [(alice.email, f"consultations.closed:{invited_consultation.pk}:"
                                                            f"{alice.pk}")]
