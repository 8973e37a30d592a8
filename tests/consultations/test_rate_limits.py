"""Reports give moderators work and e-mail them: each person has a ceiling."""

from __future__ import annotations

from django.urls import reverse

from consultations import services
from consultations.models import Report


def test_reports_are_limited_per_person(open_consultation, alice, bob, client_for, settings):
    settings.COMMENT_REPORT_RATES = "2/h,5/d"
    comments = [services.comment_post(actor=bob, consultation=open_consultation, body=f"Comment {n}")
                for n in range(3)]
    client = client_for(alice)
    statuses = [client.post(reverse("consultations:comment_report", args=[open_consultation.pk, c.pk]),
                            {"reason": "Off topic"}).status_code for c in comments]
    assert statuses == [302, 302, 200]
    page = client.post(reverse("consultations:comment_report", args=[open_consultation.pk, comments[2].pk]),
                       {"reason": "Off topic"}).content.decode()
    assert "Reports: at most 2 an hour." in page
    assert Report.objects.count() == 2
