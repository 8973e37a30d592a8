"""Every hostile file of the corpus is refused in every upload field of the portal, with a message that
says what is wrong, and leaves no row and no stored file behind.

The upload fields are found from the form classes themselves, so a new form with a file field fails
`test_every_upload_field_is_exercised` until it has a poster here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from django.utils import timezone

from aeo import services as aeo_services
from aeo.models import Application, Question
from aeo.services import application_start
from portal.files import DOCUMENT_TYPES, check_upload
from tests.aeo.conftest import answer_all
from tests.consultations.factories import ConsultationFactory
from tests.hostile.make_corpus import FOLDER
from tests.training.factories import centre

PROJECT_APPS = ("portal", "aeo", "consultations", "training")

# What each corpus file must be refused with (the start of a distinctive phrase of its message).
EXPECTED = {
    "exe-only.docx": "contains a program (invoice.exe)",
    "exe-inside.xlsx": "contains a program (xl/media/invoice.exe)",
    "nested-archive.odt": "contains another archive or document",
    "macros.docx": "contains macros",
    "zip-bomb.docx": "times smaller than it unpacks",
    "plain-zip.xlsx": "is a ZIP archive, not a .xlsx document",
    "odt-named.ods": "is named .ods but its content is ODT",
    "javascript.pdf": "contains JavaScript",
    "launch.pdf": "contains an action that starts a program",
    "embedded-file.pdf": "contains embedded files",
    "html-after-pdf-header.pdf": "cannot be read as a PDF",
    "truncated.pdf": "is not a complete PDF",
    "no-pages.pdf": "cannot be read as a PDF",
    "nul.csv": "contains NUL bytes",
    "formula.csv": "a cell a spreadsheet would run as a formula (line 2",
    "latin1.csv": "is not UTF-8 text",
    "web-page.txt": "is a web page (HTML)",
    "truncated.png": "cannot be read as an image",
    "huge-pixels.png": "far more pixels than images may have",
    "renamed.pdf": "is named .pdf but its content is EXE",
    "oversize.pdf": "files may be at most 10\xa0MB (10,485,760 bytes); this one is 10,485,761 bytes",
}


def _corpus() -> dict[str, bytes]:
    files = {path.name: path.read_bytes() for path in sorted(FOLDER.iterdir())}
    # One byte over the limit, and otherwise a real PDF: made here rather than committed.
    from tests.documents import PDF

    files["oversize.pdf"] = PDF + b"%" * (10 * 1024 * 1024 + 1 - len(PDF))
    return files


def upload_fields() -> list[tuple[type[forms.BaseForm], str]]:
    """(form class, field name) for every file field of the project's forms."""
    get_resolver().url_patterns  # imports every view module, and with it every form
    found, seen, queue = [], set(), list(forms.BaseForm.__subclasses__())
    while queue:
        form = queue.pop()
        if form in seen:
            continue
        seen.add(form)
        queue.extend(form.__subclasses__())
        if form.__module__.split(".")[0] not in PROJECT_APPS:
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            if isinstance(field, forms.FileField):
                found.append((form, name))
    return sorted(found, key=lambda item: f"{item[0].__module__}.{item[0].__qualname__}.{item[1]}")


def _key(form: type, field: str) -> str:
    return f"{form.__module__}.{form.__qualname__}.{field}"


# --- One poster per upload field: the view that takes it, with valid data around the file -------------

def _evidence(alice, draft, **_):
    question = Question.objects.filter(section__questionnaire=draft.questionnaire).first()
    return alice, reverse("aeo:evidence_upload", args=[draft.pk, question.pk]), {}, "file"


def _submitted(alice, application: Application) -> Application:
    answer_all(application, alice)
    aeo_services.application_submit(actor=alice, application=application, signatory_name="Alice Admin",
                                    signatory_position="Director", confirmed=True)
    return Application.objects.get(pk=application.pk)


def _information_response(alice, draft, reviewer, **_):
    application = _submitted(alice, draft)
    aeo_services.application_accept(actor=reviewer, application=application)
    request = aeo_services.information_request_create(actor=reviewer, application=application,
                                                      questions="Send your seal register.",
                                                      due_date=timezone.now().date() + timedelta(days=14))
    return alice, reverse("aeo:information_response", args=[application.pk, request.pk]), \
        {"response": "Attached."}, "file"


def _hearing_reply(alice, draft, reviewer, **_):
    application = _submitted(alice, draft)
    aeo_services.application_accept(actor=reviewer, application=application)
    hearing = aeo_services.rejection_propose(actor=reviewer, application=application, grounds="No plan.")
    return alice, reverse("aeo:hearing_reply", args=[application.pk, hearing.pk]), {"reply": "Attached."}, "file"


