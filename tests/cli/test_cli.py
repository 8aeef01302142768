"""The CLI end to end on a real SQLite file: every command, its JSON, and its errors."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from cli_helpers import run, run_json
from hindsight import __version__
from hindsight.cli import app
from hindsight.cli.reference import command_paths

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "checkout-outage.yaml"


def create_example() -> str:
    code, out, err = run("new", "--from", str(EXAMPLE))
    assert code == 0, err
    return out.strip()


def test_new_from_details_fills_every_section_it_can(env: dict[str, str]) -> None:
    ref = create_example()
    assert ref == "INC-2026-10-14-001"
    data = run_json("show", ref)
    assert isinstance(data, dict)
    assert data["title"].startswith("Checkout API")
    assert data["severity"] == "SEV-2"
    assert data["milestones"]["detected_at"] == "2026-10-14T10:09:00Z"
    assert data["durations"]["time_to_detect"] == 360
    assert data["durations"]["time_to_acknowledge"] == 180
    assert len(data["timeline"]) == 8
    kinds = [e["kind"] for e in data["timeline"]]
    assert kinds[2:4] == ["alert", "acknowledgement"] and kinds[-2:] == ["mitigation", "resolution"]
    assert [a["id"] for a in data["action_items"]] == ["A1", "A2"]
    assert data["resolution"]["immediate_fix"].startswith("The on-call engineer rolled")


def test_new_show_prints_markdown_with_placeholders_for_the_author(env: dict[str, str]) -> None:
    code, out, _ = run("new", "--from", str(EXAMPLE), "--show")
    assert code == 0
    front, body = out.split("---\n", 2)[1:]
    meta = yaml.safe_load(front)
    assert meta["id"] == "INC-2026-10-14-001"
    assert "## Lessons Learned" in body
    assert "_[" in body  # sections the details did not fill are marked for the author


def test_second_postmortem_on_same_day_gets_next_number(env: dict[str, str]) -> None:
    assert create_example() == "INC-2026-10-14-001"
    assert create_example() == "INC-2026-10-14-002"


def test_new_from_flags_and_list_filters(env: dict[str, str]) -> None:
    create_example()
    code, _out, err = run(
        "new", "--title", "Search latency", "--severity", "P3", "--service", "search",
        "--date", "2026-11-02",
    )  # fmt: skip
    assert code == 0, err
    rows = run_json("list")
    assert isinstance(rows, list)
    assert [r["id"] for r in rows] == ["INC-2026-11-02-001", "INC-2026-10-14-001"]
    only = run_json("list", "--service", "search")
    assert isinstance(only, list) and [r["severity"] for r in only] == ["SEV-4"]


def test_timeline_and_action_commands_make_revisions(env: dict[str, str]) -> None:
    ref = create_example()
    code, _, err = run(
        "timeline", "add", ref, "Status page updated", "--at", "2026-10-14T10:20:00Z",
        "--kind", "communication",
    )  # fmt: skip
    assert code == 0, err
    code, _, err = run(
        "action", "add", ref, "Alert on pool saturation above 80% for 5 minutes",
        "--owner", "sre-team", "--priority", "P1", "--due", "2026-11-15", "--category", "detect",
    )  # fmt: skip
    assert code == 0, err
    item = run_json("action", "set", ref, "A1", "--status", "done")
    assert isinstance(item, dict) and item["status"] == "done" and item["completed_on"]
    data = run_json("show", ref)
    assert isinstance(data, dict)
    texts = [e["text"] for e in data["timeline"]]
    # 10:20 UTC falls between the acknowledgement (10:12) and the diagnosis (10:25).
    acknowledged = texts.index("On-call engineer acknowledged the page")
    assert texts.index("Status page updated") == acknowledged + 1
    assert [a["id"] for a in data["action_items"]] == ["A1", "A2", "A3"]
    history = run_json("history", ref)
    assert isinstance(history, list)
    assert [h["revision"] for h in history] == [1, 2, 3, 4]
    assert all(h["author"] == "tester" for h in history)
    code, diff, _ = run("history", ref, "--diff", "1", "4")
    assert code == 0 and "Status page updated" in diff


def test_status_transitions_and_the_lint_gate_on_final(env: dict[str, str]) -> None:
    ref = create_example()
    code, _, err = run("status", ref, "final")
    assert code == 4 and "cannot move from draft to final" in err
    assert run_json("status", ref, "in_review")["status"] == "in_review"
    # The drafted postmortem still has placeholders for the author: lint refuses final.
    code, _, err = run("status", ref, "final")
    assert code == 4 and "lint error(s) keep it from final" in err
    assert run_json("show", ref)["status"] == "in_review"
    code, _out, err = run("status", ref, "final", "--override", "signed off in the review meeting")
    assert code == 0, err
    data = run_json("show", ref)
    assert isinstance(data, dict)
    assert [c["status"] for c in data["status_history"]] == ["in_review", "final"]
    assert "final despite" in data["status_history"][-1]["note"]
    assert "signed off in the review meeting" in data["status_history"][-1]["note"]
    assert data["milestones"]["postmortem_completed_at"] is not None
    assert "final despite" in run_json("history", ref)[-1]["message"]


def test_edit_saves_a_revision_and_keeps_hidden_fields(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = create_example()
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('Checkout API returned', 'Checkout API answered'))\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    code, _, err = run("edit", ref)
    assert code == 0, err
    data = run_json("show", ref)
    assert isinstance(data, dict)
    assert data["title"].startswith("Checkout API answered")
    assert all(e["source"] == "details" for e in data["timeline"])
    assert len(run_json("history", ref)) == 2


def test_edit_with_no_change_makes_no_revision(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = create_example()
    monkeypatch.setenv("EDITOR", "true")
    code, _, err = run("edit", ref)
    assert code == 0 and "no changes" in err
    assert len(run_json("history", ref)) == 1


def test_export_then_import_is_idempotent(env: dict[str, str], tmp_path: Path) -> None:
    ref = create_example()
    out_dir = tmp_path / "export"
    code, out, err = run("export", "--dir", str(out_dir))
    assert code == 0, err
    assert (out_dir / f"{ref}.md").exists()
    code, out, err = run("import", str(out_dir))
    assert code == 0, err
    assert "1 unchanged" in out
    (out_dir / "broken.json").write_text("{not json")
    code, out, err = run("import", str(out_dir))
    assert code == 2
    assert "broken.json:1:2" in err and "1 failed" in out


def test_render_converts_without_a_database(env: dict[str, str], tmp_path: Path) -> None:
    source = tmp_path / "pm.json"
    create_example()
    code, out, _ = run("show", "INC-2026-10-14-001", "--format", "json")
    source.write_text(out)
    for layout in ("sre", "five-whys", "full", "checklist", "impact"):
        code, text, err = run("render", str(source), "--layout", layout)
        assert code == 0, err
        assert text.startswith("---\n")
    target = tmp_path / "pm.html"
    code, _, err = run("render", str(source), "--format", "html", "-o", str(target))
    assert code == 0, err
    page = _Headings()
    page.feed(target.read_text(encoding="utf-8"))
    assert page.root == "html"
    assert any(json.loads(out)["title"] in heading for heading in page.h1)


class _Headings(HTMLParser):
    """The first element of a page and the text of its ``<h1>`` elements."""

    def __init__(self) -> None:
        super().__init__()
        self.root: str | None = None
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.root = self.root or tag
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1[-1] += data


def test_template_schema_layouts_info(env: dict[str, str]) -> None:
    code, text, _ = run("template", "checklist")
    assert code == 0 and "## Action Items" in text
    code, text, _ = run("schema")
    schema = json.loads(text)
    for name in ("id", "title", "status", "severity", "milestones", "durations", "timeline"):
        assert name in schema["properties"]
    names = [layout["name"] for layout in run_json("layouts")]
    assert names[:5] == ["sre", "five-whys", "full", "checklist", "impact"]
    info = run_json("info")
    assert isinstance(info, dict) and info["database"] == "sqlite"
    assert info["sqlite_file"].startswith(env["HINDSIGHT_DATA_DIR"])


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "INC-1999-01-01-001"], 3, "no postmortem"),
        (["new", "--severity", "SEV-9"], 2, "unknown severity"),
        (["new", "--date", "yesterday"], 2, "--date"),
        (["render", "missing.md"], 3, "missing.md"),
        (["template", "nope"], 3, "unknown layout"),
        (["action", "set", "INC-2026-10-14-001", "A9", "--status", "done"], 3, "A9"),
        (["action", "set", "INC-2026-10-14-001", "A1", "--status", "wont_do"], 2, "reason"),
        (["timeline", "add", "INC-2026-10-14-001", "x", "--at", "noon"], 2, "--at"),
        (["status", "INC-2026-10-14-001", "shipped"], 2, "unknown status"),
    ],
)
def test_errors_are_one_line_and_change_nothing(
    env: dict[str, str], args: list[str], code: int, message: str
) -> None:
    ref = create_example()
    before = run_json("show", ref)
    got, _, err = run(*args)
    assert got == code
    assert err.startswith("hindsight: error: ") and err.count("\n") == 1
    assert message in err
    assert run_json("show", ref) == before


def test_bad_details_file_is_refused_with_its_place(env: dict[str, str], tmp_path: Path) -> None:
    details = yaml.safe_load(EXAMPLE.read_text())
    details["timeline"][3], details["timeline"][4] = details["timeline"][4], details["timeline"][3]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(details))
    code, _, err = run("new", "--from", str(bad))
    assert code == 2 and "timeline line 5" in err and "bad.yaml" in err
    details = yaml.safe_load(EXAMPLE.read_text()) | {"severity_level": 2}
    bad.write_text(yaml.safe_dump(details))
    code, _, err = run("new", "--from", str(bad))
    assert code == 2 and "severity_level: unknown field" in err
    bad.write_text("title: [unclosed\n")
    code, _, err = run("new", "--from", str(bad))
    assert code == 2 and "bad.yaml:" in err
    code, out, _ = run("list", "--json")
    assert json.loads(out) == []


def test_console_script_help_and_module_entry(env: dict[str, str]) -> None:
    environ = {**os.environ, **env}
    script = str(Path(sys.executable).with_name("hindsight"))
    for command in ([script, "--help"], [sys.executable, "-m", "hindsight", "--help"]):
        done = subprocess.run(command, capture_output=True, text=True, env=environ, check=False)
        assert done.returncode == 0 and "postmortem" in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "hindsight", "show", "NOPE"],
        capture_output=True, text=True, env=environ, check=False,
    )  # fmt: skip
    assert done.returncode == 3
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


HEAVY = ("sqlalchemy", "jinja2", "yaml", "rich", "pydantic", "alembic", "typer", "click")


@pytest.mark.parametrize("args", [["--help"], ["lint", "--help"], ["timeline", "add", "--help"]])
def test_help_does_not_import_heavy_modules(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "hindsight", *args],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "hindsight" in imported
    assert sorted(imported.intersection(HEAVY)) == []


def test_version() -> None:
    assert run("--version") == (0, f"hindsight {__version__}\n", "")


def test_every_command_and_group_has_help() -> None:
    for path, _ in command_paths():
        code, out, err = run(*path.split()[1:], "--help")
        assert (code, err) == (0, ""), path
        assert out.startswith(f"usage: {path} [OPTIONS]"), path
    code, out, _ = run("timeline", "--help")
    assert code == 0 and "usage: hindsight timeline" in out
    assert "import " in out and "add " in out


def test_no_command_prints_the_help_as_an_error() -> None:
    for args in ([], ["timeline"]):
        code, out, err = run(*args)
        assert (code, out) == (2, "")
        assert err.startswith(f"usage: {' '.join(['hindsight', *args])} ") and "commands:" in err


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["lint", "a.md", "--no-such-option"], "--no-such-option"),
        (["lint", "--sta", "a.md"], "--sta"),  # no abbreviations, as before
        (["lint"], "PATH|DIR|REF"),
        (["timeline", "add", "INC-1", "text"], "--at"),
        (["status", "INC-1"], "TO"),
        (["list", "--limit", "0"], "--limit"),
        (["search", "words", "-n", "many"], "--limit"),
        (["show", "INC-1", "--format"], "--format"),
        (["history", "INC-1", "--diff", "1"], "--diff"),
        (["nope"], "nope"),
        (["timeline", "nope"], "nope"),
        (["--bogus"], "--bogus"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str], named: str) -> None:
    code, out, err = run(*args)
    assert (code, out) == (2, "")
    assert err.startswith("hindsight: error: ") and err.count("\n") == 1
    assert named in err


def test_options_may_come_between_arguments(env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "checklist.md"
    code, _, err = run("template", "-o", str(target), "checklist")
    assert code == 0, err
    assert "## Action Items" in target.read_text()


def test_every_command_takes_exactly_its_declared_parameters() -> None:
    for command in app.commands():
        parameters = inspect.signature(command.function).parameters.values()
        assert all(p.kind is p.KEYWORD_ONLY for p in parameters), command.path
        assert [p.name for p in parameters] == [p.dest for p in command.params], command.path


CORPUS = ROOT.parent / "shared" / "corpus" / "postmortems"


def test_every_corpus_postmortem_imports_and_reimports_unchanged(env: dict[str, str]) -> None:
    code, out, err = run("import", str(CORPUS), "--json")
    assert code == 0, err
    rows = json.loads(out)
    names = {Path(r["path"]).name for r in rows}
    assert len(rows) >= 140 and "LICENSE" not in names and "README.md" not in names
    assert "2022-10-31-Android-Phone-Incident" in names  # files without an extension count too
    assert {r["outcome"] for r in rows} == {"created"}
    assert len({r["detail"] for r in rows}) == len(rows)  # one id per file
    code, out, _ = run("import", str(CORPUS), "--json")
    assert code == 0 and {r["outcome"] for r in json.loads(out)} == {"unchanged"}


def test_two_files_of_one_import_never_share_an_id(env: dict[str, str], tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "template.md").write_text(f"# Outage in {folder}\n\nText.\n")
    (tmp_path / "c.md").write_text("---\nid: INC-1\ntitle: one\n---\n")
    (tmp_path / "d.md").write_text("---\nid: INC-1\ntitle: two\n---\n")
    code, _, err = run("import", str(tmp_path))
    assert code == 2
    assert "using b-template" in err and "d.md: states id INC-1, which" in err
    assert sorted(r["id"] for r in run_json("list")) == ["INC-1", "b-template", "template"]
    assert run_json("show", "INC-1")["title"] == "one"
