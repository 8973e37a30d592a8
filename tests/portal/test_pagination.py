"""One pagination include for every list: its links keep the other query parameters (filters, sorting)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_page_links_keep_filters_and_sorting_and_replace_the_page():
    # given the second of three pages of a list filtered and sorted through the query string
    request = RequestFactory().get("/consultations/", {"topic": "tariffs", "sort": "newest", "page": "2"})
    page = Paginator(range(30), 10).get_page(2)
    # when the include draws the links
    html = render_to_string("includes/pagination.html", {"page": page}, request=request)
    # then both links carry the filters, the new page number once, and escaped ampersands
    assert 'href="?topic=tariffs&amp;sort=newest&amp;page=1"' in html
    assert 'href="?topic=tariffs&amp;sort=newest&amp;page=3"' in html
    assert "Page 2 of 3" in html


def test_a_single_page_draws_nothing():
    request = RequestFactory().get("/", {"q": "x"})
    assert render_to_string("includes/pagination.html", {"page": Paginator(range(3), 10).get_page(1)},
                            request=request).strip() == ""
