"""Keep the translation catalogues (locale/<language>/LC_MESSAGES/django.po) complete and current.

`manage.py catalogues` gathers the strings of the code and templates into each language's catalogue
(makemessages) and compiles them (compilemessages); translate what is new, then run it again.
`manage.py catalogues --check` changes nothing: it gathers the strings from a copy of the tree and fails when
a catalogue lacks one, keeps one the code no longer has, or has an entry untranslated, fuzzy, with other
placeholders than its English, or compiled differently from what the .mo file holds.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

BASE_DIR = Path(settings.BASE_DIR)
# What makemessages reads: the code and templates, not the tests, the benchmark, migrations or the virtualenv.
IGNORE = [".venv", "var", "tests", "bench", "*/migrations/*", "node_modules"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{.*?\}\}|\{\w*\}")


def translated_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue_path(language: str, root: Path = BASE_DIR) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def gather(root: Path, languages: list[str]) -> None:
    """makemessages over the tree at `root`, into root/locale (file names kept as locations, not line numbers)."""
    here = os.getcwd()
    os.chdir(root)
    try:
        call_command("makemessages", locale=languages, ignore_patterns=IGNORE, add_location="file", no_obsolete=True,
                     verbosity=0)
    finally:
        os.chdir(here)


def _keys(po: polib.POFile) -> set[tuple[str, str, str]]:
    return {(e.msgctxt or "", e.msgid, e.msgid_plural or "") for e in po if not e.obsolete}


def problems(language: str) -> list[str]:
    """What is wrong with one language's catalogue, in words; empty when it is complete and compiled."""
    po = polib.pofile(str(catalogue_path(language)))
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        name = f"{language}: {entry.msgid[:60]!r}"
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags:
            found.append(f"{name} is fuzzy")
        elif not all(texts):
            found.append(f"{name} is not translated")
        else:
            wanted = set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
            # A singular may spell its number out ("one file") where the English says %(n)s.
            for text in texts if not entry.msgid_plural else texts[1:]:
                if set(PLACEHOLDER.findall(text)) != wanted:
                    found.append(f"{name} has placeholders {sorted(set(PLACEHOLDER.findall(text)))}, "
                                 f"not {sorted(wanted)}")
    mo = catalogue_path(language).with_suffix(".mo")
    if not mo.exists():
        return [*found, f"{language}: {mo.name} is missing: run manage.py catalogues"]
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if compiled.gettext(key) != entry.msgstr:
            found.append(f"{language}: {mo.name} is older than {mo.with_suffix('.po').name}: run manage.py catalogues")
            break
    return found


def staleness(languages: list[str]) -> list[str]:
    """Strings the code has and a catalogue lacks, or the other way round (from a copy of the tree)."""
    found = []
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "tree"
        shutil.copytree(BASE_DIR, copy, ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules",
                                                                       "screenshots", "__pycache__"))
        gather(copy, languages)
        for language in languages:
            current = _keys(polib.pofile(str(catalogue_path(language))))
            wanted = _keys(polib.pofile(str(catalogue_path(language, copy))))
            found += [f"{language}: new string {key[1][:60]!r}" for key in sorted(wanted - current)]
            found += [f"{language}: string no longer used {key[1][:60]!r}" for key in sorted(current - wanted)]
    return found


class Command(BaseCommand):
    help = "Gather the strings into the translation catalogues and compile them; --check only reports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Change nothing; fail on anything to do.")

    def handle(self, *args, check: bool = False, **options) -> None:
        languages = translated_languages()
        if not check:
            gather(BASE_DIR, languages)
            call_command("compilemessages", locale=languages, ignore_patterns=IGNORE, verbosity=0)
            for language in languages:
                left = problems(language)
                self.stdout.write(f"{language}: {len(left)} entries to translate or check")
            return
        found = staleness(languages) + [p for language in languages for p in problems(language)]
        if found:
            shown = "\n".join(found[:40]) + (f"\n… and {len(found) - 40} more" if len(found) > 40 else "")
            raise CommandError(f"The catalogues are not complete and current:\n{shown}")
        self.stdout.write("The catalogues are complete and current.")
