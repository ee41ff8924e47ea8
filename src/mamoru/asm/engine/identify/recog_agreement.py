"""Measure the project's rules, and Recog behind them, on Rapid7 Recog's own examples.

Recog (BSD licence) ships fingerprint databases whose ``<example>`` elements carry real
banners and the values Recog expects from them. Two measurements:

**Agreement of our rules alone** (the rules we write; Recog's patterns are never copied
into them), per protocol:

* ``product``: share of examples naming a product where ours names the same one (after
  normalisation, :mod:`names`); the denominator is every example for which Recog names a
  product (``service.product``, else ``os.product``, else ``hw.product`` — the thing the
  banner identifies).
* ``covered``: the same share restricted to examples whose product our rules can name.
* ``version``: among examples where Recog gives a version and the products agree, the
  share where the versions agree too.

**Coverage with Recog as the second source** (what a scan given ``--recog-dir`` names),
per Recog database the engine reads, through the identification's own code
(:meth:`Ident.match`, ours first): how many examples are *named at all* by ours alone and
by ours with Recog, and how many of those names are **false claims** — a product other
than the one Recog's example is about (:func:`contradicts`). Recog naming its own examples
is circular; the figure that matters is that adding it never adds a false claim.

Run: ``python -m mamoru.asm.engine.identify.recog_agreement [--dir DIR] [--misses PROTO]``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mamoru.asm.engine.identify import recog
from mamoru.asm.engine.identify.names import normalise, same_product
from mamoru.asm.engine.identify.recog import RecogDatabase, RecogExample, read_examples
from mamoru.asm.engine.identify.result import Ident
from mamoru.asm.engine.identify.rules import RuleSet, default_rules

# Recog database → our rule source, for the agreement of our own rules.
PROTOCOLS: dict[str, str] = {
    "ssh_banners": "ssh",
    "ftp_banners": "ftp",
    "smtp_banners": "smtp",
    "imap_banners": "imap",
    "pop_banners": "pop3",
    "http_servers": "http.server",
    "mysql_banners": "mysql",
    "telnet_banners": "telnet",
    "dns_versionbind": "dns",
}
# Makers common in Japanese public bodies whose long tail the coverage reports apart.
JAPANESE_VENDORS = ("yamaha", "nec", "fujitsu", "alliedtelesis", "alliedtelesyn", "buffalo",
                    "melco", "ioData", "century", "furukawa")  # fmt: skip
_GROUPS = ("service", "os", "hw")


@dataclass(slots=True)
class Tally:
    """Counts for one protocol."""

    examples: int = 0
    with_product: int = 0
    product_agree: int = 0
    covered: int = 0
    covered_agree: int = 0
    with_version: int = 0
    version_agree: int = 0
    misses: list[str] = field(default_factory=list)

    def share(self, part: int, whole: int) -> float:
        return part / whole if whole else 1.0


def recog_dir(repo_root: Path | None = None) -> Path:
    """``$MAMORU_RECOG_DIR``, else ``../shared/data/recog`` next to the repository."""
    env = os.environ.get("MAMORU_RECOG_DIR")
    if env:
        return Path(env)
    root = repo_root or Path(__file__).resolve().parents[5]
    return (root / ".." / "shared" / "data" / "recog").resolve()


def names(example: RecogExample) -> set[str]:
    """The normalised names that count as agreeing: the product, vendor + product."""
    found = {normalise(example.product)}
    if example.vendor:
        found.add(normalise(example.vendor, example.product))
    return found


def _versions_agree(ours: str | None, theirs: str) -> bool:
    if not ours:
        return False
    a, b = ours.lower(), theirs.lower()
    return a == b or a.startswith(b) or b.startswith(a)


def _judged(example: RecogExample) -> bool:
    # an example Recog names nothing in, or whose name Recog left unfilled, proves nothing
    return bool(example.product) and "{" not in (example.product or "")


def measure_file(path: Path, source: str, rules: RuleSet) -> Tally:
    """Run the rules of ``source`` over every example of one Recog database."""
    tally = Tally()
    claimed = {normalise(p) for p in rules.products(source)}
    for ex in read_examples(path):
        tally.examples += 1
        if not ex.product:
            continue
        tally.with_product += 1
        wanted = names(ex)
        got = rules.match(source, ex.text)
        agree = got is not None and normalise(got.product) in wanted
        covered = not wanted.isdisjoint(claimed)
        tally.covered += covered
        tally.product_agree += agree
        tally.covered_agree += agree and covered
        if not agree:
            ours = got.product if got else None
            tally.misses.append(f"{ex.vendor}/{ex.product!r} vs {ours!r}: {ex.text[:100]!r}")
        if agree and ex.version and got is not None:
            tally.with_version += 1
            tally.version_agree += _versions_agree(got.version, ex.version)
    return tally


def measure(directory: Path, rules: RuleSet | None = None) -> dict[str, Tally]:
    """Tallies for every covered protocol whose database is present in ``directory``."""
    rules = rules or default_rules()
    results: dict[str, Tally] = {}
    for name, source in PROTOCOLS.items():
        path = directory / f"{name}.xml"
        if path.exists():
            results[name] = measure_file(path, source, rules)
    return results


def contradicts(example: RecogExample, product: str | None, vendor: str | None) -> bool:
    """Whether naming ``product`` (by ``vendor``) for ``example``'s text is a false claim.

    Not false: a name of the product Recog's example is about — its service, OS or
    hardware product (:func:`names.same_product`). False: any other name when Recog names
    the service; when Recog names only an OS or hardware, a name whose maker is another
    than every maker Recog gives (a server's own announced name, with no maker, is not
    judged).
    """
    if product is None:
        return False
    values = example.values
    for group in _GROUPS:
        theirs = values.get(f"{group}.product")
        if theirs and same_product(theirs, values.get(f"{group}.vendor"), product, vendor):
            return False
    if values.get("service.product"):
        return True
    makers = {normalise(values[f"{g}.vendor"]) for g in _GROUPS if values.get(f"{g}.vendor")}
    return vendor is not None and bool(makers) and normalise(vendor) not in makers


def identify_text(
    source: str, text: str, database: RecogDatabase | None
) -> tuple[str | None, str | None, bool]:
    """What identification names in ``text`` read as ``source``: product, vendor, via Recog."""
    ident = Ident(service="measure")
    token = recog.activate(database)
    try:
        ident.match(source, text, "measure", quiet=True)
    finally:
        recog.deactivate(token)
    return ident.product, ident.vendor, ident.recog_used


@dataclass(slots=True)
class Coverage:
    """Named-at-all and false-claim counts for one Recog database."""

    with_product: int = 0
    named_ours: int = 0
    named_both: int = 0
    false_ours: int = 0
    false_both: int = 0
    japanese: int = 0  # examples of makers common in Japanese public bodies
    japanese_ours: int = 0
    japanese_both: int = 0
    false_claims: list[str] = field(default_factory=list)


def _japanese(example: RecogExample) -> bool:
    makers = " ".join(normalise(example.values.get(f"{g}.vendor")) for g in _GROUPS)
    return any(name.lower() in makers for name in JAPANESE_VENDORS)


def coverage_file(path: Path, source: str, database: RecogDatabase) -> Coverage:
    """Named at all, and false claims, by ours alone and ours + Recog, on one database."""
    tally = Coverage()
    for ex in read_examples(path):
        if not _judged(ex):
            continue
        tally.with_product += 1
        japanese = _japanese(ex)
        tally.japanese += japanese
        for with_recog in (False, True):
            product, vendor, _ = identify_text(source, ex.text, database if with_recog else None)
            named = product is not None
            false = contradicts(ex, product, vendor)
            if with_recog:
                tally.named_both += named
                tally.false_both += false
                tally.japanese_both += named and japanese
            else:
                tally.named_ours += named
                tally.false_ours += false
                tally.japanese_ours += named and japanese
            if false:
                who = "ours+recog" if with_recog else "ours"
                tally.false_claims.append(
                    f"{who}: {vendor}/{product!r} for {ex.vendor}/{ex.product!r}: {ex.text[:90]!r}"
                )
    return tally


def coverage(directory: Path, database: RecogDatabase | None = None) -> dict[str, Coverage]:
    """Coverage for every database the engine reads that is present in ``directory``."""
    database = database or recog.load_recog(directory)
    results: dict[str, Coverage] = {}
    for name, source in recog.DATABASES.items():
        path = directory / f"{name}.xml"
        if path.exists():
            results[name] = coverage_file(path, source, database)
    return results


def report(results: dict[str, Tally]) -> str:
    """A plain-text table of the agreement figures."""
    lines = [
        f"{'protocol':<16}{'examples':>9}{'w/product':>10}{'product':>9}"
        f"{'covered':>12}{'cov.agree':>10}{'version':>14}"
    ]
    for name, t in results.items():
        lines.append(
            f"{name:<16}{t.examples:>9}{t.with_product:>10}"
            f"{t.share(t.product_agree, t.with_product):>9.1%}"
            f"{t.covered:>12}{t.share(t.covered_agree, t.covered):>10.1%}"
            f"{t.share(t.version_agree, t.with_version):>9.1%} ({t.with_version})"
        )
    return "\n".join(lines)


def _pct(part: int, whole: int) -> str:
    return f"{part:>5} {part / whole if whole else 1.0:>6.1%}"


def coverage_report(results: dict[str, Coverage]) -> str:
    """A plain-text table of named-at-all coverage and false claims, without/with Recog."""
    lines = [
        f"{'database':<16}{'judged':>7}  {'named (ours)':>12}  {'named (+recog)':>14}"
        f"  {'false ours/+recog':>17}  {'JP makers: ours/+recog':>22}"
    ]
    total = Coverage()
    for name, c in results.items():
        lines.append(
            f"{name:<16}{c.with_product:>7}  {_pct(c.named_ours, c.with_product)}  "
            f"{_pct(c.named_both, c.with_product):>14}  {c.false_ours:>8}/{c.false_both:<8}"
            f"  {c.japanese:>8}: {c.japanese_ours}/{c.japanese_both}"
        )
        for attr in ("with_product", "named_ours", "named_both", "false_ours", "false_both",
                     "japanese", "japanese_ours", "japanese_both"):  # fmt: skip
            setattr(total, attr, getattr(total, attr) + getattr(c, attr))
    c = total
    lines.append(
        f"{'all':<16}{c.with_product:>7}  {_pct(c.named_ours, c.with_product)}  "
        f"{_pct(c.named_both, c.with_product):>14}  {c.false_ours:>8}/{c.false_both:<8}"
        f"  {c.japanese:>8}: {c.japanese_ours}/{c.japanese_both}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; prints both tables, and one protocol's misses if asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dir", type=Path, default=None, help="Recog xml directory")
    parser.add_argument("--misses", default=None, help="list disagreements for one protocol")
    args = parser.parse_args(argv)
    directory = args.dir or recog_dir()
    if not directory.is_dir():
        sys.stderr.write(f"no Recog data at {directory}\n")
        return 2
    results = measure(directory)
    sys.stdout.write("our rules alone, agreement with Recog's examples\n")
    sys.stdout.write(report(results) + "\n\n")
    covered = coverage(directory)
    sys.stdout.write("named at all, without and with Recog behind our rules\n")
    sys.stdout.write(coverage_report(covered) + "\n")
    if args.misses in results:
        sys.stdout.write("\n".join(results[args.misses].misses) + "\n")
    if args.misses in covered:
        sys.stdout.write("\n".join(covered[args.misses].false_claims) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
