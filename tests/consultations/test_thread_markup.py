"""The thread's markup: each official response a landmark of its own name, dispositions in the order
the workflow means them, the proposal's own headings below the page's."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from consultations import selectors
from consultations.demo import PARCELS_BODY
from consultations.models import Disposition
from tests.consultations.factories import CommentFactory, ConsultationFactory, OfficialResponseFactory


def test_each_official_response_is_named_after_the_comment_it_answers(open_consultation, alice):
    # given two comments by the same person, both answered
    comments = [CommentFactory(consultation=open_consultation, author=alice) for _ in range(2)]
    for comment in comments:
        comment.root = comment
        comment.save(update_fields=["root"])
        OfficialResponseFactory(comment=comment)
    html = Client().get(reverse("consultations:detail", args=[open_consultation.pk])).content.decode()
    # then each response's landmark is labelled by its title and the comment's author and time, by ids that
    # exist on the page, and no two labels are the same
    labels = re.findall(r'<aside class="official-response"[^>]*aria-labelledby="([^"]+)"', html)
    assert len(labels) == 2 and len(set(labels)) == 2
    for label in labels:
        for element_id in label.split():
            assert f'id="{element_id}"' in html
    assert f"comment-{comments[0].pk}-when" in labels[0]


def test_dispositions_are_counted_in_the_workflows_order(open_consultation):
    # given answers of every kind, given in alphabetical order
    for disposition in sorted(Disposition.values):
        OfficialResponseFactory(comment=CommentFactory(consultation=open_consultation), disposition=disposition)
    CommentFactory(consultation=open_consultation)
    rows = selectors.participation_statistics(open_consultation).by_disposition
    # then accepted, partly accepted, not accepted, noted, and comments without an answer last
    assert [r["official_response__disposition"] for r in rows] == [*Disposition.values, None]


def test_the_demo_proposal_has_one_heading_the_proposal(association):
    # the page's section is "The proposal"; the demo's text no longer repeats it as its own heading
    consultation = ConsultationFactory(organisation=association, body=PARCELS_BODY)
    html = Client().get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert len(re.findall(r">\s*The proposal\s*</h\d>", html)) == 1
    # and the text's own headings come below the page's h2
    assert "<h4>What would change</h4>" in html and "<h2>What would change" not in html
