"""What the lint tests share: a fixed clock, a config per rule, and the corpus."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hindsight.lint import Finding, LintConfig, lint_text
from hindsight.lint.engine import expand

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CORPUS = SHARED / "postmortems"
TEMPLATES = SHARED / "templates" / "dastergon-postmortem-templates"


def only(*refs: str) -> LintConfig:
    return LintConfig(select=frozenset(i for ref in refs for i in expand(ref)))


def lint(text: str, *refs: str, path: str = "doc.md") -> list[Finding]:
    config = only(*refs) if refs else LintConfig()
    return lint_text(text, path=path, config=config, now=NOW)


def rules_of(findings: list[Finding]) -> list[str]:
    return [finding.rule for finding in findings]


def corpus_files() -> list[Path]:
    return sorted(
        p for p in CORPUS.rglob("*") if p.is_file() and not p.name.upper().startswith("LICENSE")
    )
