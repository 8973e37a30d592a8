"""Monitoring after the grant: the review plan of each authorisation, visits planned and reviews with their
findings, and the daily watch over reviews due, suspensions ending, re-assessments due every
AEO_REASSESSMENT_YEARS and visits still to be recorded.

A suspension's end date never lifts it by itself: the holder's measures have to be checked, so the watch
reminds customs a week ahead and, once the date has passed, asks for a decision (lift or revoke), each once.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aeo import permissions
from aeo.models import Application, Authorisation, MonitoringReview
from aeo.services.common import aeo_supervisors, organisation_members
from aeo.workflow import CLOSED_STATES
from portal.models import User
from portal.services.audit import audit_record
from portal.services.notifications import notify
from portal.texts import Text, choice_label

Status = Authorisation.Status
CLOSE_MONITORING_BANDS = {"high", "very_high"}
REVIEW_NOTICE_DAYS = 30  # customs hears of a review this many days before it is due
SUSPENSION_NOTICE_DAYS = 7


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def next_review_date(start: date, *, band: str | None, result: str = "") -> date:
    """When customs next reviews a holder: after a year when the risk is high or the last review found
    shortcomings, otherwise after AEO_REASSESSMENT_YEARS."""
    close = band in CLOSE_MONITORING_BANDS or result in (MonitoringReview.Result.SHORTCOMINGS,
                                                         MonitoringReview.Result.UNSATISFACTORY)
    return _add_years(start, 1 if close else settings.AEO_REASSESSMENT_YEARS)


def authorisation_link(authorisation: Authorisation) -> str:
    return f"/admin/aeo/authorisation/{authorisation.pk}/change/"


@transaction.atomic
def monitoring_visit_plan(*, actor: User, authorisation: Authorisation, planned_for: date, location: str,
                          officer_role: str) -> MonitoringReview:
    """Customs plans a post-grant visit: the holder is told when, where and who comes (by role, not by name)."""
    authorisation = Authorisation.objects.select_for_update().select_related("application", "organisation").get(
        pk=authorisation.pk)
    permissions.require_monitoring(actor, authorisation, "plan_visit")
    if planned_for <= timezone.localdate():
        raise ValidationError({"planned_for": _("Plan the visit for a day after today, so the holder can prepare.")})
    if not location.strip():
        raise ValidationError({"location": _("Say which site customs will visit.")})
    if officer_role not in MonitoringReview.OfficerRole.values:
        raise ValidationError({"officer_role": _("Choose who will visit.")})
    visit = MonitoringReview.objects.create(authorisation=authorisation, kind=MonitoringReview.Kind.VISIT,
                                            planned_for=planned_for, location=location.strip(),
                                            officer_role=officer_role, planned_by=actor)
    audit_record(actor=actor, action="aeo.review_planned", target=authorisation.application,
                 organisation=authorisation.organisation,
                 data={"authorisation": authorisation.number, "date": planned_for.isoformat(),
                       "at": visit.location, "who": officer_role})
    notify(recipients=organisation_members(authorisation.organisation), kind="aeo.application",
           subject=Text(gettext_noop("%(number)s: customs will visit you on %(date)s"), number=authorisation.number,
                        date=planned_for),
           body=Text(gettext_noop("%(who)s will visit %(place)s to review how you keep meeting the AEO criteria. "
                                  "Have your security and customs records, and the people in charge of them, "
                                  "available."), who=choice_label(visit, "officer_role"), place=visit.location),
           link=authorisation.application.get_absolute_url())
    return visit


@transaction.atomic
def monitoring_review_record(*, actor: User, authorisation: Authorisation, kind: str, held_on: date, result: str,
                             findings: str, visit: MonitoringReview | None = None) -> MonitoringReview:
    """Customs records a post-grant visit (planned earlier, or not) or a desk review; the next review date
    follows from its result."""
    authorisation = Authorisation.objects.select_for_update().select_related("application", "organisation").get(
        pk=authorisation.pk)
    permissions.require_monitoring(actor, authorisation, "review")
    if visit is not None:
        visit = MonitoringReview.objects.select_for_update().get(pk=visit.pk)
        if visit.authorisation_id != authorisation.pk or visit.held_on is not None:
            raise ValidationError({"visit": _("This visit is not one planned for this authorisation and still "
                                              "to be recorded.")})
        kind = MonitoringReview.Kind.VISIT
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record a review once it has taken place.")})
    if not findings.strip():
        raise ValidationError({"findings": _("Write what the review found.")})
    review = visit or MonitoringReview(authorisation=authorisation)
    review.kind, review.held_on, review.result, review.findings = kind, held_on, result, findings.strip()
    review.recorded_by, review.recorded_at = actor, timezone.now()
    review.save()
    old_due = authorisation.next_review_due
    authorisation.next_review_due = next_review_date(held_on, band=None, result=result)
    authorisation.save(update_fields=["next_review_due"])
    audit_record(actor=actor, action="aeo.review_recorded", target=authorisation.application,
                 organisation=authorisation.organisation,
                 data={"authorisation": authorisation.number, "kind": kind, "result": result,
                       "planned_for": visit.planned_for.isoformat() if visit and visit.planned_for else None,
                       "next_review_due": authorisation.next_review_due.isoformat(),
                       "previous_due": old_due.isoformat() if old_due else None})
    if result != MonitoringReview.Result.SATISFACTORY:
        notify(recipients=organisation_members(authorisation.organisation), kind="aeo.application",
               subject=Text(gettext_noop("%(number)s: customs' review found points to address"),
                            number=authorisation.number),
               body=findings, link=authorisation.application.get_absolute_url())
    return review


def monitoring_watch(*, today: date | None = None) -> dict[str, int]:
    """The daily job: reviews coming due, suspensions ending or ended, re-assessments due, and visits held but
    not recorded. Keyed, so a second run sends nothing."""
    today = today or timezone.localdate()
    counts = {"reviews_due": 0, "suspensions_ending": 0, "suspensions_ended": 0, "reassessments_due": 0,
              "visits_unrecorded": 0}
    supervisors = aeo_supervisors()
    due = Authorisation.objects.filter(status__in=[Status.ACTIVE, Status.SUSPENDED],
                                       next_review_due__lte=today + timedelta(days=REVIEW_NOTICE_DAYS)
                                       ).select_related("application__assigned_to")
    for authorisation in due:
        reviewer = authorisation.application.assigned_to
        counts["reviews_due"] += bool(notify(
            recipients=[reviewer] if reviewer else supervisors, kind="aeo.review",
            subject=Text(gettext_noop("%(number)s: monitoring review due by %(date)s"), number=authorisation.number,
                         date=authorisation.next_review_due),
            body=Text(gettext_noop("Review the holder (a visit or a desk review) and record the result; the next "
                                   "review date follows from it.")), link=authorisation_link(authorisation),
            key=f"aeo.review_due:{authorisation.pk}:{authorisation.next_review_due}",
        ))
    suspended = Authorisation.objects.filter(status=Status.SUSPENDED, suspended_until__isnull=False,
                                             suspended_until__lte=today + timedelta(days=SUSPENSION_NOTICE_DAYS)
                                             ).select_related("application__assigned_to")
    for authorisation in suspended:
        reviewer = authorisation.application.assigned_to
        recipients = [reviewer, *supervisors] if reviewer else supervisors
        until = cast(date, authorisation.suspended_until)  # the query keeps only suspensions with an end
        if until >= today:
            counts["suspensions_ending"] += bool(notify(
                recipients=recipients, kind="aeo.review",
                subject=Text(gettext_noop("%(number)s: the suspension ends on %(date)s — decide whether to lift or "
                                          "revoke"), number=authorisation.number, date=until),
                body=Text(gettext_noop("Check the holder's remedial measures: %(measures)s"),
                          measures=authorisation.remedial_measures or "—"),
                link=authorisation_link(authorisation), key=f"aeo.suspension_ends:{authorisation.pk}:{until}",
            ))
        else:
            counts["suspensions_ended"] += bool(notify(
                recipients=recipients, kind="aeo.review",
                subject=Text(gettext_noop("%(number)s: the suspension period ended on %(date)s — a decision is needed"),
                             number=authorisation.number, date=until),
                body=Text(gettext_noop("The authorisation stays suspended until customs lifts the suspension or "
                                       "revokes it.")),
                link=authorisation_link(authorisation), key=f"aeo.suspension_ended:{authorisation.pk}:{until}",
            ))
    # A full re-assessment every AEO_REASSESSMENT_YEARS from the grant (a re-assessment granted issues a new
    # authorisation, so the count starts again), whatever the reviews in between found; none while one is open.
    years = settings.AEO_REASSESSMENT_YEARS
    reassess = Authorisation.objects.filter(
        status__in=[Status.ACTIVE, Status.SUSPENDED],
        valid_from__lte=_add_years(today + timedelta(days=REVIEW_NOTICE_DAYS), -years),
    ).exclude(reassessments__in=Application.objects.exclude(state__in=CLOSED_STATES)).select_related(
        "application__assigned_to")
    for authorisation in reassess:
        reviewer = authorisation.application.assigned_to
        due_by = _add_years(authorisation.valid_from, years)
        counts["reassessments_due"] += bool(notify(
            recipients=[reviewer] if reviewer else supervisors, kind="aeo.review",
            subject=Text(gettext_noop("%(number)s: re-assessment due by %(date)s"), number=authorisation.number,
                         date=due_by),
            body=Text(gettext_noop("%(number)s was granted on %(granted)s; holders are re-assessed every %(years)s "
                                   "years. Start the re-assessment from the authorisation's page: the holder gets a "
                                   "copy of its last answers."), number=authorisation.number,
                      granted=authorisation.valid_from, years=years),
            link=authorisation_link(authorisation), key=f"aeo.reassessment_due:{authorisation.pk}:{due_by}",
        ))
    unrecorded = MonitoringReview.objects.filter(
        held_on__isnull=True, planned_for__lt=today,
        authorisation__status__in=[Status.ACTIVE, Status.SUSPENDED]).select_related(
        "authorisation__application__assigned_to", "planned_by")
    for visit in unrecorded:
        authorisation = visit.authorisation
        counts["visits_unrecorded"] += bool(notify(
            recipients=[visit.planned_by] if visit.planned_by else supervisors, kind="aeo.review",
            subject=Text(gettext_noop("%(number)s: record the findings of the visit of %(date)s"),
                         number=authorisation.number, date=visit.planned_for),
            body=Text(gettext_noop("The visit was planned for %(date)s at %(place)s. Record what it found; the next "
                                   "review date follows from it."), date=visit.planned_for, place=visit.location),
            link=authorisation_link(authorisation), key=f"aeo.visit_unrecorded:{visit.pk}",
        ))
    return counts
