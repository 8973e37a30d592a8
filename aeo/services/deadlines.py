"""The daily deadline watch. Every notification carries a key, so running the job twice sends nothing twice.

Reminders go out for the nearest threshold a deadline has passed (14, 7 or 1 days left), keyed by that
threshold, so a day the job did not run is made up on the next run, and only once.
"""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_noop

from aeo.models import Application, Hearing, InformationRequest
from aeo.services.common import aeo_supervisors, case_admin_link, organisation_members
from aeo.workflow import State
from portal.services.notifications import notify
from portal.texts import Text

REMINDER_DAYS = (14, 7, 1)
APPLICANT_REMINDER_DAYS = (7, 2)  # legal deadlines: always e-mailed (kind aeo.legal)
EXAMINED = (State.UNDER_REVIEW, State.INFORMATION_REQUESTED, State.RIGHT_TO_BE_HEARD, State.DECISION_PROPOSED)


def _threshold(days: int, thresholds: tuple[int, ...]) -> int | None:
    """The nearest threshold that `days` left has reached, or None (not yet near, or already past)."""
    if days < 0:
        return None
    return min((t for t in thresholds if days <= t), default=None)


def _due_of(application: Application) -> tuple[str, date | None]:
    if application.state == State.SUBMITTED:
        return "acceptance", application.acceptance_due
    return "decision", application.decision_due


def deadlines_watch(*, today: date | None = None) -> dict[str, int]:
    """Remind assignees 14, 7 and 1 days ahead, escalate overdue cases to supervisors, remind applicants 7 and 2
    days before an open request or the right to be heard ends, and put cases whose right-to-be-heard period
    ended back in front of their reviewer."""
    today = today or timezone.localdate()
    counts = {"reminders": 0, "escalations": 0, "applicant_reminders": 0, "hearings_ended": 0}
    supervisors = aeo_supervisors()
    cases = Application.objects.filter(state__in=[State.SUBMITTED, *EXAMINED]).select_related(
        "assigned_to", "organisation")
    for case in cases:
        which, due = _due_of(case)
        if due is None:
            continue
        days = (due - today).days
        label = Text(gettext_noop("acceptance")) if which == "acceptance" else Text(gettext_noop("decision"))
        threshold = _threshold(days, REMINDER_DAYS)
        if threshold and case.assigned_to:
            counts["reminders"] += len(notify(
                recipients=[case.assigned_to], kind="aeo.review",
                subject=Text(gettext_noop("%(ref)s: %(what)s due in %(n)s days"), ref=case.reference, what=label,
                             n=days),
                body=Text(gettext_noop("Due on %(date)s."), date=due), link=case_admin_link(case),
                key=f"aeo.due:{case.pk}:{which}:{due}:{threshold}",
            ))
        if days < 0:
            counts["escalations"] += bool(notify(
                recipients=supervisors, kind="aeo.review",
                subject=Text(gettext_noop("Overdue: %(ref)s, %(what)s was due on %(date)s"), ref=case.reference,
                             what=label, date=due),
                body=Text(gettext_noop("Assigned to %(person)s."),
                          person=case.assigned_to or Text(gettext_noop("nobody"))),
                link=case_admin_link(case), key=f"aeo.overdue:{case.pk}:{which}:{due}",
            ))
    for request in InformationRequest.objects.filter(
        responded_at__isnull=True, application__state=State.INFORMATION_REQUESTED
    ).select_related("application__organisation", "application__assigned_to"):
        days = (request.due_date - today).days
        case = request.application
        applicant_threshold = _threshold(days, APPLICANT_REMINDER_DAYS)
        if applicant_threshold:
            counts["applicant_reminders"] += bool(notify(
                recipients=organisation_members(case.organisation), kind="aeo.legal",
                subject=Text(gettext_noop("%(ref)s: customs' request is due in %(n)s days"), ref=case.reference,
                             n=days),
                body=request.questions, link=case.get_absolute_url(),
                key=f"aeo.request_due:{request.pk}:{applicant_threshold}",
            ))
        threshold = _threshold(days, REMINDER_DAYS)
        if threshold and case.assigned_to:
            counts["reminders"] += len(notify(
                recipients=[case.assigned_to], kind="aeo.review",
                subject=Text(gettext_noop("%(ref)s: the applicant's reply is due in %(n)s days"), ref=case.reference,
                             n=days),
                body=request.questions[:300], link=case_admin_link(case), key=f"aeo.reply_due:{request.pk}:{threshold}",
            ))
    latest = Hearing.objects.filter(application=OuterRef("application")).order_by("-opened_at").values("pk")[:1]
    for hearing in Hearing.objects.filter(application__state=State.RIGHT_TO_BE_HEARD, replied_at__isnull=True,
                                          due_date__gte=today, pk=Subquery(latest)).select_related(
                                              "application__organisation"):
        case = hearing.application
        days = (hearing.due_date - today).days
        applicant_threshold = _threshold(days, APPLICANT_REMINDER_DAYS)
        if applicant_threshold:
            counts["applicant_reminders"] += bool(notify(
                recipients=organisation_members(case.organisation), kind="aeo.legal",
                subject=Text(gettext_noop("%(ref)s: you may reply to customs' grounds for %(n)s more days, until "
                                          "%(date)s"), ref=case.reference, n=days, date=hearing.due_date),
                body=hearing.grounds, link=case.get_absolute_url(),
                key=f"aeo.hearing_due:{hearing.pk}:{applicant_threshold}",
            ))
    for hearing in Hearing.objects.filter(application__state=State.RIGHT_TO_BE_HEARD, due_date__lt=today,
                                          pk=Subquery(latest)).select_related("application__assigned_to"):
        case = hearing.application
        counts["hearings_ended"] += len(notify(
            recipients=[case.assigned_to] if case.assigned_to else supervisors, kind="aeo.review",
            subject=Text(gettext_noop("%(ref)s: the right-to-be-heard period has ended"), ref=case.reference),
            body=Text(gettext_noop("Reconsider the case or propose the final rejection.")), link=case_admin_link(case),
            key=f"aeo.hearing_ended:{hearing.pk}",
        ))
    return counts
