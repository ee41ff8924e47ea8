"""Who is refused each URL of the attack-surface app (see ``mamoru.testing.Denial``).

Organisation URLs name 千代田区: its sibling (八王子市), the other prefecture's
municipality (大阪市) and the outsider are refused. Object URLs name an object that does
not exist for anyone, so the refusal cannot depend on the object; ``test_pages`` and
``test_api`` check the same URLs against real objects of 千代田区.
"""

from django.urls import NoReverseMatch, reverse

from mamoru.testing import CHIYODA, Denial

ORG = {"code": CHIYODA}
EVERYONE = ("outsider",)  # pages that answer with one's own (empty) rows to members
NOT_SUPERVISORS = ("outsider", "hachioji", "osaka_city", "ppc")
NOBODY = {"pk": "999999"}

PAGES = [
    Denial("asm:organisation", ORG),
    Denial("asm:assets", ORG),
    Denial("asm:assets", ORG, method="post"),
    Denial("asm:assets_import", ORG, method="post"),
    Denial("asm:assets_approve_all", ORG, method="post"),
    Denial("asm:suggestions_discover", ORG, method="post"),
    Denial("asm:services", ORG),
    Denial("asm:scans", ORG),
    Denial("asm:scans", ORG, method="post"),
    Denial("asm:findings", ORG),
    Denial("asm:findings_csv", ORG),
    Denial("asm:findings_xlsx", ORG),
    Denial("asm:summary_pdf", ORG),
    Denial("asm:asset", NOBODY),
    Denial("asm:asset", NOBODY, method="post"),
    Denial("asm:asset_action", {**NOBODY, "action": "approve"}, method="post"),
    Denial("asm:suggestion_action", {**NOBODY, "action": "accept"}, method="post"),
    Denial("asm:scan", NOBODY),
    Denial("asm:scan_progress", NOBODY),
    Denial("asm:finding", NOBODY),
    Denial("asm:finding_action", {**NOBODY, "action": "fix"}, method="post"),
    Denial("asm:prefecture", refused=NOT_SUPERVISORS),
    Denial("asm:overdue", refused=NOT_SUPERVISORS),
    Denial("asm:nation", refused=(*NOT_SUPERVISORS, "chiyoda")),
    Denial(
        "asm:nation_ranking",
        {"kind": "vulnerabilities"},
        refused=(*NOT_SUPERVISORS, "chiyoda", "tokyo"),
    ),
    Denial("asm:campaigns", refused=(*NOT_SUPERVISORS, "chiyoda")),
    Denial("asm:campaigns", method="post", refused=(*NOT_SUPERVISORS, "chiyoda")),
    Denial("asm:campaign", NOBODY, refused=(*NOT_SUPERVISORS, "chiyoda")),
    Denial("asm:alerts", refused=EVERYONE),
    Denial("asm:alert", NOBODY),
    Denial("asm:alert_read", NOBODY, method="post"),
]


def _api_mounted() -> bool:
    try:
        reverse("asm_api:assets", kwargs=ORG)
    except NoReverseMatch:
        return False
    return True


API = [
    Denial("asm_api:assets", ORG),
    Denial("asm_api:assets", ORG, method="post"),
    Denial("asm_api:scans", ORG),
    Denial("asm_api:scans", ORG, method="post"),
    Denial("asm_api:services", ORG),
    Denial("asm_api:findings", ORG),
    Denial("asm_api:asset", NOBODY),
    Denial("asm_api:asset", NOBODY, method="patch"),
    Denial("asm_api:asset_action", {**NOBODY, "action": "approve"}, method="post"),
    Denial("asm_api:scan", NOBODY),
    Denial("asm_api:finding", NOBODY),
    Denial("asm_api:finding_action", {**NOBODY, "action": "fix"}, method="post"),
    # Everyone acting somewhere gets the exposed services of the organisations they read.
    Denial("asm_api:exposures", {"vulnerability_id": "CVE-2024-6387"}, refused=EVERYONE),
]
DENIALS = PAGES + (API if _api_mounted() else [])
