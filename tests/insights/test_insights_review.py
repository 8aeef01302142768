"""The weekly review agenda and the iCalendar file."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st
from insights_data import incident

from hindsight.insights.calendar import calendar_text, escape_text, fold
from hindsight.insights.review import agenda_markdown, weekly_agenda
from hindsight.model import ActionItem, Postmortem

REVIEW_DAY = date(2026, 11, 11)  # a Wednesday
NOW = datetime(2026, 11, 11, 9, 30, tzinfo=UTC)


def _item(ident: str, **fields: object) -> ActionItem:
    return ActionItem.model_validate({"id": ident, "action": f"Do {ident}", **fields})


def week() -> list[Postmortem]:
    return [
        incident(
            "INC-OLD",
            detected="2026-10-01T08:00:00Z",
            resolved="+60",
            status="final",
            severity="SEV-2",
            signoffs=[{"role": "Approver", "name": "Sam"}, {"role": "Reviewer", "approved": True}],
            action_items=[
                _item("A1", owner="Ana", due="2026-11-02", priority="P1"),
                _item("A2", owner="Lee", due="2026-11-13"),
                _item("A3", owner="Ana", due="2026-11-15", status="in_progress"),
                _item("A4", owner="Ana", due="2026-11-16"),
                _item("A5", owner="Ana", due="2026-11-01", status="done"),
                _item("A6", due="2026-11-10"),
            ],
            follow_ups=[
                {
                    "date": "2026-11-14",
                    "kind": "30-day retrospective",
                    "attendees": "SRE, Payments",
                },
                {"date": "2026-12-01", "kind": "Action item review"},
            ],
        ),
        incident(
            "INC-REVIEW",
            title="Checkout errors | EU",
            detected="2026-11-05T08:00:00Z",
            status="in_review",
            severity="SEV-1",
        ),
        incident("INC-DRAFT", detected="2026-11-10T23:00:00Z", severity="SEV-3"),
        incident("INC-DRILL", detected="2026-11-06T10:00:00Z", incident_type="drill"),
        incident("INC-EARLY", detected="2026-11-03T10:00:00Z", status="final"),
        # After the review day: not on its agenda, nor its action items.
        incident(
            "INC-LATER",
            detected="2026-11-12T10:00:00Z",
            action_items=[_item("L1", owner="Ana", due="2026-11-13")],
        ),
    ]


def test_agenda_lists_what_the_review_must_go_through() -> None:
    agenda = weekly_agenda(week(), day=REVIEW_DAY)
    assert (agenda.week_start, agenda.week_end) == (date(2026, 11, 9), date(2026, 11, 15))
    assert agenda.last_review == date(2026, 11, 4)
    assert [pm.id for pm in agenda.new_incidents] == ["INC-REVIEW", "INC-DRILL", "INC-DRAFT"]
    assert [pm.id for pm in agenda.awaiting_review] == ["INC-REVIEW"]
    assert [(s.postmortem.id, s.roles) for s in agenda.awaiting_signoff] == [
        ("INC-OLD", ("Approver",))
    ]
    assert [pm.id for pm in agenda.drafts] == ["INC-DRILL", "INC-DRAFT"]
    overdue = {owner: [r.item.id for r in rows] for owner, rows in agenda.overdue.items()}
    assert overdue == {"Ana": ["A1"], "(no owner)": ["A6"]}
    due = {owner: [r.item.id for r in rows] for owner, rows in agenda.due_this_week.items()}
    assert due == {"Ana": ["A3"], "Lee": ["A2"]}
    assert [(pm.id, f.kind) for pm, f in agenda.follow_ups] == [("INC-OLD", "30-day retrospective")]


def test_agenda_since_a_given_last_review() -> None:
    agenda = weekly_agenda(week(), day=REVIEW_DAY, last_review=date(2026, 11, 1))
    assert [pm.id for pm in agenda.new_incidents] == [
        "INC-EARLY",
        "INC-REVIEW",
        "INC-DRILL",
        "INC-DRAFT",
    ]


def test_agenda_markdown() -> None:
    text = agenda_markdown(weekly_agenda(week(), day=REVIEW_DAY), scheme="p")
    assert text.startswith("# Weekly incident review: 2026-11-11\n")
    sections = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert sections == [
        "1. Incidents since the last review",
        "2. Postmortems awaiting review",
        "3. Awaiting sign-off",
        "4. Drafts still open",
        "5. Action items overdue",
        "6. Action items due this week",
        "7. Follow-up reviews this week",
    ]
    assert "- **INC-REVIEW** Checkout errors \\| EU (P0)" in text
    assert "- **INC-DRILL** Incident INC-DRILL (no severity, drill), draft" in text
    assert "  - [ ] Do A1 (INC-OLD A1, P1, due 2026-11-02, 9 days overdue)" in text
    assert "- **Lee**\n  - [ ] Do A2 (INC-OLD A2, due 2026-11-13)" in text
    assert "- 2026-11-14: 30-day retrospective for **INC-OLD** (SRE, Payments)" in text
    assert "\n\n\n" not in text and text.endswith("\n") and not text.endswith("\n\n")


def test_empty_agenda_says_none() -> None:
    text = agenda_markdown(weekly_agenda([], day=REVIEW_DAY))
    assert text.count("None.") == 7


# --- iCalendar --------------------------------------------------------------------------------


def _unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text[:-2].replace("\r\n ", "").split("\r\n")


def test_calendar_has_the_due_dates_and_reviews() -> None:
    text = calendar_text(week(), now=NOW)
    assert "\n" not in text.replace("\r\n", "")
    lines = _unfold(text)
    assert lines[:4] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Hindsight//Hindsight postmortems//EN",
        "CALSCALE:GREGORIAN",
    ]
    assert lines[-1] == "END:VCALENDAR"
    uids = [line.removeprefix("UID:") for line in lines if line.startswith("UID:")]
    assert uids == [
        "INC-OLD-A1@hindsight",
        "INC-OLD-A6@hindsight",
        "INC-LATER-L1@hindsight",
        "INC-OLD-A2@hindsight",
        "INC-OLD-A3@hindsight",
        "INC-OLD-A4@hindsight",
        "INC-OLD-review1@hindsight",
        "INC-OLD-review2@hindsight",
    ]
    assert lines.count("DTSTAMP:20261111T093000Z") == 8
    event = lines[lines.index("UID:INC-OLD-A1@hindsight") - 1 : lines.index("END:VEVENT") + 1]
    assert event == [
        "BEGIN:VEVENT",
        "UID:INC-OLD-A1@hindsight",
        "DTSTAMP:20261111T093000Z",
        "DTSTART;VALUE=DATE:20261102",
        "DTEND;VALUE=DATE:20261103",
        "SUMMARY:Due: Do A1 (INC-OLD A1)",
        "DESCRIPTION:Postmortem: INC-OLD Incident INC-OLD\\nOwner: Ana\\nPriority: P1"
        "\\nStatus: open",
        "CATEGORIES:Action item",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
    assert "SUMMARY:30-day retrospective: Incident INC-OLD (INC-OLD)" in lines
    assert "DESCRIPTION:Postmortem: INC-OLD Incident INC-OLD\\nAttendees: SRE\\, Payments" in lines


def test_calendar_with_done_items() -> None:
    text = calendar_text(week(), now=NOW, include_done=True)
    assert "UID:INC-OLD-A5@hindsight" in _unfold(text)


def test_text_is_escaped() -> None:
    assert escape_text("a;b,c\\d\ne\r\nf") == "a\\;b\\,c\\\\d\\ne\\nf"


def test_long_lines_fold_at_75_octets_without_splitting_characters() -> None:
    line = "SUMMARY:" + "Zürich ünïcödé, 東京 outage " * 10
    folded = fold(line)
    parts = folded.split("\r\n")
    assert parts[-1] == ""
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert folded.replace("\r\n ", "") == line + "\r\n"


@given(st.text(min_size=0, max_size=400).map(lambda s: "X:" + escape_text(s)))
def test_folding_round_trips(line: str) -> None:
    folded = fold(line)
    assert all(len(p.encode("utf-8")) <= 75 for p in folded.split("\r\n"))
    assert folded[:-2].replace("\r\n ", "") == line
