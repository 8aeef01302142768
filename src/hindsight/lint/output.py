"""Lint reports: text for people (grouped by file, coloured on a terminal), JSON, and SARIF 2.1.0
for code-scanning tools."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from itertools import groupby
from typing import Any
from urllib.parse import quote

from hindsight.lint.engine import RULES, Finding, Level

FORMATS = ("text", "json", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_COLOURS = {"error": "31", "warning": "33", "info": "36"}


def counts(findings: Sequence[Finding]) -> dict[Level, int]:
    found = Counter(f.severity for f in findings)
    return {"error": found["error"], "warning": found["warning"], "info": found["info"]}


def statistics(findings: Sequence[Finding]) -> list[tuple[str, str, int]]:
    """``(rule id, rule name, count)`` per rule that fired, most frequent first."""
    found = Counter(f.rule for f in findings)
    return [
        (id_, RULES[id_].name, n) for id_, n in sorted(found.items(), key=lambda x: (-x[1], x[0]))
    ]


# --- text -------------------------------------------------------------------------------------


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def _plural(count: int, word: str) -> str:
    if word == "info":
        return f"{count} info"
    return f"{count} {word}{'' if count == 1 else 's'}"


def text_report(
    findings: Sequence[Finding], *, files: int, colour: bool = False, show_stats: bool = False
) -> str:
    """Findings grouped by file, one line each with its suggestion below, then a summary."""
    lines: list[str] = []
    ordered = sorted(findings, key=lambda f: (f.path, f.line, f.column, f.rule))
    for path, group in groupby(ordered, key=lambda f: f.path):
        lines.append(_paint(path, "1", colour))
        for finding in group:
            place = f"{finding.line}:{finding.column}".ljust(8)
            level = _paint(finding.severity.ljust(7), _COLOURS[finding.severity], colour)
            rule = _paint(f"{finding.rule} {finding.name}", "2", colour)
            lines.append(f"  {place}{level} {finding.message}  {rule}")
            if finding.suggestion:
                lines.append(f"{'':10}{'':8}suggestion: {finding.suggestion}")
        lines.append("")
    if show_stats and findings:
        lines.append("Findings per rule:")
        for id_, name, count in statistics(findings):
            lines.append(f"  {count:6d}  {id_}  {name}")
        lines.append("")
    lines.append(_summary(findings, files))
    return "\n".join(lines) + "\n"


def _summary(findings: Sequence[Finding], files: int) -> str:
    checked = _plural(files, "file")
    if not findings:
        return f"No findings in {checked}."
    by_level = counts(findings)
    parts = ", ".join(_plural(by_level[level], level) for level in ("error", "warning", "info"))
    return f"Found {_plural(len(findings), 'finding')} ({parts}) in {checked}."


# --- JSON -------------------------------------------------------------------------------------


def json_report(findings: Sequence[Finding], *, files: int) -> str:
    data: dict[str, Any] = {
        "findings": [finding.to_dict() for finding in findings],
        "summary": {"files": files, "findings": len(findings), **counts(findings)},
        "statistics": [
            {"rule": id_, "name": name, "count": n} for id_, name, n in statistics(findings)
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- SARIF ------------------------------------------------------------------------------------


def sarif_report(findings: Sequence[Finding], *, version: str) -> str:
    """A SARIF 2.1.0 log with one run; paths become relative URIs."""
    rules = list(RULES.values())
    index = {rule.id: number for number, rule in enumerate(rules)}
    driver = {
        "name": "hindsight",
        "version": version,
        "rules": [
            {
                "id": rule.id,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.explanation},
                "help": {"text": f"{rule.explanation}\n\nBad:\n{rule.bad}\nGood:\n{rule.good}"},
                "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
                "properties": {"family": rule.family, "tags": [rule.family, "postmortem"]},
            }
            for rule in rules
        ],
    }
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": [_result(finding, index[finding.rule]) for finding in findings],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": finding.line, "startColumn": finding.column}
    if finding.end_column is not None and finding.end_column > finding.column:
        region["endColumn"] = finding.end_column
    if finding.text:
        region["snippet"] = {"text": finding.text}
    text = finding.message
    if finding.suggestion:
        text = f"{text}. Suggestion: {finding.suggestion}"
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _SARIF_LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(finding.path.replace("\\", "/"))},
                    "region": region,
                }
            }
        ],
    }
    if finding.suggestion:
        result["properties"] = {"suggestion": finding.suggestion}
    return result


def report(
    findings: Sequence[Finding],
    *,
    fmt: str,
    files: int,
    colour: bool = False,
    show_stats: bool = False,
    version: str = "0",
) -> str:
    if fmt == "json":
        return json_report(findings, files=files)
    if fmt == "sarif":
        return sarif_report(findings, version=version)
    return text_report(findings, files=files, colour=colour, show_stats=show_stats)
