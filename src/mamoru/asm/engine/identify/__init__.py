"""Service and version identification: probes, the project's YAML rules, CPE names.

The public surface is small on purpose: :func:`identify` for one open port, and the rule
set for tools that want to run the rules over text they already have.
"""

from mamoru.asm.engine.identify.engine import identify
from mamoru.asm.engine.identify.rules import Rule, RuleError, RuleMatch, RuleSet, default_rules

__all__ = ["Rule", "RuleError", "RuleMatch", "RuleSet", "default_rules", "identify"]
