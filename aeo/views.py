from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aeo import services
from aeo.forms import (
    ChangeNoticeForm,
    ConsentForm,
    EvidenceForm,
    HearingReplyForm,
    HolderFilter,
    ResponseForm,
    SectionForm,
    StartForm,
    SubmitForm,
    WithdrawForm,
)
from aeo.models import Application, Authorisation, Evidence, Question, Section
from aeo.permissions import (
    APPLICANT_ACTIONS,
    available_actions,
    get_application_for_member,
    get_application_for_signatory,
    is_signatory,
)
from aeo.selectors import case_sheet, dialogue_files_of, history, section_page, task_list
from aeo.workflow import EXPLANATIONS, State
from portal.files import file_download_response, private_file_response
from portal.forms import apply_errors, submitted_data
from portal.pagination import EstimatedCountPaginator
from portal.permissions import get_membership
from portal.types import AuthenticatedHttpRequest


def index(request: HttpRequest) -> HttpResponse:
    context = {}
    membership = getattr(request, "membership", None)
    if membership and membership.organisation.kind == "operator":
        context = {
            "membership": membership, "start_form": StartForm(),
            "applications": Application.objects.filter(organisation_id=membership.organisation_id),
            "missing": membership.organisation.missing_profile_fields(),
        }
    return render(request, "aeo/index.html", context)


