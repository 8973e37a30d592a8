"""Reads for training pages and the API: scoped first, then shaped so that query counts stay flat.

Progress is never stored: it is counted from lesson completions and passed attempts each time it is
shown, so it cannot drift from what the learner did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from portal.models import Membership, Organisation, User
from portal.types import AnyUser
from training.models import (
    Centre,
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonCompletion,
    Quiz,
    QuizAttempt,
)


class ProgressCounts(TypedDict):
    """What `with_progress` counts on each enrolment."""

    lessons_total: int
    quizzes_total: int
    lessons_done: int
    quizzes_passed: int


if TYPE_CHECKING:  # for annotations only: WithAnnotations takes no model and TypedDict at run time
    from django_stubs_ext import WithAnnotations

    ProgressEnrolment = WithAnnotations[Enrolment, ProgressCounts]


def _count(queryset: QuerySet[Any], group_by: str) -> Coalesce:  # any model's rows
    """A correlated COUNT subquery, so that each row's counts come in the same single query."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk", distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_course_counts(courses: QuerySet[Course]) -> QuerySet[Course]:
    return courses.annotate(
        lesson_count=_count(Lesson.objects.filter(module__course=OuterRef("pk")), "module__course"),
        quiz_count=_count(Quiz.objects.filter(course=OuterRef("pk")), "course"),
    )


def with_progress(enrolments: QuerySet[Enrolment]) -> QuerySet[ProgressEnrolment]:
    """Annotate steps (lessons + quizzes), steps done and the best quiz result, in the one query."""
    return enrolments.annotate(
        lessons_total=_count(Lesson.objects.filter(module__course=OuterRef("course")), "module__course"),
        quizzes_total=_count(Quiz.objects.filter(course=OuterRef("course")), "course"),
        lessons_done=_count(LessonCompletion.objects.filter(enrolment=OuterRef("pk"),
                                                            lesson__module__course=OuterRef("course")), "enrolment"),
        quizzes_passed=Coalesce(Subquery(
            QuizAttempt.objects.filter(enrolment=OuterRef("pk"), passed=True).order_by()
            .values("enrolment").annotate(n=Count("quiz", distinct=True)).values("n"),
            output_field=IntegerField()), Value(0)),
    )


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 0


def progress_of(enrolment: ProgressEnrolment) -> Progress:
    """For an enrolment annotated by `with_progress`."""
    return Progress(enrolment.lessons_done + enrolment.quizzes_passed,
                    enrolment.lessons_total + enrolment.quizzes_total)


# --- Catalogue -------------------------------------------------------------------------------------


def centres_with_counts() -> QuerySet[Centre]:
    return Centre.objects.annotate(course_count=Count("courses", filter=Q(courses__is_published=True)))


def catalogue(*, search: str = "", level: str = "", centre: str = "", aeo: str = "") -> QuerySet[Course]:
    """Published courses, filtered as the catalogue's form asks; one query for any number of them."""
    courses: QuerySet[Course] = Course.objects.published().select_related("centre")
    if search:
        courses = courses_matching(courses, search)
    if level:
        courses = courses.filter(level=level)
    if centre:
        courses = courses.filter(centre__slug=centre)
    if aeo:
        courses = courses_for_aeo(courses, aeo)
    return with_course_counts(courses).order_by("centre__order", "title")


def courses_matching(courses: QuerySet[Course], text: str) -> QuerySet[Course]:
    """The courses whose title, summary or centre's name contains the text."""
    return courses.filter(Q(title__icontains=text) | Q(summary__icontains=text) | Q(centre__name__icontains=text))


def courses_for_aeo(courses: QuerySet[Course], aeo: str) -> QuerySet[Course]:
    """`any`: the courses that support some AEO section; a section's code: those that support that one."""
    return courses.exclude(aeo_sections=[]) if aeo == "any" else supporting_section(courses, aeo)


def supporting_section(courses: QuerySet[Course], section_code: str) -> QuerySet[Course]:
    """The courses that support an AEO questionnaire section."""
    if connection.features.supports_json_field_contains:
        return courses.filter(aeo_sections__contains=[section_code])
    return courses.filter(aeo_sections__icontains=f'"{section_code}"')  # SQLite has no JSON containment


def centre_for_sector(sector: str) -> Centre | None:
    if not sector:
        return None
    return next((c for c in Centre.objects.all() if sector in c.sectors), None)


