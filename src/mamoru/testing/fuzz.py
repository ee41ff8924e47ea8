"""Support for fuzzing the API with schemathesis as every role of the cast.

``load_schema`` reads the OpenAPI schema from the WSGI application with mamoru's
schemathesis configuration; ``build_world`` makes the people, their credentials and real
objects to point path parameters at; ``point_at_real_objects`` does that for a case.
``mamoru/api/tests/conftest.py`` turns them into fixtures for the schema tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings

from mamoru.accounts.models import User
from mamoru.advisories import services as advisories
from mamoru.advisories.models import ShareKind
from mamoru.advisories.testing import publish
from mamoru.assessments import definitions
from mamoru.assessments.testing import campaign, load_framework, target_of
from mamoru.incidents.models import Delivery, Notification
from mamoru.incidents.services.deputies import deputy_name
from mamoru.incidents.testing import add_member
from mamoru.incidents.tests.factories import draft_report, submitted_report
from mamoru.orgs.models import Membership
from mamoru.orgs.principal import System
from mamoru.orgs.roles import Role
from mamoru.orgs.services import api_token_create, invitation_create
from mamoru.progress import services as progress
from mamoru.progress.audience import Audience, AudienceKind
from mamoru.progress.lateness import add_months, month_of
from mamoru.progress.models import FollowUpKind, QuestionCategory
from mamoru.progress.testing import make_campaign, principal
from mamoru.testing import CHIYODA, TOKYO, Cast, ensure_organisations, make_cast

# Every role of the cast; the municipal administrator is fuzzed the longest.
ROLES = ("admin", "editor", "ciso", "viewer", "prefecture", "nation", "ppc", "outsider")
CSRF_SECRET = "f" * 32  # an unmasked CSRF secret is accepted as cookie and header alike

# Schema-valid bodies these operations refuse with 400, for reasons the schema does not
# express (a server error or a malformed answer still fails them):
KNOWN_400_FOR_VALID_DATA = (
    # a user name that names nobody ("この利用者はいません"): 422 or 404 would say it better
    "organisations_memberships_create",
    # ``permissions`` items are any text in the schema, the service accepts known names only
    "tokens_create",
    # an option the framework does not offer for the item: 422 would say it better
    "assessments_targets_answers_update",
    # submitting a target with no answer: its state refuses it, 409 would say it better
    "assessments_targets_submit_create",
    # rules across fields JSON Schema does not state: an audience unless by exposure, a
    # STIX bundle (type "bundle"), the fields an audience's kind needs, a note when the
    # notice to the persons concerned is exempt, item codes of the campaign's plan
    "advisories_create",
    "advisories_import_create",
    "progress_notices_create",
    "incidents_reports_notice_update",
    "progress_campaigns_organisations_reports_update",
)
# Answers not checked against the schema, for reasons the incidents app must settle:
NO_RESPONSE_SCHEMA = (
    # a file download documented as binary: its JSON formats (STIX) are no JSON string;
    # the formats have their own tests (incidents/tests/test_exports*)
    "incidents_reports_versions_export_retrieve",
    "incidents_inbox_export_retrieve",
)
# The report's content has ~1,000 boundary cases in schemathesis's coverage phase (90 s):
# these two get random fuzzing only; the content's rules have their own property tests.
NO_COVERAGE_PHASE = ("incidents_reports_create", "incidents_reports_update")


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings of the schema tests. By default every run draws the same cases
    (derandomised), so a red CI is a reproducible one and does not depend on the draw;
    ``make fuzz`` (``MAMORU_FUZZ_RANDOM=1``, ``MAMORU_FUZZ_EXAMPLES``) draws new ones, more
    of them, to find what the fixed draw does not."""
    explore = os.environ.get("MAMORU_FUZZ_RANDOM") == "1"
    return settings(
        max_examples=int(os.environ.get("MAMORU_FUZZ_EXAMPLES", examples)),
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=not explore,
    )


