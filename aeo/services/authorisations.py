"""Authorisations: created on approval of a grant, certified by a PDF with a QR code, then monitored."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from reportlab.lib.units import mm

from aeo import permissions
from aeo.models import Application, Authorisation, ChangeNotice, ChangeNoticeFile, DecisionNotice
from aeo.services.applications import answers_copy, current_questionnaire
from aeo.services.common import ActionRefused, aeo_supervisors, organisation_members
from aeo.services.decisions import decision_notice_issue
from aeo.workflow import CLOSED_STATES
from portal.files import CheckedUpload
from portal.models import User
from portal.pdf_documents import NAVY, Document
from portal.services.audit import audit_record
from portal.services.notifications import notify
from portal.texts import Text
from portal.work import SWEEP_BATCH, enqueue_on_commit

Status = Authorisation.Status


def authorisation_create(*, actor: User, application: Application) -> Authorisation:
    """Called by the approval of a grant, inside its transaction; the certificate follows in a task."""
    from aeo.services.monitoring import next_review_date

    today = timezone.localdate()
    authorisation = Authorisation.objects.create(
        application=application, organisation=application.organisation, kind=application.kind,
        valid_from=today, granted_by=actor, number=f"pending-{application.pk}",
        next_review_due=next_review_date(today, band=application.screening.get("band")),
    )
    # Country code, type and a sequence number that is never reused (the row's key).
    authorisation.number = f"{application.organisation.country}{application.kind}{authorisation.pk:06d}"
    authorisation.save(update_fields=["number"])
    audit_record(actor=actor, action="aeo.authorisation_created", target=application,
                 organisation=application.organisation, data={"number": authorisation.number})
    from aeo.tasks import generate_certificate

    enqueue_on_commit(generate_certificate, authorisation.pk)
    return authorisation


def certificates_generate_due() -> int:
    """Write the certificates whose task never ran (broker down, worker lost). A sweep; safe to repeat."""
    waiting = list(Authorisation.objects.filter(certificate="").values_list("pk", flat=True)[:SWEEP_BATCH])
    for pk in waiting:
        certificate_generate(authorisation_id=pk)
    return len(waiting)


def verification_url(authorisation: Authorisation) -> str:
    return f"{settings.SITE_URL}{authorisation.get_verification_url()}"


def certificate_pdf(authorisation: Authorisation) -> bytes:
    """The certificate: holder, number, type and date, and a QR code to the public verification page."""
    url = verification_url(authorisation)
    document = Document(title=f"AEO certificate {authorisation.number}",
                        administration=settings.AEO_ISSUING_ADMINISTRATION,
                        reference=f"AEO certificate {authorisation.number}", verification_url=url, framed=True)
    document.space(10 * mm)
    document.text("Authorised Economic Operator", size=22, bold=True, colour=NAVY, centred=True, gap=10 * mm)
    document.text("Certificate of authorisation", size=13, centred=True, gap=8 * mm)
    document.text(f"Issued by {settings.AEO_ISSUING_ADMINISTRATION}", size=13, centred=True, gap=17 * mm)
    document.fields([
        ("Holder", authorisation.organisation.name),
        # A CountryField gives a Country; the stubs see the str of the CharField it extends.
        ("Identifier", f"{authorisation.organisation.identifier} ({authorisation.organisation.country.name})"),  # type: ignore[attr-defined]
        ("Authorisation number", authorisation.number),
        ("Type", str(authorisation.get_kind_display())),
        ("Valid from", date_format(authorisation.valid_from)),
    ])
    size = 60 * mm
    document.qr_code(url, x=document.width / 2 - size / 2, y=document.bottom + 15 * mm, size=size,
                     caption="Scan the code to check that this certificate is valid")
    return document.finish()


@transaction.atomic
def certificate_generate(*, authorisation_id: int) -> Authorisation:
    """Write the certificate PDF once; running it again changes nothing."""
    authorisation = (Authorisation.objects.select_for_update().select_related("organisation")
                     .get(pk=authorisation_id))
    if authorisation.certificate:
        return authorisation
    authorisation.certificate.save(f"{authorisation.number}.pdf", ContentFile(certificate_pdf(authorisation)),
                                   save=False)
    authorisation.save(update_fields=["certificate"])
    audit_record(actor=None, action="aeo.certificate_ready", target=authorisation.application,
                 organisation=authorisation.organisation, data={"number": authorisation.number})
    notify(recipients=organisation_members(authorisation.organisation), kind="aeo.application",
           subject=Text(gettext_noop("Your AEO certificate %(number)s is ready"), number=authorisation.number),
           body=Text(gettext_noop("Download it from the application's page. Anyone can check it with its QR code.")),
           link=authorisation.application.get_absolute_url(), key=f"aeo.certificate:{authorisation.pk}")
    return authorisation


@transaction.atomic
def consent_set(*, actor: User, authorisation: Authorisation, publish: bool, mra: bool) -> Authorisation:
    authorisation = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    authorisation.consent_publish, authorisation.consent_mra = publish, mra
    authorisation.save(update_fields=["consent_publish", "consent_mra"])
    audit_record(actor=actor, action="aeo.consent_changed", target=authorisation.application,
                 organisation=authorisation.organisation, data={"publish": publish, "mra": mra})
    return authorisation


@transaction.atomic
def change_notice_submit(*, actor: User, authorisation: Authorisation, description: str,
                         files: list[CheckedUpload]) -> ChangeNotice:
    if not description.strip():
        raise ValidationError({"description": _("Describe what has changed and since when.")})
    notice = ChangeNotice.objects.create(authorisation=authorisation, description=description.strip(),
                                         submitted_by=actor)
    for upload in files:
        upload.fill(ChangeNoticeFile(notice=notice), uploaded_by=actor).save()
    audit_record(actor=actor, action="aeo.change_notified", target=authorisation.application,
                 organisation=authorisation.organisation, data={"notice": notice.pk})
    reviewer = authorisation.application.assigned_to
    notify(recipients=[reviewer] if reviewer else aeo_supervisors(), kind="aeo.review",
           subject=Text(gettext_noop("%(number)s: the holder reports a change"), number=authorisation.number),
           body=description[:500], link=f"/admin/aeo/authorisation/{authorisation.pk}/change/")
    return notice


def _monitoring(actor: User, authorisation: Authorisation, action: str, *, subject: Text, body: Text | str,
                data: dict[str, Any], notice: str, grounds: str, until: date | None = None) -> None:
    """Audit a change of status, issue its decision notice and tell the holder (always by e-mail)."""
    audit_record(actor=actor, action=f"aeo.{action}", target=authorisation.application,
                 organisation=authorisation.organisation, from_state=data.pop("from"), to_state=authorisation.status,
                 data=data)
    decision = decision_notice_issue(actor=actor, application=authorisation.application, kind=notice,
                                     authorisation=authorisation, grounds=grounds, effective_until=until)
    notify(recipients=organisation_members(authorisation.organisation), kind="aeo.legal", subject=subject,
           body=Text(gettext_noop("%(body)s\n\nThe decision notice says how and by when you may appeal (by %(date)s)."),
                     body=body, date=decision.appeal_by), link=decision.get_download_url())


@transaction.atomic
def authorisation_suspend(*, actor: User, authorisation: Authorisation, reason: str, remedial_measures: str,
                          until: date) -> Authorisation:
    authorisation = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    permissions.require_monitoring(actor, authorisation, "suspend")
    if not reason.strip() or until <= timezone.now().date():
        raise ValidationError(_("Give the reason and a date in the future until which it is suspended."))
    authorisation.status = Status.SUSPENDED
    authorisation.suspension_reason, authorisation.remedial_measures = reason, remedial_measures
    authorisation.suspended_until = until
    authorisation.save(update_fields=["status", "suspension_reason", "remedial_measures", "suspended_until"])
    _monitoring(actor, authorisation, "suspended",
                subject=Text(gettext_noop("%(number)s is suspended until %(date)s"), number=authorisation.number,
                             date=until),
                body=Text(gettext_noop("Reason: %(reason)s\nWhat to do: %(measures)s"), reason=reason,
                          measures=remedial_measures),
                data={"from": Status.ACTIVE, "until": until.isoformat(), "reason": reason},
                notice=DecisionNotice.Kind.SUSPENSION, until=until,
                grounds=_grounds(reason, remedial_measures and _("Measures the holder must take: %(measures)s")
                                 % {"measures": remedial_measures}))
    return authorisation


@transaction.atomic
def authorisation_lift_suspension(*, actor: User, authorisation: Authorisation, note: str) -> Authorisation:
    authorisation = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    permissions.require_monitoring(actor, authorisation, "lift")
    authorisation.status = Status.ACTIVE
    authorisation.suspended_until = None
    authorisation.save(update_fields=["status", "suspended_until"])
    _monitoring(actor, authorisation, "suspension_lifted",
                subject=Text(gettext_noop("%(number)s is active again"), number=authorisation.number), body=note,
                data={"from": Status.SUSPENDED, "note": note}, notice=DecisionNotice.Kind.LIFTING, grounds=note)
    return authorisation


@transaction.atomic
def authorisation_revoke(*, actor: User, authorisation: Authorisation, reason: str) -> Authorisation:
    authorisation = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    permissions.require_monitoring(actor, authorisation, "revoke")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for revoking the authorisation.")})
    old = authorisation.status
    authorisation.status = Status.REVOKED
    authorisation.revoked_at, authorisation.revocation_reason = timezone.now(), reason
    authorisation.save(update_fields=["status", "revoked_at", "revocation_reason"])
    _monitoring(actor, authorisation, "revoked",
                subject=Text(gettext_noop("%(number)s has been revoked"), number=authorisation.number), body=reason,
                data={"from": old, "reason": reason}, notice=DecisionNotice.Kind.REVOCATION, grounds=reason)
    return authorisation


@transaction.atomic
def change_notice_handle(*, actor: User, notice: ChangeNotice, note: str) -> ChangeNotice:
    """Customs records what it did about a holder's change notice."""
    if not permissions.is_reviewer(actor):
        raise ActionRefused(permissions.ACTOR_REFUSALS[permissions.Actor.REVIEWER])
    notice = ChangeNotice.objects.select_for_update().select_related("authorisation__organisation").get(pk=notice.pk)
    if notice.handled_at is not None:
        raise ActionRefused(_("This change notice has already been handled."))
    if not note.strip():
        raise ValidationError({"note": _("Say what customs did about the change.")})
    notice.handled_by, notice.handled_at, notice.handling_note = actor, timezone.now(), note.strip()
    notice.save(update_fields=["handled_by", "handled_at", "handling_note"])
    authorisation = notice.authorisation
    audit_record(actor=actor, action="aeo.change_handled", target=authorisation.application,
                 organisation=authorisation.organisation, data={"notice": notice.pk, "note": note})
    notify(recipients=organisation_members(authorisation.organisation), kind="aeo.application",
           subject=Text(gettext_noop("%(number)s: customs has dealt with your change notice"),
                        number=authorisation.number),
           body=note, link=authorisation.application.get_absolute_url())
    return notice


