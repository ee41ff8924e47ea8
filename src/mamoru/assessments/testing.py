"""Builders for the assessments app's tests, benchmarks and demo: frameworks loaded from
the shipped files, people acting in an organisation, campaigns and answered targets —
all made through the services, so the records are the ones the services write."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Final

from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.assessments import definitions
from mamoru.assessments.library.loader import FRAMEWORKS_DIR
from mamoru.assessments.models import Campaign, Framework, Submission, Target
from mamoru.assessments.services import (
    AnswerInput,
    answers_save,
    campaign_create,
    framework_load,
    target_submit,
)
from mamoru.orgs.models import Membership, Organisation
from mamoru.orgs.principal import Principal, System
from mamoru.orgs.roles import Role
from mamoru.orgs.selectors import organisation_by_code, principal_for

MEASURES: Final = "lg-measures-2026.yaml"
CSF: Final = "nist-csf-2.0.yaml"
SYSTEM: Final = System("test set-up")


def load_framework(filename: str = MEASURES) -> Framework:
    """A shipped framework stored in the database (idempotent)."""
    path = FRAMEWORKS_DIR / filename
    return framework_load(principal=SYSTEM, text=path.read_text(encoding="utf-8"), source=path.name)


def person(code: str, role: str = Role.CISO, username: str | None = None) -> User:
    """A person with ``role`` in the organisation ``code`` (no password: fast to make)."""
    organisation = organisation_by_code(code=code)
    user = User.objects.create(
        username=username or f"{role}-{code}", email=f"{role}-{code}@example.jp"
    )
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def principal(user: User, code: str | None = None) -> Principal:
    found = principal_for(user=user, organisation_code=code)
    assert found is not None, f"{user} acts nowhere"
    return found


def campaign(
    framework: Framework,
    *,
    owner: str = "MIC",
    codes: Sequence[str] | None = None,
    title: str = "令和8年度 情報セキュリティ対策の実施状況調査",
    deadline: datetime | None = None,
    now: datetime | None = None,
) -> Campaign:
    return campaign_create(
        principal=SYSTEM,
        owner=organisation_by_code(code=owner),
        framework=framework,
        title=title,
        deadline=deadline or timezone.now() + timedelta(days=30),
        organisation_codes=codes,
        now=now,
    )


def target_of(campaign: Campaign, code: str) -> Target:
    return (
        Target.objects.unscoped("test set-up")
        .select_related("campaign__framework", "organisation")
        .get(campaign=campaign, organisation__code=code)
    )


def uniform(framework: Framework, size_class: str, option: str = "implemented") -> dict[str, str]:
    """The same answer to every item organisations of ``size_class`` answer."""
    return {item.id: option for item in definitions.definition(framework).items_for(size_class)}


def answer(target: Target, answers: Mapping[str, str]) -> None:
    """Save ``answers`` (item → option) as the system would on the organisation's behalf."""
    answers_save(
        principal=SYSTEM,
        target=target,
        answers={item: AnswerInput(option) for item, option in answers.items()},
        action="import",
    )


def submit(target: Target, answers: Mapping[str, str], approver: User | None = None) -> Submission:
    """Answer and submit as the organisation's CISO (made when not given)."""
    answer(target, answers)
    if approver is None:
        code = target.organisation.code
        approver = User.objects.filter(
            memberships__organisation=target.organisation, memberships__role=Role.CISO
        ).first() or person(code)
    return target_submit(principal=principal(approver, target.organisation.code), target=target)


def organisations(codes: Iterable[str]) -> list[Organisation]:
    return [organisation_by_code(code=c) for c in codes]
