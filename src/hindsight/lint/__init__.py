"""Lint postmortems: blameless language, completeness, action items, timeline and process.

``lint_text`` and ``lint_postmortem`` return :class:`Finding` objects; :data:`RULES` holds every
rule; ``load_config`` reads ``[tool.hindsight.lint]``. See ``docs/lint.md``.
"""

from hindsight.lint import rules as _rules  # noqa: F401  (registers the rules)
from hindsight.lint.config import LintConfig, load_config, read_config
from hindsight.lint.engine import (
    RULES,
    Finding,
    Level,
    Rule,
    blocking,
    lint_postmortem,
    lint_text,
)

__all__ = [
    "RULES",
    "Finding",
    "Level",
    "LintConfig",
    "Rule",
    "blocking",
    "lint_postmortem",
    "lint_text",
    "load_config",
    "read_config",
]