@transaction.atomic
def reassessment_start(*, actor: User, authorisation: Authorisation, note: str) -> Application:
    """Customs asks the holder to be re-assessed: a draft copied from the last application, for the holder."""
    authorisation = Authorisation.objects.select_for_update().select_related("application", "organisation").get(
        pk=authorisation.pk)
    permissions.require_monitoring(actor, authorisation, "reassess")
    if Application.objects.filter(organisation=authorisation.organisation, kind=authorisation.kind).exclude(
            state__in=CLOSED_STATES).exists():
        raise ActionRefused(_("The holder already has an open application of this type."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the holder is re-assessed; the holder will read it.")})
    source = authorisation.application
    application = Application.objects.create(
        organisation=authorisation.organisation, kind=authorisation.kind, questionnaire=current_questionnaire(),
        created_by=actor, copied_from=source, reassessment_of=authorisation,
    )
    answers_copy(source, application, actor)
    audit_record(actor=actor, action="aeo.reassessment_started", target=application,
                 organisation=authorisation.organisation, to_state=application.state,
                 data={"authorisation": authorisation.number, "note": note})
    notify(recipients=organisation_members(authorisation.organisation), kind="aeo.application",
           subject=Text(gettext_noop("%(number)s: customs asks you to be re-assessed"), number=authorisation.number),
           body=Text(gettext_noop("%(note)s\n\nYour last answers and evidence have been copied into a new "
                                  "application: check and update them, then sign and submit."), note=note),
           link=application.get_absolute_url())
    return application


def authorisation_replace(*, actor: User, old: Authorisation, new: Authorisation) -> None:
    """After a re-assessment is granted, the earlier authorisation ends: one holder, one valid number."""
    old = Authorisation.objects.select_for_update().get(pk=old.pk)
    if old.status == Status.REVOKED:
        return
    previous = old.status
    old.status, old.revoked_at = Status.REVOKED, timezone.now()
    old.revocation_reason = _("Replaced by authorisation %(number)s after re-assessment.") % {"number": new.number}
    old.save(update_fields=["status", "revoked_at", "revocation_reason"])
    audit_record(actor=actor, action="aeo.replaced", target=old.application, organisation=old.organisation,
                 from_state=previous, to_state=old.status, data={"by": new.number})


def _grounds(*parts: str) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())
