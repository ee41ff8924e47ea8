"""What a supervisor may read of the organisations below it, decided per kind of data.

This table is the one place where that is decided (PRODUCT.md: each municipality owns
the data of its area; the nation and the prefectures see statistics, not records,
except where a rule explicitly gives them more). Views never decide it themselves:
they ask the gate (``mamoru.orgs.selectors``) for a data kind and a level.
"""

from __future__ import annotations

import enum


class DataKind(enum.StrEnum):
    PROFILE = "profile"  # code, name, kind, population: public facts
    MEMBERS = "members"  # who works there, in which role
    ASSETS = "assets"  # registered internet-facing assets and their scan scope
    FINDINGS = "findings"  # attack-surface findings
    INCIDENTS = "incidents"  # incident reports (recipients see what is addressed to them)
    SURVEY_ANSWERS = "survey_answers"
    PROGRESS = "progress"
    QUESTIONS = "questions"  # questions to the prefecture and the nation's helpdesk
    NOTICES = "notices"  # notices sent, and who has read and confirmed them
    ADVISORIES = "advisories"  # advisories received, acknowledged and answered
    SHARING = "sharing"  # indicators and observations shared back to the supervisors
    AUDIT = "audit"


class Access(enum.IntEnum):
    NONE = 0
    STATISTICS = 1  # aggregates with small cells suppressed
    RECORDS = 2  # the records themselves


class Supervisor(enum.StrEnum):
    PREFECTURE = "prefecture"  # over the municipalities of the prefecture
    NATION = "nation"  # over every local government


SUPERVISOR_ACCESS: dict[DataKind, dict[Supervisor, Access]] = {
    DataKind.PROFILE: {Supervisor.PREFECTURE: Access.RECORDS, Supervisor.NATION: Access.RECORDS},
    # Prefectures support their municipalities and need to know whom to call.
    DataKind.MEMBERS: {Supervisor.PREFECTURE: Access.RECORDS, Supervisor.NATION: Access.STATISTICS},
    # The national attack-surface diagnosis is run by the nation (PRODUCT.md §B), and the
    # prefectures follow up their municipalities' exposures: both see assets and findings.
    DataKind.ASSETS: {Supervisor.PREFECTURE: Access.RECORDS, Supervisor.NATION: Access.RECORDS},
    DataKind.FINDINGS: {Supervisor.PREFECTURE: Access.RECORDS, Supervisor.NATION: Access.RECORDS},
    # Reports reach supervisors only when addressed to them (routing), otherwise as statistics.
    DataKind.INCIDENTS: {
        Supervisor.PREFECTURE: Access.STATISTICS,
        Supervisor.NATION: Access.STATISTICS,
    },
    # Prefectures review their municipalities' survey answers; the nation sees scores.
    DataKind.SURVEY_ANSWERS: {
        Supervisor.PREFECTURE: Access.RECORDS,
        Supervisor.NATION: Access.STATISTICS,
    },
    # The standardisation PMO tool exists so that the prefectures and the nation watch every
    # municipality's migration progress (PRODUCT.md §E): a plan's step reached, no personal
    # or security detail; both read the records.
    DataKind.PROGRESS: {
        Supervisor.PREFECTURE: Access.RECORDS,
        Supervisor.NATION: Access.RECORDS,
    },
    # The prefecture answers its municipalities' questions; the nation reads those
    # forwarded or asked to it (ADDRESSED_ACCESS), not the others.
    DataKind.QUESTIONS: {
        Supervisor.PREFECTURE: Access.RECORDS,
        Supervisor.NATION: Access.STATISTICS,
    },
    # A notice and its read receipts belong to the sender; recipients read what is
    # addressed to them (ADDRESSED_ACCESS). Supervisors read nothing of a sender's notices.
    DataKind.NOTICES: {Supervisor.PREFECTURE: Access.NONE, Supervisor.NATION: Access.NONE},
    # An answer to an advisory (affected / not affected / fixed) is the reply to the nation
    # that sent it, and the prefecture follows up its municipalities: both read it.
    DataKind.ADVISORIES: {
        Supervisor.PREFECTURE: Access.RECORDS,
        Supervisor.NATION: Access.RECORDS,
    },
    # Indicators and observations are shared back *to* the prefecture and the nation.
    DataKind.SHARING: {
        Supervisor.PREFECTURE: Access.RECORDS,
        Supervisor.NATION: Access.RECORDS,
    },
    DataKind.AUDIT: {Supervisor.PREFECTURE: Access.NONE, Supervisor.NATION: Access.NONE},
}


# Where routing gives an organisation more than the hierarchy does: records addressed to
# it. An incident report routed to 個人情報保護委員会 (or to a prefecture, or 総務省) is read
# by that recipient at record level — cut to the sections its routing rule grants and to
# the TLP:RED sections named for it (``mamoru.incidents.content.view_for``). This is the
# only place that says so; the incidents selectors ask ``organisations_addressable``.
#
# Survey answers are submitted *to* the campaign's sender — 総務省 for the national survey
# (総務省's implementation survey asks every local government by name, and the issue's
# follow-up of "organisations behind on mandatory items" needs the names), a prefecture
# for its own survey: the sender reads the answers submitted to its campaigns by name.
# The hierarchy gives a prefecture its municipalities' answers to any campaign
# (SUPERVISOR_ACCESS above); the nation reads no other answers than those sent to its
# own campaigns, and a campaign's peers see only protected aggregates
# (``mamoru.assessments.selectors.results``). Working drafts stay the organisation's
# until it submits (``mamoru.assessments.selectors.campaigns``).
ADDRESSED_ACCESS: dict[DataKind, Access] = {
    DataKind.INCIDENTS: Access.RECORDS,
    DataKind.SURVEY_ANSWERS: Access.RECORDS,
    # A question forwarded to the nation, a notice or an advisory sent to an organisation.
    DataKind.QUESTIONS: Access.RECORDS,
    DataKind.NOTICES: Access.RECORDS,
    DataKind.ADVISORIES: Access.RECORDS,
}


def addressed_access(kind: DataKind) -> Access:
    return ADDRESSED_ACCESS.get(kind, Access.NONE)


def supervisor_access(kind: DataKind, supervisor: Supervisor | None) -> Access:
    if supervisor is None:
        return Access.NONE
    return SUPERVISOR_ACCESS[kind][supervisor]
