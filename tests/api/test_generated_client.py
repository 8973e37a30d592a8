"""Proof that the schema matches reality: a client generated from the OpenAPI schema (openapi-python-client,
into a temporary folder) takes an application from start to grant against a real server, and every answer it
gets parses into the schema's models with no field the schema does not name."""

from __future__ import annotations

import importlib
import io
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import attrs
import pytest
from django.core.management import call_command
from django.utils import timezone

from aeo import services
from aeo.models import Application
from portal.services.tokens import api_token_create
from tests import documents

VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def portal_client(tmp_path_factory, django_db_blocker):
    """The generated package, imported; it is removed from the imported modules afterwards."""
    folder = tmp_path_factory.mktemp("generated")
    with django_db_blocker.unblock():
        call_command("spectacular", "--format", "openapi-json", "--file", str(folder / "schema.json"))
    # No post hooks: the generator's `ruff --fix` drops imports the generated code still uses.
    (folder / "config.yaml").write_text("post_hooks: []\n")
    subprocess.run(
        [str(VENV_BIN / "openapi-python-client"), "generate", "--path", str(folder / "schema.json"), "--meta",
         "none", "--output-path", str(folder / "portal_client"), "--config", str(folder / "config.yaml")],
        check=True, capture_output=True, timeout=120, cwd=folder)
    # The generator names `Unset` in some signatures without importing it; deferred annotations make that moot.
    for module in (folder / "portal_client").rglob("*.py"):
        module.write_text("from __future__ import annotations\n" + module.read_text())
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("portal_client")
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == "portal_client" or m.startswith("portal_client.")]:
            del sys.modules[name]


