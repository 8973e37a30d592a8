"""The whole API, fuzzed from its own OpenAPI schema (schemathesis, with NUL bytes allowed in every string):
no input gives a server error, signed in or not; bounded, a few examples per operation. And with two
organisations' tokens: every object route answers the outsider 404, and both answers are as the schema says."""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from portal.services.tokens import api_token_create

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
EXAMPLES = 8
# Every answer as the schema says: a documented status, content type and body.
CONFORMANCE = [status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # The WSGI app closes database connections when a request ends; the test client stops that so
    # that requests run inside the test's transaction, and so does this.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _bearer(user) -> dict[str, str]:
    _token, key = api_token_create(actor=user, name="Fuzzing")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def bearer(alice) -> dict[str, str]:
    return _bearer(alice)


# The AEO fixtures (questionnaire, draft, complete_draft) are shared with tests/aeo/.
from tests.aeo.conftest import complete_draft, draft, questionnaire  # noqa: E402, F401


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_input_gives_a_server_error(case, bearer):
    for headers in (bearer, {}):
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.method, case.formatted_path, response.status_code,
                                            response.text[:500])
        case.validate_response(response, checks=CONFORMANCE)


# --- Two organisations' tokens: one never reads the other's objects ----------------------------------------

# Routes whose objects are public (the questionnaire, the catalogue, the figures, verification by code).
PUBLIC = ("/api/v1/aeo/questionnaires/", "/api/v1/aeo/verify/", "/api/v1/performance/", "/api/v1/training/centres/",
          "/api/v1/training/courses/", "/api/v1/training/certificates/verify/")


@pytest.fixture
def atlantic_objects(alice, atlantic, complete_draft, reviewer, member_of_association,  # noqa: F811
                     django_capture_on_commit_callbacks) -> dict[str, dict[str, object]]:
    """One object of Atlantic's behind every object route, by path prefix: the path parameters to reach it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aeo import services as aeo
    from aeo.models import Application, Authorisation
    from consultations import services as consultations
    from consultations.models import Audience
    from portal.files import PDF_ONLY, check_upload
    from portal.models import WebhookEndpoint
    from tests import documents
    from tests.consultations.factories import ConsultationFactory
    from tests.training.conftest import complete_lessons, pass_quizzes
    from tests.training.factories import centre, full_course
    from training import services as training
    from training.models import Certificate, QuizAttempt

    def pdf(name: str = "plan.pdf", allowed=None):
        upload = SimpleUploadedFile(name, documents.PDF)
        return check_upload(upload, allowed=allowed) if allowed else check_upload(upload)

    question = complete_draft.questionnaire.sections.get(code="A").questions.first()
    evidence = aeo.evidence_add(actor=alice, application=complete_draft, question=question, upload=pdf())
    aeo.application_submit(actor=alice, application=complete_draft, signatory_name="Alice",
                           signatory_position="Director", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        aeo.application_return(actor=reviewer, application=complete_draft, reasons="Sign the plan.")
    closed = Application.objects.create(organisation=atlantic, kind="AEOS", questionnaire=complete_draft.questionnaire,
                                        created_by=alice, state="withdrawn")
    authorisation = Authorisation.objects.create(application=closed, organisation=atlantic, kind="AEOS",
                                                 number="PTAEOS000001", valid_from="2026-01-01", granted_by=reviewer)
    endpoint = WebhookEndpoint.objects.create(organisation=atlantic, url="https://erp.example.com/hook",
                                              event_kinds=["webhook.test"], created_by=alice)
    association = member_of_association.memberships.get().organisation
    group = ConsultationFactory(organisation=association, created_by=member_of_association, audience=Audience.INVITED)
    group.invited_organisations.add(atlantic)
    comment = consultations.comment_post(actor=alice, consultation=group, body="Our position.",
                                         acting_for=alice.memberships.get(), on_behalf=True,
                                         position_paper=pdf(allowed=PDF_ONLY))
    course = full_course(slug="fuzz-course")
    enrolment = training.enrolment_create(actor=alice, course=course, organisation=atlantic)
    complete_lessons(alice, enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        pass_quizzes(alice, enrolment)
    asked = training.advisory_question_ask(actor=alice, organisation=atlantic, centre=centre(), subject="Heading?",
                                           text="Which heading?", files=[pdf()])
    return {
        "/api/v1/aeo/applications/": {"id": complete_draft.pk, "code": "A", "evidence_id": evidence.pk,
                                      "notice_id": complete_draft.decision_notices.get().pk, "request_id": 1,
                                      "hearing_id": 1},
        "/api/v1/aeo/authorisations/": {"id": authorisation.pk},
        "/api/v1/consultations/comments/": {"id": comment.pk},
        "/api/v1/consultations/": {"id": group.pk},
        "/api/v1/notifications/": {"id": alice.notifications.first().pk},
        "/api/v1/organisations/": {"id": atlantic.pk},
        "/api/v1/training/attempts/": {"id": QuizAttempt.objects.get().pk},
        "/api/v1/training/certificates/": {"id": Certificate.objects.get().pk},
        "/api/v1/training/enrolments/": {"id": enrolment.pk},
        "/api/v1/training/questions/": {"id": asked.pk, "attachment_id": asked.attachments.get().pk},
        "/api/v1/webhooks/": {"id": endpoint.pk},
    }


# Every check of the answer against the schema; the check of ignored authentication repeats the call with the
# token we passed (it is not in the case) and is left to the test above, which calls signed out too.
SCHEMA_CHECKS = {"excluded_checks": [ignored_auth]}


@pytest.mark.django_db
def test_an_outsiders_token_never_reaches_another_organisations_objects(alice, mallory, atlantic_objects):
    # given: a token of Atlantic's administrator and one of another company's
    owner, outsider = (_bearer(alice), _bearer(mallory))
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if "{" not in operation.path or operation.path.startswith(PUBLIC):
            continue
        prefix = next(p for p in atlantic_objects if operation.path.startswith(p))  # every object route is covered
        names = re.findall(r"\{(\w+)\}", operation.path)
        case = operation.Case(path_parameters={n: atlantic_objects[prefix][n] for n in names})

        # when: the outsider asks for it, in any way (reads and writes alike)
        response = case.call(headers=outsider)

        # then: 404, as if it did not exist, in the documented shape
        assert response.status_code == 404, (operation.label, response.status_code, response.text[:300])
        case.validate_response(response, **SCHEMA_CHECKS)
        if operation.method.upper() == "GET":  # while Atlantic's own token reads it, as the schema says
            mine = case.call(headers=owner)
            assert mine.status_code in (200, 409), (operation.label, mine.status_code, mine.text[:300])
            case.validate_response(mine, **SCHEMA_CHECKS)
        checked.append(operation.label)
    assert len(checked) > 40, checked
