"""Bad input never makes a server error: bodies too large, nested too deep or holding text
no database stores are refused with 400 by every operation that takes a body."""

from __future__ import annotations

import json
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from mamoru.api.parsers import MAX_DEPTH, json_depth
from mamoru.asm.models import Finding, Priority
from mamoru.asm.testing import approved_asset
from mamoru.assessments.testing import campaign, load_framework, target_of
from mamoru.incidents.testing import add_member
from mamoru.incidents.tests.factories import draft_report, submitted_report
from mamoru.orgs.models import Membership
from mamoru.testing import CHIYODA, Cast, SignIn
from mamoru.testing.fuzz import progress_and_advisories

NESTED = "[" * 100_000 + "]" * 100_000  # json.load recurses until RecursionError
INC = "/api/v1/incidents/reports"
PROGRESS = "/api/v1/progress/campaigns/{key}"


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (b"", 0),
        (b'{"a": 1}', 1),
        (b'{"a": [{"b": []}]}', 4),
        (b'{"[[[": "]]]{{{", "x": ["\\"[[[\\\\"]}', 2),  # brackets inside strings
        (b'["unterminated [[[[', 1),
        (b"]]]][[", 0),  # invalid from the first character: nothing is parsed
        (b'"\\' * 1000, 0),  # escapes and quotes in every position: still linear
    ],
)
def test_depth_is_measured_outside_strings(text: bytes, depth: int) -> None:
    assert json_depth(text) == depth


def write_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(public=True)  # type: ignore[no-untyped-call]
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }


Target = tuple[str, str]  # who sends (an attribute of the cast) and the URL


@pytest.fixture
def targets(cast: Cast) -> dict[tuple[str, str], Target]:
    """A real URL for every operation that takes a body, and someone who may use it, so
    the refusal is the body's and not the gate's."""
    ciso = add_member("chiyoda_ciso", cast.org(CHIYODA))
    draft = draft_report(cast.chiyoda)
    sent = submitted_report(cast.chiyoda, ciso, people=150)  # PPC is a recipient
    viewer = Membership.objects.unscoped("test set-up").get(user=cast.chiyoda_viewer)
    survey = campaign(load_framework(), codes=[CHIYODA])
    target = target_of(survey, CHIYODA).pk
    ids = {prefix: values[0] for prefix, values in progress_and_advisories(cast).items()}
    progress = f"/api/v1/progress/campaigns/{ids[PROGRESS]}/organisations/{CHIYODA}"
    month = ids[f"{PROGRESS}/organisations/{{code}}/reports/{{month}}"]
    question = f"/api/v1/progress/questions/{ids['/api/v1/progress/questions/{id}']}"
    advisory = ids["/api/v1/advisories/{public_id}"]
    asset = approved_asset(cast.org(CHIYODA), "www.example.jp", kind="hostname")
    finding = Finding.objects.create(  # as a scan stores one (tests are not runtime code)
        organisation=cast.org(CHIYODA), asset=asset, key="k" * 64, kind="directory-listing",
        severity="medium", priority=Priority.MEDIUM, title="ディレクトリの一覧",
    )  # fmt: skip
    return {
        ("PATCH", "/api/v1/asm/assets/{id}/"): ("chiyoda", f"/api/v1/asm/assets/{asset.pk}/"),
        ("POST", "/api/v1/asm/findings/{id}/{action}/"): (
            "chiyoda",
            f"/api/v1/asm/findings/{finding.pk}/note/",
        ),
        ("POST", "/api/v1/asm/organisations/{code}/assets/"): (
            "chiyoda",
            f"/api/v1/asm/organisations/{CHIYODA}/assets/",
        ),
        ("POST", "/api/v1/advisories/"): ("nation", "/api/v1/advisories/"),
        ("POST", "/api/v1/advisories/import/"): ("nation", "/api/v1/advisories/import/"),
        ("POST", "/api/v1/advisories/{public_id}/answer/"): (
            "chiyoda",
            f"/api/v1/advisories/{advisory}/answer/",
        ),
        ("POST", "/api/v1/advisories/shared/"): ("chiyoda", "/api/v1/advisories/shared/"),
        ("POST", "/api/v1/assessments/campaigns/"): ("nation", "/api/v1/assessments/campaigns/"),
        ("PUT", "/api/v1/assessments/targets/{id}/answers/{item_id}/"): (
            "chiyoda",
            f"/api/v1/assessments/targets/{target}/answers/ORG-01/",
        ),
        ("POST", "/api/v1/assessments/targets/{id}/review/"): (
            "chiyoda",
            f"/api/v1/assessments/targets/{target}/review/",
        ),
        ("POST", "/api/v1/incidents/deputies/"): ("chiyoda", "/api/v1/incidents/deputies/"),
        ("POST", "/api/v1/incidents/inbox/acknowledge/"): (
            "tokyo",
            "/api/v1/incidents/inbox/acknowledge/",
        ),
        ("POST", "/api/v1/incidents/reports/"): ("chiyoda", f"{INC}/"),
        ("PUT", "/api/v1/incidents/reports/{public_id}/"): ("chiyoda", f"{INC}/{draft.public_id}/"),
        ("PUT", "/api/v1/incidents/reports/{public_id}/notice/"): (
            "chiyoda",
            f"{INC}/{sent.public_id}/notice/",
        ),
        ("POST", "/api/v1/incidents/reports/{public_id}/recipients/{code}/outside/"): (
            "chiyoda",
            f"{INC}/{sent.public_id}/recipients/PPC/outside/",
        ),
        ("POST", "/api/v1/incidents/reports/{public_id}/submit/"): (
            "chiyoda",
            f"{INC}/{draft.public_id}/submit/",
        ),
        ("POST", "/api/v1/incidents/reports/{public_id}/reopen/"): (
            "chiyoda",
            f"{INC}/{sent.public_id}/reopen/",
        ),
        ("POST", "/api/v1/incidents/reports/{public_id}/threads/{code}/messages/"): (
            "chiyoda",
            f"{INC}/{sent.public_id}/threads/PPC/messages/",
        ),
        ("POST", "/api/v1/organisations/{code}/memberships/"): (
            "chiyoda",
            f"/api/v1/organisations/{CHIYODA}/memberships/",
        ),
        ("PATCH", "/api/v1/memberships/{id}/"): ("chiyoda", f"/api/v1/memberships/{viewer.pk}/"),
        ("POST", "/api/v1/organisations/{code}/invitations/"): (
            "chiyoda",
            f"/api/v1/organisations/{CHIYODA}/invitations/",
        ),
        ("POST", "/api/v1/progress/campaigns/{key}/organisations/{code}/follow-ups/"): (
            "tokyo",
            f"{progress}/follow-ups/",
        ),
        ("PUT", "/api/v1/progress/campaigns/{key}/organisations/{code}/reports/{month}/"): (
            "chiyoda",
            f"{progress}/reports/{month}/",
        ),
        ("POST", "/api/v1/progress/follow-ups/{id}/answer/"): (
            "chiyoda",
            f"/api/v1/progress/follow-ups/{ids['/api/v1/progress/follow-ups/{id}']}/answer/",
        ),
        ("POST", "/api/v1/progress/notices/"): ("tokyo", "/api/v1/progress/notices/"),
        ("POST", "/api/v1/progress/questions/"): ("chiyoda", "/api/v1/progress/questions/"),
        ("POST", "/api/v1/progress/questions/{id}/answer/"): ("tokyo", f"{question}/answer/"),
        ("POST", "/api/v1/progress/questions/{id}/forward/"): ("tokyo", f"{question}/forward/"),
        ("POST", "/api/v1/progress/questions/{id}/faq/"): ("tokyo", f"{question}/faq/"),
        ("POST", "/api/v1/tokens/"): ("chiyoda", "/api/v1/tokens/"),
    }


