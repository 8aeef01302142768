"""The lint engine: findings, the rule registry and the run over one document.

A rule is data (id, name, family, default severity, the text of its docs page) plus a check: a
function from a :class:`~hindsight.lint.document.LintDocument` to the :class:`Hit` objects it
finds. The engine turns hits into :class:`Finding` objects with the severity the configuration
gives, drops what is suppressed, and sorts them by place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from hindsight.lint.config import LintConfig
    from hindsight.lint.document import LintDocument
    from hindsight.model import Postmortem

Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("info", "warning", "error")

FAMILIES: dict[str, str] = {
    "L": "language",
    "C": "completeness",
    "A": "actions",
    "T": "timeline",
    "P": "process",
}


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check found, before the engine knows the rule's configured severity.

    ``shift`` moves the severity up (+1) or down (-1) from the configured one: the same words
    weigh more in a timeline than in lessons learned.
    """

    line: int
    column: int
    text: str
    message: str
    suggestion: str | None = None
    shift: int = 0
    end_column: int | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one document, at a 1-based line and column."""

    rule: str
    name: str
    severity: Level
    path: str
    line: int
    column: int
    text: str
    message: str
    suggestion: str | None = None
    end_column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_column": self.end_column,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
        }


Check = Callable[["LintDocument"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A lint rule and the text of its documentation page."""

    id: str
    name: str
    severity: Level
    summary: str
    explanation: str
    bad: str
    good: str
    check: Check = field(repr=False, compare=False)

    @property
    def family(self) -> str:
        return FAMILIES[self.id[0]]


RULES: dict[str, Rule] = {}
"""Every rule by id, in the order the families register them."""

_BY_NAME: dict[str, str] = {}


def rule(
    id: str,
    name: str,
    severity: Level,
    *,
    summary: str,
    explanation: str,
    bad: str,
    good: str,
) -> Callable[[Check], Check]:
    """Register the decorated function as the check of a rule."""

    def register(check: Check) -> Check:
        if id in RULES or name in _BY_NAME:
            raise ValueError(f"rule {id} {name} is registered twice")
        RULES[id] = Rule(id, name, severity, summary, explanation, bad, good, check)
        _BY_NAME[name] = id
        return check

    return register


def rule_id(ref: str) -> str | None:
    """The id of a rule given its id or its kebab-case name; ``None`` if there is none."""
    key = ref.strip()
    if key.upper() in RULES:
        return key.upper()
    return _BY_NAME.get(key.lower())


def expand(ref: str) -> list[str]:
    """The rule ids a reference means: an id, a name, a prefix (``L``, ``L1``) or ``ALL``.

    Raises ``KeyError`` naming the reference when it matches no rule.
    """
    one = rule_id(ref)
    if one is not None:
        return [one]
    key = ref.strip().upper()
    if key == "ALL":
        return list(RULES)
    matched = [id_ for id_ in RULES if key and id_.startswith(key)]
    if not matched:
        raise KeyError(ref)
    return matched


def shifted(level: Level, shift: int) -> Level:
    index = max(0, min(len(LEVELS) - 1, LEVELS.index(level) + shift))
    return LEVELS[index]


# --- running ----------------------------------------------------------------------------------


def lint_text(text: str, *, path: str, config: LintConfig, now: datetime) -> list[Finding]:
    """Lint one Markdown document; ``path`` is what findings name (and what per-file ignores
    match). ``now`` is the moment that rules about deadlines compare against."""
    from hindsight.lint.document import LintDocument

    _load_rules()
    doc = LintDocument(text, path=path, config=config, now=now)
    enabled = config.enabled_for(path)
    suppressed = doc.suppressions
    findings: list[Finding] = []
    for id_, rule_ in RULES.items():
        if id_ not in enabled or suppressed.whole_file(id_):
            continue
        base = config.severity.get(id_, rule_.severity)
        for hit in rule_.check(doc):
            if suppressed.hides(id_, hit.line):
                continue
            findings.append(
                Finding(
                    rule=id_,
                    name=rule_.name,
                    severity=shifted(base, hit.shift),
                    path=path,
                    line=hit.line,
                    column=hit.column,
                    text=hit.text,
                    message=hit.message,
                    suggestion=hit.suggestion,
                    end_column=hit.end_column,
                )
            )
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return findings


def lint_postmortem(
    pm: Postmortem,
    *,
    path: str,
    config: LintConfig,
    now: datetime,
    layout: str | None = None,
) -> list[Finding]:
    """Lint a stored postmortem: render it in ``layout`` (else its own, else ``sre``) and lint
    that text, so that line numbers refer to the rendered document."""
    from hindsight.layouts.render import render_markdown

    text = render_markdown(pm, layout=layout or pm.layout or "sre")
    return lint_text(text, path=path, config=config, now=now)


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The error-level findings: those that keep a postmortem from being marked final."""
    return [finding for finding in findings if finding.severity == "error"]


def _load_rules() -> None:
    # The rule modules register themselves on import.
    import hindsight.lint.rules  # noqa: F401
