from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.csv_export import csv_response
from portal.files import private_file_response
from portal.forms import apply_errors
from portal.pagination import EstimatedCountPaginator
from portal.types import AuthenticatedHttpRequest
from training import selectors, services
from training.forms import AdvisoryQuestionForm, AeoEvidenceForm, CatalogueFilterForm, QuizAttemptForm
from training.models import (
    AdvisoryQuestion,
    Centre,
    Certificate,
    Choice,
    Course,
    Lesson,
    Question,
    QuizAttempt,
)
from training.permissions import (
    get_coverage_membership,
    get_own_certificate,
    get_question_for_user,
    is_training_author,
)
from training.scoring import question_scores

PAGE_SIZE = 20


def _current_organisation(request: HttpRequest):
    membership = getattr(request, "membership", None)
    return membership.organisation if membership else None


def catalogue(request: HttpRequest) -> HttpResponse:
    centres = list(selectors.centres_with_counts())
    form = CatalogueFilterForm(request.GET or None, centres=centres)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    courses = selectors.catalogue(search=filters.get("q", ""), level=filters.get("level", ""),
                                  centre=filters.get("centre", ""), aeo=filters.get("aeo", ""))
    page = EstimatedCountPaginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    recommended_centre: Centre | None = None
    recommended: list[Course] = []
    if request.user.is_authenticated and not form.is_bound:
        recommended_centre, recommended = selectors.recommended_courses(_current_organisation(request),
                                                                                user=request.user)
    return render(request, "training/catalogue.html", {
        "form": form, "page": page, "centres": centres, "filtered": bool(filters and any(filters.values())),
        "recommended": recommended, "recommended_centre": recommended_centre,
    })


