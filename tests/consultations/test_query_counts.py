"""The thread page and the list page run the same queries whatever the amount of data."""

from __future__ import annotations

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Comment, Consultation, Support
from tests.consultations.factories import ConsultationFactory, OfficialResponseFactory
from tests.factories import UserFactory


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _add_comments(consultation, total: int, authors) -> None:
    """A realistic thread: a third top comments, the rest replies two levels down, some answered."""
    roots = Comment.objects.bulk_create(
        Comment(consultation=consultation, author=authors[i % len(authors)], body=f"Point {i}",
                body_html=f"<p>Point {i}</p>", depth=1) for i in range(total // 3))
    Comment.objects.filter(pk__in=[r.pk for r in roots]).update(root_id=F("pk"))
    replies = Comment.objects.bulk_create(
        Comment(consultation=consultation, author=authors[i % len(authors)], body="Agreed", body_html="<p>x</p>",
                depth=2, parent=roots[i % len(roots)], root_id=roots[i % len(roots)].pk)
        for i in range(total // 3))
    Comment.objects.bulk_create(
        Comment(consultation=consultation, author=authors[i % len(authors)], body="Indeed", body_html="<p>y</p>",
                depth=3, parent=replies[i % len(replies)], root_id=replies[i % len(replies)].root_id)
        for i in range(total - 2 * (total // 3)))
    for comment in roots[:3]:
        OfficialResponseFactory(comment=comment)
    Support.objects.bulk_create(Support(comment=r, user=authors[0]) for r in roots[:5])


def test_thread_page_queries_do_not_grow_with_comments(open_consultation, alice, bob, client_for):
    client = client_for(alice)
    url = reverse("consultations:detail", args=[open_consultation.pk])
    client.get(url)  # the first request records the session
    _add_comments(open_consultation, 5, [alice, bob])
    assert open_consultation.comments.count() == 5
    small = _count(client, url)
    _add_comments(open_consultation, 495, [alice, bob, UserFactory()])
    assert open_consultation.comments.count() == 500
    large = _count(client, url)
    assert small == large
    anonymous_small = _count(client.__class__(), url)
    assert anonymous_small < small


def test_thread_page_query_list(open_consultation, alice, bob, client_for, django_assert_num_queries):
    client = client_for(alice)
    url = reverse("consultations:detail", args=[open_consultation.pk])
    _add_comments(open_consultation, 500, [alice, bob])
    client.get(url)
    # session, user (the session list was brought up to date minutes ago); memberships; the consultation;
    # page count and root ids; the page's comments with authors, papers and responses; their co-signatures;
    # consultation-level responses; my supports; my follow; attachments; topics; headline figures (the
    # header's unread count is cached since the first request)
    with django_assert_num_queries(14):
        client.get(url)


def test_list_page_queries_do_not_grow_with_consultations(association, alice, client_for):
    client = client_for(alice)
    url = reverse("consultations:index")
    client.get(url)
    ConsultationFactory.create_batch(10, organisation=association)
    small = _count(client, url)
    Consultation.objects.bulk_create(ConsultationFactory.build(organisation=association,
                                                               created_by=alice) for _ in range(990))
    assert Consultation.objects.count() == 1000
    large = _count(client, url)
    assert small == large
    assert _count(client, f"{url}?q=parcels&phase=open") == small


def test_api_comment_list_is_constant(open_consultation, alice, bob, client_for):
    client = client_for(alice)
    url = reverse("api-consultation-comments", args=[open_consultation.pk])
    client.get(url)
    _add_comments(open_consultation, 6, [alice, bob])
    small = _count(client, url)
    _add_comments(open_consultation, 300, [alice, bob])
    assert _count(client, url) == small


def test_api_consultation_list_is_constant(association, alice, client_for):
    client = client_for(alice)
    url = reverse("api-consultation-list")
    client.get(url)
    ConsultationFactory.create_batch(10, organisation=association)
    small = _count(client, url)
    Consultation.objects.bulk_create(ConsultationFactory.build(organisation=association, created_by=alice)
                                     for _ in range(990))
    assert _count(client, url) == small


def test_dashboard_panel_lists_open_consultations_in_one_query(open_consultation, alice, client_for):
    client = client_for(alice)
    client.get(reverse("dashboard"))
    before = _count(client, reverse("dashboard"))
    ConsultationFactory.create_batch(20, organisation=open_consultation.organisation)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Open consultations" in page and open_consultation.title in page
    assert _count(client, reverse("dashboard")) == before
