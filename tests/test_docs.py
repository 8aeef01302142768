"""Docs generated from the code stay current, and everything a user can call is documented."""

from __future__ import annotations

import re
from pathlib import Path

from hindsight.cli.reference import command_paths, reference

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    assert (ROOT / "docs" / "cli.md").read_text() == reference(), "run `make docs`"


def test_every_command_has_help() -> None:
    missing = [path for path, help_text in command_paths() if not help_text]
    assert missing == []


def test_every_setting_is_in_the_readme() -> None:
    settings_source = (ROOT / "src" / "hindsight" / "settings.py").read_text()
    readme = (ROOT / "README.md").read_text()
    names = set(re.findall(r'"(HINDSIGHT_[A-Z_]+)"', settings_source))
    assert names, "settings.py reads no HINDSIGHT_ variables?"
    assert sorted(n for n in names if n not in readme) == []


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```")[1]
    assert "make run" in first_block and "make test" in first_block


def test_nothing_but_settings_reads_the_environment() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src" / "hindsight").rglob("*.py")
        if path.name != "settings.py" and re.search(r"os\.environ|os\.getenv", path.read_text())
    ]
    assert offenders == []
