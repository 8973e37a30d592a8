"""Training figures for performance measurement: enrolments, completions and pass rates per course and
centre, certificates issued and expiring, how many of the AEO holders' staff hold a current certificate,
and advisory questions answered per centre."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aeo.models import Authorisation
from portal.models import Membership
from portal.performance.charts import Chart
from portal.performance.figures import Figures, Period, day_bounds, days_between, figures_for, median, share
from portal.performance.registry import Column, Figure, Table, register_source, register_table
from portal.types import AuthenticatedHttpRequest
from training.models import AdvisoryQuestion, Centre, Certificate, Course, Enrolment, QuizAttempt
from training.permissions import is_centre_adviser

SECTION = _("Training")
EXPIRING_DAYS = 90


def _per_course(indicator: str, rows) -> list[Figure]:
    return [Figure(indicator, key=str(r["course"]), count=r["n"]) for r in rows]


def training_figures(day: date) -> list[Figure]:
    start, end = day_bounds(day)
    figures = [
        *_per_course("training.enrolments", Enrolment.objects.filter(enrolled_at__gte=start, enrolled_at__lt=end)
                     .values("course").annotate(n=Count("pk")).order_by()),
        *_per_course("training.completions", Enrolment.objects.filter(completed_at__gte=start, completed_at__lt=end)
                     .values("course").annotate(n=Count("pk")).order_by()),
        *_per_course("training.attempts", QuizAttempt.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
                     .values(course=F("quiz__course"))
                     .annotate(n=Count("pk")).order_by()),
        *_per_course("training.passed", QuizAttempt.objects.filter(submitted_at__gte=start, submitted_at__lt=end,
                                                                   passed=True)
                     .values(course=F("quiz__course"))
                     .annotate(n=Count("pk")).order_by()),
        *_per_course("training.certificates", Certificate.objects.filter(issued_at__gte=start, issued_at__lt=end)
                     .values("course").annotate(n=Count("pk")).order_by()),
    ]
    # Stocks at the end of the day: certificates expiring soon, and the AEO holders' staff with a current one.
    current = Q(issued_at__lt=end) & (Q(revoked_at__isnull=True) | Q(revoked_at__gte=end)) \
        & (Q(expires_at__isnull=True) | Q(expires_at__gte=end))
    figures += [Figure(f.indicator, key=f.key, count=f.count, stock=True) for f in _per_course(
        "training.expiring", Certificate.objects.filter(current, expires_at__lt=end + timedelta(days=EXPIRING_DAYS))
        .values("course").annotate(n=Count("pk")).order_by())]
    holders = Authorisation.objects.filter(valid_from__lte=day, status=Authorisation.Status.ACTIVE).values(
        "organisation")
    staff = Membership.objects.filter(organisation__in=holders).values("user").distinct()
    certified = staff.filter(Exists(Certificate.objects.filter(current, user=OuterRef("user"))))
    figures += [Figure("training.holder_staff", key="all", count=staff.count(), stock=True),
                Figure("training.holder_staff", key="certified", count=certified.count(), stock=True)]
    asked = Counter(AdvisoryQuestion.objects.filter(created_at__gte=start, created_at__lt=end)
                    .values_list("centre", flat=True))
    figures += [Figure("training.questions", key=str(centre), count=n) for centre, n in asked.items()]
    for question in AdvisoryQuestion.objects.filter(answered_at__gte=start, answered_at__lt=end).only(
            "centre", "created_at", "answered_at"):
        figures.append(Figure("training.answer_days", key=str(question.centre_id),
                              days=days_between(question.created_at,
                                                cast(datetime, question.answered_at))))  # answered in the period
    return figures


def _courses() -> list[Course]:
    return list(Course.objects.select_related("centre").order_by("centre__order", "title"))


def course_rows(figures: Figures) -> list[dict[str, Any]]:
    rows = []
    counts = {name: figures.by_key(f"training.{name}") for name in
              ("enrolments", "completions", "attempts", "passed", "certificates")}
    for course in _courses():
        key = str(course.pk)
        row = {name: counts[name].get(key, 0) for name in counts}
        if not any(row.values()):
            continue
        rows.append({"course": course.title, "centre": course.centre.name, **row,
                     "pass_rate": share(row["passed"], row["attempts"])})
    return rows


def centre_rows(figures: Figures, *, centres: list[Centre] | None = None) -> list[dict[str, Any]]:
    courses = _courses()
    counts = {name: figures.by_key(f"training.{name}") for name in
              ("enrolments", "completions", "attempts", "passed", "certificates")}
    expiring: Counter[str] = Counter()
    for r in figures.stock("training.expiring"):
        expiring[r["key"]] += r["n"]
    asked = figures.by_key("training.questions")
    rows = []
    for centre in centres if centres is not None else Centre.objects.order_by("order", "name"):
        keys = [str(c.pk) for c in courses if c.centre_id == centre.pk]
        row = {name: sum(counts[name].get(k, 0) for k in keys) for name in counts}
        answers = figures.distribution("training.answer_days", str(centre.pk))
        rows.append({"centre": centre.name, "enrolments": row["enrolments"], "completions": row["completions"],
                     "pass_rate": share(row["passed"], row["attempts"]), "certificates": row["certificates"],
                     "expiring": sum(expiring[k] for k in keys), "questions": asked.get(str(centre.pk), 0),
                     "answered": sum(n for _d, n in answers), "median_answer_days": median(answers)})
    return rows


def centres_chart(rows: list[dict]) -> Chart | None:
    if not any(r["enrolments"] or r["completions"] for r in rows):
        return None
    return Chart("hbar", _("Enrolments and completions per centre"),
                 _("Two bars per centre: enrolments and completed courses in the period."),
                 [r["centre"] for r in rows],
                 [(_("Enrolments"), [r["enrolments"] for r in rows]),
                  (_("Completions"), [r["completions"] for r in rows])])


def coverage_rows(figures: Figures) -> list[dict[str, Any]]:
    staff, certified = (figures.stock_total("training.holder_staff", key=k) for k in ("all", "certified"))
    return [{"measure": str(_("People in organisations holding an active AEO authorisation")), "value": staff},
            {"measure": str(_("Of whom hold a current training certificate")), "value": certified},
            {"measure": str(_("Share with a current certificate (%)")), "value": share(certified, staff)}]


def register() -> None:
    register_source("training", training_figures)
    register_table(Table(
        slug="training-centres", section=SECTION, order=50, title=_("Training and advice per centre"),
        definition=_("For each Centre of Excellence and Expertise: enrolments and completed courses in the period; "
                     "the pass rate of the quiz attempts submitted in it; certificates issued in it, and current "
                     "certificates expiring within 90 days of its end; advisory questions asked and answered in "
                     "it, with the median calendar days from question to answer."),
        columns=(Column("centre", _("Centre"), numeric=False), Column("enrolments", _("Enrolments")),
                 Column("completions", _("Completions")), Column("pass_rate", _("Pass rate (%)")),
                 Column("certificates", _("Certificates issued")),
                 Column("expiring", _("Expiring within 90 days")), Column("questions", _("Questions asked")),
                 Column("answered", _("Questions answered")),
                 Column("median_answer_days", _("Median days to answer"))),
        rows=centre_rows, chart=centres_chart))
    register_table(Table(
        slug="training-courses", section=SECTION, order=51, title=_("Courses"),
        definition=_("Each course with activity in the period: enrolments, completions, quiz attempts submitted "
                     "and passed, the pass rate (attempts passed of attempts submitted), and certificates issued."),
        columns=(Column("course", _("Course"), numeric=False), Column("centre", _("Centre"), numeric=False),
                 Column("enrolments", _("Enrolments")), Column("completions", _("Completions")),
                 Column("attempts", _("Quiz attempts")), Column("passed", _("Passed")),
                 Column("pass_rate", _("Pass rate (%)")), Column("certificates", _("Certificates issued"))),
        rows=course_rows))
    register_table(Table(
        slug="training-coverage", section=SECTION, order=52, basis="stock",
        title=_("AEO holders' staff with a current certificate"),
        definition=_("Members of organisations holding an active AEO authorisation at the end of the period, and "
                     "how many of them hold a training certificate that is neither expired nor revoked then."),
        columns=(Column("measure", _("Measure"), numeric=False), Column("value", _("Value"))),
        rows=coverage_rows))


def adviser_panel(request: AuthenticatedHttpRequest) -> dict | None:
    """Centre advisers: their centres' figures over the last 90 days, from the latest snapshot."""
    if not is_centre_adviser(request.user):
        return None
    centres = list(Centre.objects.filter(advisers=request.user).order_by("order", "name"))
    if not centres:
        return None
    today = timezone.localdate()
    figures = figures_for(Period(today - timedelta(days=89), today, ""))
    return {"as_of": figures.as_of, "rows": centre_rows(figures, centres=centres)}
