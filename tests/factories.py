"""One factory per model."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from portal.models import Membership, Notification, Organisation, Role, Sector, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.OPERATOR
    name = factory.Faker("company")
    identifier = factory.Sequence(lambda n: f"PT{500000000 + n}")
    country = "PT"
    sector = factory.LazyAttribute(lambda o: Sector.MACHINERY if o.kind == Organisation.Kind.OPERATOR else "")
    street = "Rua Augusta 1"
    postcode = "1100-048"
    city = "Lisboa"
    verified_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "organisation.membership"
    subject = factory.Sequence(lambda n: f"Something happened #{n}")
    body = "Details of what happened."
    link = "/dashboard/"