def recommended_courses(organisation: Organisation | None, *, user: User | None = None,
                        limit: int = 3) -> tuple[Centre | None, list[Course]]:
    """The centre for the organisation's main sector and a few of its published courses the user has not
    completed (a course they are taking still shows: it is where to carry on)."""
    centre = centre_for_sector(organisation.sector) if organisation is not None else None
    if centre is None:
        return None, []
    published = Course.objects.published().filter(centre=centre)
    if user is not None:
        published = published.exclude(enrolments__in=Enrolment.objects.current().filter(
            user=user, completed_at__isnull=False))
    courses = list(with_course_counts(published.select_related("centre")).order_by("level", "title")[:limit])
    return centre, courses


def centre_page(slug: str) -> tuple[Centre, list[Course]] | None:
    centre = Centre.objects.filter(slug=slug).first()
    if centre is None:
        return None
    courses = list(with_course_counts(centre.courses.published().select_related("centre")).order_by("title"))
    return centre, courses


# --- A course and a learner's place in it ----------------------------------------------------------


def course_for_page(slug: str, *, include_unpublished: bool = False) -> Course | None:
    courses: QuerySet[Course] = Course.objects.all() if include_unpublished else Course.objects.published()
    return (courses.select_related("centre")
            # The outline needs titles only; a course may have hundreds of long lessons.
            .prefetch_related(Prefetch("modules__lessons", queryset=Lesson.objects.defer("body", "body_html")
                                       .order_by("order", "pk")),
                              "quizzes", "prerequisites")
            .filter(slug=slug).first())


def current_enrolment(user: AnyUser, course: Course) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return (Enrolment.objects.current().filter(user=user, course=course)
            .select_related("last_lesson", "certificate").first())


def lessons_in_order(course: Course) -> list[Lesson]:
    """The course's lessons, module by module (uses the prefetch of `course_for_page`)."""
    return [lesson for module in course.modules.all() for lesson in module.lessons.all()]


@dataclass
class Place:
    """Where a learner stands in a course: what is done, what comes next, how far along."""

    done_lessons: set[int]
    passed_quizzes: set[int]
    attempts: dict[int, list[QuizAttempt]]
    next_lesson: Lesson | None
    progress: Progress


def place_in_course(enrolment: Enrolment, course: Course) -> Place:
    lessons = lessons_in_order(course)
    done = set(enrolment.lesson_completions.values_list("lesson_id", flat=True))
    attempts: dict[int, list[QuizAttempt]] = {}
    for attempt in enrolment.quiz_attempts.order_by("number"):
        attempts.setdefault(attempt.quiz_id, []).append(attempt)
    passed = {quiz_id for quiz_id, tries in attempts.items() if any(a.passed for a in tries)}
    quizzes = list(course.quizzes.all())
    remaining = [lesson for lesson in lessons if lesson.pk not in done]
    # Resume at the lesson last opened if it is not done yet, else at the first one not done.
    last = enrolment.last_lesson
    next_lesson = last if last is not None and last.pk not in done and last in remaining else next(
        iter(remaining), None)
    progress = Progress(len(done & {lesson.pk for lesson in lessons}) + len(passed & {q.pk for q in quizzes}),
                        len(lessons) + len(quizzes))
    return Place(done, passed, attempts, next_lesson, progress)


def my_enrolments(user: User) -> QuerySet[ProgressEnrolment]:
    return (with_progress(Enrolment.objects.current().filter(user=user))
            .select_related("course__centre", "certificate").order_by("-last_activity_at"))


def my_certificates(user: User) -> QuerySet[Certificate]:
    return Certificate.objects.filter(user=user).select_related("course__centre").order_by("-issued_at")


# --- Organisation coverage -------------------------------------------------------------------------


def _coverage_base(organisation: Organisation) -> QuerySet[Enrolment]:
    """Enrolments made on behalf of the organisation by people who are still its members (a semi-join: no
    join to the users, and a person is counted once)."""
    members = Membership.objects.filter(organisation=organisation).values("user")
    return Enrolment.objects.current().filter(organisation=organisation, user__in=members)


COVERAGE_ORDER = ("course__centre__order", "course__title", "course", "user__email")


