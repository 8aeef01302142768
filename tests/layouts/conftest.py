"""A postmortem with every field filled, to render in every layout."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hindsight.model import (
    ActionItem,
    Appendix,
    CommunicationEntry,
    DataImpact,
    Detection,
    ExtraSection,
    FollowUpReview,
    Impact,
    ImpactMetrics,
    Lessons,
    Link,
    Milestones,
    Participant,
    PhasedList,
    Postmortem,
    Prevention,
    RelatedIncident,
    Resolution,
    Response,
    RootCause,
    SignOff,
    SlaImpact,
    Snippet,
    StatusChange,
    TimelineEvent,
    Why,
)


def at(hour: int, minute: int, second: int = 0, day: int = 12) -> datetime:
    return datetime(2024, 3, day, hour, minute, second, tzinfo=UTC)


def full_postmortem() -> Postmortem:
    """Every field of the model holds something, including the awkward cases: a pipe and a line
    break in table text, an event without a time, a won't-do action with its reason, action
    items in every category and in none, sign-offs in roles no layout has a slot for."""
    return Postmortem(
        id="INC-2024-03-12-001",
        title="Checkout API errors after connection pool change",
        summary="A smaller database connection pool made checkout fail for 2h 15m.",
        executive_summary=(
            "On 2024-03-12 checkout requests failed for about two hours after a configuration "
            "change shrank the database connection pool. Around 18% of checkout attempts "
            "returned errors. The change was rolled back and the pool size is now validated."
        ),
        date=date(2024, 3, 12),
        postmortem_date=date(2024, 3, 14),
        updated=date(2024, 3, 15),
        authors=["Ana Ruiz", "Ben Okafor"],
        incident_commander="Chloe Martin",
        participants=[
            Participant(name="Chloe Martin", role="Incident Commander"),
            Participant(name="Dev Patel", role="Responder"),
            Participant(name="Eli Novak"),
        ],
        tags=["database", "config"],
        services=["checkout-api", "orders-db"],
        custom_fields={"cost_center": "CC-42", "region": "eu-west-1"},
        template_version="2.1",
        layout="sre",
        status="in_review",
        status_history=[
            StatusChange(status="in_review", at=at(9, 0, day=14), by="Ana Ruiz", note="Ready"),
        ],
        incident_status="resolved",
        severity="SEV-2",
        milestones=Milestones(
            impact_started_at=at(14, 2),
            detected_at=at(14, 10),
            acknowledged_at=at(14, 13),
            investigation_started_at=at(14, 15),
            root_cause_identified_at=at(15, 1),
            mitigated_at=at(15, 40),
            resolved_at=at(16, 17),
            all_clear_at=at(16, 45),
            postmortem_started_at=at(9, 0, day=13),
            postmortem_completed_at=at(17, 0, day=14),
        ),
        stated_durations={"total": 8100, "detection_gap": 480, "time_to_acknowledge": 180},
        impact=Impact(
            users_affected="About 12,400 customers (18% of checkout attempts)",
            requests_failed="41,870 requests",
            revenue="Roughly EUR 96,000 in delayed orders",
            sla=SlaImpact(breached=True, detail="Monthly checkout availability fell to 99.71%"),
            user_impact="Customers saw an error page when paying.\nRetries mostly failed too.",
            business_impact="Support tickets tripled; two merchants asked for credits.",
            other="The nightly export ran 40 minutes late.",
            features=["Checkout", "Saved carts"],
            external=["Customers could not pay", "Partner webhooks were delayed"],
            internal=["Support queue overflowed", "Release freeze for two days"],
            metrics=ImpactMetrics(
                traffic="Normal, about 1,900 requests per second",
                error_rate="Peaked at 23% of checkout calls",
                latency="p99 rose from 350 ms to 9.8 s",
                downtime="No full outage; degraded for 2h 15m",
            ),
            data=DataImpact(level="none", description="No orders were lost or duplicated."),
        ),
        timeline=[
            TimelineEvent(
                at=at(13, 55),
                text="Pool size change deployed",
                kind="deploy",
                actor="Deploy bot",
                source="deploys",
                link="https://deploy/881",
                source_ref="881",
            ),
            TimelineEvent(at=at(14, 2), text="Checkout error rate starts to climb", kind="impact"),
            TimelineEvent(
                at=at(14, 10),
                text="CheckoutErrorRate alert fires",
                kind="alert",
                notes="Threshold 5% for 5 minutes",
            ),
            TimelineEvent(
                at=at(14, 13),
                text="On-call acknowledges the page",
                kind="acknowledgement",
                actor="Dev Patel",
            ),
            TimelineEvent(
                at=at(14, 20), text="Database team paged", kind="escalation", actor="Dev Patel"
            ),
            TimelineEvent(
                text="Status page updated",
                kind="communication",
                time_text="around 14:30",
                actor="Chloe Martin",
            ),
            TimelineEvent(
                at=at(15, 1),
                text="Pool exhaustion found in DB | proxy metrics",
                kind="diagnosis",
                actor="Eli Novak",
                notes="Seen in pgbouncer stats\nnot in app metrics",
            ),
            TimelineEvent(
                at=at(15, 40), text="Pool change rolled back", kind="mitigation", actor="Dev Patel"
            ),
            TimelineEvent(at=at(16, 17, 30), text="Error rate back under 0.1%", kind="resolution"),
            TimelineEvent(at=at(16, 45), text="Incident closed", kind="all_clear"),
        ],
        root_cause=RootCause(
            description="The pool size setting was read in connections per host, not in total.",
            trigger="A config change set the pool to 20 instead of 200.",
            underlying="Nothing checked pool settings against expected traffic.",
            systemic_issues=["Config changes skip load testing", "Units are not typed"],
        ),
        contributing_factors=[
            "No alert on pool saturation",
            "The change was deployed during peak hours",
        ],
        five_whys=[
            Why(question="Why did checkout fail?", answer="The app could not get connections."),
            Why(question="Why could it not get connections?", answer="The pool was too small."),
            Why(answer="The setting's unit was misread."),
        ],
        detection=Detection(
            method="automated_alert",
            method_detail="CheckoutErrorRate in Alertmanager",
            gap="The alert waits 5 minutes before firing.",
            why_not_caught=["Pool saturation had no alert", "Staging traffic is too low"],
            earlier_detection="An alert on pool wait time above 100 ms.",
            monitoring_gaps=["pgbouncer metrics not scraped"],
        ),
        response=Response(
            went_well=PhasedList(
                general=["Clear incident channel"],
                detection=["Alert fired within 8 minutes"],
                response=["Database team joined fast"],
                recovery=["Rollback took 3 minutes"],
            ),
            went_poorly=PhasedList(
                general=["Status page went up late"],
                detection=["No pool alert"],
                response=["Runbook pointed to the wrong dashboard"],
                recovery=["Rollback needed manual approval"],
            ),
            lucky=["It happened on a Tuesday, not on Black Friday"],
        ),
        resolution=Resolution(
            immediate_fix="Rolled the pool size back to 200.",
            permanent_fix="Validate pool settings in CI against a traffic model.",
        ),
        prevention=Prevention(
            short_term=["Pin pool size in the deploy manifest"],
            long_term=["Typed units for every connection setting"],
        ),
        action_items=[
            ActionItem(
                id="A1",
                action="Validate pool size in CI",
                owner="Ana Ruiz",
                team="Platform",
                priority="P0",
                due=date(2024, 3, 29),
                status="in_progress",
                category="prevent",
                tracker="https://tracker/PLAT-101",
            ),
            ActionItem(
                id="A2",
                action="Alert on pool wait time | saturation",
                owner="Dev Patel",
                priority="P1",
                due=date(2024, 3, 22),
                status="done",
                category="detect",
                completed_on=date(2024, 3, 20),
            ),
            ActionItem(
                id="A3",
                action="Fix the runbook dashboard link",
                owner="Chloe Martin",
                priority="P2",
                status="open",
                category="respond",
            ),
            ActionItem(
                id="A4",
                action="Automate rollback approval",
                owner="Eli Novak",
                priority="P1",
                due=date(2024, 4, 30),
                status="wont_do",
                status_reason="superseded by A1",
                category="mitigate",
            ),
            ActionItem(
                id="A5", action="Rehearse database failover", priority="P2", category="recover"
            ),
            ActionItem(
                id="A6",
                action="Review change freeze rules",
                owner="Ben Okafor",
                priority="P3",
                due=date(2024, 5, 15),
                category="process",
            ),
            ActionItem(action="Share this review at the guild meeting", owner="Ana Ruiz"),
        ],
        lessons=Lessons(
            learned=["Units in config are a hazard"],
            technical=["pgbouncer exposes the best saturation signal"],
            process=["Peak-hour deploys need a second reviewer"],
            cultural=["People waited too long to escalate"],
            do_differently=["Page the database team at the first sign of pool trouble"],
            surprises=["Retries made the pool starvation worse"],
            open_questions=["Should checkout shed load instead of queueing?"],
        ),
        related_incidents=[
            RelatedIncident(
                ref="INC-2023-11-02-004",
                relationship="Same pool, other service",
                link="https://hindsight/INC-2023-11-02-004",
            ),
            RelatedIncident(ref="INC-2024-01-19-002"),
        ],
        communication_log=[
            CommunicationEntry(
                at=at(14, 31), channel="Status page", summary="Investigating checkout errors"
            ),
            CommunicationEntry(
                at=at(16, 20), channel="Email", summary="Resolved notice to merchants"
            ),
        ],
        external_communication=["Status page: three updates", "Email to affected merchants"],
        follow_ups=[
            FollowUpReview(date=date(2024, 3, 28)),
            FollowUpReview(
                date=date(2024, 4, 11),
                kind="30-day retrospective",
                attendees="Checkout and database teams",
            ),
        ],
        signoffs=[
            SignOff(role="Author", name="Ana Ruiz", date=date(2024, 3, 14)),
            SignOff(role="Facilitator", name="Chloe Martin", date=date(2024, 3, 15)),
            SignOff(role="Reviewer", name="Farah Said", date=date(2024, 3, 15)),
            SignOff(role="Approver", name="Gus Lind", date=date(2024, 3, 16), approved=True),
            SignOff(role="Engineering Lead", name="Hana Ito"),
        ],
        supporting_links=[
            Link(label="INC-2024-03-12-001 ticket", url="https://tracker/INC-881", kind="ticket"),
            Link(label="#inc-checkout", url="https://chat/inc-checkout", kind="chat"),
            Link(label="Checkout overview", url="https://grafana/d/checkout", kind="dashboard"),
            Link(label="DB pool panel", url="https://grafana/d/db-pool", kind="dashboard"),
            Link(label="Error log query", url="https://logs/q/checkout-5xx", kind="logs"),
            Link(label="Pool runbook", url="https://wiki/runbooks/db-pool", kind="runbook"),
            Link(label="Alert rules", url="https://git/alerts/checkout.yaml", kind="alerting"),
            Link(label="Deploy procedure", url="https://wiki/deploys", kind="procedure"),
            Link(label="Load test report", url="https://wiki/loadtest-2024-02", kind="other"),
        ],
        appendix=Appendix(
            technical_details="pgbouncer ran in transaction mode with `default_pool_size`.",
            logs=[
                Snippet(
                    content="ERROR pool timeout after 5000ms\nERROR pool timeout after 5000ms",
                    language="text",
                    caption="Checkout API errors at 14:05",
                ),
            ],
            config_changes=[
                Snippet(
                    content="- default_pool_size: 200\n+ default_pool_size: 20",
                    language="diff",
                    caption="The change that was rolled back",
                ),
            ],
            graphs=[Link(label="Error rate graph", url="https://grafana/render/err", kind="graph")],
            screenshots=[Link(label="Error page", url="https://files/error-page.png")],
        ),
        extra_sections=[
            ExtraSection(
                heading="Glossary", body="- **Pool**: the set of open connections", level=2
            ),
        ],
    )


@pytest.fixture
def full() -> Postmortem:
    return full_postmortem()