@login_required
@require_POST
def application_start(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    membership = get_membership(request.user, organisation_id)
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            application = services.application_start(actor=request.user, organisation=membership.organisation,
                                                      kind=form.cleaned_data["kind"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your application has been started. Work through the sections in any "
                                        "order; everything you save is kept."))
            return redirect(application)
    else:
        messages.error(request, _("Choose the authorisation you apply for."))
    return redirect("aeo:index")


@login_required
@require_POST
def application_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A re-assessment or new application that starts from this one's answers and evidence."""
    source = get_application_for_member(request.user, pk)
    try:
        application = services.application_start(actor=request.user, organisation=source.organisation,
                                                  kind=source.kind, copy_from=source)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("aeo:application_status", pk)
    messages.success(request, _("A new application has been started from the answers and evidence of %(ref)s.")
                     % {"ref": source.reference or source})
    return redirect(application)


@login_required
def application_tasks(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_member(request.user, pk)
    if not application.is_editable:
        return redirect("aeo:application_status", pk)
    items = task_list(application)
    done = sum(i.is_complete for i in items)
    return render(request, "aeo/tasks.html", {
        "application": application, "items": items, "done": done, "total": len(items),
        "evidence_missing": sum(len(i.evidence_missing) for i in items),
        "unverified": not application.organisation.is_verified,
        "can_sign": is_signatory(request.user, application),
    })


@login_required
def section_edit(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    application = get_application_for_member(request.user, pk)
    section = get_object_or_404(Section, questionnaire_id=application.questionnaire_id, code=code)
    if not section.applies(application.kind):
        return redirect(application)
    if not application.is_editable:
        messages.info(request, _("This application has been submitted; its answers can no longer be changed."))
        return redirect("aeo:application_status", pk)
    page = section_page(application, section)
    questions = [q for q, _a, _e in page["questions"]]
    answers = {q.pk: a for q, a, _e in page["questions"] if a}
    form = SectionForm(request.POST if request.method == "POST" else None, questions=questions, answers=answers,
                       initial={"version": page["version"]})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.section_save(actor=request.user, application=application, section=section,
                                  answers=form.answers, version=form.cleaned_data["version"])
        except services.EditConflict as exc:
            conflict = exc
            # The next save overwrites theirs, once this person has seen both versions.
            data = cast(QueryDict, form.data).copy()  # a bound form's data is the request's QueryDict
            data["version"] = str(page["version"])
            form.data = data
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Section %(code)s has been saved.") % {"code": section.code})
            return redirect(application)
    evidence = {q.pk: files for q, _a, files in page["questions"]}
    return render(request, "aeo/section.html", {
        "application": application, "section": section, "form": form, "conflict": conflict,
        "evidence": evidence,
    })


@login_required
def evidence_upload(request: AuthenticatedHttpRequest, pk: int, question_id: int) -> HttpResponse:
    application = get_application_for_member(request.user, pk)
    question = get_object_or_404(Question.objects.select_related("section"), pk=question_id,
                                 section__questionnaire_id=application.questionnaire_id)
    form = EvidenceForm(*submitted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_add(actor=request.user, application=application, question=question,
                                  upload=form.cleaned_data["file"])
        except ValidationError as error:
            apply_errors(form, error, field="file")
        else:
            name = form.cleaned_data["file"].original_name
            messages.success(request, _("“%(name)s” has been added.") % {"name": name})
            return redirect("aeo:evidence_upload", pk, question_id)
    files = list(application.evidence.filter(question=question).select_related("uploaded_by"))
    total = services.evidence_total(application)
    return render(request, "aeo/evidence.html", {
        "application": application, "question": question, "form": form, "files": files,
        "total": total, "limit": settings.AEO_EVIDENCE_TOTAL_BYTES,
    })


@login_required
def evidence_download(request: AuthenticatedHttpRequest, pk: int, evidence_id: int) -> HttpResponseBase:
    application = get_application_for_member(request.user, pk)
    return private_file_response(get_object_or_404(application.evidence, pk=evidence_id))


@login_required
@require_POST
def evidence_remove(request: AuthenticatedHttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    application = get_application_for_member(request.user, pk)
    evidence = get_object_or_404(Evidence.objects.select_related("application"), application=application,
                                 pk=evidence_id)
    try:
        services.evidence_remove(actor=request.user, evidence=evidence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” has been removed.") % {"name": evidence.original_name})
    return redirect("aeo:evidence_upload", pk, evidence.question_id)


@login_required
def application_check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Check your answers, then sign and submit (administrators only)."""
    application = get_application_for_member(request.user, pk)
    if not application.is_editable:
        return redirect("aeo:application_status", pk)
    can_sign = is_signatory(request.user, application)
    items, sheet = case_sheet(application)
    # What stops submission, one line per section (the service's list names every question, which on a draft
    # just begun is a hundred lines).
    blocking = [item for item in items if item.missing or item.unjustified]
    missing_evidence = [q for item in items for q in item.evidence_missing]
    form = SubmitForm(request.POST if request.method == "POST" else None, missing_evidence=missing_evidence)
    problems: list[str] = []
    if request.method == "POST":
        application = get_application_for_signatory(request.user, pk)
        if form.is_valid():
            try:
                services.application_submit(actor=request.user, application=application, **form.submission())
            except ValidationError as error:
                problems = [] if blocking else error.messages
            else:
                application.refresh_from_db()
                messages.success(request, _("Application %(ref)s has been submitted. We have told customs and your "
                                            "colleagues.") % {"ref": application.reference})
                return redirect("aeo:application_status", pk)
    return render(request, "aeo/check.html", {
        "application": application, "sections": list(zip(items, sheet, strict=True)), "form": form,
        "problems": problems, "blocking": blocking, "can_sign": can_sign,
        "missing_evidence": _missing_by_section(items),
        "unverified": not application.organisation.is_verified,
    })


def _missing_by_section(items) -> list:
    """(section, questions whose expected evidence is not attached), for sections that have any."""
    return [(item.section, item.evidence_missing) for item in items if item.evidence_missing]


@login_required
def application_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_member(request.user, pk)
    meaning, next_step = EXPLANATIONS[State(application.state)]
    today = timezone.now().date()
    deadlines = []
    open_request = (application.information_requests.filter(responded_at__isnull=True).first()
                    if application.state == State.INFORMATION_REQUESTED else None)
    hearing = application.hearings.prefetch_related("files").first()
    for label, due in (
        (_("Customs decides whether to accept it by"), application.acceptance_due
         if application.state == State.SUBMITTED else None),
        (_("Customs decides by"), application.decision_due if application.state not in
         (State.GRANTED, State.REJECTED, State.WITHDRAWN, State.DRAFT) else None),
        (_("Answer the information request by"), open_request.due_date if open_request else None),
        (_("Reply to the grounds by"), hearing.due_date if hearing and application.state == State.RIGHT_TO_BE_HEARD
         and not hearing.replied_at else None),
    ):
        if due:
            deadlines.append({"label": label, "date": due, "days_left": (due - today).days})
    return render(request, "aeo/status.html", {
        "application": application, "meaning": meaning, "next_step": next_step, "deadlines": deadlines,
        "events": history(application, for_applicant=True), "open_request": open_request, "hearing": hearing,
        "answered_requests": application.information_requests.filter(responded_at__isnull=False)
        .prefetch_related("files"),
        "hearing_open": hearing is not None and hearing.due_date >= today,
        "can_sign": is_signatory(request.user, application),
        "actions": available_actions(request.user, application, side=APPLICANT_ACTIONS),
        "authorisation": Authorisation.objects.filter(application=application).first(),
        "notices": list(application.decision_notices.all()),
    })


@login_required
def dialogue_file_download(request: AuthenticatedHttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    """A file the organisation sent with an answer to a request or a reply to the grounds (404 to others)."""
    application = get_application_for_member(request.user, pk)
    return private_file_response(get_object_or_404(dialogue_files_of(application), pk=file_id))


@login_required
def decision_notice(request: AuthenticatedHttpRequest, pk: int, notice_id: int) -> HttpResponseBase:
    """The decision notice PDF, for the applicant's members (404 to anyone else)."""
    application = get_application_for_member(request.user, pk)
    notice = get_object_or_404(application.decision_notices, pk=notice_id)
    if not notice.file:
        messages.info(request, _("The decision notice is being prepared; it will be here in a moment."))
        return redirect("aeo:application_status", pk)
    return file_download_response(notice.file, filename=f"{notice.reference.replace('/', '-')}.pdf",
                                  content_type="application/pdf")


def _dialogue_page(request: AuthenticatedHttpRequest, application: Application,
                   form: ResponseForm | HearingReplyForm, *, answer: Callable[[str, list], object], sent: str,
                   context: dict) -> HttpResponse:
    """The applicant's answer to customs (a request, the grounds of a hearing): the form, the service through
    `answer(text, files)`, and back to the status page once sent."""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            answer(form.cleaned_data[form.text_field], [upload] if upload else [])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, sent)
            return redirect("aeo:application_status", application.pk)
    return render(request, "aeo/dialogue_form.html", {"application": application, "form": form, **context})


@login_required
def information_response(request: AuthenticatedHttpRequest, pk: int, request_id: int) -> HttpResponse:
    application = get_application_for_member(request.user, pk)
    info_request = get_object_or_404(application.information_requests, pk=request_id)
    return _dialogue_page(
        request, application, ResponseForm(*submitted_data(request)),
        answer=lambda text, files: services.information_request_respond(
            actor=request.user, request=info_request, response=text, files=files),
        sent=_("Your answer has been sent to customs."),
        context={"title": _("Answer customs' request"), "asked": info_request.questions,
                 "due": info_request.due_date, "submit_label": _("Send the answer")})


@login_required
def hearing_reply(request: AuthenticatedHttpRequest, pk: int, hearing_id: int) -> HttpResponse:
    application = get_application_for_signatory(request.user, pk)
    hearing = get_object_or_404(application.hearings, pk=hearing_id)
    return _dialogue_page(
        request, application, HearingReplyForm(*submitted_data(request)),
        answer=lambda text, files: services.hearing_reply(actor=request.user, hearing=hearing, reply=text,
                                                          files=files),
        sent=_("Your reply has been sent to customs."),
        context={"title": _("Reply to the grounds for rejection"), "asked": hearing.grounds,
                 "due": hearing.due_date, "submit_label": _("Send the reply")})


@login_required
def application_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_signatory(request.user, pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(actor=request.user, application=application,
                                          reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The application has been withdrawn."))
            return redirect("aeo:application_status", pk)
    return render(request, "portal/simple_form.html", {
        "form": form, "title": _("Withdraw %(app)s") % {"app": application},
        "lead": _("Customs stops examining it. You can start a new application later, from a copy of this one."),
        "submit_label": _("Withdraw the application"), "back_url": application.get_absolute_url(),
    })


# --- Public: verification and the list of holders ---------------------------------------------------

def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone can check a certificate. An unknown or altered code says only that it is unknown."""
    authorisation = (Authorisation.objects.select_related("organisation")
                     .filter(verification_token=token).first())
    status = authorisation.status if authorisation else "unknown"
    return render(request, "aeo/verify.html", {"authorisation": authorisation, "status": status},
                  status=200 if authorisation else 404)


def holders(request: HttpRequest) -> HttpResponse:
    listed = Authorisation.objects.filter(consent_publish=True, status=Authorisation.Status.ACTIVE
                                          ).select_related("organisation").order_by("organisation__name")
    # An invalid choice (a country that does not exist) is shown on the form, and the list left unfiltered.
    search = HolderFilter(request.GET or None, queryset=listed)
    found = search.qs if search.is_valid() else listed
    page = EstimatedCountPaginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "aeo/holders.html", {"form": search.form, "page": page})


# --- After the grant: the holder's side ----------------------------------------------------------

def _authorisation_of(request: HttpRequest, pk: int) -> Authorisation:
    application = get_application_for_member(request.user, pk)
    return get_object_or_404(Authorisation.objects.select_related("organisation"), application=application)


@login_required
def certificate_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    authorisation = _authorisation_of(request, pk)
    if not authorisation.certificate:
        messages.info(request, _("The certificate is being prepared; you will be notified when it is ready."))
        return redirect("aeo:application_status", pk)
    return file_download_response(authorisation.certificate, filename=f"AEO-{authorisation.number}.pdf",
                                  content_type="application/pdf")


@login_required
@require_POST
def consent_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    get_application_for_signatory(request.user, pk)
    authorisation = _authorisation_of(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        services.consent_set(actor=request.user, authorisation=authorisation, **form.cleaned_data)
        messages.success(request, _("Your choices about publication and data exchange have been saved."))
    return redirect("aeo:application_status", pk)


@login_required
def change_notice(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    authorisation = _authorisation_of(request, pk)
    form = ChangeNoticeForm(*submitted_data(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.change_notice_submit(actor=request.user, authorisation=authorisation,
                                          description=form.cleaned_data["description"],
                                          files=[upload] if upload else [])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Customs has been told of the change."))
            return redirect("aeo:application_status", pk)
    return render(request, "portal/simple_form.html", {
        "form": form, "title": _("Report a change to customs"),
        "lead": _("Tell customs without delay of changes that may affect your authorisation: ownership, sites, "
                  "activities, the people responsible for customs or security matters."),
        "submit_label": _("Send to customs"), "back_url": reverse("aeo:application_status", args=[pk]),
    })
