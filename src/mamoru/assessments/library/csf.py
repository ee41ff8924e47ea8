"""The NIST CSF 2.0 catalogue (functions, categories, subcategories) that mappings refer to.

The catalogue is not a second copy of the framework: it is read from the shipped
``nist-csf-2.0`` framework file (the one marked ``defines_csf: true``), whose top sections
are the 6 functions, their sub-sections the 22 categories and their items the 106
subcategories (NIST CSWP 29, 2024-02-26).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from mamoru.assessments.library.errors import Issue
from mamoru.assessments.library.model import Framework, Text

FUNCTION_RE: Final = re.compile(r"^(GV|ID|PR|DE|RS|RC)$")
CATEGORY_RE: Final = re.compile(r"^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}$")
SUBCATEGORY_RE: Final = re.compile(r"^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-[0-9]{2}$")
FUNCTION_ORDER: Final = ("GV", "ID", "PR", "DE", "RS", "RC")


@dataclass(frozen=True, slots=True)
class CsfRef:
    """A CSF id resolved to its function and, when it is that precise, its category."""

    function: str
    category: str | None
    subcategory: str | None


@dataclass(frozen=True)
class CsfCatalogue:
    """Names of every CSF 2.0 function, category and subcategory, keyed by id."""

    functions: Mapping[str, Text]
    categories: Mapping[str, Text]
    subcategories: Mapping[str, Text]

    def __contains__(self, csf_id: object) -> bool:
        return csf_id in self.functions or csf_id in self.categories or csf_id in self.subcategories

    def resolve(self, csf_id: str) -> CsfRef:
        """The function, category and subcategory of ``csf_id``; ``KeyError`` if unknown."""
        if csf_id not in self:
            raise KeyError(csf_id)
        if csf_id in self.subcategories:
            return CsfRef(csf_id[:2], csf_id.split("-", maxsplit=1)[0], csf_id)
        if csf_id in self.categories:
            return CsfRef(csf_id[:2], csf_id, None)
        return CsfRef(csf_id, None, None)

    def label(self, csf_id: str) -> Text:
        """The name of a function or category, or the outcome statement of a subcategory."""
        for table in (self.functions, self.categories, self.subcategories):
            if csf_id in table:
                return table[csf_id]
        raise KeyError(csf_id)

    def categories_of(self, function: str) -> tuple[str, ...]:
        return tuple(c for c in self.categories if c.startswith(function + "."))


def catalogue_from(framework: Framework) -> tuple[CsfCatalogue, list[Issue]]:
    """Build the catalogue from a ``defines_csf`` framework, with the problems of its shape.

    Its top sections must be functions, their sub-sections categories of that function, and
    their items subcategories of that category mapped to themselves.
    """
    issues: list[Issue] = []
    functions: dict[str, Text] = {}
    categories: dict[str, Text] = {}
    subcategories: dict[str, Text] = {}
    name = framework.urn

    def problem(message: str, *, section: str | None = None, item: str | None = None) -> None:
        issues.append(Issue(name, message, item=item, section=section, field="id"))

    for function in framework.sections:
        if not FUNCTION_RE.match(function.id) or function.items:
            problem(
                "最上位のセクションは CSF の機能（GV など）で、項目を直接持てません",
                section=function.id,
            )
        functions[function.id] = function.title
        for category in function.sections:
            if not CATEGORY_RE.match(category.id) or not category.id.startswith(function.id + "."):
                problem(
                    f"{function.id} のカテゴリ（{function.id}.XX）ではありません",
                    section=category.id,
                )
            if category.sections:
                problem("カテゴリの下にセクションは置けません", section=category.id)
            categories[category.id] = category.title
            for item in category.items:
                if not SUBCATEGORY_RE.match(item.id) or not item.id.startswith(category.id + "-"):
                    problem(
                        f"{category.id} のサブカテゴリ（{category.id}-NN）ではありません",
                        item=item.id,
                    )
                if item.csf != (item.id,):
                    issues.append(
                        Issue(
                            name,
                            "サブカテゴリは自分自身に対応付けてください",
                            item=item.id,
                            field="csf",
                        )
                    )
                subcategories[item.id] = item.question
    return CsfCatalogue(functions, categories, subcategories), issues
