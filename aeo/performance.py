"""AEO figures for performance measurement: what the daily snapshot counts, and the tables drawn from it.

Everything is counted from the audit events every transition writes (action, from → to, time), so any
past day can be computed again and gives the same figures. Durations are in calendar days between the
local dates of two events.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aeo.models import Application, Authorisation, AuthorisationType
from aeo.services.applications import ACCEPTANCE_DAYS, DECISION_DAYS
from aeo.workflow import Action, State
from portal.models import AuditEvent, Sector
from portal.performance.charts import Chart
from portal.performance.figures import Figures, cases, day_bounds, days_between, median, percentile, share
from portal.performance.registry import (
    Column,
    Dimension,
    Dimensions,
    Figure,
    Table,
    register_dimension,
    register_source,
    register_table,
)
from portal.roles import StaffGroup, in_group
from portal.types import AuthenticatedHttpRequest

TRANSITIONS = [f"aeo.{a}" for a in Action.values]
MONITORING = ["aeo.suspended", "aeo.suspension_lifted", "aeo.revoked", "aeo.replaced"]
FLOWS = {"aeo.submit": "received", "aeo.accept": "accepted", "aeo.return": "returned", "aeo.approve_grant": "granted",
         "aeo.approve_rejection": "rejected", "aeo.withdraw": "withdrawn"}
HEARINGS = {"aeo.propose_rejection": "opened", "aeo.hearing_reply": "replied", "aeo.reconsider": "reconsidered",
            "aeo.confirm_rejection": "rejection_confirmed"}
DECISIONS = ("aeo.approve_grant", "aeo.approve_rejection")
# Open cases customs is working on (a draft, even one returned, is the applicant's).
BACKLOG_STATES = (State.SUBMITTED, State.UNDER_REVIEW, State.INFORMATION_REQUESTED, State.RIGHT_TO_BE_HEARD,
                  State.DECISION_PROPOSED)
AGE_BANDS = ((0, _("0 to 30 days")), (31, _("31 to 60 days")), (61, _("61 to 120 days")),
             (121, _("121 to 180 days")), (181, _("more than 180 days")))
DUE_SOON_DAYS = 14


def _band(age: int) -> int:
    return max(lower for lower, _label in AGE_BANDS if age >= lower)


def _events():
    return AuditEvent.objects.filter(target_type=ContentType.objects.get_for_model(Application))


# --- The daily snapshot -------------------------------------------------------------------------------


def aeo_figures(day: date) -> list[Figure]:
    return [*_flows(day), *_backlog(day), *_authorisations(day)]


def _flows(day: date) -> list[Figure]:
    """What happened during the day: applications received, decided...; durations of what ended that day."""
    start, end = day_bounds(day)
    of_the_day = _events().filter(created_at__gte=start, created_at__lt=end,
                                  action__in=[*FLOWS, *HEARINGS, "aeo.request_information", "aeo.respond"])
    todays = list(of_the_day.values("target_id", "action", "from_state", "created_at").order_by("created_at", "pk"))
    if not todays:
        return []
    # The day's cases by subquery, not by a list of ids: a busy day would pass PostgreSQL's parameter limit.
    ids = of_the_day.values("target_id")
    apps = {a["key"]: a for a in Application.objects.annotate(key=Cast("pk", CharField())).filter(key__in=ids)
            .values("key", "kind", "organisation__country", "organisation__sector", "reassessment_of_id")}
    history: dict[str, list[dict]] = defaultdict(list)
    for e in (_events().filter(target_id__in=ids, created_at__lt=end,
                               action__in=["aeo.submit", "aeo.accept", "aeo.request_information",
                                           "aeo.deadline_extended"])
              .values("target_id", "action", "created_at", "data").order_by("created_at", "pk")):
        history[e["target_id"]].append(e)

    def last(target_id: str, action: str, before) -> dict | None:
        found = [e for e in history[target_id] if e["action"] == action and e["created_at"] <= before]
        return found[-1] if found else None

    figures = []
    for e in todays:
        app = apps.get(e["target_id"])
        if app is None:
            continue
        dims: Dimensions = {"aeo_type": app["kind"], "country": app["organisation__country"] or "",
                "sector": app["organisation__sector"] or ""}
        action, at = e["action"], e["created_at"]
        if action in FLOWS and not (action == "aeo.withdraw" and e["from_state"] == State.DRAFT):
            figures.append(Figure("aeo.flow", key=FLOWS[action], **dims))
        if action in HEARINGS:
            figures.append(Figure("aeo.hearings", key=HEARINGS[action], **dims))
        if action == "aeo.request_information":
            figures.append(Figure("aeo.information", key="requested", **dims))
        if action == "aeo.respond":
            asked = last(e["target_id"], "aeo.request_information", at)
            figures.append(Figure("aeo.information", key="answered", **dims))
            if asked:
                figures.append(Figure("aeo.information_answer_days", days=days_between(asked["created_at"], at),
                                      **dims))
        if action == "aeo.accept":
            submitted = last(e["target_id"], "aeo.submit", at)
            if submitted:
                days = days_between(submitted["created_at"], at)
                figures.append(Figure("aeo.acceptance_days", days=days,
                                      key="within" if days <= ACCEPTANCE_DAYS else "late", **dims))
        if action in DECISIONS:
            accepted = last(e["target_id"], "aeo.accept", at)
            if accepted:
                days = days_between(accepted["created_at"], at)
                extension = sum(int(x["data"].get("days", 0)) for x in history[e["target_id"]]
                                if x["action"] == "aeo.deadline_extended" and x["created_at"] <= at)
                key = "within" if days <= DECISION_DAYS + extension else "late"
                figures.append(Figure("aeo.decision_days", days=days, key=key, **dims))
                if extension:
                    figures.append(Figure("aeo.extended", key=key, **dims))
                if app["reassessment_of_id"]:
                    figures.append(Figure("aeo.reassessment_days", days=days, key=key, **dims))
            requests = sum(1 for x in history[e["target_id"]]
                           if x["action"] == "aeo.request_information" and x["created_at"] <= at)
            figures.append(Figure("aeo.requests_of_decided", count=requests, **dims))
    return _merged(figures)


def _merged(figures: list[Figure]) -> list[Figure]:
    """One row per distinct figure, its counts added up."""
    counts: Counter = Counter()
    for f in figures:
        counts[(f.indicator, f.key, f.days, f.aeo_type, f.country, f.sector, f.stock)] += f.count
    return [Figure(indicator=i, key=k, days=d, aeo_type=t, country=c, sector=s, stock=st, count=n)
            for (i, k, d, t, c, s, st), n in counts.items()]


def _backlog(day: date) -> list[Figure]:
    """Cases open at the end of the day, by state and age since the (last) submission, and their deadlines."""
    _start, end = day_bounds(day)
    mine = _events().filter(target_id=Cast(OuterRef("pk"), CharField()), created_at__lt=end)
    latest = mine.order_by("-created_at", "-pk")
    extension = (mine.filter(action="aeo.deadline_extended").order_by().values("target_id")
                 .annotate(total=Sum(Cast(KT("data__days"), IntegerField()))).values("total"))
    rows = (Application.objects.filter(created_at__lt=end)
            .annotate(state_then=Subquery(latest.filter(action__in=TRANSITIONS).values("to_state")[:1]))
            .filter(state_then__in=BACKLOG_STATES)
            .annotate(submitted=Subquery(latest.filter(action="aeo.submit").values("created_at")[:1]),
                      accepted=Subquery(latest.filter(action="aeo.accept").values("created_at")[:1]),
                      extension=Coalesce(Subquery(extension), Value(0)))
            .values("kind", "organisation__country", "organisation__sector", "state_then", "submitted", "accepted",
                    "extension"))
    figures = []
    for r in rows:
        dims: Dimensions = {"aeo_type": r["kind"], "country": r["organisation__country"] or "",
                "sector": r["organisation__sector"] or "", "stock": True}
        if r["submitted"] is None:
            continue
        age = (day - timezone.localdate(r["submitted"])).days
        figures.append(Figure("aeo.backlog", key=r["state_then"], days=_band(age), **dims))
        if r["state_then"] == State.SUBMITTED or r["accepted"] is None:
            deadline, due = "acceptance", age - ACCEPTANCE_DAYS
        else:
            deadline = "decision"
            due = (day - timezone.localdate(r["accepted"])).days - DECISION_DAYS - (r["extension"] or 0)
        risk = "overdue" if due > 0 else "due_soon" if due > -DUE_SOON_DAYS else "on_track"
        figures.append(Figure("aeo.deadlines", key=f"{deadline}:{risk}", **dims))
    return _merged(figures)


def _authorisations(day: date) -> list[Figure]:
    """Authorisations in force at the end of the day, by status, type, country and sector."""
    _start, end = day_bounds(day)
    status = (_events().filter(target_id=Cast(OuterRef("application_id"), CharField()), created_at__lt=end,
                               action__in=MONITORING).order_by("-created_at", "-pk").values("to_state")[:1])
    rows = (Authorisation.objects.filter(valid_from__lte=day)
            .annotate(status_then=Coalesce(Subquery(status), Value(Authorisation.Status.ACTIVE)))
            .values("kind", "organisation__country", "organisation__sector", "status_then"))
    counts = Counter((r["kind"], r["organisation__country"] or "", r["organisation__sector"] or "", r["status_then"])
                     for r in rows)
    return [Figure("aeo.authorisations", key=st, aeo_type=k, country=c, sector=s, stock=True, count=n)
            for (k, c, s, st), n in counts.items()]


# --- The tables ---------------------------------------------------------------------------------------

SECTION = _("AEO applications")
FLOW_COLUMNS = (("received", _("Received")), ("accepted", _("Accepted")), ("returned", _("Returned")),
                ("granted", _("Granted")), ("rejected", _("Rejected")), ("withdrawn", _("Withdrawn")))


def applications_rows(figures: Figures) -> list[dict[str, Any]]:
    monthly = {key: figures.monthly("aeo.flow", key) for key, _label in FLOW_COLUMNS}
    rows = [{"month": f"{month:%Y-%m}", **{key: monthly[key][month] for key, _label in FLOW_COLUMNS}}
            for month in figures.period.months()]
    rows.append({"month": str(_("Total")), **{key: figures.total("aeo.flow", key) for key, _label in FLOW_COLUMNS}})
    return rows


def applications_chart(rows: list[dict]) -> Chart:
    months = rows[:-1]
    return Chart("bar", _("AEO applications per month"),
                 _("Bars per month for applications received, granted, rejected and withdrawn; the table below "
                   "gives every number."),
                 [r["month"] for r in months],
                 [(label, [r[key] for r in months]) for key, label in FLOW_COLUMNS if key != "returned"])


def _timing_row(measure: str, distribution, within: int | None, target: Any) -> dict[str, Any]:
    n = cases(distribution)
    return {"measure": measure, "cases": n, "median": median(distribution), "p90": percentile(distribution, 90),
            "within": within, "share_within": share(within, n) if within is not None else None,
            "target": str(target)}


def timing_rows(figures: Figures) -> list[dict[str, Any]]:
    acceptance = figures.distribution("aeo.acceptance_days")
    decision = figures.distribution("aeo.decision_days")
    reassessment = figures.distribution("aeo.reassessment_days")
    answers = figures.distribution("aeo.information_answer_days")
    return [
        _timing_row(str(_("Submission to acceptance")), acceptance, figures.total("aeo.acceptance_days", "within"),
                    _("%(n)s days") % {"n": ACCEPTANCE_DAYS}),
        _timing_row(str(_("Acceptance to decision")), decision, figures.total("aeo.decision_days", "within"),
                    _("%(n)s days, plus extensions") % {"n": DECISION_DAYS}),
        _timing_row(str(_("Re-assessments: acceptance to decision")), reassessment,
                    figures.total("aeo.reassessment_days", "within"),
                    _("%(n)s days, plus extensions") % {"n": DECISION_DAYS}),
        _timing_row(str(_("Information request to answer")), answers, None, ""),
    ]


DECISION_BANDS = [(0, 30), (31, 60), (61, 90), (91, 120), (121, 150), (151, 180), (181, None)]
ACCEPTANCE_BANDS = [(0, 5), (6, 10), (11, 15), (16, 20), (21, 25), (26, 30), (31, 45), (46, None)]


def _histogram(figures: Figures, indicator: str, bands) -> list[dict[str, Any]]:
    rows = []
    for low, high in bands:
        label = f"{low}–{high}" if high is not None else f"{low}+"

        def inside(days, low=low, high=high):
            return days >= low and (high is None or days <= high)

        rows.append({"days": label,
                     "within": sum(n for d, n in figures.distribution(indicator, "within") if inside(d)),
                     "late": sum(n for d, n in figures.distribution(indicator, "late") if inside(d))})
    return rows


def _histogram_chart(title, rows, target_text) -> Chart:
    return Chart("stacked", title,
                 _("Number of cases by days taken, as stacked bars: within the target and beyond it. %(target)s")
                 % {"target": target_text},
                 [r["days"] for r in rows],
                 [(_("Within the target"), [r["within"] for r in rows]),
                  (_("Beyond the target"), [r["late"] for r in rows])])


def backlog_rows(figures: Figures) -> list[dict[str, Any]]:
    rows = []
    for state in BACKLOG_STATES:
        row: dict[str, Any] = {"state": str(state.label)}
        for lower, _label in AGE_BANDS:
            row[f"age_{lower}"] = figures.stock_total("aeo.backlog", key=state.value, days=lower)
        row["total"] = figures.stock_total("aeo.backlog", key=state.value)
        rows.append(row)
    total: dict[str, Any] = {"state": str(_("All open cases"))}
    for lower, _label in AGE_BANDS:
        total[f"age_{lower}"] = sum(r[f"age_{lower}"] for r in rows)
    total["total"] = sum(r["total"] for r in rows)
    return [*rows, total]


def backlog_chart(rows: list[dict]) -> Chart:
    states = rows[:-1]
    return Chart("hstacked", _("Open AEO cases by state and age"),
                 _("Stacked bars per state, one colour per age band since submission; the table below gives "
                   "every number."),
                 [r["state"] for r in states],
                 [(label, [r[f"age_{lower}"] for r in states]) for lower, label in AGE_BANDS])


RISKS = (("overdue", _("Overdue")), ("due_soon", _("Due within 14 days")), ("on_track", _("Later")))


def deadline_rows(figures: Figures) -> list[dict[str, Any]]:
    return [{"deadline": str(label), **{risk: figures.stock_total("aeo.deadlines", key=f"{deadline}:{risk}")
                                        for risk, _l in RISKS}}
            for deadline, label in (("acceptance", _("Acceptance (30 days from submission)")),
                                    ("decision", _("Decision (120 days from acceptance, plus extensions)")))]


def dialogue_rows(figures: Figures) -> list[dict[str, Any]]:
    decided = figures.total("aeo.flow", "granted") + figures.total("aeo.flow", "rejected")
    requests_of_decided = figures.total("aeo.requests_of_decided")
    answers = figures.distribution("aeo.information_answer_days")
    return [
        {"measure": str(_("Information requests sent")), "value": figures.total("aeo.information", "requested")},
        {"measure": str(_("Information requests answered")), "value": figures.total("aeo.information", "answered")},
        {"measure": str(_("Median days to answer a request")), "value": median(answers)},
        {"measure": str(_("Information requests per decided case")),
         "value": round(requests_of_decided / decided, 2) if decided else None},
        {"measure": str(_("Decisions after an extended deadline")), "value": figures.total("aeo.extended")},
        {"measure": str(_("Hearings opened (rejection intended)")), "value": figures.total("aeo.hearings", "opened")},
        {"measure": str(_("Replies to the grounds")), "value": figures.total("aeo.hearings", "replied")},
        {"measure": str(_("Reconsidered after the hearing")), "value": figures.total("aeo.hearings", "reconsidered")},
        {"measure": str(_("Rejection confirmed after the hearing")),
         "value": figures.total("aeo.hearings", "rejection_confirmed")},
    ]


STATUSES = (("active", _("Active")), ("suspended", _("Suspended")), ("revoked", _("Revoked")))


def authorisation_rows(figures: Figures) -> list[dict[str, Any]]:
    from django_countries import countries

    rows = []
    labels = {"aeo_type": dict(AuthorisationType.choices), "country": dict(countries), "sector": dict(Sector.choices)}
    names = {"aeo_type": _("Type"), "country": _("Country"), "sector": _("Sector")}
    for dimension in ("aeo_type", "country", "sector"):
        values = sorted({r[dimension] for r in figures.stock("aeo.authorisations")})
        for value in values:
            counts = {status: figures.stock_total("aeo.authorisations", key=status, **{dimension: value})
                      for status, _l in STATUSES}
            rows.append({"group": f"{names[dimension]}: {labels[dimension].get(value, value) or _('not given')}",
                         **counts, "total": sum(counts.values())})
    return rows


def authorisations_chart(rows: list[dict]) -> Chart | None:
    types = [r for r in rows if r["group"].startswith(str(_("Type")))]
    if not types:
        return None
    return Chart("hstacked", _("AEO authorisations by type and status"),
                 _("Stacked bars per authorisation type: active, suspended and revoked."),
                 [r["group"] for r in types], [(label, [r[key] for r in types]) for key, label in STATUSES])


def oldest_rows(figures: Figures) -> list[dict[str, Any]]:
    """Staff only, live: the ten open cases submitted longest ago (one query)."""
    qs = Application.objects.filter(state__in=BACKLOG_STATES).select_related("organisation", "assigned_to")
    f = figures.filters
    if f.aeo_type:
        qs = qs.filter(kind=f.aeo_type)
    if f.country:
        qs = qs.filter(organisation__country=f.country)
    if f.sector:
        qs = qs.filter(organisation__sector=f.sector)
    today = timezone.localdate()
    return [{
        "reference": a.reference or str(a.pk), "organisation": a.organisation.name, "state": str(a.get_state_display()),
        "days_open": (today - timezone.localdate(a.submitted_at)).days if a.submitted_at else None,
        "due": (a.acceptance_due if a.state == State.SUBMITTED else a.decision_due),
        "assigned_to": a.assigned_to.get_full_name() or a.assigned_to.email if a.assigned_to else "",
    } for a in qs.order_by("submitted_at")[:10]]


def register() -> None:
    register_source("aeo", aeo_figures)
    register_dimension(Dimension("aeo_type", _("AEO type"), lambda: list(AuthorisationType.choices)))
    register_table(Table(
        slug="aeo-applications", section=SECTION, order=10, title=_("AEO applications received and decided"),
        definition=_("Applications signed and submitted, accepted for examination, returned as not acceptable, "
                     "granted, rejected and withdrawn, counted on the day each happened. A returned application "
                     "submitted again counts as received again. Withdrawals of drafts never submitted are left out."),
        columns=(Column("month", _("Month"), numeric=False),
                 *(Column(key, label) for key, label in FLOW_COLUMNS)),
        rows=applications_rows, chart=applications_chart))
    register_table(Table(
        slug="aeo-processing-times", section=SECTION, order=11, title=_("How long customs takes"),
        definition=_("Calendar days from the last submission to acceptance, and from acceptance to the decision "
                     "(grant or rejection approved), for cases accepted or decided in the period. Withdrawn cases, "
                     "returned applications and cases still open are not timed. The median is the middle case; "
                     "the 90th percentile is the time within which nine cases in ten were done. A decision is "
                     "within the target when it came within 120 days plus any extension recorded with a reason."),
        target=_("Acceptance within %(a)s days of submission; decision within %(d)s days of acceptance, plus "
                 "extensions") % {"a": ACCEPTANCE_DAYS, "d": DECISION_DAYS},
        columns=(Column("measure", _("Measure"), numeric=False), Column("cases", _("Cases")),
                 Column("median", _("Median days")), Column("p90", _("90th percentile")),
                 Column("within", _("Within the target")), Column("share_within", _("Share within (%)")),
                 Column("target", _("Target"), numeric=False)),
        rows=timing_rows))
    register_table(Table(
        slug="aeo-decision-days", section=SECTION, order=12, title=_("Days from acceptance to decision"),
        definition=_("Decisions in the period by the calendar days from acceptance to the decision, split into "
                     "those within the target (120 days plus extensions) and those beyond it."),
        target=_("%(n)s days, plus extensions") % {"n": DECISION_DAYS},
        columns=(Column("days", _("Days"), numeric=False), Column("within", _("Within the target")),
                 Column("late", _("Beyond the target"))),
        rows=lambda figures: _histogram(figures, "aeo.decision_days", DECISION_BANDS),
        chart=lambda rows: _histogram_chart(_("Days from acceptance to decision"), rows,
                                            _("Target: 120 days, plus extensions."))))
    register_table(Table(
        slug="aeo-acceptance-days", section=SECTION, order=13, title=_("Days from submission to acceptance"),
        definition=_("Applications accepted in the period by the calendar days from their last submission."),
        target=_("%(n)s days") % {"n": ACCEPTANCE_DAYS},
        columns=(Column("days", _("Days"), numeric=False), Column("within", _("Within the target")),
                 Column("late", _("Beyond the target"))),
        rows=lambda figures: _histogram(figures, "aeo.acceptance_days", ACCEPTANCE_BANDS),
        chart=lambda rows: _histogram_chart(_("Days from submission to acceptance"), rows, _("Target: 30 days."))))
    register_table(Table(
        slug="aeo-backlog", section=SECTION, order=14, basis="stock", title=_("Open cases and their age"),
        definition=_("Applications submitted and not yet decided, withdrawn or returned at the end of the period, "
                     "by state and by calendar days since their last submission."),
        columns=(Column("state", _("State"), numeric=False), *(Column(f"age_{lower}", label)
                                                               for lower, label in AGE_BANDS),
                 Column("total", _("Total"))),
        rows=backlog_rows, chart=backlog_chart))
    register_table(Table(
        slug="aeo-deadlines", section=SECTION, order=15, basis="stock", public=False,
        title=_("Deadline risk of open cases"),
        definition=_("Open cases at the end of the period by the deadline they wait on (acceptance, or the "
                     "decision with its extensions): past it, due within 14 days, or later."),
        columns=(Column("deadline", _("Deadline"), numeric=False),
                 *(Column(key, label) for key, label in RISKS)),
        rows=deadline_rows))
    register_table(Table(
        slug="aeo-oldest", section=SECTION, order=16, basis="now", public=False,
        title=_("The oldest open cases"),
        definition=_("The ten open cases submitted longest ago, now."),
        columns=(Column("reference", _("Reference"), numeric=False),
                 Column("organisation", _("Applicant"), numeric=False), Column("state", _("State"), numeric=False),
                 Column("days_open", _("Days since submission")), Column("due", _("Due"), numeric=False),
                 Column("assigned_to", _("Reviewer"), numeric=False)),
        rows=oldest_rows))
    register_table(Table(
        slug="aeo-dialogue", section=SECTION, order=17, title=_("Information requests and hearings"),
        definition=_("Information requests customs sent and applicants answered in the period, the median "
                     "calendar days from a request to its answer, requests per case decided in the period "
                     "(all the requests of those cases), and the right to be heard: hearings opened, replies, "
                     "and how they ended."),
        columns=(Column("measure", _("Measure"), numeric=False), Column("value", _("Value"))),
        rows=dialogue_rows))
    register_table(Table(
        slug="aeo-authorisations", section=SECTION, order=18, basis="stock", title=_("AEO authorisations"),
        definition=_("Authorisations granted by the end of the period, by their status then, and by type, the "
                     "holder's country and its main sector. Re-assessed authorisations replaced by a new one "
                     "count as revoked."),
        columns=(Column("group", _("Group"), numeric=False), *(Column(key, label) for key, label in STATUSES),
                 Column("total", _("Total"))),
        rows=authorisation_rows, chart=authorisations_chart))


# --- The supervisor's dashboard ------------------------------------------------------------------------


def supervisor_panel(request: AuthenticatedHttpRequest) -> dict | None:
    """AEO supervisors: the queue's ageing and deadline risk, from the latest snapshot."""
    if not in_group(request.user, StaffGroup.AEO_SUPERVISOR):
        return None
    from portal.performance.figures import Period, figures_for

    today = timezone.localdate()
    figures = figures_for(Period(today - timedelta(days=30), today, ""))
    total = backlog_rows(figures)[-1]
    return {"as_of": figures.as_of, "total": total["total"],
            "ageing": [(label, total[f"age_{lower}"]) for lower, label in AGE_BANDS],
            "risk_labels": [label for _key, label in RISKS],
            "deadlines": [(row["deadline"], [row[key] for key, _l in RISKS]) for row in deadline_rows(figures)]}
