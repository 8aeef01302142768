"""Reading Markdown into the model: meanings of headings and labels, placeholders, front matter,
precedence, action items, milestones, files, and that odd input never raises."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hindsight.errors import NotFound, ParseError
from hindsight.layouts.headings import label_key, normalize, section_key
from hindsight.layouts.parse import parse_markdown, read_markdown_file
from hindsight.layouts.parse_values import is_placeholder
from hindsight.model import Severity
from hindsight.text.markdown import parse_document

# --- meanings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("Summary", "summary"),
        ("TL;DR", "summary"),
        ("1. Executive Summary", "summary"),
        ("Incident Timeline", "timeline"),
        ("Timeline (all times PST) 01/16/2024 - 02/28/2024", "timeline"),
        ("Key events", "timeline"),
        ("Chronology", "timeline"),
        ("Root Cause(s)", "root_cause"),
        ("Why it happened", "root_cause.underlying"),
        ("Root Cause Analysis", "root_cause"),
        ("Contributing Factors", "contributing_factors"),
        ("Customer impact", "impact"),
        ("What went well?", "went_well"),
        ("What could have gone better?", "went_poorly"),
        ("Where we got lucky", "lucky"),
        ("Resolution and recovery", "resolution"),
        ("Remediation", "resolution"),
        ("Follow-ups", "action_items"),
        ("Corrective and Preventative Measures", "action_items"),
        ("Next steps", "action_items"),
        ("Lessons learnt", "lessons"),
        ("Takeaways", "lessons"),
        ("Appendix A: Technical Details", "appendix.technical_details"),
        ("Sign-off", "signoffs"),
        ("Attendees", "participants"),
        ("5 Whys Analysis", "five_whys"),
        ("Prevention Measures", "prevention"),
        ("Background", None),
    ],
)
def test_headings_by_meaning(heading: str, key: str | None) -> None:
    assert section_key(heading) == key


@pytest.mark.parametrize(
    ("heading", "parent", "key"),
    [
        ("Detection", "went_well", "went_well.detection"),
        ("Recovery", "went_poorly", "went_poorly.recovery"),
        ("Detection", "timeline", "timeline"),
        ("Investigation & Response", "timeline", "timeline"),
        ("Improve Detection", "action_items", "actions.detect"),
        ("Prevent Recurrence", "action_items", "actions.prevent"),
        ("Categorized Actions", "action_items", "actions.categories"),
        ("What Happened?", "root_cause", "root_cause.description"),
        ("Why Did It Happen?", "root_cause", "five_whys"),
        ("User Impact", "impact", "impact.user_impact"),
        ("Short-term (immediate fixes)", "prevention", "prevention.short_term"),
        ("Summary", "more_details", "one_line"),
        ("Impact", "summary", "impact"),
    ],
)
def test_sub_headings_keep_their_parents_meaning(heading: str, parent: str, key: str) -> None:
    assert section_key(heading, parent) == key


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Incident ID", "id"),
        ("Date of Incident", "date"),
        ("Author(s)", "authors"),
        ("Incident Severity", "severity"),
        ("Time to repair", "time_to_mitigate"),
        ("Time to resolve", "time_to_resolve"),
        ("MTTR (Mean Time to Repair)", "time_to_resolve"),
        ("Time to detection", "time_to_detect"),
        ("SLA Breach", "sla"),
        ("Users Affected", "users_affected"),
        ("Services Affected", "services"),
        ("Identified", "identified"),
        ("Review actions", "review_actions"),
        ("Something else", None),
    ],
)
def test_labels_by_meaning(label: str, key: str | None) -> None:
    assert label_key(label) == key


def test_normalize() -> None:
    assert normalize("  **2. Root Cause(s)**: ") == "root causes"
    assert normalize("What we'll do differently") == "what well do differently"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "[Name]",
        "_[Start time]_",
        "*[Describe it]*",
        "<describe the impact>",
        "HH:MM",
        "YYYY-MM-DD",
        "INC-XXXX",
        "P0/P1/P2",
        "Draft | In Review | Final",
        "[Start time] to [End time] ([X] hours [Y] minutes)",
        "[HH:MM UTC - HH:MM UTC]",
        "(Names)",
    ],
)
def test_placeholders_are_empty(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize(
    "value", ["[FINAL]", "Fixed the [login] bug", "<https://x.example>", "N/A", "[x]"]
)
def test_values_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


# --- front matter and precedence --------------------------------------------------------------


def test_front_matter_fields_are_validated_with_their_line() -> None:
    text = "---\nid: INC-1\nseverity: SEV-9\n---\n# T\n"
    with pytest.raises(ParseError) as caught:
        parse_markdown(text, source="x.md")
    assert caught.value.where == "x.md:3"
    assert caught.value.message.startswith("severity: unknown severity 'SEV-9'")


def test_front_matter_that_is_not_yaml() -> None:
    with pytest.raises(ParseError) as caught:
        parse_markdown("---\ntitle: [unclosed\n---\n", source="y.md")
    assert caught.value.where is not None and caught.value.where.startswith("y.md:")


def test_a_leading_rule_that_never_closes_is_not_front_matter() -> None:
    result = parse_markdown("---\n\n# Disk full\n\ntext\n")
    assert result.postmortem.title == "Disk full"
    assert result.warnings == [
        "line 1: a '---' line opens the document but no front matter follows"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: Disk full\n---\n\n# Disk full\n\n## Timeline\n\n- 10:02 Alert fired\n",
        "---\nplain words, not YAML\n---\n\n# Disk full\n",
        "\ufeff# Disk full\r\n\r\n## Impact\r\n\r\nWrites failed.\r\n",
    ],
)
def test_blocks_scanned_by_the_caller_read_as_the_text(text: str) -> None:
    # The linter passes the blocks it scanned; they are used only where they are the text's.
    assert parse_markdown(text, scanned=parse_document(text)) == parse_markdown(text)
    other = parse_document("# Something else\n\ntext\n")
    assert parse_markdown(text, scanned=other) == parse_markdown(text)


def test_rules_around_the_first_section_are_not_front_matter() -> None:
    result = parse_markdown("---\n## Summary\n\nIt broke.\n\n---\n\n## Root Cause\n\nDisk.\n")
    assert result.postmortem.executive_summary == "It broke."
    assert result.postmortem.root_cause.description == "Disk."
    assert result.warnings == [
        "line 1: the lines between the opening '---' lines are not front matter"
    ]


def test_foreign_front_matter_keys() -> None:
    text = (
        "---\n"
        "title: Incident on 2023-09-18 - Lack of disk space\n"
        "weight: 5\n"
        "author: reitermarkus\n"
        "categories: [kubernetes, storage]\n"
        "keywords: disk\n"
        "start_time: 2023-09-18T13:42:00Z\n"
        "end_time: '2023-09-18 17:54'\n"
        "description: Nodes ran out of disk.\n"
        "uuid: 1234\n"
        "---\n"
    )
    pm = parse_markdown(text).postmortem
    assert pm.title == "Incident on 2023-09-18 - Lack of disk space"  # front matter is kept
    assert pm.date == date(2023, 9, 18)
    assert pm.authors == ["reitermarkus"]
    assert pm.tags == ["kubernetes", "storage", "disk"]
    assert pm.milestones.impact_started_at == datetime(2023, 9, 18, 13, 42, tzinfo=UTC)
    assert pm.milestones.resolved_at == datetime(2023, 9, 18, 17, 54, tzinfo=UTC)
    assert pm.summary == "Nodes ran out of disk."
    assert pm.custom_fields == {"weight": "5", "uuid": "1234"}


def test_body_labels_override_front_matter_scalars_and_fill_milestones() -> None:
    text = (
        "---\nseverity: SEV-3\nstatus: draft\n"
        "milestones:\n  detected_at: '2024-01-01T10:00:00Z'\n---\n"
        "# Incident Postmortem: Body title\n\n"
        "**Status**: Final\n**Incident Severity**: SEV-1\n\n"
        "## Impact\n\n**Duration**: 2024-01-01 10:00 UTC to 2024-01-01 11:00 UTC (1h)\n"
    )
    pm = parse_markdown(text).postmortem
    assert (pm.title, pm.status, pm.severity) == ("Body title", "final", Severity(1))
    assert pm.milestones.detected_at == datetime(2024, 1, 1, 10, tzinfo=UTC)
    assert pm.milestones.resolved_at == datetime(2024, 1, 1, 11, tzinfo=UTC)
    assert pm.stated_durations == {"total": 3600}


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("Incident Postmortem: Checkout errors", "Checkout errors"),
        ("Post-Mortem: Queue stuck", "Queue stuck"),
        ("Incident on 2023-09-18 - Lack of Disk space on nodes", "Lack of Disk space on nodes"),
        (
            "PostHog Feature Flags Service Outage - September 29, 2025",
            "PostHog Feature Flags Service Outage",
        ),
        ("Security postmortem for CVE-2021-29492", "Security postmortem for CVE-2021-29492"),
        ("Incident Postmortem", ""),
        ("Postmortem Template", ""),
        ("Incident Postmortem: [Title]", ""),
    ],
)
def test_titles(heading: str, title: str) -> None:
    assert parse_markdown(f"# {heading}\n\ntext\n").postmortem.title == title


def test_the_date_in_a_title_is_the_incident_date() -> None:
    pm = parse_markdown("# Incident on 2023-09-18 - Disk\n").postmortem
    assert pm.date == date(2023, 9, 18)


# --- sections and their content ---------------------------------------------------------------


def test_unknown_sections_are_kept_verbatim() -> None:
    text = "# T\n\n## Background\n\nSome *context*.\n\n- a\n- b\n\n### Deeper\n\nmore\n"
    pm = parse_markdown(text).postmortem
    assert [(s.heading, s.level, s.body) for s in pm.extra_sections] == [
        ("Background", 2, "Some *context*.\n\n- a\n- b"),
        ("Deeper", 3, "more"),
    ]


def test_a_sub_heading_of_a_prose_section_stays_in_its_text() -> None:
    text = "## Root Cause\n\nThe pool was small.\n\n### The technical problem\n\nUnits.\n"
    pm = parse_markdown(text).postmortem
    assert pm.root_cause.description == "The pool was small.\n\n### The technical problem\n\nUnits."


def test_guidance_and_comments_are_not_content() -> None:
    text = (
        "# Incident Postmortem\n\n## Executive Summary\n\n*A brief summary.*\n\n<!-- hint -->\n\n"
        "## Timeline\n\n## Root Cause\n\n## Action Items\n\n## Lessons Learned\n\n"
        "### What we learned\n1. [Key insight 1]\n\n### What we'll do differently\n\n"
        "### Categorized Actions\n"
    )
    result = parse_markdown(text)
    assert result.layout == "sre"
    assert result.postmortem.executive_summary is None
    assert result.postmortem.lessons.learned == []


def test_none_in_a_list_section_and_in_a_scalar() -> None:
    pm = parse_markdown(
        "## Contributing Factors\n\nN/A\n\n## Impact\n\n**Revenue Impact**: None\n"
    ).postmortem
    assert pm.contributing_factors == []
    assert pm.impact.revenue == "None"


def test_timeline_zone_from_header_date_stated_once_and_untimed_rows() -> None:
    text = (
        "## Timeline\n\n**Date:** 2024-03-01\n\n"
        "| When | Who | What happened | Notes |\n|---|---|---|---|\n"
        "| 10:00 | Ana | Deploy went out | canary first |\n"
        "| ??? | Ben | Somebody noticed | |\n"
        "| 11:30 CET | Ana | Rolled back | |\n"
    )
    result = parse_markdown(text)
    events = result.postmortem.timeline
    assert [(e.at, e.actor, e.text, e.notes) for e in events] == [
        (datetime(2024, 3, 1, 10, tzinfo=UTC), "Ana", "Deploy went out", "canary first"),
        (None, "Ben", "Somebody noticed", None),
        (datetime(2024, 3, 1, 10, 30, tzinfo=UTC), "Ana", "Rolled back", None),
    ]
    assert events[1].time_text == "???"
    assert result.warnings == ["line 8: timeline row time '???' not understood; kept as text"]


def test_timeline_keeps_document_order() -> None:
    text = "## Timeline\n\n- 2024-01-01 10:00 later thing\n- 2024-01-01 09:00 earlier thing\n"
    events = parse_markdown(text).postmortem.timeline
    assert [e.text for e in events] == ["later thing", "earlier thing"]


def test_timestamped_bullets_lines_and_bold_times() -> None:
    text = (
        "## Timeline\n\nAll times in UTC.\n\n**Date: 2023-11-22**\n\n"
        "- **14:02** — Deploy started\n- 14:05 - Alert fired\n\n"
        "14:10 Paged the DB team\ncontinued on the next line\n14:20 Rolled back\n"
    )
    events = parse_markdown(text).postmortem.timeline
    assert [(e.at.strftime("%d %H:%M") if e.at else None, e.text, e.kind) for e in events] == [
        ("22 14:02", "Deploy started", "deploy"),
        ("22 14:05", "Alert fired", "alert"),
        ("22 14:10", "Paged the DB team\ncontinued on the next line", "escalation"),
        ("22 14:20", "Rolled back", "mitigation"),
    ]


def test_milestones_inferred_from_the_timeline() -> None:
    text = (
        "## Timeline\n\n| Time | Event |\n|---|---|\n"
        "| 2024-01-01 10:00 | Errors begin, impact started |\n"
        "| 2024-01-01 10:05 | Alert fired |\n"
        "| 2024-01-01 10:07 | Acknowledged by on-call |\n"
        "| 2024-01-01 10:30 | Rolled back |\n"
        "| 2024-01-01 10:40 | Service restored |\n"
        "| 2024-01-01 10:50 | Service restored for real |\n"
    )
    known = parse_markdown(text).postmortem.milestones.known()
    assert {k: v.strftime("%H:%M") for k, v in known.items()} == {
        "impact_started_at": "10:00",
        "detected_at": "10:05",
        "acknowledged_at": "10:07",
        "mitigated_at": "10:30",
        "resolved_at": "10:50",  # the last resolution
    }


def test_out_of_order_inferred_milestones_are_dropped_with_a_warning() -> None:
    text = "## Timeline\n\n- 2024-01-01 10:30 Alert fired\n- 2024-01-01 10:00 Rolled back\n"
    result = parse_markdown(text)
    assert result.postmortem.milestones.known() == {
        "detected_at": datetime(2024, 1, 1, 10, 30, tzinfo=UTC)
    }
    assert result.warnings == [
        "line 4: milestone mitigated (2024-01-01 10:00 UTC) dropped: it falls before detected"
    ]


def test_action_items_from_bullets() -> None:
    text = (
        "## Action Items\n\n"
        "- [ ] Add an alert (@alice, due 2024-05-01, P1)\n"
        "- [x] Fix the runbook\n"
        "- **Pin the AMI**: stop taking the latest image automatically\n"
        "- Retire the old cluster (won't do)\n"
        "- A7: Rotate the keys\n"
        "- Document the process. Owner: @bob\n"
    )
    items = parse_markdown(text).postmortem.action_items
    assert [
        (a.id, a.action, a.owner, a.due, a.priority, a.status, a.status_reason) for a in items
    ] == [
        ("A1", "Add an alert", "@alice", date(2024, 5, 1), "P1", "open", None),
        ("A2", "Fix the runbook", None, None, None, "done", None),
        (
            "A3",
            "**Pin the AMI**: stop taking the latest image automatically",
            None,
            None,
            None,
            "open",
            None,
        ),
        ("A4", "Retire the old cluster", None, None, None, "wont_do", "not stated"),
        ("A7", "Rotate the keys", None, None, None, "open", None),
        ("A5", "Document the process", "@bob", None, None, "open", None),
    ]


def test_action_items_table_columns_by_meaning_and_categories() -> None:
    text = (
        "## Action Items\n\n"
        "| Task | Assignee | Prio | Deadline | State | Type | Ticket |\n"
        "|---|---|---|---|---|---|---|\n"
        "| Alert on lag | Dev | High | 2024-02-01 | WIP | Detect | [OPS-1](https://t/1) |\n"
        "| Load test | | P3 | | Won't Do (no budget) | | |\n"
        "\n### Prevention\n\n- Add a size floor\n"
    )
    items = parse_markdown(text).postmortem.action_items
    assert [
        (a.id, a.owner, a.priority, a.due, a.status, a.status_reason, a.category, a.tracker)
        for a in items
    ] == [
        ("A1", "Dev", "P1", date(2024, 2, 1), "in_progress", None, "detect", "https://t/1"),
        ("A2", None, "P3", None, "wont_do", "no budget", None, None),
        ("A3", None, None, None, "open", None, "prevent", None),
    ]


def test_moj_key_events_and_stated_durations() -> None:
    text = (
        "- **Key events**\n  - First detected: 2023-09-18 13:42\n  - Repaired: 2023-09-18 17:54\n"
        "  - Resolved 2023-09-20 19:18\n\n- **Time to repair**: 4h 12m\n\n"
        "- **Time to resolve**: 35h 36m\n"
    )
    pm = parse_markdown(text).postmortem
    assert pm.milestones.detected_at == datetime(2023, 9, 18, 13, 42, tzinfo=UTC)
    assert pm.milestones.mitigated_at == datetime(2023, 9, 18, 17, 54, tzinfo=UTC)
    assert pm.milestones.resolved_at == datetime(2023, 9, 20, 19, 18, tzinfo=UTC)
    assert pm.stated_durations == {"time_to_mitigate": 15120, "time_to_resolve": 128160}


def test_bad_values_become_warnings_and_custom_fields() -> None:
    result = parse_markdown("**Severity:** Catastrophic\n**Incident ID:** not an id!\n")
    assert result.postmortem.severity is None
    assert result.postmortem.custom_fields == {
        "Severity": "Catastrophic",
        "Incident ID": "not an id!",
    }
    assert result.warnings == [
        "line 1: severity 'Catastrophic' not understood; kept in custom_fields['Severity']",
        "line 2: incident id 'not an id!' not understood; kept in custom_fields['Incident ID']",
    ]


# --- files ------------------------------------------------------------------------------------


def test_read_a_file_with_its_name_as_id(tmp_path: Path) -> None:
    path = tmp_path / "PM2021-005 - All services returning 503.md"
    path.write_text("# All services returning 503\n", encoding="utf-8")
    pm = read_markdown_file(path).postmortem
    assert pm.id == "PM2021-005-All-services-returning-503"


def test_read_erb_mediawiki_and_extensionless(tmp_path: Path) -> None:
    (tmp_path / "a.html.md.erb").write_text("# A\n", encoding="utf-8")
    (tmp_path / "b.mediawiki").write_text("==Root cause==\nDisk.\n# one\n", encoding="utf-8")
    (tmp_path / "c").write_text("# C\n", encoding="utf-8")
    assert read_markdown_file(tmp_path / "a.html.md.erb").postmortem.id == "a"
    assert read_markdown_file(tmp_path / "b.mediawiki").postmortem.root_cause.description == (
        "Disk.\n\n# one"  # in MediaWiki "#" is a numbered item, kept as written
    )
    assert read_markdown_file(tmp_path / "c").postmortem.title == "C"


def test_files_that_are_not_markdown(tmp_path: Path) -> None:
    binary = tmp_path / "image.md"
    binary.write_bytes(b"\x89PNG\r\n\x00\x00")
    with pytest.raises(ParseError, match="binary") as caught:
        read_markdown_file(binary)
    assert caught.value.where == str(binary)
    latin = tmp_path / "latin.md"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(ParseError, match="not UTF-8"):
        read_markdown_file(latin)
    with pytest.raises(ParseError, match="not a Markdown file"):
        read_markdown_file(tmp_path / "report.pdf")
    with pytest.raises(NotFound):
        read_markdown_file(tmp_path / "missing.md")


def test_detected_is_a_time_or_a_way() -> None:
    text = (
        "**Date:** 2024-01-02\n**Detected:** 14:02 UTC\n\n## Detection\n\n- **Identified**: Users\n"
    )
    pm = parse_markdown(text).postmortem
    assert pm.milestones.detected_at == datetime(2024, 1, 2, 14, 2, tzinfo=UTC)
    assert pm.detection.method_detail == "Users"


HEADINGS = [
    f"{hashes} {heading}"
    for hashes in ("#", "##", "###")
    for heading in (
        "Timeline",
        "Action Items",
        "Impact",
        "Detection",
        "What Went Well",
        "Root Cause",
        "Sign-off",
        "More details",
        "Key Timestamps",
        "Categorized Actions",
        "Communication Log",
        "Lessons Learned",
        "Background",
    )
]
LABELS = [
    "Date", "Detected", "Duration", "Time", "Status", "Severity", "Incident ID", "Time to repair",
    "Key events", "Context", "Review actions", "First Alert", "Prevent", "Detection gap",
    "User Impact", "SLA Breach", "Participants in Review", "Approved by", "Date/Time", "Title",
]  # fmt: skip
VALUES = st.text(alphabet=st.sampled_from(list("0123456789:-/ aAPMUTC[]_()|x.")), max_size=24)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Lines a postmortem is made of, in any order, with odd values."""
    lines = []
    for _ in range(draw(st.integers(1, 25))):
        choice = draw(st.integers(0, 7))
        value = draw(VALUES)
        if choice == 0:
            lines.append(draw(st.sampled_from(HEADINGS)))
        elif choice == 1:
            lines.append(f"**{draw(st.sampled_from(LABELS))}:** {value}")
        elif choice == 2:
            lines.append(f"- {draw(st.sampled_from(LABELS))}: {value}")
        elif choice == 3:
            lines += ["| Time | Event | Owner |", "|---|---|---|", f"| {value} | x | {value} |"]
        elif choice == 4:
            lines.append(f"- [{draw(st.sampled_from([' ', 'x']))}] {value}")
        elif choice == 5:
            lines.append(f"  - {value}")
        elif choice == 6:
            lines.append(draw(st.sampled_from(["", "---", "```", "All times in PST.", "N/A"])))
        else:
            lines.append(value)
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(text=documents())
def test_odd_documents_never_raise(text: str) -> None:
    assert parse_markdown(text).postmortem is not None


MARKDOWNISH = st.text(
    alphabet=st.sampled_from(list("#*-_|:[]()`>~<!/=0123456789 aAbBxX\n\t.,+@")), max_size=300
)


@settings(max_examples=300, deadline=None)
@given(text=MARKDOWNISH)
def test_odd_input_never_raises(text: str) -> None:
    result = parse_markdown(text)
    assert result.postmortem is not None
