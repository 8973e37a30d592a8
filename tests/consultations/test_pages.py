"""The authoring and discussion pages through the test client: what each persona may do, and what it leaves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import (
    MAX_DEPTH,
    Comment,
    Consultation,
    Follow,
    OfficialResponse,
    Phase,
    Report,
    Support,
)

pytestmark = pytest.mark.django_db


def _url(name: str, *args) -> str:
    return reverse(f"consultations:{name}", args=args)


def _form(**changes) -> dict:
    closes = timezone.localtime() + timedelta(days=40)
    return {"title": "Electronic seals for transit", "summary": "Seals read at the border without stopping.",
            "body": "## Today\n\nSeals are checked by hand.", "audience": "public", "opens_at": "",
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"), **changes}


def test_an_association_drafts_edits_publishes_and_closes_a_consultation(member_of_association, association, alice,
                                                                        client_for):
    client = client_for(member_of_association)
    # given the form, a draft without a title is refused with the reason and what was typed kept
    assert client.get(_url("create")).status_code == 200
    page = client.post(_url("create"), _form(title="")).content.decode()
    assert "Enter a title that says what the proposal is about." in page and "Seals are checked by hand." in page
    assert not Consultation.objects.exists()
    # when the draft is saved, only the association sees it
    response = client.post(_url("create"), _form())
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and response.url == consultation.get_absolute_url()
    assert (consultation.organisation, consultation.phase) == (association, Phase.DRAFT)
    assert client_for(alice).get(consultation.get_absolute_url()).status_code == 404
    # it can be edited before it opens, by its organisation only
    assert client_for(alice).post(_url("edit", consultation.pk), _form(title="Taken over")).status_code == 404
    assert client.post(_url("edit", consultation.pk), _form(title="Electronic seals in transit")).status_code == 302
    consultation.refresh_from_db()
    assert consultation.title == "Electronic seals in transit"
    # then publishing opens it to everyone, and it is no longer editable
    client.post(_url("publish", consultation.pk))
    consultation.refresh_from_db()
    assert consultation.phase == Phase.OPEN and consultation.opens_at is not None
    assert "Electronic seals in transit" in client_for(alice).get(consultation.get_absolute_url()).content.decode()
    assert client.get(_url("edit", consultation.pk)).status_code == 403
    page = client.post(_url("publish", consultation.pk), follow=True).content.decode()
    assert "This consultation has been published already." in page
    # and closing it is the owner's: a trader's attempt changes nothing
    client_for(alice).post(_url("close", consultation.pk))
    assert Consultation.objects.get().phase == Phase.OPEN
    client.post(_url("close", consultation.pk))
    assert Consultation.objects.get().phase == Phase.CLOSED


def test_a_trader_cannot_author_consultations(alice, client_for, anonymous, client):
    assert client_for(alice).get(_url("create")).status_code == 403
    assert client_for(alice).post(_url("create"), _form()).status_code == 403
    assert client.get(_url("create")).status_code == 302  # to sign in
    assert not Consultation.objects.exists()


def test_commenting_replying_and_editing_through_the_pages(open_consultation, alice, bob, client_for):
    pk = open_consultation.pk
    alice_client, bob_client = client_for(alice), client_for(bob)
    # an empty comment is refused next to the field
    assert "Write your comment." in alice_client.post(_url("comment_post", pk), {"body": " "}).content.decode()
    # a comment is posted, and its author follows the consultation
    response = alice_client.post(_url("comment_post", pk), {"body": "Seal data should reach us 2 hours ahead."})
    comment = Comment.objects.get()
    assert response.url == comment.get_absolute_url() and comment.author == alice
    assert Follow.objects.filter(consultation=open_consultation, user=alice).exists()
    # a colleague replies under it
    bob_client.post(_url("comment_reply", pk, comment.pk), {"body": "Agreed, and in one format."})
    reply = Comment.objects.get(parent=comment)
    assert (reply.author, reply.depth) == (bob, 2)
    page = bob_client.get(open_consultation.get_absolute_url()).content.decode()
    assert "Seal data should reach us 2 hours ahead." in page and "Agreed, and in one format." in page
    # the author edits the comment; the earlier text is in its history; nobody else may edit it
    assert bob_client.post(_url("comment_edit", pk, comment.pk), {"body": "Hijacked."}).status_code == 403
    assert Comment.objects.get(pk=comment.pk).body == "Seal data should reach us 2 hours ahead."
    alice_client.post(_url("comment_edit", pk, comment.pk), {"body": "Seal data should reach us 3 hours ahead."})
    assert Comment.objects.get(pk=comment.pk).body == "Seal data should reach us 3 hours ahead."
    history = alice_client.get(_url("comment_history", pk, comment.pk)).content.decode()
    assert "2 hours ahead" in history
    # removal is the author's only, after a confirmation page, and the reply stays
    assert bob_client.post(_url("comment_delete", pk, comment.pk)).status_code == 403
    assert "Remove your comment?" in alice_client.get(_url("comment_delete", pk, comment.pk)).content.decode()
    alice_client.post(_url("comment_delete", pk, comment.pk))
    assert Comment.objects.get(pk=comment.pk).is_removed and Comment.objects.filter(pk=reply.pk).exists()


def test_replies_are_offered_only_above_the_depth_limit(open_consultation, alice, client_for):
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="Level one.")
    for _ in range(MAX_DEPTH - 1):
        comment = services.comment_post(actor=alice, consultation=open_consultation, body="Deeper.", parent=comment)
    assert comment.depth == MAX_DEPTH
    page = client_for(alice).get(open_consultation.get_absolute_url()).content.decode()
    assert _url("comment_reply", open_consultation.pk, comment.parent_id) in page
    assert _url("comment_reply", open_consultation.pk, comment.pk) not in page


def test_support_report_official_response_and_following(open_consultation, alice, bob, customs_officer, client_for):
    pk = open_consultation.pk
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="Seals at 2 hours.")
    # others support a comment, its author cannot
    client_for(bob).post(_url("comment_support", pk, comment.pk))
    client_for(alice).post(_url("comment_support", pk, comment.pk))
    assert list(Support.objects.values_list("user", flat=True)) == [bob.pk]
    # a report needs a reason
    assert "Say what is wrong with the comment." in client_for(bob).post(
        _url("comment_report", pk, comment.pk), {"reason": ""}).content.decode()
    client_for(bob).post(_url("comment_report", pk, comment.pk), {"reason": "Advertising."})
    assert Report.objects.get().reason == "Advertising."
    # only customs answers officially, once per comment
    assert client_for(alice).get(_url("comment_respond", pk, comment.pk)).status_code == 403
    officer = client_for(customs_officer)
    assert "Give the reasons for the disposition." in officer.post(
        _url("comment_respond", pk, comment.pk), {"disposition": "accepted", "reasoning": ""}).content.decode()
    officer.post(_url("comment_respond", pk, comment.pk), {"disposition": "accepted", "reasoning": "Two hours."})
    assert OfficialResponse.objects.get(comment=comment).disposition == "accepted"
    assert officer.get(_url("comment_respond", pk, comment.pk)).status_code == 403
    # following: a choice of delivery, and unfollowing
    client_for(bob).post(_url("follow", pk), {"delivery": "immediate"})
    assert Follow.objects.get(user=bob).delivery == "immediate"
    client_for(bob).post(_url("follow", pk), {"unfollow": "1"})
    assert not Follow.objects.filter(user=bob).exists()


def test_an_outsider_cannot_reach_a_working_group(invited_consultation, mallory, client_for):
    client = client_for(mallory)
    assert client.get(invited_consultation.get_absolute_url()).status_code == 404
    assert client.post(_url("comment_post", invited_consultation.pk), {"body": "Let me in."}).status_code == 404
    assert not Comment.objects.exists()


def test_a_consultation_records_its_language_and_shows_it_on_its_text(member_of_association, alice, client_for):
    member_of_association.language = "pt"
    member_of_association.save(update_fields=["language"])
    client = client_for(member_of_association)
    # the form offers the author's language, and a draft posted without one is in it
    assert 'value="pt" selected' in client.get(_url("create")).content.decode()
    client.post(_url("create"), _form())
    consultation = Consultation.objects.get()
    assert consultation.language == "pt"
    # the author may say it is written in another language; the text keeps it whatever the reader's language
    client.post(_url("edit", consultation.pk), _form(language="fr"))
    consultation.refresh_from_db()
    assert consultation.language == "fr"
    client.post(_url("publish", consultation.pk))
    page = client_for(alice).get(consultation.get_absolute_url()).content.decode()
    assert f'<div class="prose" lang="fr">{consultation.body_html}</div>' in page
    assert f'<h1 lang="fr">{consultation.title}</h1>' in page
