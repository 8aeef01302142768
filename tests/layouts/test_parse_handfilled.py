"""Seed templates filled in by hand, the way people do: labels with the colon inside or outside
the bold, two-space line ends, extra blank lines, "N/A", free text under a table, times written
as HH:MM under a date stated once, a zone stated in a header, a row with a note, a ticked box.
The files are in ``handfilled/``; each test checks what a reader of that document would."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from hindsight.layouts.parse import ParseResult, read_markdown_file
from hindsight.model import Severity

HERE = Path(__file__).parent / "handfilled"


def utc(day: str, time: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=UTC)


def read(name: str) -> ParseResult:
    return read_markdown_file(HERE / name)


@pytest.mark.parametrize("path", sorted(HERE.glob("*.md")), ids=lambda p: p.stem)
def test_every_handfilled_document_reads(path: Path) -> None:
    result = read_markdown_file(path)
    assert result.postmortem.timeline
    assert result.postmortem.id


def test_sre_seed() -> None:
    result = read("sre-checkout-latency.md")
    pm = result.postmortem
    assert result.layout == "sre"
    assert result.warnings == []
    assert pm.title == "Checkout latency after cache eviction change"
    assert pm.id == "sre-checkout-latency"  # from the file name: the document states none
    assert pm.date == date(2024, 5, 14)
    assert pm.authors == ["Maya Chen", "Tom Berg"]
    assert pm.status == "in_review"
    assert pm.severity == Severity(2)
    assert pm.milestones.impact_started_at == utc("2024-05-14", "14:05")
    assert pm.milestones.detected_at == utc("2024-05-14", "14:17")  # first alert
    assert pm.milestones.acknowledged_at == utc("2024-05-14", "14:20")
    assert pm.milestones.mitigated_at == utc("2024-05-14", "15:02")
    assert pm.milestones.resolved_at == utc("2024-05-14", "16:20")
    assert pm.milestones.all_clear_at == utc("2024-05-14", "16:45")
    assert pm.stated_durations == {"total": 8100, "detection_gap": 720}
    assert pm.impact.users_affected == "Roughly 31% of checkout attempts (about 9,800 sessions)"
    assert (
        pm.impact.user_impact == "Shoppers saw a spinner for up to 30 seconds, then a timeout page."
    )
    assert pm.impact.sla.breached is True
    assert pm.impact.sla.detail == "checkout p99 SLO missed for the month"
    assert len(pm.timeline) == 8
    assert pm.timeline[0].text == "Cache eviction change deployed to all regions"
    assert pm.timeline[0].kind == "deploy"
    assert pm.timeline[-1].kind == "all_clear"
    # free text under the table is a note of the last row
    assert (pm.timeline[-1].notes or "").startswith("The rollback at 15:02")
    assert pm.contributing_factors[2] == "Runbook did not mention the cache"
    assert pm.detection.method == "automated_alert"
    assert pm.response.went_poorly.general == [
        "We waited 20 minutes before paging the cache owners"
    ]
    actions = {a.id: a for a in pm.action_items}
    assert list(actions) == ["A1", "A2", "A3", "A4"]
    assert actions["A1"].status == "in_progress" and actions["A1"].category == "prevent"
    assert actions["A2"].status == "done" and actions["A2"].category == "detect"
    assert actions["A3"].owner == "@priya" and actions["A3"].due == date(2024, 6, 15)
    assert actions["A4"].status == "wont_do" and actions["A4"].status_reason == "covered by A2"
    assert actions["A4"].due is None and actions["A4"].category is None
    assert pm.lessons.do_differently == ["Treat cache settings like schema changes"]
    assert [(link.kind, link.label) for link in pm.supporting_links] == [
        ("ticket", "INC-4411"),
        ("chat", "#inc-checkout-latency"),
        ("dashboard", "Checkout latency"),
    ]
    assert "select count(*)" in (pm.appendix.technical_details or "")


def test_five_whys_seed() -> None:
    result = read("five-whys-search-outage.md")
    pm = result.postmortem
    assert result.layout == "five-whys"
    assert pm.title == ""  # the template's own heading is not a title
    assert result.warnings == ["line 38: timeline row time '25:99' not understood; kept as text"]
    assert pm.id == "INC-2024-02-03-002"
    assert pm.severity == Severity(2)  # "High"
    assert pm.incident_status == "resolved"
    assert pm.services == ["search-api", "indexer"]
    assert pm.impact.revenue == "N/A"  # a scalar keeps its text
    assert pm.impact.sla.breached is False
    assert pm.milestones.impact_started_at == utc("2024-02-03", "09:12")
    assert pm.milestones.resolved_at == utc("2024-02-03", "11:47")
    assert pm.milestones.detected_at == utc("2024-02-03", "09:15")
    assert pm.milestones.acknowledged_at == utc("2024-02-03", "09:18")
    assert pm.stated_durations == {
        "total": 9300,
        "time_to_resolve": 9120,
        "time_to_acknowledge": 180,
        "time_to_detect": 180,
    }
    # The labelled bullets go back among the table rows in time order.
    kinds = [(e.at.strftime("%H:%M") if e.at else e.time_text, e.kind) for e in pm.timeline]
    assert kinds[:4] == [
        ("09:15", "alert"),
        ("09:18", "acknowledgement"),
        ("09:25", "note"),
        ("09:31", "escalation"),
    ]
    bad = next(e for e in pm.timeline if e.time_text == "25:99")
    assert bad.at is None and bad.actor == "Lena" and bad.notes == "time from memory"
    deleted = next(e for e in pm.timeline if e.text == "Deleted the index from January")
    assert (deleted.actor, deleted.notes) == ("Ravi", "Freed 380 GB")
    assert pm.timeline[-1].kind == "all_clear"
    assert pm.root_cause.trigger == "The reindex wrote a second full copy of the index to disk."
    assert (pm.root_cause.underlying or "").startswith("Disk capacity was sized for one index")
    assert len(pm.five_whys) == 5
    assert pm.five_whys[0].question == "Why did search fail?"
    assert pm.five_whys[4].answer == "Index cleanup is a manual step nobody owns."
    assert pm.response.went_well.recovery == ["Deleting the old index was safe and fast"]
    assert pm.response.went_poorly.recovery == []  # the template's hint
    assert [(a.priority, a.status) for a in pm.action_items] == [
        ("P0", "in_progress"),
        ("P1", "done"),
        ("P2", "open"),
    ]
    assert pm.lessons.cultural == []  # "N/A"
    assert pm.related_incidents[0].ref == "INC-2023-11-20-004"
    assert [(s.role, s.name, s.date) for s in pm.signoffs] == [
        ("Author", "Lena Park", date(2024, 2, 5)),
        ("Reviewer", "Ravi Iyer", date(2024, 2, 6)),
    ]
    assert (pm.participants[0].name, pm.participants[0].role) == ("Lena Park", "On-call")


def test_full_seed_in_cet() -> None:
    result = read("full-payments-queue.md")
    pm = result.postmortem
    assert result.layout == "full"
    assert result.warnings == []
    assert pm.title == "Payment confirmations delayed by a stuck queue consumer"
    assert pm.status == "in_review"  # "**Status**:", colon outside the bold
    assert pm.severity == Severity(2)
    assert pm.postmortem_date == date(2023, 11, 10)
    assert pm.summary is not None and pm.summary.startswith("A queue consumer stopped")
    assert pm.executive_summary is None  # the template's own "Overview" is not the incident's
    # Times in CET (UTC+1) become UTC.
    assert pm.timeline[0].at == utc("2023-11-08", "09:38")
    assert pm.milestones.impact_started_at == utc("2023-11-08", "09:40")
    assert pm.milestones.detected_at == utc("2023-11-08", "09:52")
    assert pm.milestones.acknowledged_at == utc("2023-11-08", "09:55")
    assert pm.milestones.mitigated_at == utc("2023-11-08", "10:35")
    assert pm.milestones.resolved_at == utc("2023-11-08", "11:10")
    assert pm.stated_durations["time_to_detect"] == 720
    assert pm.root_cause.trigger == "The planned broker failover closed every consumer channel."
    assert pm.contributing_factors == [
        "Maintenance was not announced to the payments team",
        "The queue depth alert threshold was set for peak traffic",
    ]
    assert pm.detection.method == "automated_alert"
    assert pm.detection.method_detail == "QueueDepth on payments-confirmations"
    assert pm.response.lucky == ["It happened outside the month-end peak"]
    assert pm.impact.data.description == "None."
    assert pm.lessons.surprises == []
    assert [(a.action[:20], a.category, a.status) for a in pm.action_items] == [
        ("Reconnect on channel", "prevent", "in_progress"),
        ("Alert when acknowled", "detect", "done"),
        ("Announce broker main", "process", "open"),
    ]
    assert [(f.date, f.attendees) for f in pm.follow_ups] == [(date(2023, 11, 24), "Payments team")]
    assert pm.communication_log[0].at == utc("2023-11-08", "10:05")
    assert [p.name for p in pm.participants] == ["Jonas Weber", "Aylin Kaya"]
    assert [(s.role, s.approved) for s in pm.signoffs] == [("Author", True)]
    assert (pm.template_version, pm.updated) == ("1.0", date(2023, 11, 10))


def test_checklist_seed_across_midnight() -> None:
    result = read("checklist-dns-failure.md")
    pm = result.postmortem
    assert result.layout == "checklist"
    assert pm.title == "DNSSEC signatures expired overnight"
    assert pm.status == "final"  # "[FINAL]"
    assert pm.severity == Severity(2)  # "P1"
    # 23:40 and 23:52 fall on the stated date; 00:06 rolls over to the next day.
    assert pm.timeline[1].at == utc("2024-09-21", "23:52")
    assert pm.timeline[2].at == utc("2024-09-22", "00:06")
    assert pm.milestones.detected_at == utc("2024-09-21", "23:52")  # the customer report
    assert pm.milestones.resolved_at == utc("2024-09-22", "00:45")
    assert pm.stated_durations == {"total": 3900}
    assert pm.impact.data.level == "none"
    assert pm.impact.business_impact == "Three enterprise customers opened tickets"
    assert [w.answer for w in pm.five_whys][
        -1
    ] == "Nobody owned re-enabling it after the migration."
    assert all(w.question is None for w in pm.five_whys)
    assert pm.detection.method == "customer_report"
    assert pm.response.lucky == []  # N/A
    assert [(a.id, a.status, a.category) for a in pm.action_items] == [
        ("1", "done", "prevent"),
        ("2", "open", "detect"),
        ("3", "in_progress", "prevent"),
    ]
    assert pm.related_incidents == []
    assert len(pm.appendix.logs) == 1
    assert pm.appendix.config_changes == []  # the template's example diff
    assert [(s.role, s.approved) for s in pm.signoffs] == [("Author", True), ("Reviewer", True)]
    assert pm.updated == date(2024, 9, 24)


def test_impact_seed_in_pacific_time() -> None:
    result = read("impact-cdn-certificate.md")
    pm = result.postmortem
    assert result.layout == "impact"
    assert pm.title == "CDN served an expired certificate for static assets"
    assert pm.severity == Severity(1)
    assert pm.milestones.impact_started_at == utc("2024-07-02", "15:15")  # 08:15 PDT
    assert pm.incident_date == date(2024, 7, 2)
    assert pm.timeline[1].at == utc("2024-07-02", "15:19")
    assert pm.milestones.detected_at == utc("2024-07-02", "15:19")
    assert pm.stated_durations == {"total": 2820}
    assert pm.impact.metrics.latency == "none measured"
    assert pm.impact.metrics.error_rate == "61% of asset requests failed TLS"
    assert (pm.root_cause.underlying or "").startswith("Renewal and CDN upload are separate jobs")
    assert pm.root_cause.systemic_issues == ["Two systems own one certificate"]
    assert pm.response.went_well.general == [
        "Fast detection from user reports",
        "The renewed certificate was already available",
    ]
    assert [(a.id, a.priority) for a in pm.action_items] == [("E1", "P0"), ("E2", "P1")]
    assert pm.prevention.long_term == [
        "One pipeline that renews and deploys certificates everywhere"
    ]
    assert pm.appendix.config_changes[0].language == "yaml"
    assert pm.supporting_links[0].url == "https://wiki.example.com/runbooks/certs"
    assert [(s.role, s.name, s.date) for s in pm.signoffs] == [
        ("Facilitator", "Kim Lee", date(2024, 7, 5)),
        ("Reviewer", "Dana Cruz", date(2024, 7, 5)),
    ]
    assert pm.follow_ups[0].date == date(2024, 8, 5)


def test_front_matter_then_body() -> None:
    result = read("sre-front-matter-overrides.md")
    pm = result.postmortem
    # The body states severity and status again: the body wins.
    assert pm.severity == Severity(1)
    assert pm.status == "final"
    assert pm.custom_fields == {"team": "identity"}  # a front-matter key the model lacks
    # Milestones in the front matter stand; the body's span is out of order and is dropped.
    assert pm.milestones.known() == {"detected_at": utc("2024-10-03", "10:05")}
    assert result.warnings == [
        "line 29: unknown time zone 'Mars/Olympus'; times kept in UTC",
        "line 24: milestone impact started (2024-10-03 10:30 UTC) dropped: it falls after detected",
        "line 24: milestone resolved (2024-10-03 09:50 UTC) dropped: it falls before detected",
    ]
    assert pm.timeline[1].at == utc("2024-10-03", "10:05")
    assert pm.contributing_factors == []
    assert [(s.heading, s.level) for s in pm.extra_sections] == [("Glossary", 2)]
