"""Four languages: the visitor's browser or the switcher chooses; a signed-in person's profile wins."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _language_of(response) -> str:
    return re.search(r'<html lang="([a-z-]+)"', response.content.decode()).group(1)


def test_a_visitor_gets_the_language_their_browser_asks_for():
    response = Client(headers={"accept-language": "pt-PT,pt;q=0.9,en;q=0.5"}).get(reverse("home"))
    assert _language_of(response) == "pt" and response["Content-Language"] == "pt"
    assert _language_of(Client(headers={"accept-language": "de"}).get(reverse("home"))) == "en"


def test_the_switcher_is_a_form_on_every_page_sent_by_get_for_visitors_and_post_for_people(alice, client_for):
    visitor_page = Client().get(reverse("consultations:index")).content.decode()
    form = re.search(r'<form class="language-switcher" method="(\w+)"[^>]*>(.*?)</form>', visitor_page, re.S)
    # (no CSRF token for visitors: the public pages that carry the form stay cacheable)
    assert form.group(1) == "get" and "csrfmiddlewaretoken" not in form.group(2)
    assert all(f'value="{code}"' in form.group(2) for code in ("en", "pt", "fr", "es"))
    signed_in = client_for(alice).get(reverse("dashboard")).content.decode()
    form = re.search(r'<form class="language-switcher" method="(\w+)"[^>]*>(.*?)</form>', signed_in, re.S)
    assert form.group(1) == "post" and "csrfmiddlewaretoken" in form.group(2)


def test_a_visitor_switches_with_a_cookie_and_comes_back_to_the_page():
    visitor = Client(headers={"accept-language": "en"})
    response = visitor.get(reverse("choose_language"), {"language": "fr", "next": "/consultations/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/consultations/?page=2"
    assert response.cookies["django_language"].value == "fr"
    assert _language_of(visitor.get(reverse("home"))) == "fr"


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_the_switcher_goes_back_only_to_this_site(back):
    response = Client().get(reverse("choose_language"), {"language": "es", "next": back})
    assert response["Location"] == "/"


def test_an_unknown_language_changes_nothing():
    response = Client().get(reverse("choose_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302 and "django_language" not in response.cookies


def test_a_signed_in_choice_is_kept_on_the_profile_for_every_device(alice, client_for):
    # when Alice chooses Spanish on her laptop
    response = client_for(alice).post(reverse("choose_language"), {"language": "es", "next": "/dashboard/"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.language == "es"
    # then her phone, whose browser asks for English, shows her pages in Spanish too
    phone = client_for(alice)
    phone.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert _language_of(phone.get(reverse("dashboard"))) == "es"


def test_a_link_cannot_change_a_signed_in_persons_profile(alice, client_for):
    # (a GET carries no CSRF token: a forged link changes at most the browser's cookie)
    client_for(alice).get(reverse("choose_language"), {"language": "fr", "next": "/"})
    alice.refresh_from_db()
    assert alice.language == ""


def test_the_back_office_has_the_switcher_and_the_officers_language(reviewer, client_for):
    reviewer.language = "pt"
    reviewer.save()
    page = client_for(reviewer).get(reverse("admin:index"))
    assert _language_of(page) == "pt"
    assert 'class="language-switcher"' in page.content.decode()


def test_cached_public_pages_are_kept_per_language():
    # given a visitor in Portuguese who fills the cache
    Client(headers={"accept-language": "pt"}).get(reverse("consultations:index"))
    # then a visitor in French gets the French page, not the cached Portuguese one, and the other way round
    assert _language_of(Client(headers={"accept-language": "fr"}).get(reverse("consultations:index"))) == "fr"
    assert _language_of(Client(headers={"accept-language": "pt"}).get(reverse("consultations:index"))) == "pt"


def test_the_catalogues_are_complete_and_current():
    # Every string of the code and templates is in each language's catalogue, translated, not fuzzy, with the
    # placeholders of its English, and compiled: `manage.py catalogues` updates them.
    call_command("catalogues", check=True)
