"""Reading and validating the official list of local governments (no database access)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from mamoru.orgs.models import OrganisationKind

BUNDLED_LIST = Path(__file__).parent / "data" / "local_governments.csv"
COLUMNS = ("code", "prefecture_code", "prefecture", "name", "kana", "kind", "population")

KIND_BY_LABEL: dict[str, OrganisationKind] = {
    "都道府県": OrganisationKind.PREFECTURE,
    "政令指定都市": OrganisationKind.DESIGNATED_CITY,
    "中核市": OrganisationKind.CORE_CITY,
    "市": OrganisationKind.CITY,
    "特別区": OrganisationKind.SPECIAL_WARD,
    "町": OrganisationKind.TOWN,
    "村": OrganisationKind.VILLAGE,
}


@dataclass(frozen=True)
class LocalGovernmentRow:
    line: int
    code: str
    prefecture_code: str
    prefecture: str
    name: str
    reading: str
    kind: OrganisationKind
    population: int | None


class OrganisationListError(ValueError):
    """The list has bad rows; ``errors`` holds one message per problem, with its line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def check_digit(first_five: str) -> str:
    """The check digit of a 全国地方公共団体コード (weights 6..2, modulus 11)."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def _parse_row(line: int, raw: dict[str, str]) -> tuple[LocalGovernmentRow | None, list[str]]:
    errors: list[str] = []
    code = (raw.get("code") or "").strip()
    pref_code = (raw.get("prefecture_code") or "").strip()
    if len(code) != 6 or not code.isdigit():
        errors.append(f"{line}行目: 団体コード {code!r} は6桁の数字ではありません")
    elif check_digit(code[:5]) != code[5]:
        errors.append(
            f"{line}行目: 団体コード {code} の検査数字が正しくありません（正: {check_digit(code[:5])}）"
        )
    elif code[:2] != pref_code:
        errors.append(
            f"{line}行目: 団体コード {code} と都道府県コード {pref_code!r} が一致しません"
        )
    kind = KIND_BY_LABEL.get((raw.get("kind") or "").strip())
    if kind is None:
        errors.append(f"{line}行目: 種別 {raw.get('kind')!r} は不明です")
    name = (raw.get("name") or "").strip()
    if not name:
        errors.append(f"{line}行目: 名称が空です")
    population_text = (raw.get("population") or "").strip()
    if population_text and not population_text.isdigit():
        errors.append(f"{line}行目: 人口 {population_text!r} は数値ではありません")
    if errors or kind is None:
        return None, errors
    row = LocalGovernmentRow(
        line=line,
        code=code,
        prefecture_code=pref_code,
        prefecture=(raw.get("prefecture") or "").strip(),
        name=name,
        reading=(raw.get("kana") or "").strip(),
        kind=kind,
        population=int(population_text) if population_text else None,
    )
    return row, []


def _check_prefectures(rows: list[LocalGovernmentRow]) -> list[str]:
    prefectures = {r.prefecture_code: r for r in rows if r.kind == OrganisationKind.PREFECTURE}
    errors = []
    for r in rows:
        pref = prefectures.get(r.prefecture_code)
        if pref is None:
            errors.append(
                f"{r.line}行目: 都道府県コード {r.prefecture_code} の都道府県が一覧にありません"
            )
        elif r.prefecture != pref.name:
            errors.append(
                f"{r.line}行目: 都道府県名 {r.prefecture!r} が {pref.name!r} と一致しません"
            )
    return errors


def read_local_governments(path: Path = BUNDLED_LIST) -> list[LocalGovernmentRow]:
    """Every row of the list, or ``OrganisationListError`` naming every bad row."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise OrganisationListError([f"{path}: 読み込めません ({exc})"]) from exc
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise OrganisationListError([f"1行目: 列 {', '.join(missing)} がありません"])
    rows: list[LocalGovernmentRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        row, row_errors = _parse_row(line, raw)
        errors += row_errors
        if row is None:
            continue
        if row.code in seen:
            errors.append(
                f"{line}行目: 団体コード {row.code} は{seen[row.code]}行目と重複しています"
            )
        seen[row.code] = line
        rows.append(row)
    errors += _check_prefectures(rows)
    if errors:
        raise OrganisationListError(errors)
    return rows