def centre_detail(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.centre_page(slug)
    if found is None:
        raise Http404
    centre, courses = found
    return render(request, "training/centre.html", {"centre": centre, "courses": courses})


def _course_or_404(request: HttpRequest, slug: str) -> Course:
    course = selectors.course_for_page(slug, include_unpublished=is_training_author(request.user))
    if course is None:
        raise Http404
    return course


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course = _course_or_404(request, slug)
    enrolment = selectors.current_enrolment(request.user, course)
    place = selectors.place_in_course(enrolment, course) if enrolment else None
    certificate = getattr(enrolment, "certificate", None) if enrolment else None
    quizzes = list(course.quizzes.all())
    for quiz in quizzes:  # offer no attempt the service would refuse
        tries = place.attempts.get(quiz.pk, []) if place else []
        quiz.attempts_used_up = len(tries) >= quiz.max_attempts and all(t.submitted_at for t in tries)
    missing = (services.missing_prerequisites(user=request.user, course=course)
               if request.user.is_authenticated and enrolment is None else [])
    return render(request, "training/course.html", {
        "course": course, "modules": course.modules.all(), "quizzes": quizzes,
        "enrolment": enrolment, "place": place, "certificate": certificate, "missing_prerequisites": missing,
        "renewal_open": services.renewal_open(certificate), "preview": not course.is_published,
    })


@login_required
@require_POST
def enrol(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = _course_or_404(request, slug)
    renew = request.POST.get("renew") == "1"
    create = services.enrolment_renew if renew else services.enrolment_create
    try:
        create(actor=request.user, course=course, organisation=_current_organisation(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(course)
    messages.success(request, _("You have started the course again. Your current certificate stays valid until "
                                "it expires.") if renew else
                     _("You are enrolled. Start with the first lesson when you are ready."))
    return redirect(course)


def _enrolment_or_redirect(request: HttpRequest, course: Course):
    enrolment = selectors.current_enrolment(request.user, course)
    if enrolment is None:
        messages.info(request, _("Enrol on the course to read its lessons and take its quizzes."))
    return enrolment


def _lesson_or_404(request: HttpRequest, slug: str, lesson_id: int) -> tuple[Course, list[Lesson], Lesson]:
    """The course, its lessons in order, and the one asked for; a 404 for a lesson of another course."""
    course = _course_or_404(request, slug)
    lessons = selectors.lessons_in_order(course)
    lesson = next((item for item in lessons if item.pk == lesson_id), None)
    if lesson is None:
        raise Http404
    return course, lessons, lesson


@login_required
def lesson_detail(request: AuthenticatedHttpRequest, slug: str, lesson_id: int) -> HttpResponse:
    course, lessons, lesson = _lesson_or_404(request, slug, lesson_id)
    enrolment = selectors.current_enrolment(request.user, course)
    if enrolment is None and not is_training_author(request.user):
        messages.info(request, _("Enrol on the course to read its lessons and take its quizzes."))
        return redirect(course)
    # Reading a lesson changes nothing (a GET never does: prefetchers and crawlers follow links);
    # progress and the place to resume move only when the learner marks a lesson done, by POST.
    place = selectors.place_in_course(enrolment, course) if enrolment is not None else None
    index = lessons.index(lesson)
    module = next(m for m in course.modules.all() if m.pk == lesson.module_id)
    return render(request, "training/lesson.html", {
        "course": course, "lesson": lesson, "module": module, "enrolment": enrolment, "place": place,
        "previous": lessons[index - 1] if index > 0 else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None,
        "number": index + 1, "count": len(lessons), "done": place is not None and lesson.pk in place.done_lessons,
    })


@login_required
@require_POST
def lesson_done(request: AuthenticatedHttpRequest, slug: str, lesson_id: int) -> HttpResponse:
    course, _lessons, lesson = _lesson_or_404(request, slug, lesson_id)
    enrolment = _enrolment_or_redirect(request, course)
    if enrolment is None:
        return redirect(course)
    services.lesson_complete(actor=request.user, enrolment=enrolment, lesson=lesson)
    place = selectors.place_in_course(enrolment, course)
    if place.next_lesson is not None:
        return redirect("training:lesson", slug=course.slug, lesson_id=place.next_lesson.pk)
    messages.success(request, _("You have read every lesson.") if course.quizzes.all()
                     else _("You have read every lesson of the course."))
    return redirect(course)


@login_required
@require_POST
def quiz_start(request: AuthenticatedHttpRequest, slug: str, quiz_id: int) -> HttpResponse:
    course = _course_or_404(request, slug)
    quiz = next((q for q in course.quizzes.all() if q.pk == quiz_id), None)
    if quiz is None:
        raise Http404
    enrolment = _enrolment_or_redirect(request, course)
    if enrolment is None:
        return redirect(course)
    try:
        attempt = services.quiz_attempt_start(actor=request.user, enrolment=enrolment, quiz=quiz)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(course)
    return redirect("training:attempt", slug=course.slug, attempt_id=attempt.pk)


def _attempt_questions(attempt: QuizAttempt) -> list[Question]:
    by_id = Question.objects.prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order", "pk")))
    found = {q.pk: q for q in by_id.filter(pk__in=attempt.question_ids)}
    return [found[int(pk)] for pk in attempt.question_ids if int(pk) in found]


@login_required
def attempt_detail(request: AuthenticatedHttpRequest, slug: str, attempt_id: int) -> HttpResponse:
    course = _course_or_404(request, slug)
    attempt = get_object_or_404(QuizAttempt.objects.select_related("quiz", "enrolment"), pk=attempt_id,
                                enrolment__user=request.user, enrolment__course=course)
    questions = _attempt_questions(attempt)
    if attempt.submitted_at is None:
        form = QuizAttemptForm(request.POST or None, questions=questions)
        if request.method == "POST" and form.is_valid():
            try:
                services.quiz_attempt_submit(actor=request.user, attempt=attempt, answers=form.answers())
            except ValidationError as error:
                messages.error(request, error.messages[0])
            return redirect("training:attempt", slug=course.slug, attempt_id=attempt.pk)
        return render(request, "training/attempt.html", {"course": course, "attempt": attempt, "form": form,
                                                         "quiz": attempt.quiz})
    answers = {int(k): set(v) for k, v in attempt.answers.items()}
    feedback = []
    for question in questions:
        chosen = answers.get(question.pk, set())
        correct = {c.pk for c in question.choices.all() if c.is_correct}
        feedback.append({
            "question": question, "right": question_scores(kind=question.kind, correct=correct, chosen=chosen),
            "choices": [{"choice": c, "chosen": c.pk in chosen} for c in question.choices.all()],
        })
    used = QuizAttempt.objects.filter(enrolment=attempt.enrolment, quiz=attempt.quiz).count()
    attempts_left = max(attempt.quiz.max_attempts - used, 0)
    return render(request, "training/attempt_result.html", {
        "course": course, "attempt": attempt, "quiz": attempt.quiz, "feedback": feedback,
        "attempts_left": attempts_left,
        # The right answers only after a pass or the last attempt: else the quiz could be learnt by failing it.
        "reveal_answers": attempt.passed or attempts_left == 0,
        "certificate": Certificate.objects.filter(enrolment=attempt.enrolment).first(),
    })


@login_required
def my_training(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrolments = list(selectors.my_enrolments(request.user))
    for enrolment in enrolments:
        enrolment.progress = selectors.progress_of(enrolment)
    return render(request, "training/my_training.html", {
        "enrolments": enrolments, "certificates": selectors.my_certificates(request.user),
    })


@login_required
def certificate_download(request: AuthenticatedHttpRequest, certificate_id: int) -> HttpResponseBase:
    certificate = get_own_certificate(request.user, certificate_id)
    if not certificate.pdf:
        # The task has not run yet (or the broker was down): draw it now; the service does it once.
        certificate = services.certificate_pdf_render(certificate_id=certificate.pk)
    response = FileResponse(certificate.pdf.open("rb"), as_attachment=True, content_type="application/pdf",
                            filename=f"certificate-{certificate.course.slug}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def verify_form(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("training:verify", code=code[:64])
    return render(request, "training/verify.html", {"code": ""})


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: valid, expired or revoked for a known code; for any other code, only that it is not known."""
    certificate = selectors.certificate_by_code(code)
    status = certificate.status_at(timezone.now()) if certificate else None
    response = render(request, "training/verify.html", {"certificate": certificate, "status": status, "code": code},
                      status=200 if certificate else 404)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response


# --- Coverage --------------------------------------------------------------------------------------


@login_required
def coverage(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    organisation = get_coverage_membership(request.user, organisation_id).organisation
    # CoverageRows is sliced and counted as a queryset is
    rows = cast("QuerySet[selectors.ProgressEnrolment]", selectors.CoverageRows(organisation))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for enrolment in page.object_list:
        enrolment.progress = selectors.progress_of(enrolment)
    return render(request, "training/coverage.html", {
        "organisation": organisation, "page": page, **selectors.coverage_summary(organisation),
    })


@login_required
def coverage_csv(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    organisation = get_coverage_membership(request.user, organisation_id).organisation
    now = timezone.now()

    def rows():
        for enrolment in selectors.coverage_enrolments(organisation).iterator(chunk_size=500):
            progress = selectors.progress_of(enrolment)
            certificate = getattr(enrolment, "certificate", None)
            yield [enrolment.user.get_full_name(), enrolment.user.email, enrolment.course.centre.name,
                   enrolment.course.title, f"{enrolment.enrolled_at:%Y-%m-%d}", progress.done, progress.total,
                   progress.percent, f"{enrolment.completed_at:%Y-%m-%d}" if enrolment.completed_at else "",
                   certificate.status_at(now) if certificate else "",
                   f"{certificate.expires_at:%Y-%m-%d}" if certificate and certificate.expires_at else ""]

    return csv_response(f"training-coverage-{organisation.pk}.csv",
                        ["Person", "E-mail", "Centre", "Course", "Enrolled", "Steps done", "Steps", "Progress %",
                         "Completed", "Certificate", "Certificate expires"], rows())


# --- Advisory questions ----------------------------------------------------------------------------


@login_required
def question_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = _current_organisation(request)
    questions = (AdvisoryQuestion.objects.filter(organisation=organisation).select_related("centre", "asked_by")
                 if organisation else AdvisoryQuestion.objects.none())
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "training/question_list.html", {"organisation": organisation, "page": page})


@login_required
def question_ask(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = _current_organisation(request)
    if organisation is None:
        messages.info(request, _("Questions are asked on behalf of an organisation: create or join one first."))
        return redirect("organisation_list")
    centre = selectors.centre_for_sector(organisation.sector)
    initial: dict[str, int | str] = {"centre": centre.pk} if centre else {}
    if request.GET.get("centre"):
        initial["centre"] = request.GET["centre"]
    form = AdvisoryQuestionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = services.advisory_question_ask(
                actor=request.user, organisation=organisation, centre=data["centre"], subject=data["subject"],
                text=data["text"], files=data["files"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your question has been sent to %(centre)s.") % {"centre": question.centre})
            return redirect(question)
    return render(request, "portal/simple_form.html", {
        "form": form, "title": _("Ask a centre a question"),
        "lead": _("You ask on behalf of %(organisation)s; its members can follow the answer.")
        % {"organisation": organisation.name},
        "submit_label": _("Send the question"), "back_url": reverse("training:questions"),
    })


@login_required
def question_detail(request: AuthenticatedHttpRequest, question_id: int) -> HttpResponse:
    question = get_question_for_user(request.user, question_id)
    return render(request, "training/question.html", {"question": question,
                                                      "attachments": question.attachments.all()})


@login_required
def question_attachment(request: AuthenticatedHttpRequest, question_id: int, attachment_id: int) -> HttpResponseBase:
    question = get_question_for_user(request.user, question_id)
    return private_file_response(get_object_or_404(question.attachments, pk=attachment_id))


@login_required
def aeo_evidence(request: AuthenticatedHttpRequest, application_id: int, section_code: str) -> HttpResponse:
    """Attach one of the organisation's training certificates to an AEO application in one step."""
    from aeo import services as aeo_services
    from aeo.selectors import get_application

    application = get_application(request.user, application_id)  # 404 outside the user's organisations
    section = get_object_or_404(application.questionnaire.sections, code=section_code)
    certificates = list(selectors.certificates_for_aeo_section(application.organisation, section.code))
    form = AeoEvidenceForm(request.POST if request.method == "POST" else None, certificates=certificates,
                           questions=list(section.questions.all()))
    back = reverse("aeo:section_edit", args=[application.pk, section.code])
    if request.method == "POST" and form.is_valid():
        certificate = form.cleaned_data["certificate"]
        try:
            if not certificate.pdf:
                raise ValidationError(_("The PDF of this certificate is still being prepared; try again shortly."))
            aeo_services.evidence_attach_document(
                actor=request.user, application=application, question=form.cleaned_data["question"],
                name=f"Training certificate {certificate.course.title} - {certificate.holder_name}.pdf",
                content=certificate.pdf.read())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The certificate of %(person)s for “%(course)s” is attached to %(code)s.")
                             % {"person": certificate.holder_name, "course": certificate.course.title,
                                "code": form.cleaned_data["question"].code})
            return redirect(back)
    return render(request, "training/aeo_evidence.html", {
        "application": application, "section": section, "form": form, "certificates": certificates,
        "back_url": back,
    })
