"""`certificates_for_aeo_section(organisation, code)`: what an AEO application may attach as training evidence."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from training.models import Certificate
from training.selectors import certificates_for_aeo_section

from .factories import CertificateFactory, EnrolmentFactory, full_course


def test_only_the_organisations_valid_certificates_for_that_course(alice, bob, carol, mallory, atlantic, author):
    course = full_course(aeo_sections=["C", "J"])
    other_course = full_course(aeo_sections=["J"])
    now = timezone.now()
    valid = CertificateFactory(enrolment=EnrolmentFactory(user=alice, course=course, organisation=atlantic))
    expired = CertificateFactory(enrolment=EnrolmentFactory(user=bob, course=course, organisation=atlantic),
                                 expires_at=now - timedelta(days=1))
    revoked = CertificateFactory(enrolment=EnrolmentFactory(user=carol, course=course, organisation=atlantic),
                                 revoked_at=now)
    elsewhere = CertificateFactory(enrolment=EnrolmentFactory(
        user=mallory, course=course, organisation=mallory.memberships.get().organisation))
    other = CertificateFactory(enrolment=EnrolmentFactory(user=alice, course=other_course, organisation=atlantic))
    assert list(certificates_for_aeo_section(atlantic, "C")) == [valid]
    assert {expired, revoked, elsewhere, other}.isdisjoint(certificates_for_aeo_section(atlantic, "C"))
    assert set(certificates_for_aeo_section(atlantic, "J")) == {valid, other}
    # a member who leaves takes their certificate with them
    alice.memberships.get(organisation=atlantic).delete()
    assert not certificates_for_aeo_section(atlantic, "C").exists()
    assert Certificate.objects.count() == 5