def _change_notice(alice, draft, reviewer, supervisor, capture, **_):
    with capture(execute=True):
        application = _submitted(alice, draft)
        aeo_services.application_accept(actor=reviewer, application=application)
        aeo_services.grant_propose(actor=reviewer, application=application, kind="AEOC", note="")
    with capture(execute=True):
        aeo_services.decision_approve(actor=supervisor, application=application)
    return alice, reverse("aeo:change_notice", args=[application.pk]), \
        {"description": "We moved the warehouse."}, "file"


def _questionnaire(programme_admin, **_):
    return programme_admin, reverse("admin:aeo_questionnaire_load"), {}, "file"


def _attachment(member_of_association, **_):
    association = member_of_association.memberships.get().organisation
    consultation = ConsultationFactory(organisation=association, created_by=member_of_association,
                                       phase="draft", published_at=None)
    return member_of_association, reverse("consultations:attachment_add", args=[consultation.pk]), \
        {"title": "Process map"}, "file"


def _position_paper(alice, member_of_association, **_):
    association = member_of_association.memberships.get().organisation
    consultation = ConsultationFactory(organisation=association, created_by=member_of_association)
    return alice, reverse("consultations:comment_post", args=[consultation.pk]), \
        {"body": "See the paper."}, "position_paper"


def _organisation_document(alice, atlantic, **_):
    return alice, reverse("organisation_document_upload", args=[atlantic.pk]), \
        {"description": "Register extract"}, "file"


def _advisory(alice, **_):
    return alice, reverse("training:question_ask"), \
        {"centre": centre("machinery").pk, "subject": "Palletiser", "text": "Which heading?"}, "files"


POSTERS: dict[str, Callable] = {
    "aeo.forms.EvidenceForm.file": _evidence,
    "aeo.forms.ResponseForm.file": _information_response,
    "aeo.forms.HearingReplyForm.file": _hearing_reply,
    "aeo.forms.ChangeNoticeForm.file": _change_notice,
    "aeo.admin_forms.QuestionnaireUploadForm.file": _questionnaire,
    "consultations.forms.AttachmentForm.file": _attachment,
    "consultations.forms.CommentForm.position_paper": _position_paper,
    "portal.forms.DocumentForm.file": _organisation_document,
    "training.forms.AdvisoryQuestionForm.files": _advisory,
}


def test_every_upload_field_is_exercised():
    found = {_key(form, field) for form, field in upload_fields()}
    assert found == set(POSTERS), "a form with a file field needs a poster in this module"


def test_the_corpus_is_complete():
    assert set(_corpus()) == set(EXPECTED)


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model._meta.app_label not in ("sessions", "usersessions")}


def _stored_files(root: Path) -> list[str]:
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _expected_message(name: str, field: forms.FileField) -> str:
    allowed = getattr(field, "allowed", DOCUMENT_TYPES)
    if name.rsplit(".", 1)[-1] not in allowed and name != "oversize.pdf":  # size is checked first
        return "is not an accepted type"
    return EXPECTED[name]


@pytest.mark.parametrize("key", sorted(POSTERS))
def test_every_hostile_file_is_refused_in_every_field(key, request, settings, client_for,
                                                      django_capture_on_commit_callbacks):
    # given the page that takes this upload, with valid data in its other fields
    form, field_name = next((f, n) for f, n in upload_fields() if _key(f, n) == key)
    people = {name: request.getfixturevalue(name) for name in
              ("alice", "atlantic", "reviewer", "supervisor", "programme_admin", "member_of_association")}
    people["draft"] = application_start(actor=people["alice"], organisation=people["atlantic"], kind="AEOC")
    user, url, data, field = POSTERS[key](capture=django_capture_on_commit_callbacks, **people)
    client = client_for(user)
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    failures = []
    for name, content in _corpus().items():
        rows, files = _row_counts(), _stored_files(root)
        # when the hostile file is posted
        response = client.post(url, {**data, field: SimpleUploadedFile(name, content)})
        # then the page says what is wrong, and nothing is left behind
        page = response.content.decode()
        expected = _expected_message(name, form.base_fields[field_name])
        if response.status_code != 200 or expected not in page.replace("&#x27;", "'").replace("&quot;", '"'):
            failures.append(f"{name}: {response.status_code}, no “{expected}”")
        if _row_counts() != rows:
            failures.append(f"{name}: rows changed")
        if _stored_files(root) != files:
            failures.append(f"{name}: a file was stored")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_check_itself_refuses_each_with_its_message(name):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refusal:
        check_upload(SimpleUploadedFile(name, _corpus()[name]))
    assert EXPECTED[name] in refusal.value.messages[0]
