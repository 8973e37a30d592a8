"""Script and event-handler HTML in proposals, comments and responses never reaches the page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultations import services
from consultations.models import Comment
from tests.portal.test_markdown import CLASSIC

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "svg", "img", "style", "math", "base"}


class _Elements(HTMLParser):
    """What a browser would build: elements and attributes (escaped text is harmless)."""

    def __init__(self):
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.bad.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.bad.append(f"{tag}[{name}]")
            if name in {"href", "src", "action"} and re.match(r"\s*(javascript|data|vbscript):", value or "", re.I):
                self.bad.append(f"{tag}[{name}={value}]")


def assert_harmless(page: str) -> None:
    parser = _Elements()
    parser.feed(page)
    assert not parser.bad, (parser.bad, page)


def _main(html: str) -> str:
    """The page's main content: the layout's own script tag is not user input."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("payload", CLASSIC)
def test_classic_payloads_do_not_reach_the_thread_page(payload, open_consultation, alice, customs_officer,
                                                       client_for, settings):
    settings.CONSULTATION_COMMENT_RATE = (100, 60)
    comment = services.comment_post(actor=alice, consultation=open_consultation, body=f"Note {payload} end")
    services.official_response_post(actor=customs_officer, consultation=open_consultation, comment=comment,
                                    disposition="noted", reasoning=payload)
    page = _main(client_for(alice).get(reverse("consultations:detail", args=[open_consultation.pk])).content.decode())
    assert_harmless(page)
    assert "end" in page


tags = st.sampled_from(["script", "img", "a", "svg", "iframe", "div", "p", "b", "style", "object", "details"])
attrs = st.sampled_from(["onerror", "onload", "onclick", "href", "src", "style", "onmouseover", "ontoggle"])
values = st.sampled_from(["alert(1)", "javascript:alert(1)", "x", "data:text/html,<script>1</script>", '"><script>'])
fragments = st.builds(lambda t, a, v, text: f'<{t} {a}="{v}">{text}</{t}>', tags, attrs, values,
                      st.text(alphabet="ab<>\"'`=/ *[]()", max_size=12))
bodies = st.lists(st.one_of(fragments, st.text(max_size=20)), min_size=1, max_size=5).map("\n".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_generated_html_in_comments_never_reaches_the_page(body, open_consultation, alice, client_for):
    Comment.objects.all().delete()
    # given a comment made of generated HTML fragments (the rate limit is per minute; clear it each time)
    from django.core.cache import cache

    cache.clear()
    body = body.replace("\x00", "") if body.replace("\x00", "").strip() else "x"
    services.comment_post(actor=alice, consultation=open_consultation, body=body)
    # when the thread page shows it
    page = _main(client_for(alice).get(reverse("consultations:detail", args=[open_consultation.pk])).content.decode())
    # then no element or attribute that runs script is on it
    assert_harmless(page)


@pytest.mark.parametrize("payload", CLASSIC)
def test_classic_payloads_in_the_proposal_and_outcome(payload, member_of_association, association, client_for):
    from datetime import timedelta

    from django.utils import timezone

    consultation = services.consultation_create(actor=member_of_association, organisation=association,
                                                title="t", summary="s", body=payload,
                                                closes_at=timezone.now() + timedelta(days=3))
    services.consultation_publish(actor=member_of_association, consultation=consultation)
    services.consultation_close(actor=member_of_association, consultation=consultation)
    services.outcome_publish(actor=member_of_association, consultation=consultation, summary=payload)
    client = client_for(member_of_association)
    for url in (reverse("consultations:detail", args=[consultation.pk]),
                reverse("consultations:report", args=[consultation.pk])):
        page = _main(client.get(url).content.decode())
        assert_harmless(page)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_generated_html_in_the_proposal_never_reaches_the_page(body, member_of_association, association, client):
    from datetime import timedelta

    from django.utils import timezone

    from consultations.models import Consultation

    Consultation.objects.all().delete()
    body = body.replace("\x00", "")
    consultation = services.consultation_create(actor=member_of_association, organisation=association,
                                                title="Generated", summary="s", body=body or "x",
                                                closes_at=timezone.now() + timedelta(days=3))
    services.consultation_publish(actor=member_of_association, consultation=consultation)
    assert_harmless(_main(client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()))
