"""The demo consultations read like a real thread: every comment its own, supports that vary."""

from __future__ import annotations

import io
from collections import Counter

from django.core.management import call_command
from django.db.models import F

from consultations.models import Comment, Consultation, OfficialResponse


def test_demo_comments_are_each_written_once_with_varied_supports(db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("seed_demo", force=True, stdout=io.StringIO())
    parcels = Consultation.objects.get(title="Single data set for low-value parcels")
    bodies = list(Comment.objects.filter(consultation=parcels).values_list("body", flat=True))
    assert len(bodies) > 40  # threads for several pages
    assert len(set(bodies)) == len(bodies)  # no comment recycled
    assert not any("(point" in body for body in bodies)
    roots = Comment.objects.filter(consultation=parcels, depth=1)
    assert len(set(roots.values_list("support_count", flat=True))) >= 4
    assert not Comment.objects.filter(consultation=parcels, depth=2, author_id=F("parent__author_id")).exists()
    # past consultations: no comment repeated within one, and customs' reasoning varies
    for past in Consultation.objects.filter(title__startswith="Past consultation"):
        texts = Counter(past.comments.values_list("body", flat=True))
        assert texts and max(texts.values()) == 1
    assert OfficialResponse.objects.values("reasoning").distinct().count() > 5
