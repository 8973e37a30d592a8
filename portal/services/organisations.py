"""Every write to organisations, memberships and invitations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.files import CheckedUpload
from portal.models import Invitation, Membership, Organisation, OrganisationDocument, Role, User
from portal.ratelimits import limit_rows, parse_rates
from portal.services.audit import audit_record
from portal.services.notifications import notify, notify_address
from portal.texts import Text, choice_label

IDENTITY_FIELDS = {"name", "identifier", "country"}
PROFILE_FIELDS = ["kind", "name", "identifier", "country", "sector", "street", "postcode", "city", "website"]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _admins(organisation: Organisation) -> list[User]:
    return [m.user for m in organisation.memberships.filter(role=Role.ADMIN).select_related("user")]


def _check_identifier_free(organisation: Organisation) -> None:
    taken = Organisation.objects.filter(country=organisation.country, identifier__iexact=organisation.identifier)
    if organisation.pk:
        taken = taken.exclude(pk=organisation.pk)
    if taken.exists():
        raise ValidationError(
            {"identifier": _("An organisation with this identifier is already registered in this country. "
                             "If it is yours, ask one of its administrators to invite you.")}
        )


@transaction.atomic
def organisation_create(*, actor: User, **fields: Any) -> Organisation:  # the profile fields, each of its own type
    """Create an organisation; its creator becomes its first administrator."""
    organisation = Organisation(**{f: fields[f] for f in PROFILE_FIELDS if f in fields})
    organisation.identifier = organisation.identifier.strip().upper()
    if organisation.kind != Organisation.Kind.OPERATOR:
        organisation.sector = ""
    _check_identifier_free(organisation)
    organisation.full_clean()
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:  # created by someone else between the check and the save
        _check_identifier_free(organisation)
        raise
    Membership.objects.create(user=actor, organisation=organisation, role=Role.ADMIN)
    audit_record(actor=actor, action="organisation.created", target=organisation, organisation=organisation,
                 data={"kind": organisation.kind})
    return organisation


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, **fields: Any) -> Organisation:
    # Compare with the stored row: a model form has already copied the new values onto its instance.
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if "identifier" in fields:
        fields["identifier"] = fields["identifier"].strip().upper()
    changed = {f: v for f, v in fields.items() if f in PROFILE_FIELDS and f != "kind"
               and getattr(organisation, f) != v}
    for field, value in changed.items():
        setattr(organisation, field, value)
    organisation.identifier = organisation.identifier.strip().upper()
    _check_identifier_free(organisation)
    organisation.full_clean()
    # Customs verified who the organisation is: a new name, identifier or country needs verifying again.
    unverify = organisation.is_verified and bool(IDENTITY_FIELDS & changed.keys())
    if unverify:
        organisation.verified_at = organisation.verified_by = None
    organisation.save()
    if changed:
        audit_record(actor=actor, action="organisation.updated", target=organisation, organisation=organisation,
                     data={"fields": sorted(changed)})
    if unverify:
        audit_record(actor=actor, action="organisation.unverified", target=organisation, organisation=organisation,
                     from_state="verified", to_state="unverified",
                     data={"fields": sorted(IDENTITY_FIELDS & changed.keys())})
    return organisation


@transaction.atomic
def organisation_verify(*, actor: User, organisation: Organisation) -> Organisation:
    """Customs confirms that an operator is who it says it is."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.is_verified:
        return organisation
    organisation.verified_at = timezone.now()
    organisation.verified_by = actor
    organisation.save(update_fields=["verified_at", "verified_by"])
    audit_record(actor=actor, action="organisation.verified", target=organisation, organisation=organisation,
                 from_state="unverified", to_state="verified")
    notify(
        recipients=_admins(organisation), kind="organisation.verification",
        subject=Text(gettext_noop("%(name)s has been verified by customs"), name=organisation.name),
        body=Text(gettext_noop("Customs has checked the details of %(name)s. You can now apply for AEO status."),
                  name=organisation.name),
        link=organisation.get_absolute_url(),
    )
    return organisation


def _invitation_limits(*, actor: User, organisation: Organisation) -> None:
    """Invitations e-mail people outside the portal, so each sender and organisation has a ceiling,
    and an organisation customs has not verified yet (anyone can create one) a low daily one."""
    # The organisation's row lock makes concurrent invitations count one after another.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    what = _("Invitations")
    limit_rows(Invitation.objects.filter(invited_by=actor), parse_rates(
        "INVITATION_RATES_PER_USER", settings.INVITATION_RATES_PER_USER), what=what)
    sent = Invitation.objects.filter(organisation=organisation)
    limit_rows(sent, parse_rates("INVITATION_RATES_PER_ORGANISATION", settings.INVITATION_RATES_PER_ORGANISATION),
               what=_("Invitations from %(name)s") % {"name": organisation.name})
    if not organisation.is_verified:
        limit_rows(sent, parse_rates("INVITATION_RATES_UNVERIFIED", settings.INVITATION_RATES_UNVERIFIED),
                   what=_("Invitations from an organisation customs has not verified yet"))


