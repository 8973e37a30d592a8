"""Pages run the same number of queries however much data there is."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Notification
from tests.factories import NotificationFactory


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def _add_notifications(user, count):
    Notification.objects.bulk_create(NotificationFactory.build(recipient=user) for _ in range(count))


@pytest.mark.parametrize("url_name", ["dashboard", "notification_list"])
def test_same_queries_with_5_or_500_notifications(alice, bob, client_for, url_name):
    client = client_for(alice)
    client.get(reverse(url_name))  # the first request records the session; measure the ones after
    _add_notifications(alice, 5)
    small = _queries(client, reverse(url_name))
    _add_notifications(alice, 495)
    _add_notifications(bob, 50)
    large = _queries(client, reverse(url_name))
    assert len(small) == len(large)


def test_dashboard_query_list(alice, client_for, django_assert_num_queries):
    client = client_for(alice)
    _add_notifications(alice, 500)
    client.get(reverse("dashboard"))  # warm the session
    # session, user (the session list was brought up to date minutes ago, not on every page);
    # the user's memberships (switcher and current organisation); one per pillar panel (AEO applications,
    # followed consultations, enrolments); latest notifications (the header's unread count is cached since
    # the first request)
    with django_assert_num_queries(7):
        client.get(reverse("dashboard"))


def test_notification_list_query_list(alice, client_for, django_assert_num_queries):
    client = client_for(alice)
    _add_notifications(alice, 500)
    client.get(reverse("notification_list"))
    # session, user; page count, one page of
    # notifications; the user's memberships (the header's unread count is cached since the first request)
    with django_assert_num_queries(5):
        client.get(reverse("notification_list"))
