"""Consultations through their phases: draft, publish, open, close, outcome; their documents."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from consultations import permissions
from consultations.models import (
    Attachment,
    Audience,
    Consultation,
    Phase,
    Topic,
)
from consultations.selectors import followers_of
from portal.files import CheckedUpload
from portal.markdown import render_markdown
from portal.models import Organisation, User
from portal.public_cache import bump
from portal.services.audit import audit_record
from portal.services.notifications import notify
from portal.texts import Text
from portal.translated import active_language

EDIT_WINDOW = timedelta(minutes=15)
CLOSING_REMINDER = timedelta(days=3)
UNANSWERED_REMINDER_AFTER = timedelta(days=7)


def consultation_changed(consultation_id: int) -> None:
    """Visitors get its page and the list rendered afresh once the change commits (portal.public_cache)."""
    bump(f"consultation:{consultation_id}")
    bump("consultations")


def _check_dates(opens_at: datetime | None, closes_at: datetime, *, now: datetime) -> None:
    if closes_at <= (opens_at or now):
        raise ValidationError({"closes_at": _("The closing date must be after the opening date "
                                              "(or after today, if it opens when published).")})


# --- Consultations --------------------------------------------------------------------------------


@transaction.atomic
def consultation_create(
    *, actor: User, organisation: Organisation, title: str, summary: str, body: str, closes_at: datetime,
    opens_at: datetime | None = None, audience: str = Audience.PUBLIC, topics: Iterable[Topic] = (),
    invited_organisations: Iterable[Organisation] = (), language: str = "",
) -> Consultation:
    """A draft, seen only by the organisation until it is published; written in `language`, by default the
    author's active language."""
    if not any(m.organisation_id == organisation.pk for m in permissions.authoring_memberships(actor)):
        raise PermissionDenied(_("Only members of a trade association or of customs can post consultations "
                                 "on behalf of their organisation."))
    consultation = Consultation(
        organisation=organisation, created_by=actor, title=title, summary=summary, body=body,
        body_html=render_markdown(body), audience=audience, opens_at=opens_at, closes_at=closes_at,
        language=language or active_language(),
    )
    consultation.full_clean(exclude=["search_vector"])
    consultation.save()
    consultation_changed(consultation.pk)
    consultation.topics.set(topics)
    consultation.invited_organisations.set(invited_organisations)
    audit_record(actor=actor, action="consultation.created", target=consultation, organisation=organisation,
                 to_state=Phase.DRAFT)
    return consultation


EDITABLE = ["title", "summary", "body", "language", "audience", "opens_at", "closes_at"]


@transaction.atomic
def consultation_update(*, actor: User, consultation: Consultation, topics: Iterable[Topic] | None = None,
                        invited_organisations: Iterable[Organisation] | None = None,
                        **fields: Any) -> Consultation:  # the editable fields, each of its own type
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not permissions.can_edit(actor, consultation):
        raise PermissionDenied(_("A consultation can be edited only by its organisation, before it opens."))
    changed = [f for f in EDITABLE if f in fields and getattr(consultation, f) != fields[f]]
    for name in changed:
        setattr(consultation, name, fields[name])
    consultation.body_html = render_markdown(consultation.body)
    consultation.updated_at = timezone.now()
    consultation.full_clean(exclude=["search_vector"])
    consultation.save()
    consultation_changed(consultation.pk)
    if topics is not None:
        consultation.topics.set(topics)
    if invited_organisations is not None:
        consultation.invited_organisations.set(invited_organisations)
    audit_record(actor=actor, action="consultation.updated", target=consultation,
                 organisation=consultation.organisation,
                 data={"fields": changed})
    return consultation