@transaction.atomic
def invitation_create(*, actor: User, organisation: Organisation, email: str, role: str) -> tuple[Invitation, str]:
    """Invite someone by e-mail; returns the invitation and its secret token (sent, never stored)."""
    email = email.strip().lower()
    _invitation_limits(actor=actor, organisation=organisation)
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s is already a member of %(name)s.")
                               % {"email": email, "name": organisation.name}})
    # A new invitation replaces an open one to the same address.
    organisation.invitations.filter(email=email, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, token_hash=_token_hash(token), invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_record(actor=actor, action="invitation.created", target=invitation, organisation=organisation,
                 data={"email": email, "role": role})
    link = reverse("invitation_accept", args=[token])
    notify_address(
        email=email, kind="organisation.invitation",
        subject=Text(gettext_noop("%(person)s invites you to join %(name)s"), person=actor, name=organisation.name),
        body=Text(gettext_noop("%(person)s invites you to join %(name)s on the Customs-Business Portal as %(role)s. "
                               "The invitation is valid until %(date)s and can be used once."), person=actor,
                  name=organisation.name, role=choice_label(invitation, "role"),
                  date=timezone.localdate(invitation.expires_at)),
        link=link,
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    return (Invitation.objects.select_related("organisation", "invited_by")
            .filter(token_hash=_token_hash(token)).first())


@transaction.atomic
def invitation_accept(*, actor: User, token: str) -> Membership:
    invitation = Invitation.objects.select_for_update().filter(token_hash=_token_hash(token)).first()
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid. Ask the organisation for a new one."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used. Ask the organisation for a new one."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was withdrawn. Ask the organisation for a new one."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation expired on %(date)s. Ask the organisation for a new one.")
                              % {"date": date_format(timezone.localdate(invitation.expires_at))})
    if actor.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to %(email)s. Sign in with that address to accept it.")
                              % {"email": invitation.email})
    membership, created = Membership.objects.get_or_create(
        user=actor, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(actor=actor, action="invitation.accepted", target=invitation,
                 organisation=invitation.organisation, data={"role": membership.role})
    if created:
        notify(
            recipients=[u for u in _admins(invitation.organisation) if u != actor],
            kind="organisation.membership",
            subject=Text(gettext_noop("%(person)s joined %(name)s"), person=actor, name=invitation.organisation.name),
            body=Text(gettext_noop("%(person)s accepted the invitation and joined as %(role)s."), person=actor,
                      role=choice_label(membership, "role")),
            link=invitation.organisation.get_absolute_url(),
        )
    return membership


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="invitation.revoked", target=invitation,
                     organisation=invitation.organisation)
    return invitation


def _lock_admins(organisation: Organisation) -> list[Membership]:
    # Lock the organisation's memberships so that two admins leaving at once cannot both succeed.
    return list(Membership.objects.select_for_update().filter(organisation=organisation, role=Role.ADMIN))


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    admins = _lock_admins(membership.organisation)
    membership.refresh_from_db()
    if membership.role == role:
        return membership
    if membership.role == Role.ADMIN and len(admins) == 1:
        raise ValidationError(_("%(person)s is the last administrator. Make someone else an administrator "
                                "first.") % {"person": membership.user})
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(actor=actor, action="membership.role_changed", target=membership,
                 organisation=membership.organisation, from_state=old, to_state=role)
    notify(
        recipients=[membership.user], kind="organisation.membership",
        subject=Text(gettext_noop("Your role in %(name)s is now %(role)s"), name=membership.organisation.name,
                     role=choice_label(membership, "role")),
        body=Text(gettext_noop("%(person)s changed your role from %(old)s to %(new)s."), person=actor,
                  old=Role(old).label, new=choice_label(membership, "role")),
        link=membership.organisation.get_absolute_url(),
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Remove a member, or (actor == member) leave. The last administrator cannot go."""
    admins = _lock_admins(membership.organisation)
    if membership.role == Role.ADMIN and len(admins) == 1:
        raise ValidationError(_("%(person)s is the last administrator and cannot leave. Make someone else an "
                                "administrator first.") % {"person": membership.user})
    organisation = membership.organisation
    audit_record(actor=actor, action="membership.left" if actor == membership.user else "membership.removed",
                 target=organisation, organisation=organisation,
                 data={"user": membership.user.email, "role": membership.role})
    if actor != membership.user:
        notify(
            recipients=[membership.user], kind="organisation.membership",
            subject=Text(gettext_noop("You were removed from %(name)s"), name=organisation.name),
            body=Text(gettext_noop("%(person)s removed you from %(name)s."), person=actor, name=organisation.name),
        )
    membership.delete()


@transaction.atomic
def organisation_document_add(*, actor: User, organisation: Organisation, upload: CheckedUpload,
                              description: str) -> OrganisationDocument:
    document = upload.fill(OrganisationDocument(organisation=organisation, description=description),
                           uploaded_by=actor)
    document.save()
    audit_record(actor=actor, action="organisation.document_added", target=organisation,
                 organisation=organisation, data={"file": document.original_name, "sha256": document.sha256})
    return document


@transaction.atomic
def organisation_document_remove(*, actor: User, document: OrganisationDocument) -> None:
    audit_record(actor=actor, action="organisation.document_removed", target=document.organisation,
                 organisation=document.organisation, data={"file": document.original_name})
    name = cast(str, document.file.name)  # a stored document always has its file
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
