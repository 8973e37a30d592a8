"""Notifications reach each reader in the reader's language, whatever the language of the person who acted.

The project's catalogues are written in another branch, so these tests compile a small French and Portuguese
catalogue of their own (the strings they check, with the msgids the code uses) into a LOCALE_PATHS of their
own; month names come from Django's own translations.
"""

from __future__ import annotations

import json
import subprocess
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from aeo import services
from aeo.models import Application
from portal.models import Notification, Role
from portal.services.notifications import notify
from portal.texts import Text, choice_label, english
from tests.aeo.conftest import answer_all, draft, questionnaire  # noqa: F401 (fixtures)
from tests.factories import NotificationFactory

CATALOGUES = {
    "fr": {
        "%(ref)s was accepted for examination": "%(ref)s a été acceptée pour examen",
        "Customs will decide by %(date)s.": "La douane décidera au plus tard le %(date)s.",
        "Hello %(name)s,": "Bonjour %(name)s,",
        "Customs-Business Portal": "Portail douane-entreprises",
        "E-mail preferences": "Préférences de courrier électronique",
        "Administrator": "Administrateur",
    },
    "pt": {
        "%(ref)s was accepted for examination": "%(ref)s foi aceite para exame",
        "Customs will decide by %(date)s.": "A alfândega decide até %(date)s.",
        "Hello %(name)s,": "Olá %(name)s,",
        "Customs-Business Portal": "Portal Alfândega-Empresas",
        "Administrator": "Administrador",
    },
}
FRENCH_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                 "octobre", "novembre", "décembre"]
ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"]


def _po_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@pytest.fixture
def catalogues(tmp_path, settings):
    for language, entries in CATALOGUES.items():
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        po = ['msgid ""', 'msgstr "Content-Type: text/plain; charset=UTF-8\\n"', ""]
        for msgid, msgstr in entries.items():
            po += [f"msgid {_po_string(msgid)}", f"msgstr {_po_string(msgstr)}", ""]
        (folder / "django.po").write_text("\n".join(po), encoding="utf-8")
        subprocess.run(["msgfmt", "-o", folder / "django.mo", folder / "django.po"], check=True)
    settings.LOCALE_PATHS = [tmp_path]  # Django forgets the translations it has loaded when this changes


@pytest.fixture
def accepted(catalogues, draft, alice, reviewer, django_capture_on_commit_callbacks):  # noqa: F811
    """Alice (the trader, French on her profile) submits; a reviewer working in Portuguese accepts."""
    alice.language = "fr"
    alice.save(update_fields=["language"])
    answer_all(draft, alice)
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=timezone.get_current_timezone()), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.application_submit(actor=alice, application=draft, signatory_name="Alice Admin",
                                        signatory_position="Director", confirmed=True)
        mail.outbox.clear()
        with translation.override("pt"), django_capture_on_commit_callbacks(execute=True):
            services.application_accept(actor=reviewer, application=Application.objects.get(pk=draft.pk))
    return Application.objects.get(pk=draft.pk)


def _french(day: date) -> str:
    return f"{day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}"


def _english(day: date) -> str:
    return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"


def test_a_portuguese_officer_reaches_a_french_trader_in_french(accepted, alice):
    due = accepted.decision_due
    assert due == date(2026, 3, 2) + timedelta(days=120)
    notification = Notification.objects.get(recipient=alice, kind="aeo.application",
                                            subject__endswith="was accepted for examination")
    # the row keeps the message and its values, and English for the admin: nothing in Portuguese
    stored = json.dumps([notification.subject, notification.body, notification.texts], ensure_ascii=False)
    assert "aceite" not in stored and "alfândega" not in stored.lower()
    assert notification.subject == f"{accepted.reference} was accepted for examination"
    assert notification.body == f"Customs will decide by {_english(due)}."
    assert notification.texts["body"]["params"] == {"date": {"date": due.isoformat()}}
    # the e-mail, subject, text and HTML, is French, the templates' own words included
    [message] = [m for m in mail.outbox if m.to == [alice.email]]
    assert message.subject == f"[Portail douane-entreprises] {accepted.reference} a été acceptée pour examen"
    assert message.body.startswith("Bonjour Alice Admin,")
    assert f"La douane décidera au plus tard le {_french(due)}." in message.body
    html = message.alternatives[0][0]
    assert '<html lang="fr">' in html and "Bonjour Alice Admin," in html
    assert f"La douane décidera au plus tard le {_french(due)}." in html
    assert "Préférences de courrier électronique" in html


def test_the_portal_shows_it_in_the_readers_language_and_follows_a_switch(accepted, alice, client_for):
    due = accepted.decision_due
    client = client_for(alice)
    page = client.get(reverse("notification_list")).content.decode()
    assert f"{accepted.reference} a été acceptée pour examen" in page
    assert f"La douane décidera au plus tard le {_french(due)}." in page
    api = client.get("/api/v1/notifications/?kind=aeo.application").json()["results"]
    assert f"{accepted.reference} a été acceptée pour examen" in [n["subject"] for n in api]
    # when Alice switches to English, the same notification reads in English
    client.post(reverse("choose_language"), {"language": "en", "next": "/notifications/"})
    page = client.get(reverse("notification_list")).content.decode()
    assert f"{accepted.reference} was accepted for examination" in page
    assert f"Customs will decide by {_english(due)}." in page
    assert "acceptée" not in page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f"{accepted.reference} was accepted for examination" in dashboard


def test_a_row_written_before_keeps_its_text(catalogues, alice, client_for):
    alice.language = "fr"
    alice.save(update_fields=["language"])
    NotificationFactory(recipient=alice, subject="Written before the change", body="Its text, as it was.")
    page = client_for(alice).get(reverse("notification_list")).content.decode()
    assert "Written before the change" in page and "Its text, as it was." in page


def test_labels_dates_and_times_are_kept_untranslated_and_shown_in_each_language(catalogues, alice):
    # given a label and a moment, written while Portuguese is active
    with translation.override("pt"):
        membership = alice.memberships.get()
        message = Text("%(role)s since %(when)s", role=choice_label(membership, "role"),
                       when=datetime(2026, 12, 2, 9, 30, tzinfo=timezone.get_current_timezone()))
        assert str(Role.ADMIN.label) == "Administrador"
    stored = message.to_json()
    assert stored["params"]["role"] == {"label": "Administrator"}
    kept = Text.from_json(json.loads(json.dumps(stored)))
    assert english(kept) == "Administrator since 2 December 2026, 09:30"
    with translation.override("fr"):
        assert kept.render().startswith("Administrateur since 2 décembre 2026")


def test_what_a_person_wrote_is_stored_and_shown_as_written(catalogues, alice):
    [notification] = notify(recipients=[alice], kind="organisation.membership",
                            subject=Text("Customs-Business Portal"), body="Olá, texto escrito à mão.")
    assert notification.texts.keys() == {"subject"}
    with translation.override("fr"):
        assert notification.shown_subject == "Portail douane-entreprises"
        assert notification.shown_body == "Olá, texto escrito à mão."
