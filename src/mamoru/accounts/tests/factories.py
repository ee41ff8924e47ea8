"""Factories of the accounts app's records (factory-boy), for this app's and others' tests."""

from __future__ import annotations

import factory

from mamoru.accounts.models import TotpDevice, User

PASSWORD = "correct horse battery staple 42"


class UserFactory(factory.django.DjangoModelFactory):
    """A person who can sign in with ``PASSWORD``."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.jp")
    display_name = ""
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class TotpDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app."""

    class Meta:
        model = TotpDevice

    user = factory.SubFactory(UserFactory)
    name = "test"
    confirmed = True
