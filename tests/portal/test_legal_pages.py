"""The pages a public service must have answer to everyone, are linked from every page's footer, and say true things."""

from __future__ import annotations

import pytest
from django.urls import reverse

LEGAL_PAGES = ["about", "privacy", "cookies", "accessibility", "terms", "contact"]


@pytest.mark.parametrize("name", LEGAL_PAGES)
def test_each_page_answers_anyone_and_is_in_the_footer(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert f'href="{reverse(name)}"' in footer
    assert " – Customs-Business Portal</title>" in html


def test_the_cookie_notice_names_every_cookie_a_signed_in_visit_sets(client, alice, settings):
    client.get(reverse("account_login"))
    client.post(reverse("account_login"), {"login": alice.email, "password": "correct-horse-battery"})
    set_names = set(client.cookies.keys())
    notice = client.get(reverse("cookies")).content.decode()
    assert set_names >= {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    for name in set_names | {"messages"}:
        assert f"<code>{name}</code>" in notice


def test_the_home_page_title_has_a_separator(client, db):
    assert "working together – Customs-Business Portal</title>" in client.get(reverse("home")).content.decode()


def test_favicon_ico_leads_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")


def test_the_account_page_offers_the_data_download_and_closing(alice, client_for):
    html = client_for(alice).get(reverse("account")).content.decode()
    assert reverse("personal_data_download") in html and reverse("account_close") in html