def _undocumented(value, path: str = "") -> list[str]:
    """Fields of a parsed answer that the schema does not name (free-form maps excepted, and a 400, whose
    schema says that any field sent may carry its messages)."""
    found = []
    if attrs.has(type(value)) and type(value).__name__ != "ValidationError":
        names = {a.name for a in attrs.fields(type(value))} - {"additional_properties"}
        extra = getattr(value, "additional_properties", {})
        if names:  # a model with named fields: anything else is undocumented
            found += [f"{path}.{k}" for k in extra]
        for name in names:
            found += _undocumented(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _undocumented(item, f"{path}[{i}]")
    return found


def call(module, expected_status: int, **kwargs):
    """Call one generated operation; the answer has the status expected and parses fully into the models."""
    response = module.sync_detailed(**kwargs)
    assert response.status_code == expected_status, (module.__name__, response.status_code, response.content[:500])
    assert response.parsed is not None, (module.__name__, "the answer is not in the schema")
    assert _undocumented(response.parsed) == [], (module.__name__, _undocumented(response.parsed))
    return response.parsed


def test_a_client_generated_from_the_schema_drives_the_aeo_flow(portal_client, live_server, alice, carol, atlantic,
                                                                reviewer, supervisor, questionnaire):
    from portal_client import AuthenticatedClient
    from portal_client.api.v1 import (
        v1_aeo_applications_check_retrieve as check,
    )
    from portal_client.api.v1 import (
        v1_aeo_applications_create as start,
    )
    from portal_client.api.v1 import (
        v1_aeo_applications_decision_notices_list as notices,
    )
    from portal_client.api.v1 import (
        v1_aeo_applications_evidence_create as attach,
    )
    from portal_client.api.v1 import (
        v1_aeo_applications_information_requests_list as requests_list,
    )
    from portal_client.api.v1 import (
        v1_aeo_applications_information_requests_response_create as respond,
    )
    from portal_client.api.v1 import (
        v1_aeo_applications_retrieve as read,
    )
    from portal_client.api.v1 import (
        v1_aeo_applications_sections_list as sections,
    )
    from portal_client.api.v1 import (
        v1_aeo_applications_sections_retrieve as section_read,
    )
    from portal_client.api.v1 import (
        v1_aeo_applications_sections_update as section_save,
    )
    from portal_client.api.v1 import (
        v1_aeo_applications_submit_create as submit,
    )
    from portal_client.api.v1 import (
        v1_aeo_authorisations_consent_create as consent,
    )
    from portal_client.api.v1 import (
        v1_aeo_authorisations_list as authorisations,
    )
    from portal_client.api.v1 import (
        v1_aeo_questionnaires_retrieve as questionnaire_read,
    )
    from portal_client.models import (
        AnswerWriteRequest,
        ApplicationDetail,
        ApplicationStartRequest,
        AuthorisationTypeEnum,
        ConsentRequest,
        Error,
        EvidenceUploadRequest,
        ResponseWriteRequest,
        SectionWriteRequest,
        SubmitRequest,
        SubmitRequestEvidenceReasons,
        ValidationError,
    )
    from portal_client.types import File

    def client_of(user) -> AuthenticatedClient:
        _token, key = api_token_create(actor=user, name="Compliance software")
        return AuthenticatedClient(base_url=live_server.url, token=key, raise_on_unexpected_status=True)

    officer, consultant = client_of(alice), client_of(carol)

    # start, as the consultant
    started = call(start, 201, client=consultant, body=ApplicationStartRequest(organisation=atlantic.pk,
                                                                              kind=AuthorisationTypeEnum.AEOC))
    assert isinstance(started, ApplicationDetail) and started.state.value == "draft"
    app_id = started.id

    # answer every section with the version read
    form = call(questionnaire_read, 200, client=consultant, version=started.questionnaire_version)
    questions = {q.code: q for s in form.sections for q in s.questions}
    for item in call(sections, 200, client=consultant, id=app_id):
        current = call(section_read, 200, client=consultant, id=app_id, code=item.code)
        codes = [c for s in form.sections if s.code == item.code for c in (q.code for q in s.questions)]
        values = {"yes_no": "yes", "text": "Written procedures.", "date": "2026-01-15", "number": "12"}
        saved = call(section_save, 200, client=consultant, id=app_id, code=item.code, body=SectionWriteRequest(
            version=current.version, answers=[AnswerWriteRequest(
                question=c, value=values.get(questions[c].answer_type.value, (questions[c].choices or [""])[0]))
                for c in codes]))
        assert saved.version == current.version + 1

    # attach one expected document; give a reason for the others
    checked = call(check, 200, client=consultant, id=app_id)
    missing = [line.split(":")[0] for line in checked.evidence_missing]
    assert checked.ready and missing
    evidence = call(attach, 201, client=consultant, id=app_id, body=EvidenceUploadRequest(
        question=missing[0], file=File(payload=io.BytesIO(documents.PDF), file_name="plan.pdf",
                                       mime_type="application/pdf")))
    assert len(evidence.sha256) == 64
    refused = call(attach, 400, client=consultant, id=app_id, body=EvidenceUploadRequest(
        question=missing[0], file=File(payload=io.BytesIO(b"MZ" + b"\0" * 64), file_name="plan.pdf")))
    assert isinstance(refused, ValidationError) and "plan.pdf" in str(refused.additional_properties["file"])

    declaration = {"signatory_name": "Alice Admin", "signatory_position": "Director", "confirmed": True}
    reasons = SubmitRequestEvidenceReasons.from_dict({code: "Sent by post." for code in missing[1:]})
    assert isinstance(call(submit, 403, client=consultant, id=app_id,
                           body=SubmitRequest(**declaration, evidence_reasons=reasons)), Error)
    submitted = call(submit, 200, client=officer, id=app_id, body=SubmitRequest(**declaration,
                                                                                evidence_reasons=reasons))
    assert submitted.state.value == "submitted" and submitted.reference

    # customs accepts and asks; the software answers with a file
    application = Application.objects.get(pk=app_id)
    services.application_accept(actor=reviewer, application=application)
    services.information_request_create(actor=reviewer, application=application, questions="Send your plan.",
                                        due_date=timezone.localdate() + timedelta(days=14))
    (info,) = call(requests_list, 200, client=consultant, id=app_id)
    answered = call(respond, 200, client=consultant, id=app_id, request_id=str(info.id), body=ResponseWriteRequest(
        response="Attached.", files=[File(payload=io.BytesIO(documents.PDF), file_name="plan-v2.pdf",
                                          mime_type="application/pdf")]))
    assert [f.original_name for f in answered.files] == ["plan-v2.pdf"]

    # granted by two officers; the decision notice and the authorisation read through the client
    services.grant_propose(actor=reviewer, application=application, kind="AEOC")
    services.decision_approve(actor=supervisor, application=application)
    detail = call(read, 200, client=officer, id=app_id)
    assert detail.state.value == "granted" and [n.kind.value for n in detail.decision_notices] == ["grant"]
    assert [n.id for n in call(notices, 200, client=officer, id=app_id)] == [detail.decision_notices[0].id]
    (authorisation,) = call(authorisations, 200, client=officer).results
    assert authorisation.status.value == "active"
    given = call(consent, 200, client=officer, id=authorisation.id, body=ConsentRequest(publish=True, mra=True))
    assert given.consent_mra is True and given.mra_partners == []