def load_schema(*, every_phase: bool) -> schemathesis.BaseSchema:
    """The API's schema for schemathesis: with ``every_phase`` the schema's examples and
    the coverage phase (boundary and invalid values) run before random fuzzing."""
    operations: list[dict[str, Any]] = [
        {
            "include-operation-id": operation_id,
            "checks": {"positive_data_acceptance": {"enabled": False}},
        }
        for operation_id in KNOWN_400_FOR_VALID_DATA
    ]
    operations += [
        {"include-operation-id": operation_id, "phases": {"coverage": {"enabled": False}}}
        for operation_id in NO_COVERAGE_PHASE
    ]
    operations += [
        {
            "include-operation-id": operation_id,
            "checks": {"response_schema_conformance": {"enabled": False}},
        }
        for operation_id in NO_RESPONSE_SCHEMA
    ]
    config = schemathesis.Config.from_dict(
        {
            # NUL is refused with a 400 in any text (PostgreSQL cannot store it; the
            # parser's own test checks that), so it is not schema-valid data here; the
            # credentials are the role's, given with each call, not fuzzed.
            "generation": {"allow-x00": False, "with-security-parameters": False},
            "phases": {
                "examples": {"enabled": every_phase},
                "coverage": {"enabled": every_phase},
            },
            # A report that is well formed but contradicts itself (started after noticed)
            # is a 422: JSON Schema cannot compare two dates, so a schema-valid body may
            # rightly be refused.
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": [
                        *("2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx")
                    ]
                }
            },
            "operations": operations,
        }
    )
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application(), config=config)


@dataclass(frozen=True)
class World:
    """Credentials by role, and real ids by the path up to the parameter
    (``/api/v1/tokens/{id}`` for every operation under it), or by a parameter name alone."""

    headers: dict[str, dict[str, str]]
    ids: dict[str, list[str]]


def _tokens(people: dict[str, tuple[User, str]]) -> tuple[dict[str, dict[str, str]], list[str]]:
    headers, ids = {}, []
    for role, (user, code) in people.items():
        membership = Membership.objects.unscoped("fuzz set-up").get(
            user=user, organisation__code=code
        )
        token, plaintext = api_token_create(
            principal=System("test set-up"),
            user=user,
            organisation=membership.organisation,
            name=f"fuzz {role}",
        )
        headers[role] = {"Authorization": f"Bearer {plaintext}"}
        ids.append(str(token.pk))
    return headers, ids


def _session(user: User) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    return {"Cookie": f"sessionid={session}; csrftoken={CSRF_SECRET}", "X-CSRFToken": CSRF_SECRET}


def progress_and_advisories(cast: Cast) -> dict[str, list[str]]:
    """Real ids of the progress and advisories APIs: a campaign of 千代田区 begun last
    month with a follow-up by 東京都, a notice, a question and an FAQ entry, an advisory of
    the nation to 千代田区 and a share-back of 千代田区."""
    this_month = month_of(timezone.localdate())
    survey = make_campaign(codes=[CHIYODA], start=add_months(this_month, -1), key="fuzz")
    tokyo, chiyoda = principal(cast.tokyo, TOKYO), principal(cast.chiyoda, CHIYODA)
    nation = principal(cast.nation, "MIC")
    follow_up = progress.follow_up_create(
        principal=tokyo,
        campaign=survey,
        organisation=cast.org(CHIYODA),
        kind=FollowUpKind.ASKED,
        text="進捗を確認しました",
    )
    notice = progress.notice_publish(
        principal=tokyo,
        title="締切のお知らせ",
        body="本文",
        audience=Audience(kind=AudienceKind.LIST, codes=(CHIYODA,)),
    )
    question = progress.question_ask(
        principal=chiyoda, category=QuestionCategory.values[0], title="費用", body="按分は？"
    )
    faq = progress.faq_publish(
        principal=nation,
        title="費用の按分",
        body="按分は？",
        answer="手引きを参照",
        category=QuestionCategory.values[0],
    )
    advisory = publish(nation, codes=(CHIYODA,))
    share = advisories.share_create(
        principal=chiyoda, kind=ShareKind.values[0], title="不審なメール", body="請求書を装う"
    )
    prefix = "/api/v1/progress/campaigns/{key}"
    return {
        prefix: [survey.key],
        f"{prefix}/organisations/{{code}}": [CHIYODA],
        f"{prefix}/organisations/{{code}}/reports/{{month}}": [
            f"{this_month:%Y-%m}",
            f"{add_months(this_month, -1):%Y-%m}",
        ],
        f"{prefix}/prefectures/{{code}}": [TOKYO],
        "/api/v1/progress/follow-ups/{id}": [str(follow_up.pk)],
        "/api/v1/progress/notices/{id}": [str(notice.pk)],
        "/api/v1/progress/questions/{id}": [str(question.pk)],
        "/api/v1/progress/faq/{id}": [str(faq.pk)],
        "/api/v1/advisories/{public_id}": [str(advisory.public_id)],
        "/api/v1/advisories/shared/{public_id}": [str(share.public_id)],
    }


