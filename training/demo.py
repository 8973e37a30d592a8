"""Demo data for training, called by `manage.py seed_demo`: a course in every Centre of Excellence (three long
ones with learners at several stages and a valid certificate, seven shorter ones), and two advisory
questions. Safe to run any number of times."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from portal.models import Organisation, User
from training import demo_content, demo_sector_courses, services
from training.demo_translations import course_translations
from training.models import AdvisoryQuestion, Centre, Choice, Course, Enrolment, Lesson, Module, Question, Quiz

ADVISER = "adviser@customs.example"


def _build_course(spec: dict) -> Course:
    course, created = Course.objects.get_or_create(slug=spec["slug"], defaults={
        "centre": Centre.objects.get(slug=spec["centre"]), "title": spec["title"], "summary": spec["summary"],
        "level": spec["level"], "duration_minutes": spec["duration_minutes"],
        "validity_months": spec["validity_months"], "aeo_sections": spec["aeo_sections"], "is_published": True,
        "translations": course_translations(spec["slug"]),
    })
    if not created:
        if not course.translations:  # a catalogue seeded before courses had translations
            Course.objects.filter(pk=course.pk).update(translations=course_translations(spec["slug"]))
        return course  # authors may have edited it since; leave their work alone
    for module_order, (module_title, lessons) in enumerate(spec["modules"], start=1):
        module = Module.objects.create(course=course, title=module_title, order=module_order)
        for lesson_order, (title, body, minutes) in enumerate(lessons, start=1):
            Lesson.objects.create(module=module, title=title, body=body, duration_minutes=minutes, order=lesson_order)
    title, per_attempt, pass_mark, attempts, bank = spec["quiz"]
    quiz = Quiz.objects.create(course=course, title=title, questions_per_attempt=per_attempt, pass_mark=pass_mark,
                               max_attempts=attempts)
    for order, (text, kind, explanation, choices) in enumerate(bank, start=1):
        question = Question.objects.create(quiz=quiz, text=text, kind=kind, explanation=explanation, order=order)
        # The bank lists the right answers first; shown in that order they would give themselves away.
        Choice.objects.bulk_create(Choice(question=question, text=answer, is_correct=right,
                                          order=(i + order) % len(choices))
                                   for i, (answer, right) in enumerate(choices))
    return course


def _lessons(course: Course) -> list[Lesson]:
    return list(Lesson.objects.filter(module__course=course).order_by("module__order", "order", "pk"))


def _answers(attempt, *, right: bool) -> dict[int, list[int]]:
    answers = {}
    for question_id in attempt.question_ids:
        choices = Choice.objects.filter(question_id=question_id, is_correct=right).values_list("pk", flat=True)
        answers[int(question_id)] = list(choices if right else choices[:1])
    return answers


def _enrol(email: str, course: Course, organisation: Organisation) -> tuple[User, Enrolment]:
    user = User.objects.get(email=email)
    return user, services.enrolment_create(actor=user, course=course, organisation=organisation)


@transaction.atomic
def seed(stdout) -> None:
    courses = {spec["centre"]: _build_course(spec) for spec in demo_content.COURSES + demo_sector_courses.COURSES}
    adviser = User.objects.filter(email=ADVISER).first()
    if adviser is not None:
        for centre in Centre.objects.filter(slug__in=["machinery", "pharma", "agriculture"]):
            centre.advisers.add(adviser)
    atlantic = Organisation.objects.get(identifier="PT500123456")
    lusitania = Organisation.objects.get(identifier="PT509876543")
    now = timezone.now()

    # Ana completed the machinery course: every lesson, the quiz passed, a valid certificate with its PDF.
    ana, enrolment = _enrol("admin@atlantic.example", courses["machinery"], atlantic)
    for lesson in _lessons(courses["machinery"]):
        services.lesson_complete(actor=ana, enrolment=enrolment, lesson=lesson)
    quiz = courses["machinery"].quizzes.get()
    if not enrolment.quiz_attempts.filter(passed=True).exists():
        attempt = services.quiz_attempt_start(actor=ana, enrolment=enrolment, quiz=quiz)
        services.quiz_attempt_submit(actor=ana, attempt=attempt, answers=_answers(attempt, right=True))
    certificate = services.certificate_issue(enrolment_id=enrolment.pk)
    services.certificate_pdf_render(certificate_id=certificate.pk)

    # Bruno is half-way through the same course.
    bruno, enrolment = _enrol("colleague@atlantic.example", courses["machinery"], atlantic)
    lessons = _lessons(courses["machinery"])
    for lesson in lessons[:2]:
        services.lesson_complete(actor=bruno, enrolment=enrolment, lesson=lesson)
    services.lesson_visit(actor=bruno, enrolment=enrolment, lesson=lessons[2])
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=now - timedelta(days=3))

    # Carla enrolled on the origin course three weeks ago and has not started: she is due a reminder.
    _carla, enrolment = _enrol("consultant@advisers.example", courses["agriculture"], atlantic)
    if not enrolment.lesson_completions.exists():
        Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=now - timedelta(days=21),
                                                         last_activity_at=now - timedelta(days=21))

    # Duarte read every lesson of the security course and failed his first attempt at the quiz.
    duarte, enrolment = _enrol("admin@lusitania.example", courses["pharma"], lusitania)
    for lesson in _lessons(courses["pharma"]):
        services.lesson_complete(actor=duarte, enrolment=enrolment, lesson=lesson)
    if not enrolment.quiz_attempts.exists():
        attempt = services.quiz_attempt_start(actor=duarte, enrolment=enrolment, quiz=courses["pharma"].quizzes.get())
        services.quiz_attempt_submit(actor=duarte, attempt=attempt, answers=_answers(attempt, right=False))

    # Two questions to the centres: one answered, one waiting.
    machinery = Centre.objects.get(slug="machinery")
    if not AdvisoryQuestion.objects.filter(organisation=atlantic, centre=machinery).exists():
        question = services.advisory_question_ask(
            actor=ana, organisation=atlantic, centre=machinery,
            subject="Palletising line delivered in three shipments",
            text="We import a palletising line (robot, infeed conveyors, stretch wrapper) from one supplier in "
                 "three shipments over six weeks. Can we declare it as one functional unit, and what should "
                 "the first declaration say?")
        if adviser is not None:
            services.advisory_question_answer(
                actor=adviser, question=question,
                answer="Yes, if the three parts together perform the one function of palletising, Note 4 to "
                       "Section XVI lets you classify the whole line in the heading for that function.\n\n"
                       "- Tell the customs office before the first shipment, with the contract and a layout "
                       "drawing.\n- Declare each shipment under the unit's code and refer to the same "
                       "contract.\n- Keep the control-room PC out of the unit: it is declared on its own.")
    pharma = Centre.objects.get(slug="pharma")
    if not AdvisoryQuestion.objects.filter(organisation=lusitania, centre=pharma).exists():
        services.advisory_question_ask(
            actor=duarte, organisation=lusitania, centre=pharma,
            subject="Seal checks for groupage air freight",
            text="Our vaccines leave by air in consolidated shipments where we never see the ULD sealed. "
                 "What seal or tamper-evidence controls does customs expect from us as the shipper?")
    stdout.write(f"Training: {len(courses)} courses (one per centre), 4 learners, 1 certificate, "
                 "2 questions to the centres.")
