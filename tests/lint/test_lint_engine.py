"""The engine: the rule catalogue and its docs, configuration, suppression, stored postmortems."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lint_helpers import NOW, lint, rules_of

from hindsight.errors import InvalidInput
from hindsight.lint import RULES, LintConfig, blocking, lint_postmortem, lint_text, load_config
from hindsight.lint.docs import pages
from hindsight.model import Postmortem

ROOT = Path(__file__).resolve().parents[2]


# --- the catalogue ----------------------------------------------------------------------------


def test_every_rule_is_documented_and_well_formed() -> None:
    assert len(RULES) >= 30
    names = [rule.name for rule in RULES.values()]
    assert len(set(names)) == len(names)
    for rule in RULES.values():
        assert re.fullmatch(r"[LCATP][1-5]\d\d", rule.id)
        assert {"L": "1", "C": "2", "A": "3", "T": "4", "P": "5"}[rule.id[0]] == rule.id[1]
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
        assert rule.severity in ("error", "warning", "info")
        assert rule.summary and rule.explanation and rule.bad and rule.good


@pytest.mark.parametrize("rule_id", list(RULES))
def test_bad_example_fires_and_good_example_does_not(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule_id in rules_of(lint(rule.bad, rule_id)), rule.bad
    assert lint(rule.good, rule_id) == [], rule.good


def test_rule_docs_are_current() -> None:
    directory = ROOT / "docs" / "rules"
    expected = pages()
    found = {path.name: path.read_text(encoding="utf-8") for path in directory.glob("*.md")}
    assert found == expected, "run `python -m hindsight.lint.docs`"


def test_lint_guide_names_every_config_key() -> None:
    guide = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    from hindsight.lint.config import _KEYS, WORD_LISTS

    assert sorted(k for k in [*_KEYS, *WORD_LISTS] if k not in guide) == []


# --- configuration ----------------------------------------------------------------------------


def test_config_is_found_upward_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.hindsight.lint]\nselect = ["L", "missing-section"]\nignore = ["L105"]\n'
        'severity = { counterfactual = "error" }\nmax-gap = "2h"\n'
        '[tool.hindsight.lint.per-file-ignores]\n"legacy/*.md" = ["L101"]\n'
        "[tool.hindsight.lint.words]\nnames = ['Zbigniew']\n"
    )
    deep = tmp_path / "pm" / "2026"
    deep.mkdir(parents=True)
    config = load_config(deep / "x.md")
    assert config.source == tmp_path / "pyproject.toml"
    assert "L101" in config.enabled_for("pm/x.md") and "C201" in config.enabled_for("x.md")
    assert "L105" not in config.enabled_for("x.md") and "T401" not in config.enabled_for("x.md")
    assert "L101" not in config.enabled_for(str(tmp_path / "legacy" / "old.md"))
    assert config.severity == {"L103": "error"}
    assert config.max_gap.total_seconds() == 7200
    assert config.words_for("names") == ("Zbigniew",)


def test_hindsight_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.hindsight.lint]\nselect = ["L"]\n')
    (tmp_path / "hindsight.toml").write_text('[lint]\nselect = ["C"]\n')
    assert load_config(tmp_path).enabled_for("x.md") == {i for i in RULES if i[0] == "C"}


def test_no_config_means_every_rule(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert load_config(tmp_path).enabled_for("x.md") == set(RULES)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("slect = ['L']", "unknown lint setting 'slect'"),
        ("select = ['L999']", "select: unknown rule 'L999'"),
        ("severity = { L101 = 'fatal' }", "severity.L101: use one of info, warning, error"),
        ("max-gap = 'soon'", "max-gap: expected a duration"),
        ("[tool.hindsight.lint.words]\nnicknames = ['x']", "words.nicknames: unknown word list"),
        ("required-sections = ['epilogue']", "required-sections: unknown section 'epilogue'"),
    ],
)
def test_bad_config_is_a_one_line_error_naming_file_and_key(
    tmp_path: Path, table: str, message: str
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.hindsight.lint]\n{table}\n")
    with pytest.raises(InvalidInput) as caught:
        load_config(tmp_path)
    assert str(caught.value).startswith(f"{path}: {message}")
    assert "\n" not in str(caught.value)


# --- suppression ------------------------------------------------------------------------------


def test_suppress_on_the_line_by_id_or_name() -> None:
    text = (
        "Dave forgot the flag. <!-- hindsight: ignore[L101] -->\n"
        "Dave forgot again. <!-- hindsight: ignore[person-as-cause] -->\n"
        "Dave forgot once more.\n"
    )
    assert [f.line for f in lint(text, "L")] == [3]


def test_suppress_a_section_and_the_next_block() -> None:
    text = (
        "## Timeline\n<!-- hindsight: ignore[L101, L107] -->\n\n- Dave forgot. A disaster.\n\n"
        "### Detail\n\nShe ignored the page.\n\n## Summary\n\nThe disk filled up.\n\n"
        "<!-- hindsight: ignore -->\nDave forgot.\nStill the same paragraph: Dave forgot.\n\n"
        "Dave forgot, reported.\n"
    )
    assert [(f.rule, f.line) for f in lint(text, "L")] == [("L101", 18)]


def test_suppress_the_whole_file() -> None:
    text = "<!-- hindsight: ignore-file[L1] -->\nDave forgot. A disaster.\n\n## Summary\n"
    assert [f for f in lint(text, "L", "C201") if f.rule.startswith("L")] == []


# --- stored postmortems -----------------------------------------------------------------------


def test_lint_postmortem_renders_in_the_layout_and_points_at_its_lines() -> None:
    pm = Postmortem(title="Disk full", executive_summary="Dave forgot to rotate the logs.")
    findings = lint_postmortem(pm, path="INC-1.md", config=LintConfig(), now=NOW, layout="sre")
    [blame] = [f for f in findings if f.rule == "L101"]
    from hindsight.layouts.render import render_markdown

    rendered = render_markdown(pm, layout="sre").split("\n")
    assert "Dave forgot" in rendered[blame.line - 1]
    assert blame in blocking(findings)
    assert all(f.severity == "error" for f in blocking(findings))
    assert {"C201", "C203"} <= set(rules_of(findings))


def test_findings_serialise() -> None:
    [finding] = lint_text("Dave forgot.\n", path="a.md", config=LintConfig(), now=NOW)[-1:]
    assert finding.to_dict()["path"] == "a.md"


def test_document_ending_right_after_its_front_matter_is_linted() -> None:
    from datetime import UTC, datetime

    from hindsight.lint import LintConfig, lint_text

    for text in ("---\ntitle: x\n---", "---\ntitle: x\n---\n"):
        findings = lint_text(text, path="x.md", config=LintConfig(), now=datetime.now(UTC))
        assert all(f.line >= 1 for f in findings)
