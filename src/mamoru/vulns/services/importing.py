"""Persisting importer records: one transaction per import, so a bad record anywhere in a
feed leaves the database as it was, and the import log says which record it was.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from mamoru.vulns import products
from mamoru.vulns.distros import ecosystem_release
from mamoru.vulns.importers import get_importer
from mamoru.vulns.importers.feed import FeedError, downloaded
from mamoru.vulns.importers.records import (
    AdvisoryRecord,
    EpssRecord,
    FeedInfo,
    KevRecord,
    Record,
    VulnerabilityRecord,
)
from mamoru.vulns.models import (
    AffectedProduct,
    DistroAdvisory,
    DistroFix,
    EpssScore,
    ImportLog,
    KevEntry,
    Vulnerability,
)
from mamoru.vulns.services.merge import is_unchanged, merge_vulnerability
from mamoru.vulns.signals import vulnerabilities_added

BATCH_SIZE = 1000
Progress = Callable[[int], None]


@dataclass
class _Batches:
    """Records waiting to be written, and what was written so far."""

    source: str
    counts: Counter[str] = field(default_factory=Counter)
    info: FeedInfo | None = None
    vulnerabilities: list[VulnerabilityRecord] = field(default_factory=list)
    kev: list[KevRecord] = field(default_factory=list)
    epss: list[EpssRecord] = field(default_factory=list)
    advisories: list[AdvisoryRecord] = field(default_factory=list)
    kev_seen: set[str] = field(default_factory=set)
    kev_added: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)  # vulnerabilities created or re-described

    def add(self, record: Record) -> None:
        if isinstance(record, FeedInfo):
            self.info = self.info or record
            return
        self.counts["records"] += 1
        if isinstance(record, VulnerabilityRecord):
            self.vulnerabilities.append(record)
        elif isinstance(record, KevRecord):
            self.kev.append(record)
        elif isinstance(record, EpssRecord):
            self.epss.append(record)
        else:
            self.advisories.append(record)
        if self.pending() >= BATCH_SIZE:
            self.flush()

    def pending(self) -> int:
        return len(self.vulnerabilities) + len(self.kev) + len(self.epss) + len(self.advisories)

    def flush(self) -> None:
        if self.vulnerabilities:
            self.changed |= _write_vulnerabilities(self.vulnerabilities, self.source, self.counts)
        if self.kev:
            self.kev_seen.update(r.cve_id for r in self.kev)
            self.kev_added |= _write_kev(self.kev, self.counts)
        if self.epss:
            _write_epss(self.epss, self.counts)
        if self.advisories:
            _write_advisories(self.advisories, self.counts)
        self.vulnerabilities, self.kev, self.epss, self.advisories = [], [], [], []


def _affected_rows(record: VulnerabilityRecord) -> Iterator[AffectedProduct]:
    for item in record.affected or []:
        version_range = item.version_range
        yield AffectedProduct(
            vulnerability_id=record.id,
            source=record.source,
            rule=item.rule,
            product_key=item.product_key,
            product_name=products.product_name(item.product_key),
            vendor=item.vendor[:200],
            product=item.product[:200],
            cpe=item.cpe[:300],
            status=item.status,
            scheme=version_range.scheme,
            version_exact=version_range.exact[:100],
            start_including=version_range.start_including[:100],
            start_excluding=version_range.start_excluding[:100],
            end_including=version_range.end_including[:100],
            end_excluding=version_range.end_excluding[:100],
            changes=[list(change) for change in version_range.changes],
        )


def _write_vulnerabilities(
    records: list[VulnerabilityRecord], source: str, counts: Counter[str]
) -> set[str]:
    """Write the records; the ids created or given a new list of affected products."""
    existing = Vulnerability.objects.in_bulk([r.id for r in records])
    created: dict[str, Vulnerability] = {}
    updated: dict[str, Vulnerability] = {}
    replaced: dict[str, VulnerabilityRecord] = {}
    for record in records:
        vulnerability = existing.get(record.id) or created.get(record.id)
        if vulnerability is None:
            vulnerability = created[record.id] = Vulnerability(id=record.id)
        elif is_unchanged(vulnerability, record):
            counts["unchanged"] += 1
            continue
        elif record.id not in created:
            updated.setdefault(record.id, vulnerability)
        merge_vulnerability(vulnerability, record)
        if record.affected is not None:
            replaced[record.id] = record
    Vulnerability.objects.bulk_create(created.values())
    fields = [f.name for f in Vulnerability._meta.concrete_fields if not f.primary_key]
    Vulnerability.objects.bulk_update(updated.values(), fields)
    AffectedProduct.objects.filter(vulnerability_id__in=list(replaced), source=source).delete()
    AffectedProduct.objects.bulk_create(
        row for record in replaced.values() for row in _affected_rows(record)
    )
    counts["created"] += len(created)
    counts["updated"] += len(updated)
    return set(replaced)


def _write_kev(records: list[KevRecord], counts: Counter[str]) -> set[str]:
    """Upsert KEV entries; the ids the catalogue did not hold before."""
    ids = [r.cve_id for r in records]
    known = set(KevEntry.objects.filter(cve_id__in=ids).values_list("cve_id", flat=True))
    entries = {
        r.cve_id: KevEntry(
            cve_id=r.cve_id,
            vendor_project=r.vendor_project[:200],
            product=r.product[:200],
            name=r.name[:500],
            date_added=r.date_added,
            due_date=r.due_date,
            known_ransomware_use=r.ransomware,
            required_action=r.required_action,
            short_description=r.short_description,
            notes=r.notes,
        )
        for r in records
    }
    fields = [f.name for f in KevEntry._meta.concrete_fields if not f.primary_key]
    KevEntry.objects.bulk_create(
        entries.values(), update_conflicts=True, unique_fields=["cve_id"], update_fields=fields
    )
    counts["created"] += len(set(entries) - known)
    counts["updated"] += len(set(entries) & known)
    return set(entries) - known


def _write_epss(records: list[EpssRecord], counts: Counter[str]) -> None:
    scores = {
        r.cve_id: EpssScore(
            cve_id=r.cve_id,
            score=r.score,
            percentile=r.percentile,
            score_date=r.score_date,
            model_version=r.model_version[:32],
        )
        for r in records
    }
    EpssScore.objects.bulk_create(
        scores.values(),
        update_conflicts=True,
        unique_fields=["cve_id"],
        update_fields=["score", "percentile", "score_date", "model_version"],
    )
    counts["upserted"] += len(scores)


def _write_advisories(records: list[AdvisoryRecord], counts: Counter[str]) -> None:
    existing = DistroAdvisory.objects.in_bulk([r.id for r in records])
    changed = {
        r.id: r
        for r in records
        if r.id not in existing or r.modified is None or existing[r.id].modified != r.modified
    }
    counts["unchanged"] += len(records) - len(changed)
    counts["created"] += len(set(changed) - set(existing))
    counts["updated"] += len(set(changed) & set(existing))
    DistroAdvisory.objects.filter(id__in=list(changed)).delete()
    DistroAdvisory.objects.bulk_create(
        DistroAdvisory(
            id=r.id,
            source=r.source,
            modified=r.modified,
            summary=r.summary[:500],
            vulnerability_ids=list(r.vulnerability_ids),
        )
        for r in changed.values()
    )
    DistroFix.objects.bulk_create(
        DistroFix(
            advisory_id=r.id,
            vulnerability_id=fix.vulnerability_id,
            ecosystem=fix.ecosystem[:80],
            family=ecosystem_release(fix.ecosystem)[0],
            release=ecosystem_release(fix.ecosystem)[1],
            package=fix.package[:100],
            introduced=fix.introduced[:100],
            fixed=fix.fixed[:100],
            scheme=fix.scheme,
        )
        for r in changed.values()
        for fix in r.fixes
    )


def _consume(records: Iterable[Record], batches: _Batches, progress: Progress | None) -> None:
    for record in records:
        batches.add(record)
        if progress and batches.counts["records"] % BATCH_SIZE == 0:
            progress(batches.counts["records"])
    batches.flush()
    if batches.source == "kev" and batches.kev_seen:
        # The catalogue is always published whole: what it no longer lists was withdrawn.
        removed, _ = KevEntry.objects.exclude(cve_id__in=batches.kev_seen).delete()
        batches.counts["removed"] += removed
    if progress:
        progress(batches.counts["records"])


def feed_import(
    *,
    source: str,
    path: Path | None = None,
    url: str | None = None,
    progress: Progress | None = None,
) -> ImportLog:
    """Import one feed from a local path or a URL, atomically.

    Raises ``FeedError`` (naming the file and record) when the feed is unusable; nothing
    is then changed except a failed ``ImportLog`` entry.
    """
    if (path is None) == (url is None):
        raise ValueError("give exactly one of path and url")
    importer = get_importer(source)
    log = ImportLog.objects.create(
        source=source, location=(url or str(path))[:1000], started=timezone.now()
    )
    batches = _Batches(source)
    try:
        source_path = downloaded(url) if url else contextlib.nullcontext(path)
        with source_path as local, transaction.atomic():
            assert local is not None
            _consume(importer.parse(local), batches, progress)
    except FeedError as error:
        _finish(log, ImportLog.Status.FAILED, batches, error=str(error))
        raise
    finished = _finish(log, ImportLog.Status.SUCCEEDED, batches)
    if batches.kev_added or batches.changed:
        # After the import's own transaction: receivers enqueue work on (the outer) commit.
        vulnerabilities_added.send(
            sender=feed_import,
            source=source,
            kev_ids=sorted(batches.kev_added),
            vulnerability_ids=sorted(batches.changed),
        )
    return finished


def _finish(log: ImportLog, status: str, batches: _Batches, error: str = "") -> ImportLog:
    log.status = status
    log.finished = timezone.now()
    log.error = error
    log.counts = {} if error else dict(batches.counts)
    if batches.info:
        log.feed_version = batches.info.version[:64]
        log.feed_released = batches.info.released
    log.save()
    return log


__all__ = ["BATCH_SIZE", "Progress", "feed_import"]
