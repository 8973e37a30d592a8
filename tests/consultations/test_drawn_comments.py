"""Drawn comments are reused from the cache, never stale and never another viewer's: a change to the
comment or other rights draw it again, and each page carries its own csrf token."""

from __future__ import annotations

import re

from django.urls import reverse

from consultations.views.discussion import _CSRF_PLACEHOLDER
from tests.consultations.factories import CommentFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _page(client, consultation) -> str:
    return client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()


def test_a_comment_is_drawn_again_when_someone_supports_it(open_consultation, alice, bob, client_for):
    # given a comment by bob that alice has seen (and so is cached)
    comment = CommentFactory(consultation=open_consultation, author=bob, body="Carriers need time")
    alice_client = client_for(alice)
    assert "0 supporters" in _page(alice_client, open_consultation)
    # when alice supports it through the page's own form, with csrf checks on
    alice_client.handler.enforce_csrf_checks = True
    token = TOKEN.search(_page(alice_client, open_consultation)).group(1)
    answer = alice_client.post(reverse("consultations:comment_support", args=[open_consultation.pk, comment.pk]),
                               {"csrfmiddlewaretoken": token})
    # then the support counts, and the thread shows it with the button to withdraw it
    assert answer.status_code == 302
    page = _page(alice_client, open_consultation)
    assert "1 supporter" in page
    assert "Withdraw support" in page


def test_each_viewer_gets_their_rights_and_their_token(open_consultation, alice, bob, carol, client_for):
    # given a comment by bob, drawn first for bob
    comment = CommentFactory(consultation=open_consultation, author=bob, body="Carriers need time")
    edit = reverse("consultations:comment_edit", args=[open_consultation.pk, comment.pk])
    bobs = _page(client_for(bob), open_consultation)
    # when alice and carol (the same rights on it) see it next
    alices, carols = _page(client_for(alice), open_consultation), _page(client_for(carol), open_consultation)
    # then only its author is offered to edit it, and each page has its own viewer's token, never the cached one
    assert edit in bobs
    assert edit not in alices
    assert edit not in carols
    assert "Carriers need time" in alices
    assert _CSRF_PLACEHOLDER not in alices + carols + bobs
    assert set(TOKEN.findall(alices)).isdisjoint(TOKEN.findall(carols))