@transaction.atomic
def consultation_publish(*, actor: User, consultation: Consultation) -> Consultation:
    """Draft → open now, or → scheduled when its opening date is still ahead."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    permissions.require_owner(actor, consultation)
    if consultation.phase != Phase.DRAFT:
        raise ValidationError(_("This consultation has been published already."))
    now = timezone.now()
    _check_dates(consultation.opens_at if consultation.opens_at and consultation.opens_at > now else None,
                 consultation.closes_at, now=now)
    if consultation.audience == Audience.INVITED and not consultation.invited_organisations.exists():
        raise ValidationError(_("Invite at least one organisation, or choose a wider audience."))
    consultation.published_at = now
    consultation.phase = Phase.SCHEDULED if consultation.opens_at and consultation.opens_at > now else Phase.OPEN
    if consultation.phase == Phase.OPEN and not consultation.opens_at:
        consultation.opens_at = now
    consultation.save(update_fields=["published_at", "phase", "opens_at"])
    consultation_changed(consultation.pk)
    audit_record(actor=actor, action="consultation.published", target=consultation,
                 organisation=consultation.organisation, from_state=Phase.DRAFT, to_state=consultation.phase)
    return consultation


def consultations_open_due(*, now: datetime | None = None) -> int:
    """Open every scheduled consultation whose opening date has come (periodic; safe to run twice)."""
    now = now or timezone.now()
    opened = 0
    for pk in Consultation.objects.filter(phase=Phase.SCHEDULED, opens_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            consultation = (Consultation.objects.select_for_update(skip_locked=True)
                            .filter(pk=pk, phase=Phase.SCHEDULED).first())
            if consultation is None:
                continue
            consultation.phase = Phase.OPEN
            consultation.save(update_fields=["phase"])
            consultation_changed(consultation.pk)
            audit_record(actor=None, action="consultation.opened", target=consultation,
                         organisation=consultation.organisation, from_state=Phase.SCHEDULED, to_state=Phase.OPEN)
            opened += 1
    return opened


def consultation_close_record(consultation: Consultation, *, actor: User | None, now: datetime) -> None:
    consultation.phase = Phase.CLOSED
    consultation.closed_at = now
    consultation.save(update_fields=["phase", "closed_at"])
    consultation_changed(consultation.pk)
    audit_record(actor=actor, action="consultation.closed", target=consultation,
                 organisation=consultation.organisation, from_state=Phase.OPEN, to_state=Phase.CLOSED)
    notify(
        recipients=followers_of(consultation), kind="consultations.closed",
        subject=Text(gettext_noop("Closed for comments: %(title)s"), title=consultation.title),
        body=Text(gettext_noop("The consultation “%(title)s” has closed. Customs and %(owner)s are now reviewing the "
                               "comments; you will be told when the outcome is published."), title=consultation.title,
                  owner=consultation.organisation),
        link=consultation.get_absolute_url(), key=f"consultations.closed:{consultation.pk}",
    )


def consultations_close_due(*, now: datetime | None = None) -> int:
    """Close every open consultation past its closing date and tell its followers (safe to run twice)."""
    now = now or timezone.now()
    closed = 0
    for pk in Consultation.objects.filter(phase=Phase.OPEN, closes_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            # Two workers may run this at once: the row lock and the phase check make one of them skip.
            consultation = (Consultation.objects.select_for_update(skip_locked=True)
                            .select_related("organisation").filter(pk=pk, phase=Phase.OPEN).first())
            if consultation is None:
                continue
            consultation_close_record(consultation, actor=None, now=now)
            closed += 1
    return closed


@transaction.atomic
def consultations_remind_closing(*, now: datetime | None = None) -> int:
    """Tell followers three days ahead that a consultation closes (once each, however often it runs)."""
    now = now or timezone.now()
    sent = 0
    for consultation in Consultation.objects.filter(phase=Phase.OPEN, closes_at__gt=now,
                                                    closes_at__lte=now + CLOSING_REMINDER):
        sent += len(notify(
            recipients=followers_of(consultation), kind="consultations.closing_soon",
            subject=Text(gettext_noop("Closing on %(date)s: %(title)s"),
                         date=timezone.localdate(consultation.closes_at), title=consultation.title),
            body=Text(gettext_noop("The consultation “%(title)s” closes for comments on %(date)s. If you want to "
                                   "comment, support or co-sign a comment, do it before then."),
                      title=consultation.title, date=consultation.closes_at),
            link=consultation.get_absolute_url(), key=f"consultations.closing_soon:{consultation.pk}",
        ))
    return sent


@transaction.atomic
def attachment_add(*, actor: User, consultation: Consultation, upload: CheckedUpload, title: str) -> Attachment:
    if not permissions.can_edit(actor, consultation):
        raise PermissionDenied(_("Documents can be attached only by the organisation, before it opens."))
    attachment = upload.fill(Attachment(consultation=consultation, title=title), uploaded_by=actor)
    attachment.save()
    consultation_changed(consultation.pk)
    audit_record(actor=actor, action="consultation.attachment_added", target=consultation,
                 organisation=consultation.organisation, data={"file": attachment.original_name})
    return attachment



@transaction.atomic
def consultation_close(*, actor: User, consultation: Consultation) -> Consultation:
    """The owner closes early (the periodic job closes on the date)."""
    consultation = Consultation.objects.select_for_update().select_related("organisation").get(pk=consultation.pk)
    permissions.require_owner(actor, consultation)
    if consultation.phase != Phase.OPEN:
        raise ValidationError(_("Only an open consultation can be closed."))
    consultation_close_record(consultation, actor=actor, now=timezone.now())
    return consultation


@transaction.atomic
def outcome_publish(*, actor: User, consultation: Consultation, summary: str) -> Consultation:
    """Closed → outcome published; everyone who commented or follows is told what became of their input."""
    consultation = Consultation.objects.select_for_update().select_related("organisation").get(pk=consultation.pk)
    if not permissions.can_manage_outcome(actor, consultation):
        raise PermissionDenied(_("Only the organisation that ran the consultation, or customs, can publish "
                                 "its outcome."))
    if consultation.phase != Phase.CLOSED:
        raise ValidationError(_("The outcome can be published once the consultation has closed."))
    if not summary.strip():
        raise ValidationError({"summary": _("Write the outcome: what was decided and what changes.")})
    consultation.phase = Phase.OUTCOME_PUBLISHED
    consultation.outcome_summary = summary
    consultation.outcome_html = render_markdown(summary)
    consultation.outcome_published_at = timezone.now()
    consultation.outcome_published_by = actor
    consultation.save(update_fields=["phase", "outcome_summary", "outcome_html", "outcome_published_at",
                                     "outcome_published_by"])
    consultation_changed(consultation.pk)
    audit_record(actor=actor, action="consultation.outcome_published", target=consultation,
                 organisation=consultation.organisation, from_state=Phase.CLOSED, to_state=Phase.OUTCOME_PUBLISHED)
    commenters = User.objects.filter(pk__in=consultation.comments.values("author_id"), is_active=True)
    notify(recipients=[*followers_of(consultation), *commenters], kind="consultations.outcome",
           subject=Text(gettext_noop("Outcome published: %(title)s"), title=consultation.title),
           body=Text(gettext_noop("The outcome of “%(title)s” has been published, with the answer to every comment."),
                     title=consultation.title),
           link=reverse("consultations:report", args=[consultation.pk]),
           key=f"consultations.outcome:{consultation.pk}")
    return consultation


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    """Take a document off a consultation that has not opened yet (the file goes once the row is gone)."""
    consultation = attachment.consultation
    if not permissions.can_edit(actor, consultation):
        raise PermissionDenied(_("Documents can be removed only by the organisation, before it opens."))
    name = attachment.original_name
    attachment.delete()
    consultation_changed(consultation.pk)
    transaction.on_commit(lambda: attachment.file.delete(save=False))
    audit_record(actor=actor, action="consultation.attachment_removed", target=consultation,
                 organisation=consultation.organisation, data={"file": name})
