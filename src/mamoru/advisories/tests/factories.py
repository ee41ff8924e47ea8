"""Factories of the advisories tests: share-backs are plain records (factory-boy);
advisories go through the service (``mamoru.advisories.testing.publish``)."""

from __future__ import annotations

import factory

from mamoru.advisories.models import ShareBack, ShareKind, Tlp
from mamoru.orgs.models import Organisation


class ShareBackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShareBack

    organisation = factory.LazyFunction(lambda: Organisation.objects.get(code="131016"))
    kind = ShareKind.PHISHING
    title = factory.Sequence(lambda n: f"不審なメール{n}")
    body = "請求書を装ったメールを受信した。"
    indicators = factory.LazyFunction(lambda: ["invoice@example.net"])
    tlp = Tlp.AMBER
    to_nation = True
