"""Who may see or do what in training. Views, admin and API call these on their first line.

Outside the user's scope an object is a 404, never a 403 that would confirm it exists.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal.models import Membership, User
from portal.permissions import get_admin_membership
from portal.roles import StaffGroup, in_group
from portal.types import AnyUser
from training.models import AdvisoryQuestion, Certificate


def get_coverage_membership(user: AnyUser, organisation_id: int) -> Membership:
    """Coverage reports are for the organisation's admins: 404 outside it, 403 for other members."""
    return get_admin_membership(user, organisation_id)


def questions_visible_to(user: AnyUser) -> QuerySet[AdvisoryQuestion]:
    if not user.is_authenticated:
        return AdvisoryQuestion.objects.none()
    return AdvisoryQuestion.objects.filter(organisation__memberships__user=user)


def get_question_for_user(user: AnyUser, question_id: int) -> AdvisoryQuestion:
    """A question of one of the user's organisations, or 404."""
    return get_object_or_404(questions_visible_to(user).select_related("centre", "organisation", "asked_by",
                                                                       "answered_by"), pk=question_id)


def get_own_certificate(user: AnyUser, certificate_id: int) -> Certificate:
    return get_object_or_404(Certificate.objects.select_related("course__centre"), pk=certificate_id, user=user)


def is_training_author(user: AnyUser) -> bool:
    return in_group(user, StaffGroup.TRAINING_AUTHOR)


def is_centre_adviser(user: AnyUser) -> bool:
    return in_group(user, StaffGroup.CENTRE_ADVISER)


def can_revoke_certificate(user: AnyUser) -> bool:
    """Programme administrators withdraw certificates (a course found wanting, a certificate obtained unfairly)."""
    return in_group(user, StaffGroup.PROGRAMME_ADMINISTRATOR)


def can_answer_question(user: AnyUser, question: AdvisoryQuestion) -> bool:
    """Only the advisers named on the question's centre, and only while they are in the advisers' group."""
    return is_centre_adviser(user) and question.centre.advisers.filter(pk=user.pk).exists()


def questions_for_adviser(user: User) -> QuerySet[AdvisoryQuestion]:
    """The admin queue: questions to the centres the user advises (programme administrators see all, read-only)."""
    if user.is_superuser or in_group(user, StaffGroup.PROGRAMME_ADMINISTRATOR):
        return AdvisoryQuestion.objects.all()
    if not is_centre_adviser(user):
        return AdvisoryQuestion.objects.none()
    return AdvisoryQuestion.objects.filter(centre__advisers=user)
