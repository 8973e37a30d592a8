"""One factory per model of the consultations app."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from consultations.models import Audience, Comment, Consultation, Follow, OfficialResponse, Phase
from portal.markdown import render_markdown
from tests.factories import OrganisationFactory, UserFactory


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory, kind="association")
    created_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Simplified declarations for low-value parcels, round {n}")
    summary = "Customs proposes a single data set for parcels under 150 euros."
    body = "## Today\n\nEach carrier files its own manifest.\n\n## Proposal\n\nOne data set for all."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
    audience = Audience.PUBLIC
    phase = Phase.OPEN
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    published_at = factory.LazyFunction(timezone.now)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment
        skip_postgeneration_save = True

    consultation = factory.SubFactory(ConsultationFactory)
    author = factory.SubFactory(UserFactory)
    body = "We support the single data set, provided carriers get a transition period of a year."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
    depth = 1

    @factory.post_generation
    def set_root(obj, create, extracted, **kwargs):
        if create and obj.root_id is None:
            obj.root_id = obj.parent.root_id if obj.parent_id else obj.pk
            Comment.objects.filter(pk=obj.pk).update(root_id=obj.root_id)


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    consultation = factory.SubFactory(ConsultationFactory)
    user = factory.SubFactory(UserFactory)
    delivery = Follow.Delivery.DIGEST


class OfficialResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficialResponse

    consultation = factory.LazyAttribute(lambda o: o.comment.consultation)
    comment = factory.SubFactory(CommentFactory)
    author = factory.SubFactory(UserFactory, is_staff=True)
    organisation = factory.SubFactory(OrganisationFactory, kind="customs", sector="")
    disposition = "accepted"
    reasoning = "Agreed: the transition period will be twelve months."
