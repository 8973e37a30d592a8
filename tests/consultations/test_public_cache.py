"""Public pages come from the cache for anonymous visitors, and never carry a signed-in user's data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from consultations import services
from tests.consultations.factories import ConsultationFactory
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def open_consultation(association):
    return ConsultationFactory(organisation=association, title="Release of low-value parcels")


@pytest.fixture
def mallory_admin(other_company):
    return MembershipFactory(user=UserFactory(email="mallory@other.example", full_name="Mallory Outsider"),
                             organisation=other_company).user


PAGES = [lambda c: reverse("consultations:detail", args=[c.pk]), lambda c: reverse("consultations:index"),
         lambda c: reverse("home")]


@pytest.mark.parametrize("page", PAGES)
def test_cached_public_pages_never_hold_a_signed_in_users_data(page, open_consultation, alice, mallory_admin,
                                                                client_for, django_assert_num_queries):
    url = page(open_consultation)
    # given two users who open the page signed in, before and after a visitor
    first = client_for(alice).get(url)
    anonymous = Client().get(url)
    second = client_for(mallory_admin).get(url)
    # then each sees their own header (the organisation they act for, their sign-out form with its token),
    # and the signed-in pages are not marked cacheable
    assert "Atlantic Freight" in first.content.decode() and "Other Company" in second.content.decode()
    tokens = [r.context["csrf_token"] for r in (first, second)]
    for response in (first, second):
        assert "public" not in response.get("Cache-Control", "") and not response.has_header("ETag")
    # and the visitor's copy, marked cacheable, holds neither; served again from the cache, without a query
    assert "public" in anonymous["Cache-Control"] and anonymous.has_header("ETag")
    with django_assert_num_queries(0):
        again = Client().get(url)
    assert again.content == anonymous.content
    for personal in ("Atlantic Freight", "Other Company", "Sign out", "Your account", "csrfmiddlewaretoken",
                     *map(str, tokens)):
        assert personal not in again.content.decode()
    # and a browser holding the copy revalidates it for nothing
    assert Client().get(url, headers={"If-None-Match": anonymous["ETag"]}).status_code == 304


def test_a_new_comment_shows_at_once_to_visitors(open_consultation, alice, django_capture_on_commit_callbacks):
    url = reverse("consultations:detail", args=[open_consultation.pk])
    before = Client().get(url)
    # when someone comments, through the service that bumps the consultation's version
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(actor=alice, consultation=open_consultation, body="Carriers need a year to adapt.")
    # then the next visitor gets the page afresh, with a new ETag, and the list too
    after = Client().get(url)
    assert "Carriers need a year to adapt." in after.content.decode()
    assert after["ETag"] != before["ETag"]
    assert Client().get(url, headers={"If-None-Match": before["ETag"]}).status_code == 200


def test_a_visitor_with_a_session_is_not_served_from_the_cache(open_consultation, alice, client_for):
    url = reverse("consultations:detail", args=[open_consultation.pk])
    Client().get(url)
    # a visitor whose session may hold messages (e.g. just signed out) gets the page rendered for them
    client = Client()
    client.cookies["sessionid"] = "whatever"
    assert not client.get(url).has_header("ETag")