def coverage_enrolments(organisation: Organisation) -> QuerySet[Enrolment]:
    """All of them with their progress, centre by centre, course by course, person by person (the CSV)."""
    return (with_progress(_coverage_base(organisation))
            .select_related("user", "course__centre", "certificate").order_by(*COVERAGE_ORDER))


class CoverageRows:
    """`coverage_enrolments` for a Paginator, at the same cost on page 1 of 10 or of 100,000 enrolments:
    counted once per course (in the list's order), so that a page loads, on the (organisation, course)
    index, only the enrolments of the courses it spans, rather than sorting all of them across three joins."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self._per_course: list[tuple[int, int]] | None = None

    def per_course(self) -> list[tuple[int, int]]:
        """(course id, enrolments) in the list's order; one query, on the enrolments table and its index."""
        if self._per_course is None:
            self._per_course = list(_coverage_base(self.organisation).values("course").annotate(n=Count("pk"))
                                    .order_by(*COVERAGE_ORDER[:3]).values_list("course", "n"))
        return self._per_course

    def count(self) -> int:
        return sum(n for _, n in self.per_course())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, rows: slice) -> list[Enrolment]:
        start, stop = rows.start or 0, rows.stop if rows.stop is not None else self.count()
        spanned, skipped, seen = [], 0, 0
        for course_id, n in self.per_course():
            if seen + n > start and seen < stop:
                spanned.append(course_id)
            elif seen + n <= start:
                skipped += n
            seen += n
        if not spanned:
            return []
        first = start - skipped
        return list(coverage_enrolments(self.organisation).filter(course__in=spanned)[first:first + stop - start])


def coverage_summary(organisation: Organisation) -> dict[str, list[dict[str, Any]]]:
    """Per course and per centre: people enrolled, completed, holding a valid certificate. One query: the
    centres' figures are the sums of their courses'."""
    now = timezone.now()
    valid = Q(certificate__isnull=False, certificate__revoked_at__isnull=True) & (
        Q(certificate__expires_at__isnull=True) | Q(certificate__expires_at__gt=now))
    figures = dict(enrolled=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)),
                   certified=Count("pk", filter=valid))
    # (values() rows are typed per column by the stubs; these are plain dicts of figures)
    by_course: list[dict[str, Any]] = cast(list[dict[str, Any]], list(
        _coverage_base(organisation).order_by().values("course__title", "course__centre__name")
        .annotate(**figures).order_by("course__centre__name", "course__title")))
    by_centre: dict[str, dict[str, Any]] = {}
    for row in by_course:
        centre = by_centre.setdefault(row["course__centre__name"], {
            "course__centre__name": row["course__centre__name"], **dict.fromkeys(figures, 0)})
        for name in figures:
            centre[name] += row[name]
    return {"by_course": by_course, "by_centre": list(by_centre.values())}


# --- Verification ----------------------------------------------------------------------------------


def certificate_by_code(code: str) -> Certificate | None:
    if not code or len(code) > 64:
        return None
    return Certificate.objects.select_related("course__centre").filter(code=code).first()


# --- Dashboard -------------------------------------------------------------------------------------


def dashboard_panel(request: HttpRequest) -> dict[str, Any] | None:
    if not request.user.is_authenticated:
        return None
    enrolments = list(my_enrolments(request.user)[:3])
    for enrolment in enrolments:
        enrolment.progress = progress_of(enrolment)
    return {"enrolments": enrolments}


def organisation_panel(request: HttpRequest, membership: Membership) -> dict[str, Any] | None:
    """On the organisation page: its centre, its questions and, for admins, its training figures."""
    from portal.models import Role

    organisation = membership.organisation
    is_admin = membership.role == Role.ADMIN
    return {
        "organisation": organisation, "is_admin": is_admin,
        "centre": centre_for_sector(organisation.sector),
        "figures": coverage_summary(organisation)["by_centre"] if is_admin else None,
    }


def certificates_for_aeo_section(organisation: Organisation, section_code: str) -> QuerySet[Certificate]:
    """What an AEO application may attach as training evidence for a section: the organisation's valid
    certificates (neither revoked nor expired, earned on its behalf by a current member) of courses that
    support the section."""
    return (Certificate.objects.valid_at(timezone.now())
            .filter(course__in=supporting_section(Course.objects.all(), section_code),
                    enrolment__organisation=organisation, user__memberships__organisation=organisation)
            .select_related("user", "course").order_by("course__title", "holder_name"))
