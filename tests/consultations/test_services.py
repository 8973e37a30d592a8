"""The rules every write keeps, whoever calls it (pages, API, admin, jobs)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from consultations import services
from consultations.models import Comment, CommentRevision, Follow, Phase
from portal.models import AuditEvent, Membership, Notification
from tests.consultations.factories import CommentFactory, ConsultationFactory


def _membership(user) -> Membership:
    return Membership.objects.select_related("organisation").get(user=user)


def test_association_member_drafts_and_publishes(member_of_association, association):
    # given a draft
    consultation = services.consultation_create(
        actor=member_of_association, organisation=association, title="Valuation of royalties",
        summary="How royalties enter the customs value.", body="# Proposal\n\n<script>x</script>Text",
        closes_at=timezone.now() + timedelta(days=20),
    )
    assert consultation.phase == Phase.DRAFT
    assert "<script>" not in consultation.body_html and "<h3>" in consultation.body_html
    # when it is published without an opening date
    services.consultation_publish(actor=member_of_association, consultation=consultation)
    # then it is open at once, and the timeline says so
    consultation.refresh_from_db()
    assert consultation.phase == Phase.OPEN and consultation.opens_at is not None
    actions = set(AuditEvent.objects.for_target(consultation).values_list("action", flat=True))
    assert actions == {"consultation.created", "consultation.published"}


def test_publishing_with_a_future_opening_date_schedules_it(member_of_association, association):
    consultation = services.consultation_create(
        actor=member_of_association, organisation=association, title="Transit guarantees", summary="s", body="b",
        opens_at=timezone.now() + timedelta(days=2), closes_at=timezone.now() + timedelta(days=20),
    )
    services.consultation_publish(actor=member_of_association, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.phase == Phase.SCHEDULED
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert services.consultations_open_due() == 1
        assert services.consultations_open_due() == 0
    consultation.refresh_from_db()
    assert consultation.phase == Phase.OPEN


def test_operators_cannot_post_consultations(alice, atlantic):
    with pytest.raises(PermissionDenied):
        services.consultation_create(actor=alice, organisation=atlantic, title="t", summary="s", body="b",
                                     closes_at=timezone.now() + timedelta(days=5))


def test_closing_date_must_follow_opening_date(member_of_association, association):
    with pytest.raises(ValidationError):
        services.consultation_create(
            actor=member_of_association, organisation=association, title="t", summary="s", body="b",
            opens_at=timezone.now() + timedelta(days=5), closes_at=timezone.now() + timedelta(days=1))


def test_comment_on_behalf_notifies_immediate_followers_and_follows_the_author(open_consultation, alice, bob):
    services.follow_set(actor=bob, consultation=open_consultation, delivery=Follow.Delivery.IMMEDIATE)
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="We agree **in part**.",
                                    acting_for=_membership(alice), on_behalf=True)
    assert comment.root_id == comment.pk and comment.depth == 1 and comment.signed_as == "Atlantic Freight"
    assert Notification.objects.filter(recipient=bob, kind="consultations.comment").count() == 1
    assert not Notification.objects.filter(recipient=alice).exists()
    assert Follow.objects.filter(user=alice, consultation=open_consultation).exists()


def test_consultants_cannot_speak_for_the_organisation(open_consultation, carol):
    with pytest.raises(ValidationError):
        services.comment_post(actor=carol, consultation=open_consultation, body="x",
                              acting_for=_membership(carol), on_behalf=True)


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.SCHEDULED, Phase.CLOSED, Phase.OUTCOME_PUBLISHED])
def test_comments_only_while_open(open_consultation, alice, phase):
    open_consultation.phase = phase
    open_consultation.save()
    with pytest.raises(ValidationError) as error:
        services.comment_post(actor=alice, consultation=open_consultation, body="Too late?")
    assert "not open" in str(error.value) or "closed" in str(error.value)


def test_replies_go_three_levels_deep_and_notify_the_parent_author(open_consultation, alice, bob, mallory):
    first = services.comment_post(actor=alice, consultation=open_consultation, body="1")
    second = services.comment_post(actor=bob, consultation=open_consultation, body="2", parent=first)
    third = services.comment_post(actor=mallory, consultation=open_consultation, body="3", parent=second)
    assert (second.depth, third.depth, third.root_id) == (2, 3, first.pk)
    assert Notification.objects.filter(recipient=alice, kind="consultations.reply").count() == 1
    with pytest.raises(ValidationError):
        services.comment_post(actor=alice, consultation=open_consultation, body="4", parent=third)


def test_edits_keep_history_within_the_window(open_consultation, alice, bob):
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="first text")
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=bob, comment=comment, body="not mine")
    services.comment_edit(actor=alice, comment=comment, body="second text")
    comment.refresh_from_db()
    assert comment.body == "second text" and comment.edited_at is not None
    assert list(CommentRevision.objects.filter(comment=comment).values_list("body", flat=True)) == ["first text"]
    later = timezone.now() + services.EDIT_WINDOW + timedelta(minutes=1)
    with time_machine.travel(later), pytest.raises(ValidationError):
        services.comment_edit(actor=alice, comment=comment, body="third text")


def test_deleted_comments_stay_as_removed(open_consultation, alice, bob):
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="x")
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=bob, comment=comment)
    services.comment_delete(actor=alice, comment=comment)
    comment.refresh_from_db()
    assert comment.is_removed and Comment.objects.filter(pk=comment.pk).exists()


def test_support_is_one_per_person_and_toggles(open_consultation, alice, bob, carol):
    comment = CommentFactory(consultation=open_consultation, author=alice)
    assert services.comment_support_toggle(actor=bob, comment=comment) is True
    assert services.comment_support_toggle(actor=carol, comment=comment) is True
    assert services.comment_support_toggle(actor=bob, comment=comment) is False
    comment.refresh_from_db()
    assert comment.support_count == 1


def test_other_organisations_cosign_once(open_consultation, alice, mallory, bob, other_company, atlantic):
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="x",
                                    acting_for=_membership(alice), on_behalf=True)
    services.comment_cosign(actor=mallory, comment=comment, organisation=other_company)
    with pytest.raises(ValidationError):
        services.comment_cosign(actor=mallory, comment=comment, organisation=other_company)
    with pytest.raises(PermissionDenied):  # its own organisation does not co-sign
        services.comment_cosign(actor=bob, comment=comment, organisation=atlantic)


def test_posting_is_rate_limited_with_a_clear_message(open_consultation, alice, settings):
    settings.CONSULTATION_COMMENT_RATE = (3, 60)
    for n in range(3):
        services.comment_post(actor=alice, consultation=open_consultation, body=f"point {n}")
    with pytest.raises(ValidationError) as error:
        services.comment_post(actor=alice, consultation=open_consultation, body="one more")
    assert "Wait a minute" in error.value.messages[0]
    assert Comment.objects.filter(author=alice).count() == 3


def test_only_customs_staff_respond_officially(open_consultation, alice, bob, customs_officer, reviewer,
                                               member_of_association):
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="Please phase it in.",
                                    acting_for=_membership(alice), on_behalf=True)
    for outsider in (alice, reviewer, member_of_association):  # staff without customs membership: no
        with pytest.raises(PermissionDenied):
            services.official_response_post(actor=outsider, consultation=open_consultation, comment=comment,
                                            disposition="accepted", reasoning="r")
    response = services.official_response_post(actor=customs_officer, consultation=open_consultation,
                                                comment=comment, disposition="partly_accepted",
                                                reasoning="Six months, not twelve.")
    assert response.organisation.kind == "customs"
    # the author and their organisation's members are told
    assert set(Notification.objects.filter(kind="consultations.official_response")
               .values_list("recipient__email", flat=True)) == {alice.email, bob.email}
    with pytest.raises(ValidationError):
        services.official_response_post(actor=customs_officer, consultation=open_consultation, comment=comment,
                                        disposition="noted", reasoning="again")


def test_only_moderators_hide_and_restore(open_consultation, alice, customs_officer, moderator):
    comment = CommentFactory(consultation=open_consultation, author=alice)
    report = services.comment_report(actor=customs_officer, comment=comment, reason="Advertising")
    for someone in (alice, customs_officer):
        with pytest.raises(PermissionDenied):
            services.comment_hide(actor=someone, comment=comment, reason="spam")
    services.comment_hide(actor=moderator, comment=comment, reason="Advertising for a product")
    comment.refresh_from_db()
    report.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Advertising for a product"
    assert report.resolution == "hidden"
    services.comment_restore(actor=moderator, comment=comment)
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_outcome_needs_a_closed_consultation_and_tells_participants(open_consultation, alice, bob,
                                                                      member_of_association, mallory):
    services.comment_post(actor=alice, consultation=open_consultation, body="x")
    services.follow_set(actor=bob, consultation=open_consultation)
    with pytest.raises(ValidationError):
        services.outcome_publish(actor=member_of_association, consultation=open_consultation, summary="Done")
    services.consultation_close(actor=member_of_association, consultation=open_consultation)
    with pytest.raises(PermissionDenied):
        services.outcome_publish(actor=mallory, consultation=open_consultation, summary="Done")
    services.outcome_publish(actor=member_of_association, consultation=open_consultation,
                             summary="The single data set applies from **1 July**.")
    open_consultation.refresh_from_db()
    assert open_consultation.phase == Phase.OUTCOME_PUBLISHED
    assert "<strong>1 July</strong>" in open_consultation.outcome_html
    assert set(Notification.objects.filter(kind="consultations.outcome")
               .values_list("recipient__email", flat=True)) == {alice.email, bob.email}


def test_owner_only_edits_drafts(draft_consultation, member_of_association, alice):
    services.consultation_update(actor=member_of_association, consultation=draft_consultation, title="New title")
    with pytest.raises(PermissionDenied):
        services.consultation_update(actor=alice, consultation=draft_consultation, title="Hijack")
    services.consultation_publish(actor=member_of_association, consultation=draft_consultation)
    with pytest.raises(PermissionDenied):
        services.consultation_update(actor=member_of_association, consultation=draft_consultation, title="Late")


def test_invited_consultation_needs_invitees(member_of_association, association):
    consultation = ConsultationFactory(organisation=association, phase=Phase.DRAFT, audience="invited",
                                       published_at=None)
    with pytest.raises(ValidationError):
        services.consultation_publish(actor=member_of_association, consultation=consultation)


def test_history_page_shows_earlier_versions(open_consultation, alice, client, client_for):
    from django.urls import reverse

    comment = services.comment_post(actor=alice, consultation=open_consultation, body="Twelve months, please")
    services.comment_edit(actor=alice, comment=comment, body="Six months would do")
    page = client.get(reverse("consultations:comment_history", args=[open_consultation.pk, comment.pk]))
    assert "Twelve months, please" in page.content.decode() and "Six months would do" in page.content.decode()
    detail = client.get(reverse("consultations:detail", args=[open_consultation.pk])).content.decode()
    assert "Twelve months" not in detail and "see earlier versions" in detail


def test_rate_limit_message_on_the_page_keeps_the_text(open_consultation, alice, client_for, settings):
    from django.urls import reverse

    settings.CONSULTATION_COMMENT_RATE = (1, 60)
    client = client_for(alice)
    url = reverse("consultations:comment_post", args=[open_consultation.pk])
    assert client.post(url, {"body": "First point"}).status_code == 302
    response = client.post(url, {"body": "Second point, carefully written"})
    page = response.content.decode()
    assert response.status_code == 200 and "Wait a minute" in page and "Second point, carefully written" in page


def test_edit_page_after_the_window_explains_why(open_consultation, alice, client_for):
    from django.urls import reverse

    comment = services.comment_post(actor=alice, consultation=open_consultation, body="x")
    later = timezone.now() + services.EDIT_WINDOW + timedelta(minutes=1)
    with time_machine.travel(later):
        response = client_for(alice).get(
            reverse("consultations:comment_edit", args=[open_consultation.pk, comment.pk]), follow=True)
    assert "can no longer be edited" in response.content.decode()


def test_null_characters_are_refused_with_a_message(open_consultation, alice):
    with pytest.raises(ValidationError) as error:
        services.comment_post(actor=alice, consultation=open_consultation, body="a\x00b")
    assert "null character" in str(error.value)
