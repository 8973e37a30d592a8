"""The thread page: sorting, the official-responses filter, customs' waiting list, search fallback."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from consultations import selectors
from consultations.models import Consultation
from tests.consultations.factories import CommentFactory, ConsultationFactory, OfficialResponseFactory


@pytest.fixture
def three_threads(open_consultation, alice, bob):
    first = CommentFactory(consultation=open_consultation, author=alice, body="First and answered")
    second = CommentFactory(consultation=open_consultation, author=bob, body="Second, most supported",
                            support_count=7)
    third = CommentFactory(consultation=open_consultation, author=alice, body="Third, reply answered")
    reply = CommentFactory(consultation=open_consultation, author=bob, parent=third, depth=2, body="The reply")
    OfficialResponseFactory(comment=first)
    OfficialResponseFactory(comment=reply, disposition="noted")
    return first, second, third


def _positions(client, consultation, **params) -> list[str]:
    page = client.get(reverse("consultations:detail", args=[consultation.pk]), params).content.decode()
    found = [(page.index(t), t) for t in ("First and answered", "Second, most supported", "Third, reply answered")
             if t in page]
    return [t.split()[0].strip(",") for _, t in sorted(found)]


def test_sorts_and_filters(open_consultation, three_threads, client, customs_officer, client_for):
    assert _positions(client, open_consultation) == ["First", "Second", "Third"]
    assert _positions(client, open_consultation, sort="newest") == ["Third", "Second", "First"]
    assert _positions(client, open_consultation, sort="supported")[0] == "Second"
    # the official filter keeps threads with an answer anywhere in them
    assert _positions(client, open_consultation, official="1") == ["First", "Third"]
    # customs' waiting list: threads with something unanswered (the third's top comment is)
    officer = client_for(customs_officer)
    assert _positions(officer, open_consultation, unanswered="1") == ["Second", "Third"]
    # ignored for everyone else
    assert _positions(client, open_consultation, unanswered="1") == ["First", "Second", "Third"]


def test_replies_nest_under_their_parent(open_consultation, three_threads, client):
    page = client.get(reverse("consultations:detail", args=[open_consultation.pk])).content.decode()
    third_at = page.index("Third, reply answered")
    assert third_at < page.index("The reply") < page.index("Official response", third_at)


def test_search_fallback_without_postgresql(association, monkeypatch):
    ConsultationFactory(organisation=association, title="Royalties and licence fees")
    ConsultationFactory(organisation=association, title="Transit guarantees")
    monkeypatch.setattr(connection, "vendor", "sqlite")
    found = selectors.search(Consultation.objects.all(), "licence")
    assert [c.title for c in found] == ["Royalties and licence fees"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_full_text_search_uses_stems_and_the_gin_index(association):
    ConsultationFactory(organisation=association, title="Valuing royalties", summary="How licences are valued")
    ConsultationFactory(organisation=association, title="Transit guarantees")
    found = selectors.search(Consultation.objects.all(), "licence royalty")
    assert [c.title for c in found] == ["Valuing royalties"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'consultation_search_gin'")
        assert "USING gin (search_vector)" in cursor.fetchone()[0]
