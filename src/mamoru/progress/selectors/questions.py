"""Reads of questions (the asker's own, the prefecture's municipalities', those addressed
to the principal's organisation) and of the FAQ, with its Japanese search."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from mamoru.audit.reads import audited_read
from mamoru.orgs.policy import DataKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisations_addressable, organisations_readable
from mamoru.progress.models import (
    FaqEntry,
    FaqGram,
    Question,
    QuestionAttachment,
    QuestionStatus,
)
from mamoru.progress.search import bigrams, terms

WAITING = (QuestionStatus.OPEN, QuestionStatus.FORWARDED)


def questions_visible(*, principal: Principal) -> QuerySet[Question]:
    """Questions the principal may read: its organisation's own, its municipalities' (for a
    prefecture), and those addressed to it (forwarded to the nation)."""
    readable = organisations_readable(principal=principal, kind=DataKind.QUESTIONS)
    addressable = organisations_addressable(principal=principal, kind=DataKind.QUESTIONS)
    return (
        (Question.objects.within(readable) | Question.objects.addressed_to(addressable))
        .select_related("organisation", "assignee", "answered_by_organisation")
        .order_by("-asked_at", "-pk")
    )


def questions_to_answer(*, principal: Principal) -> QuerySet[Question]:
    """Questions waiting for the principal's organisation's answer, the oldest first."""
    addressable = organisations_addressable(principal=principal, kind=DataKind.QUESTIONS)
    return (
        Question.objects.addressed_to(addressable)
        .filter(status__in=WAITING)
        .select_related("organisation")
        .order_by("asked_at", "pk")
    )


@audited_read("progress.question.read", target=lambda args: f"question:{args.get('pk')}")
def question_get(*, principal: Principal, pk: int) -> Question:
    """One readable question; ``Question.DoesNotExist`` otherwise. Audited."""
    return questions_visible(principal=principal).get(pk=pk)


def question_attachments(
    *, principal: Principal, question: Question
) -> QuerySet[QuestionAttachment]:
    """The attachments of a question already read through :func:`question_get`."""
    return (
        QuestionAttachment.objects.unscoped("the question itself was read through the gate")
        .filter(question=question)
        .defer("data")
        .order_by("pk")
    )


def question_attachment_get(
    *, principal: Principal, question_pk: int, pk: int
) -> QuestionAttachment:
    question = questions_visible(principal=principal).get(pk=question_pk)
    return (
        QuestionAttachment.objects.unscoped("the question itself was read through the gate")
        .filter(question=question)
        .get(pk=pk)
    )


def faq_search(*, principal: Principal, query: str = "", category: str = "") -> QuerySet[FaqEntry]:
    """Published FAQ entries (every principal reads them) matching every term of ``query``:
    each term's bigrams must all be indexed for the entry, and its normalised text must
    contain the term (``mamoru.progress.search``). Entries matching in the title first."""
    found = FaqEntry.objects.all()
    if category:
        found = found.filter(category=category)
    wanted: set[str] = set()
    for term in terms(query):
        grams = bigrams(term)
        if grams:
            having_all = (
                FaqGram.objects.filter(gram__in=grams)
                .values("entry_id")
                .annotate(found=Count("gram"))
                .filter(found=len(grams))
                .values("entry_id")
            )
            found = found.filter(pk__in=having_all)
            wanted |= grams
        found = found.filter(search_text__contains=term)
    if wanted:
        found = found.annotate(
            title_hits=Count("grams", filter=Q(grams__gram__in=wanted, grams__in_title=True))
        ).order_by("-title_hits", "-updated_at", "-pk")
    else:
        found = found.order_by("-updated_at", "-pk")
    return found


def faq_get(*, principal: Principal, pk: int) -> FaqEntry:
    """One published FAQ entry; ``FaqEntry.DoesNotExist`` otherwise."""
    return FaqEntry.objects.select_related("published_by").get(pk=pk)


def faq_of_question(*, principal: Principal, question: Question) -> FaqEntry | None:
    """The FAQ entry made from a question already read through :func:`question_get`."""
    return FaqEntry.objects.filter(question=question).first()
