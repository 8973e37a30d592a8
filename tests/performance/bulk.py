"""A large AEO history bulk-created in a few statements: `n` applications submitted two days before
`today`, accepted the day before, and (all but ten) decided today; ten still open."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from aeo.models import Application, Questionnaire
from portal.models import AuditEvent, Organisation, Sector, User

KINDS = ("AEOC", "AEOS", "AEOF")
BATCH = 5000


def bulk_history(n: int, *, today: date, start: int = 0) -> None:
    tz = timezone.get_current_timezone()
    orgs = list(Organisation.objects.filter(identifier__startswith="BULK"))
    if not orgs:
        orgs = Organisation.objects.bulk_create([
            Organisation(kind="operator", name=f"Bulk operator {i}", identifier=f"BULK{i:03d}",
                         country=("PT", "ES", "FR")[i % 3], sector=Sector.values[i % len(Sector.values)])
            for i in range(10)])
    user = User.objects.get_or_create(email="bulk@example.com")[0]
    questionnaire = Questionnaire.objects.get(version=1)
    ct = ContentType.objects.get_for_model(Application)
    days = [datetime.combine(today - timedelta(days=d), time(10), tzinfo=tz) for d in (2, 1, 0)]
    for first in range(start, start + n, BATCH):
        numbers = range(first, min(start + n, first + BATCH))
        # The first ten stay open, one per organisation (one open application per organisation and type).
        apps = Application.objects.bulk_create([Application(
            organisation=orgs[i % 10], kind=KINDS[(i // 10) % 3], questionnaire=questionnaire, created_by=user,
            state="under_review" if i < 10 else "granted", submitted_at=days[0], reference=f"BULK-{i}")
            for i in numbers])
        events = []
        for i, app in zip(numbers, apps, strict=True):
            steps = [("submit", "draft", "submitted"), ("accept", "submitted", "under_review")]
            if i >= 10:
                steps.append(("approve_grant", "decision_proposed", "granted"))
            events += [AuditEvent(action=f"aeo.{a}", target_type=ct, target_id=str(app.pk), target_repr=app.reference,
                                  organisation_id=app.organisation_id, from_state=f, to_state=t, created_at=days[k])
                       for k, (a, f, t) in enumerate(steps)]
        AuditEvent.objects.bulk_create(events, batch_size=BATCH)