def send(client: APIClient, method: str, url: str, body: str | bytes) -> Any:
    call = getattr(client, method.lower())
    return call(url, data=body, content_type="application/json")


@pytest.mark.django_db
def test_every_operation_with_a_body_refuses_deep_nesting_with_400(
    cast: Cast, signed_in: SignIn, targets: dict[tuple[str, str], Target]
) -> None:
    assert set(targets) == write_operations()  # a new operation must be listed here
    for (method, _), (who, url) in targets.items():
        client = signed_in(getattr(cast, who), api=True)
        response = send(client, method, url, NESTED)
        assert response.status_code == 400, (method, url, response.content)
        assert "入れ子が深すぎます" in response.json()["detail"], (method, url)
        # A body just within the limit reaches the operation (its own checks decide).
        legal = send(client, method, url, "[" * MAX_DEPTH + "]" * MAX_DEPTH)
        assert "入れ子" not in legal.content.decode(), (method, url)


@pytest.mark.django_db
def test_a_body_over_the_size_limit_is_refused_before_parsing(
    cast: Cast, signed_in: SignIn, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = signed_in(cast.chiyoda, api=True)
    body = json.dumps({"name": "x" * 2000})
    response = send(client, "POST", "/api/v1/tokens/", body)
    assert response.status_code == 400
    assert "本文が大きすぎます（上限 1000 バイト）" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["\\u0000", "a\\ud800b", "\\udfff"])
def test_text_no_database_can_store_is_refused(cast: Cast, signed_in: SignIn, text: str) -> None:
    client = signed_in(cast.chiyoda, api=True)
    for body in (
        f'{{"name": "{text}"}}',
        f'{{"name": "ok", "{text}": 1}}',
        f'{{"name": "ok", "permissions": ["{text}"]}}',  # schemathesis's old flake on main
    ):
        response = send(client, "POST", "/api/v1/tokens/", body)
        assert response.status_code == 400, body
        assert "使えない文字" in response.json()["detail"]
