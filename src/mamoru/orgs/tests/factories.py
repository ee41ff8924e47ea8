"""Factories of the organisations app's records. Organisations themselves are the real list
(loaded once per test database): pick one with ``organisation(code)``."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from mamoru.accounts.models import ApiToken
from mamoru.accounts.tests.factories import UserFactory
from mamoru.orgs.models import Grant, Membership, Organisation
from mamoru.orgs.roles import Role


def organisation(code: str) -> Organisation:
    return Organisation.objects.unscoped("test set-up").get(code=code)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        django_get_or_create = ("user", "organisation")

    user = factory.SubFactory(UserFactory)
    organisation = factory.LazyFunction(lambda: organisation("131016"))  # 千代田区
    role = Role.EDITOR


class GrantFactory(factory.django.DjangoModelFactory):
    """A live delegation of a month."""

    class Meta:
        model = Grant

    grantee = factory.SubFactory(UserFactory)
    organisation = factory.LazyFunction(lambda: organisation("131016"))
    role = Role.EDITOR
    reason = "支援のため"
    starts_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A token record (its plaintext is unknown: use the service to get one that works)."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    organisation = factory.LazyFunction(lambda: organisation("131016"))
    name = factory.Sequence(lambda n: f"token{n}")
    prefix = factory.Sequence(lambda n: f"{n:012x}")
    digest = factory.Sequence(lambda n: f"{n:064x}")
    permissions = factory.LazyFunction(lambda: ["org.view", "data.view"])
