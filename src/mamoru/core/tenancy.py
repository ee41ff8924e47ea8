"""Tenant data is declared, not guessed.

Every model says what it is:

* ``tenancy = Tenancy.owned_by("organisation")`` — the path (a Django lookup) from the
  model to the organisation that owns its rows; with ``addressed_to="recipient"`` also
  the path to an organisation a row was sent to (an incident delivery's recipient reads it
  by routing, not by ownership);
* ``tenancy = Tenancy.shared("why")`` — global data that belongs to no organisation
  (vulnerability feeds, people's own credentials, job progress), with the reason.

Tenant models use ``TenantManager``: every query starts from the access gate's answer,
``Model.objects.within(organisations)`` or ``.addressed_to(organisations)``, where
``organisations`` comes from ``mamoru.orgs.selectors`` (``organisations_readable`` …), or
says why it needs no gate: ``Model.objects.unscoped("the reason")`` (loaders, the gate
itself, tasks that work for every organisation). ``core/tests/test_tenancy.py`` fails on
an unclassified model and on any other way of querying a tenant model, in any file.

Third-party models are classified in ``THIRD_PARTY`` below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Tenancy:
    """Whether a model's rows belong to an organisation, and by which path."""

    owner: str | None  # lookup path to the owning organisation; None for shared data
    addressed: str | None = None  # lookup path to an organisation the row was sent to
    reason: str = ""  # why shared data belongs to no organisation

    @classmethod
    def owned_by(cls, path: str, *, addressed_to: str | None = None) -> Tenancy:
        return cls(owner=path, addressed=addressed_to)

    @classmethod
    def shared(cls, reason: str) -> Tenancy:
        if not reason.strip():
            raise ValueError("say why the data belongs to no organisation")
        return cls(owner=None, reason=reason)

    @property
    def is_tenant(self) -> bool:
        return self.owner is not None


def _narrowed(qs: models.QuerySet[Any], path: str, organisations: models.QuerySet[Any]) -> Any:
    # Comparing primary keys works whether the path ends in a foreign key or a plain id.
    return qs.filter(**{f"{path}__in": organisations.values("pk")})


class TenantQuerySet(models.QuerySet[M], Generic[M]):
    def within(self, organisations: models.QuerySet[Any]) -> TenantQuerySet[M]:
        """Rows owned by ``organisations`` (the gate's readable set for the principal)."""
        path = self.model.tenancy.owner  # type: ignore[attr-defined]
        narrowed: TenantQuerySet[M] = _narrowed(self, path, organisations)
        return narrowed

    def addressed_to(self, organisations: models.QuerySet[Any]) -> TenantQuerySet[M]:
        """Rows sent to ``organisations`` (the gate's addressable set for the principal)."""
        path = self.model.tenancy.addressed  # type: ignore[attr-defined]
        if path is None:
            raise TypeError(f"{self.model.__name__} is never addressed to an organisation")
        narrowed: TenantQuerySet[M] = _narrowed(self, path, organisations)
        return narrowed

    def unscoped(self, reason: str) -> TenantQuerySet[M]:
        """Every row, for work that needs no gate; ``reason`` says why (the lint requires a
        literal, so a reviewer reads it where the query is)."""
        if not reason.strip():
            raise ValueError("unscoped() needs the reason")
        return self.all()


class TenantManager(models.Manager[M], Generic[M]):
    """The manager of every tenant model: queries start at ``within``, ``addressed_to`` or
    ``unscoped``; ``create`` and ``bulk_create`` write rows the caller already checked."""

    def get_queryset(self) -> TenantQuerySet[M]:
        return TenantQuerySet(self.model, using=self._db)

    def within(self, organisations: models.QuerySet[Any]) -> TenantQuerySet[M]:
        return self.get_queryset().within(organisations)

    def addressed_to(self, organisations: models.QuerySet[Any]) -> TenantQuerySet[M]:
        return self.get_queryset().addressed_to(organisations)

    def unscoped(self, reason: str) -> TenantQuerySet[M]:
        return self.get_queryset().unscoped(reason)


# Entry points of a tenant model's manager that the lint accepts.
GATED_ENTRY_POINTS = frozenset(
    {"within", "addressed_to", "unscoped", "none", "create", "bulk_create"}
)

# Models of the libraries we install: none of them holds an organisation's records.
THIRD_PARTY: dict[str, str] = {
    "admin.logentry": "Django admin's own history (the admin is not routed)",
    "auth.permission": "Django's permission catalogue (mamoru decides access in orgs.policy)",
    "auth.group": "Django's groups (unused: roles are memberships)",
    "contenttypes.contenttype": "Django's catalogue of models",
    "sessions.session": "a person's sign-in session, not an organisation's record",
    "otp_static.staticdevice": "a person's own static codes (unused: recovery codes instead)",
    "otp_static.statictoken": "a person's own static codes (unused: recovery codes instead)",
    "axes.accessattempt": "sign-in attempts by user name and address, for the lockout",
    "axes.accessfailurelog": "sign-in failures by user name and address, for the lockout",
    "axes.accesslog": "sign-ins by user name and address, for the lockout",
    "axes.accessattemptexpiration": "when a lockout of a user name and address ends",
    "django_tasks_database.dbtaskresult": "the task queue: tasks take ids and read through the gate",
}


def tenancy_of(model: type[models.Model]) -> Tenancy | None:
    """The declared tenancy of ``model``, or None when it is not classified."""
    declared = getattr(model, "tenancy", None)
    if isinstance(declared, Tenancy):
        return declared
    label = model._meta.label_lower
    if label in THIRD_PARTY:
        return Tenancy.shared(THIRD_PARTY[label])
    return None
