"""Completeness, action-item, timeline and process rules: each firing, and each trap not."""

from __future__ import annotations

from lint_helpers import NOW, lint, rules_of

from hindsight.lint import LintConfig, lint_text
from hindsight.lint.engine import expand

FULL = """---
severity: SEV-3
---
# Disk full on db-1

## Summary

The primary's disk filled up and writes failed for 14 minutes.

## Impact

2,300 checkout requests failed (4% of traffic).

## Timeline

All times in UTC.

| Time | Event |
|---|---|
| 2026-01-10 10:00 | Disk usage alert fired |
| 2026-01-10 10:04 | On-call acknowledged |
| 2026-01-10 10:14 | Old WAL files removed; writes recovered |

## Root cause

WAL archiving had stalled for two days, so WAL files piled up on the data disk.

## Contributing factors

- WAL archiving has no alert when it stalls.

## What went well

- The disk alert fired within a minute.

## Action items

| Action | Owner | Priority | Due | Category | Status |
|---|---|---|---|---|---|
| Alert when WAL archiving stalls for 10 minutes | Ana Lima | P1 | 2026-02-01 | detect | Open |
"""


def test_a_complete_postmortem_has_no_findings() -> None:
    assert lint(FULL) == []


# --- completeness -----------------------------------------------------------------------------


def test_missing_and_empty_required_sections() -> None:
    text = "# Outage\n\n## Summary\n\nThe API failed.\n\n## Timeline\n\n## Action items\n"
    found = lint(text, "C201")
    assert [(f.line, f.message) for f in found] == [
        (1, "required section missing: impact"),
        (7, "the timeline section is empty"),
        (9, "the action items section is empty"),
    ]


def test_required_sections_are_configurable() -> None:
    config = LintConfig(select=frozenset({"C201"}), required_sections={"*": ("summary",)})
    text = "# Outage\n\n## Summary\n\nThe API failed.\n"
    assert lint_text(text, path="x.md", config=config, now=NOW) == []


def test_empty_optional_section_and_guidance() -> None:
    text = "## Where we got lucky\n\n## Summary\n\nText.\n\n## Template usage notes\n"
    assert [(f.rule, f.line) for f in lint(text, "C202")] == [("C202", 1)]


def test_placeholders_fire_and_links_checkboxes_footnotes_do_not() -> None:
    text = (
        "**Date**: YYYY-MM-DD\n**Authors**: [Names]\n\n| Time | Event |\n|---|---|\n"
        "| HH:MM | TBD |\n| | |\n\n_[What broke and for whom]_\n\n"
        "See [the runbook](https://x.y/r) and [PM-1][] and a note[^1].\n\n"
        "- [ ] open item\n- [x] done\n"
        "\n[PM-1]: https://x.y/pm1\n[^1]: A footnote.\n\n`YYYY-MM-DD` in code is fine.\n"
    )
    found = lint(text, "C203")
    assert [(f.line, f.text) for f in found] == [
        (1, "YYYY-MM-DD"),
        (2, "[Names]"),
        (6, "HH:MM"),
        (7, "| | |"),
        (9, "_[What broke and for whom]_"),
    ]
    assert "1 more on this line" in found[2].message


def test_impact_without_numbers() -> None:
    assert rules_of(lint("## Impact\n\nSome users saw errors.\n", "C204")) == ["C204"]
    assert lint("## Impact\n\nAll users saw errors.\n", "C204") == []


def test_root_cause_contributing_factors_and_five_whys() -> None:
    assert rules_of(lint("## Summary\n\nIt broke.\n", "C205")) == ["C205"]
    factors_only = "## Contributing factors\n\n- No alert on WAL archiving.\n"
    assert lint(factors_only, "C205", "C206") == []
    cause_only = "## Root cause\n\nA bad config push.\n"
    assert rules_of(lint(cause_only, "C205", "C206")) == ["C206"]
    short = "## 5 Whys\n\n1. Why did it fail? The pool was empty.\n2. Why? A config push.\n"
    [finding] = lint(short, "C207")
    assert "2 answered whys" in finding.message


def test_no_went_well_is_info() -> None:
    [finding] = lint("## Summary\n\nText.\n", "C208")
    assert finding.severity == "info"


# --- action items -----------------------------------------------------------------------------

ACTIONS = """## Action items

| Action | Owner | Priority | Due | Status | Notes |
|---|---|---|---|---|---|
| Investigate the disk usage | | | | Open | |
| Alert at 80% disk on db hosts | Ana | P1 | 2025-12-01 | Open | |
| Shard the sessions table | Wei | P3 | 2026-03-01 | Won't do | |
| Move sessions to Redis | Wei | P3 | 2026-03-01 | Won't do | Redis is not approved |
"""


def test_action_item_fields() -> None:
    found = lint(ACTIONS, "A301", "A302", "A303", "A304")
    assert sorted((f.rule, f.line) for f in found if f.line == 5) == [
        ("A301", 5),
        ("A302", 5),
        ("A303", 5),
        ("A304", 5),
    ]
    assert {f.rule for f in found if f.line == 6} == {"A304"}


def test_vague_overdue_and_wont_do() -> None:
    found = lint(ACTIONS, "A305", "A306", "A307")
    assert [(f.rule, f.line) for f in found] == [("A305", 5), ("A306", 6), ("A307", 7)]
    assert "not actionable" in found[0].message
    assert "45 days ago" in found[1].message


