"""Questions give a centre's advisers work and e-mail them: each person has a ceiling."""

from __future__ import annotations

from django.urls import reverse

from tests.training.factories import centre
from training.models import AdvisoryQuestion


def test_advisory_questions_are_limited_per_person(alice, atlantic, adviser, client_for, settings):
    settings.ADVISORY_QUESTION_RATES = "2/h,10/d"
    client = client_for(alice)
    data = {"centre": centre("machinery").pk, "subject": "Palletiser", "text": "Which heading?"}
    statuses = [client.post(reverse("training:question_ask"), data).status_code for _ in range(3)]
    assert statuses == [302, 302, 200]
    assert "Questions: at most 2 an hour." in client.post(reverse("training:question_ask"), data).content.decode()
    assert AdvisoryQuestion.objects.count() == 2
