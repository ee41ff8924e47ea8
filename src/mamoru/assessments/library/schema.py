"""JSON Schema validation of framework and mapping documents, with errors in Japanese.

The schemas are plain JSON files next to this module (``framework.schema.json``,
``mapping.schema.json``) so that editors can use them too. jsonschema reports in English
and by JSON path; :func:`schema_issues` turns each of its errors into an :class:`Issue`
that names the item (or section) by its id and the field inside it, in Japanese.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from mamoru.assessments.library.errors import Issue

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

HERE: Final = Path(__file__).resolve().parent

_TYPE_NAMES: Final[Mapping[str, str]] = {
    "string": "文字列",
    "number": "数値",
    "integer": "整数",
    "boolean": "真偽値（true または false）",
    "array": "リスト",
    "object": "マッピング（キー: 値）",
    "null": "空の値",
}


@functools.cache
def validator(name: str) -> Draft202012Validator:
    """The validator of ``<name>.schema.json`` (``framework`` or ``mapping``).

    jsonschema is imported here, not at module level: with its optional format checkers
    installed it takes about a second to import, which only loading a framework should pay.
    """
    from jsonschema import Draft202012Validator

    schema = json.loads((HERE / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_issues(document: object, *, schema: str, name: str) -> list[Issue]:
    """Every schema violation of ``document``, in document order, as Japanese issues.

    ``name`` is how the issues name the document (its URN, or the file).
    """
    errors = sorted(validator(schema).iter_errors(document), key=_error_order)
    return [_issue(error, document, name) for error in errors]


def _error_order(error: ValidationError) -> tuple[str, ...]:
    return tuple(f"{part:08d}" if isinstance(part, int) else str(part) for part in error.path)


def _issue(error: ValidationError, document: object, name: str) -> Issue:
    path = list(error.path)
    item, section, rest = _locate(document, path)
    field = _field(rest)
    message = _message(error)
    extra = _named_property(error)
    if extra is not None:
        field = f"{field}.{extra}" if field else extra
    return Issue(document=name, message=message, item=item, section=section, field=field or None)


def _locate(document: object, path: Sequence[Any]) -> tuple[str | None, str | None, list[Any]]:
    """Walk ``path`` through ``document``: the innermost item and section ids on the way
    (from their ``id``, or ``#<n>`` when the id itself is missing) and the path left after
    the innermost of them."""
    item: str | None = None
    section: str | None = None
    rest: list[Any] = []
    node: Any = document
    parent_key: Any = None
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            rest.append(part)
            continue
        rest.append(part)
        if isinstance(part, int) and parent_key in {"items", "sections", "rules"}:
            label = _id_of(node, part)
            if parent_key == "sections":
                section, item = label, None
            else:
                item = label
            rest = []
        parent_key = part
    return item, section, rest


def _id_of(node: object, index: int) -> str:
    if isinstance(node, Mapping):
        ident = node.get("id", node.get("from"))
        if isinstance(ident, str) and ident.strip():
            return ident
        if isinstance(ident, list) and all(isinstance(x, str) for x in ident):
            return "+".join(ident)
    return f"#{index + 1}"


def _field(rest: Sequence[Any]) -> str:
    out = ""
    for part in rest:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _named_property(error: ValidationError) -> str | None:
    """The property a ``required`` or ``additionalProperties`` error is about."""
    instance = error.instance
    value: Any = error.validator_value
    schema: Any = error.schema
    if error.validator == "required" and isinstance(instance, Mapping):
        missing = [key for key in value if key not in instance]
        return ", ".join(missing) if missing else None
    if error.validator == "additionalProperties" and isinstance(instance, Mapping):
        known = set(schema.get("properties", {}))
        extra = sorted(str(key) for key in instance if key not in known)
        return ", ".join(extra) if extra else None
    return None


_BOUNDS: Final[Mapping[str, str]] = {
    "minimum": "以上の",
    "maximum": "以下の",
    "exclusiveMinimum": "より大きい",
    "exclusiveMaximum": "より小さい",
}


def _type_message(value: Any, shown: str, hint: str | None) -> str:
    expected = value if isinstance(value, list) else [value]
    names = "または".join(_TYPE_NAMES.get(str(t), str(t)) for t in expected)
    return f"{names}で書いてください（値: {shown}）"


def _format_message(value: Any, shown: str, hint: str | None) -> str:
    return f"{hint or '形式が正しくありません'}（値: {shown}）"


def _bound_message(bound: str) -> Callable[[Any, str, str | None], str]:
    def message(value: Any, shown: str, hint: str | None) -> str:
        return f"{value} {bound}数値にしてください（値: {shown}）"

    return message


# One Japanese sentence per JSON Schema keyword: (validator value, the value shown, the
# schema's x-error-ja hint) -> message.
_MESSAGES: Final[Mapping[str, Callable[[Any, str, str | None], str]]] = {
    "required": lambda value, shown, hint: "必須のフィールドがありません",
    "additionalProperties": lambda value, shown, hint: (
        "定義されていないフィールドです（綴りを確かめてください）"
    ),
    "type": _type_message,
    "enum": lambda value, shown, hint: (
        f"次のいずれかを書いてください: {', '.join(map(str, value))}（値: {shown}）"
    ),
    "const": lambda value, shown, hint: f"{_show(value)} と書いてください（値: {shown}）",
    "pattern": _format_message,
    "oneOf": _format_message,
    "anyOf": _format_message,
    "minItems": lambda value, shown, hint: f"{value} 件以上書いてください（値: {shown}）",
    "uniqueItems": lambda value, shown, hint: f"同じ値が 2 回以上あります（値: {shown}）",
    "minLength": lambda value, shown, hint: "空にはできません",
    "minProperties": lambda value, shown, hint: f"{value} 件以上定義してください",
    **{keyword: _bound_message(bound) for keyword, bound in _BOUNDS.items()},
}


def _message(error: ValidationError) -> str:
    schema: Any = error.schema
    hint = schema.get("x-error-ja") if isinstance(schema, Mapping) else None
    shown = _show(error.instance)
    build = _MESSAGES.get(str(error.validator))
    if build is None:
        return f"値が正しくありません（値: {shown}; {error.message}）"
    return build(error.validator_value, shown, hint)


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."
