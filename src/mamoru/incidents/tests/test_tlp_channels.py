"""No channel shows a recipient anything of a section it may not see (issue 11, TLP:RED).

Hypothesis generates reports whose every value is a unique marker (section texts, the kinds
and count of people, the affected services' names, the contact, the moments of the
timeline), with random markings — the report's own, each section's, TLP:RED with and
without text, the contact included, with random recipients named — and random recipients
with random grants. For each recipient it renders every channel that works from a view:
the API's detail, every export format (STIX 2.1, the PPC items, CSV, the printable HTML the
PDF is made from, the common ransomware/DDoS form) and the differences between two versions;
and asserts

* no marker of a section the recipient may not see appears anywhere (the leaks 1–4 of the
  issue: a RED section without text, a RED contact, severity and 重大インシデント of a RED
  overview, the start time of a withheld timeline);
* non-interference: changing everything of those sections (texts, counts, dates, kinds,
  severity, flags) changes nothing in any channel.

``test_tlp.py`` and the page tests check the same through the database, the pages and
e-mail.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mamoru.core.jpcalendar import JST
from mamoru.incidents.api.present import view_content_out
from mamoru.incidents.content import (
    Contact,
    Phase,
    ReportContent,
    SubmissionView,
    Tlp,
    view_for,
    visible_sections,
)
from mamoru.incidents.exports import EXPORTERS, ExportError
from mamoru.incidents.exports.html import report_html
from mamoru.incidents.records import visible_facts
from mamoru.incidents.routing import AffectedService, Category, IncidentFacts, PersonalData
from mamoru.incidents.routing.codes import SECTIONS
from mamoru.incidents.routing.facts import Severity, Timeline
from mamoru.incidents.selectors.diff import _Seen, diff_views

RECIPIENTS = ("PPC", "130001", "MIC", "NPA", "NCO")
SECTION_NAMES = tuple(SECTIONS)
AWARE = datetime(2026, 2, 3, 10, 0, tzinfo=JST)
SUBMITTED = datetime(2026, 2, 4, 9, 0, tzinfo=JST)


def _content(seed: str, *, tlp: Tlp, section_tlp: dict[str, Tlp], red: dict[str, tuple[str, ...]],
             texts: frozenset[str], category: Category, severity: Severity, people: int,
             year: int) -> ReportContent:  # fmt: skip
    """A report whose every value carries ``seed``: what a leak would show."""
    facts = IncidentFacts(
        category=category,
        timeline=Timeline(
            aware=AWARE,
            started=datetime(year, 7, 7, 7, 7, tzinfo=JST),
            determined=datetime(2026, 2, 3, 11, 0, tzinfo=JST),
            contained=datetime(year + 1, 8, 8, 8, 8, tzinfo=JST),
        ),
        severity=severity,
        serious=severity == Severity.CRITICAL,
        services=(AffectedService("resident_registry", name=f"業務{seed}"),),
        personal_data=PersonalData(kinds=(f"項目{seed}",), people=people, my_number=True),
        police_consulted=True,
        publicly_announced=True,
        contractor_involved=True,
    )
    return ReportContent(
        facts=facts,
        title="件名（全員に見える）",
        sections={s: f"本文{seed}{s}" for s in texts},
        contact=Contact(name=f"担当{seed}", phone=f"03-{seed}", email=f"{seed}@example.invalid"),
        tlp=tlp,
        section_tlp=section_tlp,
        red_recipients=red,
    )


def _markers(seed: str, people: int, year: int) -> dict[str, list[str]]:
    """What of each section would be printed, in every form a channel might print it."""
    found: dict[str, list[str]] = {s: [f"本文{seed}{s}"] for s in SECTION_NAMES}
    found["personal_data"] += [f"項目{seed}", str(people), f"{people:,}"]
    found["services"] += [f"業務{seed}"]
    found["contact"] += [f"担当{seed}", f"03-{seed}", f"{seed}@example.invalid"]
    found["timeline"] += [str(year), str(year + 1)]
    return found


def _view(content: ReportContent) -> SubmissionView:
    return SubmissionView(
        report_id="00000000-0000-4000-8000-000000000001",
        reporter_code="131016",
        reporter_name="千代田区",
        phase=Phase.INTERIM,
        version=2,
        submitted_at=SUBMITTED,
        content=content,
        approved_by="ciso",
    )


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _channels(whole: SubmissionView, recipient: str, granted: frozenset[str]) -> dict[str, str]:
    """Every rendering of ``whole`` that ``recipient`` could get, as text."""
    view = view_for(whole, recipient=recipient, granted=granted)
    facts = visible_facts(whole.content, recipient=recipient, granted=granted)
    out = {
        "api": json.dumps(view_content_out(view, facts), ensure_ascii=False, default=str),
        "html (the PDF's source)": report_html(view),
    }
    for name in ("stix", "ppc", "csv", "common"):
        try:
            out[name] = EXPORTERS[name].render([view]).decode("utf-8")
        except ExportError as error:
            out[name] = f"refused: {error}"
    first = replace(whole, version=1, content=replace(whole.content, sections={}))
    seen_first = _Seen(view_for(first, recipient=recipient, granted=granted), {})
    changes = diff_views(seen_first, _Seen(view, facts))
    out["diff"] = json.dumps([c.__dict__ for c in changes], ensure_ascii=False, default=str)
    return {name: _UUID.sub("<id>", text) for name, text in out.items()}


# The four leaks the issue found, always among the examples.
ALL = frozenset(SECTION_NAMES)
LEAKS = [
    # 1. a RED personal-data section with no text still printed its facts in the PPC form
    #    and the PDF; a report marked RED as a whole, the same.
    {"tlp": Tlp.AMBER, "section_tlp": {"personal_data": Tlp.RED}, "red": {"personal_data": ("PPC",)},
     "texts": frozenset({"overview"}), "recipient": "130001", "granted": ALL,
     "category": Category.RANSOMWARE},
    {"tlp": Tlp.RED, "section_tlp": {}, "red": {"overview": ("PPC",)}, "texts": frozenset(),
     "recipient": "MIC", "granted": ALL, "category": Category.RANSOMWARE},
    # 2. a contact marked RED reached every recipient granted "contact".
    {"tlp": Tlp.AMBER, "section_tlp": {"contact": Tlp.RED}, "red": {"contact": ("PPC",)},
     "texts": frozenset(), "recipient": "130001", "granted": ALL, "category": Category.DDOS},
    # 3. severity and 重大インシデント of a RED overview in CSV, PDF and STIX.
    {"tlp": Tlp.AMBER, "section_tlp": {"overview": Tlp.RED}, "red": {}, "texts": ALL,
     "recipient": "130001", "granted": ALL, "category": Category.RANSOMWARE},
    # 4. STIX's impact start_time from a withheld timeline.
    {"tlp": Tlp.AMBER, "section_tlp": {}, "red": {}, "texts": frozenset(), "recipient": "MIC",
     "granted": ALL - {"timeline"}, "category": Category.RANSOMWARE},
]  # fmt: skip


def _with_leaks(test: Any) -> Any:
    for case in LEAKS:
        test = example(report=case)(test)
    return test


markings = st.sampled_from(list(Tlp))
reports = st.fixed_dictionaries(
    {
        "tlp": st.sampled_from([Tlp.AMBER, Tlp.GREEN, Tlp.RED, Tlp.AMBER_STRICT]),
        "section_tlp": st.dictionaries(st.sampled_from(SECTION_NAMES), markings, max_size=8),
        "red": st.dictionaries(
            st.sampled_from(SECTION_NAMES),
            st.lists(st.sampled_from(RECIPIENTS), max_size=3, unique=True).map(tuple),
            max_size=8,
        ),
        "texts": st.frozensets(st.sampled_from(SECTION_NAMES)),
        "recipient": st.sampled_from(RECIPIENTS),
        "granted": st.frozensets(st.sampled_from(SECTION_NAMES), min_size=1),
        # The other recipients of the same report, each with its own grant.
        "others": st.fixed_dictionaries(
            {r: st.frozensets(st.sampled_from(SECTION_NAMES)) for r in RECIPIENTS}
        ),
        "category": st.sampled_from([Category.RANSOMWARE, Category.DDOS, Category.DATA_LEAK]),
    }
)


@settings(max_examples=120)
@_with_leaks
@given(report=reports)
def test_no_channel_shows_what_the_recipient_may_not_see(report: dict[str, Any]) -> None:
    seed, people, year = "Ωa", 7654321, 1999
    content = _content(
        seed,
        tlp=report["tlp"],
        section_tlp=report["section_tlp"],
        red=report["red"],
        texts=report["texts"],
        category=report["category"],
        severity=Severity.CRITICAL,
        people=people,
        year=year,
    )
    markers = _markers(seed, people, year)
    audiences = {**report.get("others", {}), report["recipient"]: report["granted"]}
    for recipient, granted in audiences.items():
        shown = visible_sections(content, recipient=recipient, granted=granted)
        hidden = set(SECTION_NAMES) - shown
        for channel, text in _channels(_view(content), recipient, granted).items():
            for section in hidden:
                for marker in markers[section]:
                    assert marker not in text, f"{channel} shows {section!r} to {recipient}"


@settings(max_examples=120)
@_with_leaks
@given(report=reports)
def test_changing_what_the_recipient_may_not_see_changes_nothing_it_gets(
    report: dict[str, Any],
) -> None:
    recipient, granted = report["recipient"], report["granted"]

    def make(seed: str, severity: Severity, people: int, year: int, category: Category) -> Any:
        return _content(
            seed,
            tlp=report["tlp"],
            section_tlp=report["section_tlp"],
            red=report["red"],
            texts=report["texts"],
            category=category,
            severity=severity,
            people=people,
            year=year,
        )

    base = make("Ωa", Severity.CRITICAL, 7654321, 1999, report["category"])
    shown = visible_sections(base, recipient=recipient, granted=granted)
    # The other report differs in every section this recipient may not see.
    other = make("Ωb", Severity.LOW, 1234567, 1987, Category.SYSTEM_FAILURE)
    mixed = replace(
        base,
        sections={
            **{s: t for s, t in base.sections.items() if s in shown},
            **{s: t for s, t in other.sections.items() if s not in shown},
        },
        contact=base.contact if "contact" in shown else other.contact,
        facts=_mix_facts(base.facts, other.facts, shown),
    )
    assert _channels(_view(base), recipient, granted) == _channels(_view(mixed), recipient, granted)


def _mix_facts(kept: IncidentFacts, changed: IncidentFacts, shown: frozenset[str]) -> IncidentFacts:
    """``kept``'s facts of the sections ``shown``, ``changed``'s of every other section."""
    from mamoru.incidents.content import FACT_SECTIONS

    return replace(
        kept,
        **{
            name: getattr(changed, name)
            for name, section in FACT_SECTIONS.items()
            if section not in shown
        },
    )
