import json
from pathlib import Path

import pytest

from mamoru.vulns.services import feed_import
from mamoru.vulns.testing import FIXTURES, kev_snapshot

MATCHED_CVES = {
    "CVE-2024-6387", "CVE-2024-21762", "CVE-2024-21887", "CVE-2024-3400", "CVE-2023-46805",
    "CVE-2023-4966",
}  # fmt: skip


@pytest.fixture(scope="session")
def kev_excerpt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real KEV snapshot cut to the entries of the fixture CVEs and a few others."""
    document = json.loads(kev_snapshot().read_text(encoding="utf-8"))
    entries = document["vulnerabilities"]
    document["vulnerabilities"] = entries[:20] + [e for e in entries if e["cveID"] in MATCHED_CVES]
    path = tmp_path_factory.mktemp("kev") / "known_exploited_vulnerabilities.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture
def loaded_feeds(db: None, kev_excerpt: Path) -> None:
    """Every fixture feed, plus real KEV entries."""
    for source in ("cve5", "nvd", "jvn", "epss", "osv"):
        feed_import(source=source, path=FIXTURES / source)
    feed_import(source="kev", path=kev_excerpt)