def test_vague_actions_name_the_missing_quality() -> None:
    text = "## Action items\n\n- Be more careful with configs\n- Improve monitoring\n"
    messages = [f.message for f in lint(text, "A305")]
    assert "be more careful" in messages[0] and "care is not needed" in messages[0]
    assert "not specific" in messages[1]
    specific = "## Action items\n\n- Add an alert when WAL archiving stalls for 10 minutes\n"
    assert lint(specific, "A305") == []


def test_factor_without_action_and_late_detection() -> None:
    text = (
        "**Time to detect**: 2h\n\n## Contributing factors\n\n- Deploys reach every region.\n"
        "- WAL archiving has no alert.\n\n## Action items\n\n- Add a WAL archiving check\n"
    )
    found = lint(text, "A308", "A309")
    assert [(f.rule, f.text) for f in found if f.rule == "A308"] == [
        ("A308", "Deploys reach every region.")
    ]
    assert [f.rule for f in found if f.rule == "A309"] == ["A309"]
    with_alert = text.replace("Add a WAL archiving check", "Alert when WAL archiving stalls")
    assert [f.rule for f in lint(with_alert, "A309")] == []


# --- timeline ---------------------------------------------------------------------------------


def test_out_of_order_is_reported_once_per_break() -> None:
    text = (
        "## Timeline\n\nAll times in UTC.\n\n- 2026-01-10 10:40 - Rollback finished\n"
        "- 2026-01-10 10:06 - Alert fired\n- 2026-01-10 10:07 - Acknowledged\n"
    )
    found = lint(text, "T401")
    assert [(f.rule, f.line) for f in found] == [("T401", 6)]


def test_times_without_zone_or_date() -> None:
    zoneless = "## Timeline\n\n- 2026-01-10 10:00 - Alert fired\n"
    assert rules_of(lint(zoneless, "T402")) == ["T402"]
    assert lint("## Timeline (UTC)\n\n- 2026-01-10 10:00 - Alert fired\n", "T402") == []
    assert lint("## Timeline\n\n- 2026-01-10 10:00 UTC - Alert fired\n", "T402") == []
    undated = "## Timeline\n\nAll times in UTC.\n\n- 10:00 - Alert fired\n- 10:05 - Paged\n"
    [finding] = lint(undated, "T402")
    assert "2 timeline times cannot be placed" in finding.message


def test_milestones_contradicting() -> None:
    text = "- **Key events**\n  - First detected 2026-01-10 10:40\n  - Resolved 2026-01-10 10:06\n"
    [finding] = lint(text, "T403")
    assert finding.line == 3 and "before detected" in finding.message
    timeline = (
        "## Timeline\n\nAll times in UTC.\n\n- 2026-01-10 09:00 - Service restored\n"
        "- 2026-01-10 09:30 - Alert fired\n"
    )
    assert rules_of(lint(timeline, "T403")) == ["T403"]


def test_stated_duration_against_timestamps() -> None:
    base = "- **Key events**\n  - First detected 2026-01-10 10:00\n  - Repaired 2026-01-10 11:30\n"
    assert rules_of(lint(base + "- **Time to repair**: 45m\n", "T404")) == ["T404"]
    assert lint(base + "- **Time to repair**: 1h 28m\n", "T404") == []
    office = base + "- **Time to repair**: 45m (during support hours 10:00-17:00)\n"
    assert lint(office, "T404") == []


def test_gap_is_configurable() -> None:
    text = (
        "## Timeline\n\nAll times in UTC.\n\n- 2026-01-10 10:00 - Alert fired\n"
        "- 2026-01-10 12:30 - Disk replaced, service restored\n"
    )
    assert lint(text, "T405") == []
    tight = LintConfig(select=frozenset({"T405"}), max_gap=LintConfig().max_gap / 4)
    [finding] = lint_text(text, path="x.md", config=tight, now=NOW)
    assert "2h 30m" in finding.message and finding.severity == "info"


# --- process ----------------------------------------------------------------------------------


def _front(**fields: str) -> str:
    lines = "\n".join(f"{key}: {value}" for key, value in fields.items())
    return f"---\n{lines}\n---\n# Outage\n"


def test_draft_and_completion_windows_use_now() -> None:
    late_draft = (
        "---\nmilestones:\n  resolved_at: 2026-01-01T10:00:00Z\n"
        "  postmortem_started_at: 2026-01-05T10:00:00Z\n---\n# Outage\n"
    )
    assert rules_of(lint(late_draft, "P501")) == ["P501"]
    draft = "---\nstatus: draft\nmilestones:\n  resolved_at: 2026-01-14T10:00:00Z\n---\n# Outage\n"
    assert lint(draft, "P502") == []  # 26 hours before NOW
    config = LintConfig(select=frozenset({"P502"}))
    later = lint_text(draft, path="x.md", config=config, now=NOW.replace(day=20))
    assert [f.rule for f in later] == ["P502"]
    unstated = "---\nmilestones:\n  resolved_at: 2020-01-14T10:00:00Z\n---\n# Outage\n"
    assert lint(unstated, "P502") == []


def test_final_needs_signoff_severity_and_follow_up() -> None:
    assert rules_of(lint(_front(status="final"), "P503")) == ["P503"]
    signed = "---\nstatus: final\nsignoffs:\n- role: Reviewer\n  name: Wei\n---\n# Outage\n"
    assert lint(signed, "P503") == []
    assert rules_of(lint("# Outage\n", "P504")) == ["P504"]
    assert rules_of(lint(_front(severity="SEV-1"), "P505")) == ["P505"]
    assert lint(_front(severity="SEV-3"), "P505") == []
    lenient = LintConfig(select=frozenset(expand("P505")), review_severity=1)
    assert lint_text(_front(severity="SEV-2"), path="x.md", config=lenient, now=NOW) == []
