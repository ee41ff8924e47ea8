"""Factories of the progress tests: records that need no service logic are built with
factory-boy; campaigns and reports go through the services (``mamoru.progress.testing``)."""

from __future__ import annotations

import factory

from mamoru.orgs.models import Organisation
from mamoru.progress.models import FaqEntry, QuestionCategory
from mamoru.progress.search import normalise


class FaqEntryFactory(factory.django.DjangoModelFactory):
    """A published FAQ entry (index it with ``services.questions._index`` when searching)."""

    class Meta:
        model = FaqEntry

    category = QuestionCategory.SECURITY
    title = factory.Sequence(lambda n: f"質問{n}")
    body = "質問の内容"
    answer = "回答の内容"
    published_by = factory.LazyFunction(lambda: Organisation.objects.get(code="MIC"))
    search_text = factory.LazyAttribute(lambda o: normalise(f"{o.title} {o.body} {o.answer}"))
