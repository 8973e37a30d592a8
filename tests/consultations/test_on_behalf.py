"""Who speaks for an organisation: only one customs has verified, as for AEO applications. Members of an
unverified organisation still comment, as themselves, and the comment form says why "on behalf" is not offered;
the services refuse it whichever way it is asked for (page, API), and the same rule covers co-signing and
authoring consultations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from consultations import permissions, services
from consultations.models import Comment
from portal.models import Membership, Organisation, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def newcomer(db) -> Organisation:
    return OrganisationFactory(name="Tagus Newcomers Lda", identifier="PT508888888", verified_at=None)


@pytest.fixture
def dora(newcomer):
    """The administrator of an organisation customs has not verified yet."""
    return MembershipFactory(user=UserFactory(email="dora@newcomers.example", full_name="Dora Dias"),
                             organisation=newcomer, role=Role.ADMIN).user


def _membership(user) -> Membership:
    return Membership.objects.select_related("organisation").get(user=user)


def test_an_unverified_organisation_cannot_be_spoken_for_but_its_member_comments_as_herself(open_consultation,
                                                                                              dora, newcomer):
    # when Dora asks to post on behalf of her unverified organisation
    with pytest.raises(ValidationError) as refused:
        services.comment_post(actor=dora, consultation=open_consultation, body="We support the proposal.",
                              acting_for=_membership(dora), on_behalf=True)
    # then the service refuses, saying why and what still works
    message = refused.value.message_dict["on_behalf"][0]
    assert "cannot comment as an organisation until customs has verified it" in message
    assert "you comment as yourself" in message
    assert not Comment.objects.exists()
    # and she may still comment as herself; her organisation counts in the statistics, not as the signatory
    comment = services.comment_post(actor=dora, consultation=open_consultation, body="We support the proposal.",
                                    acting_for=_membership(dora))
    assert comment.signed_as == "Dora Dias" and comment.organisation == newcomer and not comment.on_behalf


def test_the_comment_form_offers_on_behalf_exactly_when_the_service_allows_it(open_consultation, alice, carol, dora,
                                                                               client_for):
    for user, offered in [(alice, True), (carol, False), (dora, False)]:
        page = client_for(user).get(open_consultation.get_absolute_url()).content.decode()
        assert ('name="on_behalf"' in page) is offered, user
        allowed = permissions.on_behalf_refusal(user, _membership(user)) is None
        assert allowed is offered, user
    # the page says why it is not offered, and to Dora where to get her organisation verified
    page = client_for(dora).get(open_consultation.get_absolute_url()).content.decode()
    assert "Tagus Newcomers Lda cannot comment as an organisation until customs has verified it" in page
    verify = reverse("organisation_detail", args=[_membership(dora).organisation_id])
    assert f'<a href="{verify}">What customs needs to verify your organisation</a>' in page
    assert "Consultants comment as themselves" in client_for(carol).get(
        reverse("consultations:comment_post", args=[open_consultation.pk])).content.decode()


def test_posting_on_behalf_through_the_page_or_the_api_is_refused_for_an_unverified_organisation(
        open_consultation, dora, newcomer, client_for):
    client = client_for(dora)
    # a forged form field is ignored: the form does not have it, so she comments as herself
    client.post(reverse("consultations:comment_post", args=[open_consultation.pk]),
                {"body": "Forged on behalf.", "on_behalf": "on"})
    assert list(Comment.objects.values_list("on_behalf", flat=True)) == [False]
    # the API asks the same service and answers 400 with the reason
    response = client.post(reverse("api-consultation-comments", args=[open_consultation.pk]),
                           {"body": "Via the API", "on_behalf_of": newcomer.pk}, content_type="application/json")
    assert response.status_code == 400
    assert "until customs has verified it" in str(response.json())
    assert Comment.objects.count() == 1


def test_once_verified_the_organisation_is_spoken_for(open_consultation, dora, newcomer):
    Organisation.objects.filter(pk=newcomer.pk).update(verified_at=timezone.now())
    comment = services.comment_post(actor=dora, consultation=open_consultation, body="We support it.",
                                    acting_for=_membership(dora), on_behalf=True)
    assert comment.on_behalf and comment.signed_as == "Tagus Newcomers Lda"


def test_an_unverified_organisation_neither_cosigns_nor_authors_consultations(open_consultation, alice, dora,
                                                                              newcomer):
    # given a comment on behalf of a verified organisation
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="Atlantic's view.",
                                    acting_for=_membership(alice), on_behalf=True)
    # then an unverified organisation is not offered co-signing, and the service refuses it
    assert permissions.cosigning_memberships(dora, comment) == []
    with pytest.raises(PermissionDenied):
        services.comment_cosign(actor=dora, comment=comment, organisation=newcomer)
    # and an unverified association cannot post a consultation on its behalf
    Organisation.objects.filter(pk=newcomer.pk).update(kind=Organisation.Kind.ASSOCIATION, sector="")
    dora = type(dora).objects.get(pk=dora.pk)  # memberships are read once per user object
    assert permissions.authoring_memberships(dora) == []
    with pytest.raises(PermissionDenied):
        services.consultation_create(actor=dora, organisation=newcomer, title="Royalties", summary="s", body="b",
                                     closes_at=timezone.now() + timedelta(days=30))
