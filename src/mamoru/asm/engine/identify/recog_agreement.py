"""Measure how often the project's rules agree with Rapid7 Recog on Recog's own examples.

Recog (BSD licence) ships fingerprint databases whose ``<example>`` elements carry real
banners and the values Recog expects from them. We never copy Recog's patterns into our
rules; we only run *our* rules over *its* examples and count agreement, per protocol:

* ``product``: share of examples naming a product where ours names the same one (after
  normalisation; Recog splits "Gene6" + "FTP Server" where we say "Gene6 FTP Server",
  so its vendor followed by its product counts as the same name too); the denominator is every example for which Recog names a product
  (``service.product``, else ``os.product``, else ``hw.product`` — the thing the banner
  identifies).
* ``covered``: the same share restricted to examples whose product our rules can name.
* ``version``: among examples where Recog gives a version and the products agree, the
  share where the versions agree too.

Run: ``python -m mamoru.asm.engine.identify.recog_agreement [--dir DIR] [--misses PROTO]``.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mamoru.asm.engine.identify.rules import RuleSet, default_rules

# Recog database → (our rule source, how a banner of that file reaches our rules).
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

# Names that differ between Recog and us for the same product, normalised on both sides.
ALIASES: dict[str, str] = {
    "iis": "internetinformationservices",
    "microsoftiis": "internetinformationservices",
    "exchangeserver": "exchange",
    "microsoftexchange": "exchange",
    "httpserver": "httpserver",
    "apachehttpd": "httpserver",
    "apache": "httpserver",
    "ftpd": "ftpd",
    "lotusdomino": "domino",
    "ibmdomino": "domino",
    "mailserver": "mailserver",
    "checkpointfw1": "firewall1",
    "dnsd": "nsd",  # Recog's name for NLnet Labs' Name Server Daemon
}

_FLAG_MAP = {
    "REG_ICASE": re.IGNORECASE,
    "REG_DOT_NEWLINE": re.DOTALL,
    "REG_MULTILINE": re.MULTILINE,
}
_PRODUCT_KEYS = (
    ("service.product", "service.version"),
    ("os.product", "os.version"),
    ("hw.product", "hw.version"),
)


def normalise(product: str | None) -> str:
    """Compare products by letters and digits only, through the alias table."""
    key = re.sub(r"[^a-z0-9]", "", (product or "").lower())
    return ALIASES.get(key, key)


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    product: str | None
    version: str | None
    description: str
    vendor: str | None = None

    def names(self) -> set[str]:
        """The normalised names that count as agreeing: the product, vendor + product."""
        names = {normalise(self.product)}
        if self.vendor:
            names.add(normalise(f"{self.vendor} {self.product}"))
        return names


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


def _python_pattern(pattern: str, flags: str) -> re.Pattern[str] | None:
    bits = 0
    for name in flags.split("|"):
        bits |= _FLAG_MAP.get(name.strip(), 0)
    # Recog targets Ruby regexes; translate the few constructs Python spells differently.
    translated = pattern.replace(r"\z", r"\Z").replace(r"\h", "[0-9a-fA-F]").replace("(?<", "(?P<")
    translated = translated.replace("(?P<=", "(?<=").replace("(?P<!", "(?<!")
    try:
        return re.compile(translated, bits)
    except re.error:
        return None


def _expected(fp: ET.Element, text: str, attrs: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    compiled = _python_pattern(fp.get("pattern", ""), fp.get("flags", ""))
    found = compiled.search(text) if compiled else None
    for param in fp.findall("param"):
        name, pos = param.get("name", ""), int(param.get("pos", "0"))
        if pos == 0 and param.get("value") is not None:
            values[name] = param.get("value", "")
        elif found is not None and pos <= (compiled.groups if compiled else 0):
            group = found.group(pos)
            if group:
                values[name] = group
    values.update(attrs)
    for name, template in list(values.items()):
        filled = template
        for ref in re.findall(r"\{([\w.]+)\}", template):
            filled = filled.replace("{" + ref + "}", values.get(ref, ""))
        values[name] = filled
    return values


def read_examples(path: Path) -> Iterator[Example]:
    """Every ``<example>`` of a Recog database with the product and version it expects."""
    tree = ET.parse(path)  # noqa: S314 - local, trusted data files
    for fp in tree.getroot().iter("fingerprint"):
        for ex in fp.findall("example"):
            raw = ex.text or ""
            attrs = {k: v for k, v in ex.attrib.items() if not k.startswith("_")}
            if ex.get("_encoding") == "base64":
                raw = base64.b64decode(raw).decode("utf-8", "replace")
            values = _expected(fp, raw, attrs)
            product = version = vendor = None
            for pkey, vkey in _PRODUCT_KEYS:
                if values.get(pkey):
                    product, version = values[pkey], values.get(vkey)
                    vendor = values.get(pkey.replace(".product", ".vendor"))
                    break
            desc = fp.findtext("description", "").strip()
            yield Example(raw, product, version, desc, vendor)


def _versions_agree(ours: str | None, theirs: str) -> bool:
    if not ours:
        return False
    a, b = ours.lower(), theirs.lower()
    return a == b or a.startswith(b) or b.startswith(a)


def measure_file(path: Path, source: str, rules: RuleSet) -> Tally:
    """Run the rules of ``source`` over every example of one Recog database."""
    tally = Tally()
    claimed = {normalise(p) for p in rules.products(source)}
    for ex in read_examples(path):
        tally.examples += 1
        if not ex.product:
            continue
        tally.with_product += 1
        wanted = ex.names()
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


def report(results: dict[str, Tally]) -> str:
    """A plain-text table of the figures."""
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


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; prints the table, and the misses of one protocol if asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dir", type=Path, default=None, help="Recog xml directory")
    parser.add_argument("--misses", default=None, help="list disagreements for one protocol")
    args = parser.parse_args(argv)
    directory = args.dir or recog_dir()
    if not directory.is_dir():
        sys.stderr.write(f"no Recog data at {directory}\n")
        return 2
    results = measure(directory)
    sys.stdout.write(report(results) + "\n")
    if args.misses in results:
        sys.stdout.write("\n".join(results[args.misses].misses) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