def build_world() -> World:
    """The cast with a token for each member role and a session for the outsider (member
    of nothing, so no token), a draft and a submitted report of 千代田区 and what the
    submission made (deliveries, notifications), an invitation, and the tokens."""
    ensure_organisations()
    cast = make_cast()
    chiyoda = cast.org(CHIYODA)
    editor = add_member("fuzz_editor", chiyoda, Role.EDITOR)
    ciso = add_member("fuzz_ciso", chiyoda, Role.CISO)
    draft = draft_report(editor)
    sent = submitted_report(editor, ciso, people=150)  # to 東京都, 総務省, 警察庁 and PPC
    headers, token_ids = _tokens(
        {
            "admin": (cast.chiyoda, CHIYODA),
            "editor": (editor, CHIYODA),
            "ciso": (ciso, CHIYODA),
            "viewer": (cast.chiyoda_viewer, CHIYODA),
            "prefecture": (cast.tokyo, TOKYO),
            "nation": (cast.nation, "MIC"),
            "ppc": (cast.ppc, "PPC"),
        }
    )
    headers["outsider"] = _session(cast.outsider)
    deputy = deputy_name(
        principal=principal(ciso, CHIYODA),
        user=editor,
        ends_at=timezone.now() + timedelta(days=7),
        reason="出張中の代理",
    )
    invitation, _ = invitation_create(
        principal=System("test set-up"), organisation=chiyoda, email="new@example.jp", role="viewer"
    )
    framework = load_framework()
    survey = campaign(framework, codes=[CHIYODA, TOKYO])
    targets = [str(target_of(survey, code).pk) for code in (CHIYODA, TOKYO)]
    items = [item.id for item in definitions.definition(framework).items_for("special_ward")]
    memberships = Membership.objects.unscoped("fuzz set-up").filter(organisation=chiyoda)
    deliveries = [str(d.pk) for d in Delivery.objects.unscoped("fuzz set-up").filter(report=sent)]
    notifications = [str(n.pk) for n in Notification.objects.unscoped("fuzz set-up").all()]
    return World(
        headers=headers,
        ids={
            "/api/v1/incidents/reports/{public_id}": [str(draft.public_id), str(sent.public_id)],
            "/api/v1/incidents/reports/{public_id}/recipients/{code}": [TOKYO, "PPC"],
            "/api/v1/incidents/reports/{public_id}/versions/{version}": ["1"],
            "/api/v1/incidents/deputies/{id}": [str(deputy.pk)],
            "item_id": items[:3],
            "/api/v1/incidents/inbox/{id}": deliveries,
            "/api/v1/incidents/notifications/{id}": notifications,
            "/api/v1/incidents/reports/{public_id}/threads/{code}": ["PPC", TOKYO, "MIC"],
            "/api/v1/memberships/{id}": [str(m.pk) for m in memberships],
            "/api/v1/invitations/{id}": [str(invitation.pk)],
            "/api/v1/tokens/{id}": token_ids,
            "/api/v1/organisations/{code}": [CHIYODA, TOKYO],
            "/api/v1/assessments/frameworks/{id}": [str(framework.pk)],
            "/api/v1/assessments/campaigns/{id}": [str(survey.pk)],
            "/api/v1/assessments/targets/{id}": targets,
            **progress_and_advisories(cast),
        },
    )


def point_at_real_objects(case: Any, world: World, n: int) -> None:
    """Point the ``n``-th example at real objects, two positive examples in three (the third
    keeps the fuzzed identifiers; a negative example keeps its invalid ones), so the
    permission checks behind the gate run too, not only the 404s of random ids."""
    if n % 3 == 0 or case.meta is None or case.meta.generation.mode.is_negative:
        return
    path = case.operation.path
    for name in list(case.path_parameters or {}):
        placeholder = f"{{{name}}}"
        if placeholder not in path:  # a parameter the schema declares beside the path
            continue
        prefix = path[: path.index(placeholder) + len(placeholder)]
        choices = world.ids.get(prefix) or world.ids.get(name)
        if choices:
            case.path_parameters[name] = choices[n % len(choices)]
