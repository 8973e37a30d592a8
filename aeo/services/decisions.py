"""Decision notices: the written form of every decision that changes an applicant's or holder's rights.

The decision's own transaction writes the notice's text (who decided, on what legal basis, on what grounds,
from when, how and by when to appeal) and the notification that links to it; after commit a task renders the
PDF, once, and stores it with its SHA-256; a sweep renders whatever the nudge missed. After that the notice
never changes: a new decision is a new notice.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.units import mm

from aeo.models import Application, Authorisation, DecisionNotice
from portal.models import User
from portal.pdf_documents import NAVY, Document
from portal.roles import StaffGroup, in_group
from portal.services.audit import audit_record
from portal.work import SWEEP_BATCH, enqueue_on_commit

Kind = DecisionNotice.Kind

# What the law says each decision rests on, unless the administration configures its own text
# (AEO_LEGAL_BASIS). The Union Customs Code is Regulation (EU) No 952/2013.
DEFAULT_LEGAL_BASIS = {
    Kind.GRANT: gettext_lazy(
        "Articles 22, 38 and 39 of the Union Customs Code (Regulation (EU) No 952/2013): the applicant meets the "
        "criteria for the status of authorised economic operator. WCO SAFE Framework of Standards, pillar 2 "
        "(customs-to-business partnership)."),
    Kind.REJECTION: gettext_lazy(
        "Articles 22, 38 and 39 of the Union Customs Code (Regulation (EU) No 952/2013): the applicant does not "
        "meet the criteria for the status of authorised economic operator. The applicant was heard on the "
        "grounds before this decision (article 22). WCO SAFE Framework of Standards, pillar 2."),
    Kind.RETURN: gettext_lazy(
        "Article 22 of the Union Customs Code (Regulation (EU) No 952/2013): the application does not contain "
        "all the information customs needs to accept it."),
    Kind.SUSPENSION: gettext_lazy(
        "Articles 38 and 39 of the Union Customs Code (Regulation (EU) No 952/2013): the criteria for the status "
        "of authorised economic operator are not met while the measures below are outstanding. The benefits of "
        "the status are suspended."),
    Kind.LIFTING: gettext_lazy(
        "Articles 38 and 39 of the Union Customs Code (Regulation (EU) No 952/2013): the holder has taken the "
        "measures needed to meet the criteria again."),
    Kind.REVOCATION: gettext_lazy(
        "Articles 28, 38 and 39 of the Union Customs Code (Regulation (EU) No 952/2013): the holder no longer "
        "meets the criteria for the status of authorised economic operator."),
}
APPEAL_LAW = gettext_lazy("You have the right to appeal against this decision (article 44 of the Union "
                          "Customs Code).")


def legal_basis(kind: str) -> str:
    configured = settings.AEO_LEGAL_BASIS.get(kind)
    return str(configured or DEFAULT_LEGAL_BASIS[Kind(kind)])


def _officers(decided_by: User, proposed_by: User | None) -> list[list[str]]:
    """Who took the decision, by role; by name only where the administration chooses to name them."""
    named = settings.AEO_DECISION_NAMES_OFFICERS

    def role(user: User) -> str:
        return str(_("AEO supervisor") if in_group(user, StaffGroup.AEO_SUPERVISOR) else _("AEO reviewer"))

    rows = []
    if proposed_by and proposed_by != decided_by:
        rows.append([_("Proposed by: %(role)s") % {"role": role(proposed_by)}, str(proposed_by) if named else ""])
    rows.append([_("Decided by: %(role)s") % {"role": role(decided_by)}, str(decided_by) if named else ""])
    return rows


def decision_notice_issue(*, actor: User, application: Application, kind: str, grounds: str,
                          authorisation: Authorisation | None = None, proposed_by: User | None = None,
                          effective_from: date | None = None, effective_until: date | None = None) -> DecisionNotice:
    """Call inside the decision's transaction. The PDF follows after commit."""
    issued = timezone.now()
    effective_from = effective_from or timezone.localdate()
    appeal_by = timezone.localdate() + timedelta(days=settings.AEO_APPEAL_DAYS)
    notice = DecisionNotice.objects.create(
        application=application, authorisation=authorisation, kind=kind,
        administration=settings.AEO_ISSUING_ADMINISTRATION, officers=_officers(actor, proposed_by),
        grounds=grounds.strip() or _("No further grounds were given."), legal_basis=legal_basis(kind),
        appeal=f"{APPEAL_LAW} {settings.AEO_APPEAL_HOW}", effective_from=effective_from,
        effective_until=effective_until, appeal_by=appeal_by, issued_by=actor, issued_at=issued,
    )
    audit_record(actor=actor, action="aeo.decision_notice_issued", target=application,
                 organisation=application.organisation, data={"notice": notice.pk, "kind": kind})
    from aeo.tasks import render_decision_notice

    enqueue_on_commit(render_decision_notice, notice.pk)
    return notice


