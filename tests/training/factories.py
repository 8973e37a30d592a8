"""One factory per training model."""

from __future__ import annotations

import factory
from django.utils import timezone

from tests.factories import UserFactory
from training.models import (
    AdvisoryQuestion,
    Centre,
    Certificate,
    Choice,
    Course,
    Enrolment,
    Lesson,
    Module,
    Question,
    Quiz,
)


def centre(slug: str = "machinery") -> Centre:
    """The centres come from the data migration."""
    return Centre.objects.get(slug=slug)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    centre = factory.LazyFunction(centre)
    slug = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Classifying machinery, part {n}")
    summary = "How the Harmonized System treats machines, parts and functional units."
    level = Course.Level.INTRODUCTORY
    duration_minutes = 45
    is_published = True
    validity_months = 24


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    order = factory.Sequence(lambda n: n)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    body = "Heading 84.79 covers machines **having individual functions**."
    order = factory.Sequence(lambda n: n)


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    course = factory.SubFactory(CourseFactory)
    title = "Check your understanding"
    questions_per_attempt = 2
    pass_mark = 50
    max_attempts = 3


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    quiz = factory.SubFactory(QuizFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = Question.Kind.SINGLE
    explanation = "Because the General Interpretative Rules say so."


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Answer {n}")
    is_correct = False


def question_with_choices(quiz: Quiz, *, kind: str = "single", right: int = 1, wrong: int = 2) -> Question:
    question = QuestionFactory(quiz=quiz, kind=kind)
    for _ in range(right):
        ChoiceFactory(question=question, is_correct=True)
    for _ in range(wrong):
        ChoiceFactory(question=question, is_correct=False)
    return question


def full_course(*, lessons: int = 2, questions: int = 2, per_attempt: int | None = None, pass_mark: int = 50,
                max_attempts: int = 3, **course_fields) -> Course:
    """A published course with one module of lessons and one quiz with single-choice questions."""
    course = CourseFactory(**course_fields)
    module = ModuleFactory(course=course, order=1)
    for i in range(lessons):
        LessonFactory(module=module, order=i)
    quiz = QuizFactory(course=course, questions_per_attempt=per_attempt or questions, pass_mark=pass_mark,
                       max_attempts=max_attempts)
    for _ in range(questions):
        question_with_choices(quiz)
    return course


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    enrolment = factory.SubFactory(EnrolmentFactory, completed_at=factory.LazyFunction(timezone.now))
    user = factory.SelfAttribute("enrolment.user")
    course = factory.SelfAttribute("enrolment.course")
    holder_name = factory.LazyAttribute(lambda o: o.user.get_full_name())
    issued_at = factory.LazyFunction(timezone.now)


class AdvisoryQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvisoryQuestion

    centre = factory.LazyFunction(centre)
    asked_by = factory.SubFactory(UserFactory)
    subject = "Tariff classification of a robotic palletiser"
    text = "Is a palletiser with its own conveyor a functional unit under Note 4 to Section XVI?"
