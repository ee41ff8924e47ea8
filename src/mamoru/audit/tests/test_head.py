"""The head of the chain is append-only in the database: it only ever advances by one."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from mamoru.audit.models import AuditEvent, AuditHead
from mamoru.audit.services import GENESIS, audit_record
from mamoru.audit.testing import execute

pytestmark = pytest.mark.django_db


@pytest.fixture
def head() -> AuditHead:
    for i in range(3):
        audit_record(action="test.write", target=str(i))
    return AuditHead.objects.get(pk=1)


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM audit_audithead",
        "UPDATE audit_audithead SET count = count - 1",  # a rewind
        "UPDATE audit_audithead SET count = count + 2",  # a jump
        "UPDATE audit_audithead SET digest = 'ff'",  # a rewrite in place
        "UPDATE audit_audithead SET count = count + 1, id = 7",  # a move
    ],
    ids=["delete", "rewind", "jump", "rewrite", "move"],
)
def test_the_database_refuses_to_shorten_or_rewrite_the_head(head: AuditHead, sql: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute(sql)
    assert AuditHead.objects.get(pk=1).count == head.count


def test_the_database_refuses_a_second_head(head: AuditHead) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute(
            "INSERT INTO audit_audithead (id, digest, count) VALUES (2, %s, 0)",
            [GENESIS],
        )
    assert list(AuditHead.objects.values_list("pk", flat=True)) == [1]


def test_the_database_refuses_the_orm_too(head: AuditHead) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditHead.objects.filter(pk=1).update(count=0, digest=GENESIS)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditHead.objects.all().delete()


def test_appending_still_advances_the_head(head: AuditHead) -> None:
    event = audit_record(action="test.write", target="next")
    now = AuditHead.objects.get(pk=1)
    assert (now.count, now.digest) == (head.count + 1, event.digest)
    assert now.count == AuditEvent.objects.count()