def decision_notice_pdf(notice: DecisionNotice) -> bytes:
    """The notice as a PDF: issuer, addressee, decision, grounds, legal basis, effect and appeal."""
    application = notice.application
    organisation = application.organisation
    reference = _("Decision notice %(ref)s") % {"ref": notice.reference}
    document = Document(title=f"{notice.get_kind_display()} {notice.reference}",
                        administration=notice.administration, reference=reference)
    document.text(reference)
    document.text(_("Issued on %(date)s") % {"date": date_format(timezone.localtime(notice.issued_at))})
    document.space(4 * mm)
    document.text(str(notice.get_kind_display()), size=16, bold=True, colour=NAVY, gap=9 * mm)
    document.heading(_("Addressed to"))
    # A CountryField gives a Country; the stubs see the str of the CharField it extends.
    document.text(f"{organisation.name}, {organisation.identifier} ({organisation.country.name})")  # type: ignore[attr-defined]
    document.text(_("Application %(ref)s, %(kind)s") % {"ref": application.reference or "—",
                                                        "kind": application.get_kind_display()})
    if notice.authorisation is not None:
        document.text(_("Authorisation %(number)s") % {"number": notice.authorisation.number})
    document.heading(_("Grounds"))
    for paragraph in notice.grounds.splitlines():
        document.text(paragraph)
    document.heading(_("Legal basis"))
    document.text(notice.legal_basis)
    document.heading(_("When it takes effect"))
    if notice.effective_until:
        document.text(_("From %(start)s until %(end)s, unless customs decides otherwise before then.")
                      % {"start": date_format(notice.effective_from), "end": date_format(notice.effective_until)})
    else:
        document.text(_("From %(start)s.") % {"start": date_format(notice.effective_from)})
    document.heading(_("How to appeal"))
    document.text(notice.appeal)
    document.text(_("Appeal by %(date)s.") % {"date": date_format(notice.appeal_by)}, bold=True)
    document.heading(_("Issued by"))
    for role, name in notice.officers:
        document.text(f"{role}{', ' + name if name else ''}")
    document.text(notice.administration)
    return document.finish()


@transaction.atomic
def decision_notice_render(*, notice_id: int) -> DecisionNotice:
    """Write the notice's PDF once, with its SHA-256; running it again changes nothing."""
    # Lock the notice row only (the authorisation is an outer join, which cannot be locked).
    notice = (DecisionNotice.objects.select_for_update(of=("self",))
              .select_related("application__organisation", "authorisation").get(pk=notice_id))
    if notice.file:
        return notice
    with translation.override(settings.LANGUAGE_CODE):
        content = decision_notice_pdf(notice)
    name = f"{notice.application.reference or notice.application_id}-D{notice.pk}.pdf".replace("/", "-")
    notice.file.save(name, ContentFile(content), save=False)
    notice.sha256 = hashlib.sha256(content).hexdigest()
    DecisionNotice.objects.filter(pk=notice.pk).update(file=notice.file.name, sha256=notice.sha256)
    return notice


def decision_notices_render_due() -> int:
    """Render the notices whose task never ran (broker down, worker lost). A sweep; safe to repeat."""
    waiting = list(DecisionNotice.objects.filter(file="").values_list("pk", flat=True)[:SWEEP_BATCH])
    for pk in waiting:
        decision_notice_render(notice_id=pk)
    return len(waiting)
