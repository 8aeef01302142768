"""Process rules (P5xx): the postmortem written and reviewed in time, signed off, with a
severity and, for severe incidents, a follow-up review."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

from hindsight.lint.document import LintDocument
from hindsight.lint.engine import Hit, rule
from hindsight.lint.rules._common import is_blank
from hindsight.model import DocumentStatus, Postmortem
from hindsight.text.durations import format_duration


def _resolved(pm: Postmortem) -> datetime | None:
    """When the incident ended: resolved, else mitigated or all clear, else the end of its day."""
    ms = pm.milestones
    for at in (ms.resolved_at, ms.all_clear_at, ms.mitigated_at):
        if at is not None:
            return at
    day = pm.incident_date
    if day is None:
        return None
    return datetime.combine(day, time(), tzinfo=UTC) + timedelta(days=1)


def _drafted(pm: Postmortem) -> datetime | None:
    if pm.milestones.postmortem_started_at is not None:
        return pm.milestones.postmortem_started_at
    if pm.status_history:
        return min(change.at for change in pm.status_history)
    if pm.postmortem_date is not None:
        return datetime.combine(pm.postmortem_date, time(), tzinfo=UTC)
    return None


def _completed(pm: Postmortem) -> datetime | None:
    if pm.milestones.postmortem_completed_at is not None:
        return pm.milestones.postmortem_completed_at
    finals = [c.at for c in pm.status_history if c.status is DocumentStatus.FINAL]
    return max(finals) if finals else None


def _hours(delta: timedelta) -> str:
    return format_duration(int(delta.total_seconds()))


def _status_line(doc: LintDocument) -> int:
    for number, line in enumerate(doc.lines, start=1):
        if line.lower().lstrip("-*_ ").startswith(("status:", "status**", "**status")):
            return number
    return 1


@rule(
    "P501",
    "draft-late",
    "warning",
    summary="The postmortem was not drafted within 24 hours of resolution.",
    explanation=(
        "Memories, chat history and dashboards fade fast; a draft written within a day keeps "
        "what was known at each moment, which is what makes a postmortem blameless. The window "
        "is configurable (`draft-within`). The draft time is the postmortem's start milestone, "
        "its first status change, or its postmortem date."
    ),
    bad="---\nmilestones:\n  resolved_at: 2024-03-02T11:00:00Z\n"
    "  postmortem_started_at: 2024-03-08T09:00:00Z\n---\n",
    good="---\nmilestones:\n  resolved_at: 2024-03-02T11:00:00Z\n"
    "  postmortem_started_at: 2024-03-02T15:00:00Z\n---\n",
)
def draft_late(doc: LintDocument) -> Iterator[Hit]:
    pm = doc.postmortem
    if pm is None:
        return
    resolved, drafted = _resolved(pm), _drafted(pm)
    if resolved is None or drafted is None:
        return
    late = drafted - resolved
    if late > doc.config.draft_within:
        yield Hit(
            _status_line(doc),
            1,
            "",
            f"drafted {_hours(late)} after resolution (within "
            f"{_hours(doc.config.draft_within)} expected)",
            "start the draft the day of the incident, even if only the timeline",
        )


@rule(
    "P502",
    "completion-late",
    "warning",
    summary="The postmortem was not completed (final) within 48 hours of resolution.",
    explanation=(
        "A postmortem that lingers in draft loses its audience and its action items lose "
        "their urgency. The window is configurable (`complete-within`) and measured against "
        "`--now` for postmortems not yet final. Documents that state no status are not judged."
    ),
    bad="---\nstatus: draft\nmilestones:\n  resolved_at: 2020-03-02T11:00:00Z\n---\n",
    good="---\nstatus: final\nmilestones:\n  resolved_at: 2020-03-02T11:00:00Z\n"
    "  postmortem_completed_at: 2020-03-03T16:00:00Z\n---\n",
)
def completion_late(doc: LintDocument) -> Iterator[Hit]:
    pm = doc.postmortem
    if pm is None:
        return
    resolved = _resolved(pm)
    window = doc.config.complete_within
    if resolved is None:
        return
    if pm.status is DocumentStatus.FINAL:
        completed = _completed(pm)
        if completed is not None and completed - resolved > window:
            yield Hit(
                _status_line(doc),
                1,
                "",
                f"completed {_hours(completed - resolved)} after resolution "
                f"(within {_hours(window)} expected)",
                None,
            )
    elif "status" in pm.model_fields_set and doc.now - resolved > window:
        yield Hit(
            _status_line(doc),
            1,
            "",
            f"still {pm.status.value.replace('_', ' ')} {_hours(doc.now - resolved)} after "
            f"resolution (final within {_hours(window)} expected)",
            "finish the review and mark it final",
        )


@rule(
    "P503",
    "final-without-signoff",
    "error",
    summary="Marked final without the required sign-offs.",
    explanation=(
        "Final means reviewed. The roles that must sign off are configurable "
        "(`required-signoffs`, default a reviewer); a sign-off counts when it names the person."
    ),
    bad="---\nstatus: final\n---\n# Disk full on db-1\n",
    good="---\nstatus: final\nsignoffs:\n- role: Reviewer\n  name: Wei Chen\n"
    "  date: 2024-03-04\n---\n# Disk full on db-1\n",
)
def final_without_signoff(doc: LintDocument) -> Iterator[Hit]:
    pm = doc.postmortem
    if pm is None or pm.status is not DocumentStatus.FINAL:
        return
    signed = [s.role.lower() for s in pm.signoffs if s.name and not is_blank(s.name)]
    for role in doc.config.required_signoffs:
        if not any(role in have or have.startswith(role[:6]) for have in signed):
            yield Hit(
                doc.section_line("signoffs", _status_line(doc)),
                1,
                "",
                f"final without a sign-off by a {role}",
                f"add the {role}'s name and date to the sign-off",
            )


@rule(
    "P504",
    "severity-missing",
    "warning",
    summary="The incident has no severity.",
    explanation=(
        "Severity decides who reviews the postmortem, whether a follow-up review is needed "
        "and how the incident counts in reports."
    ),
    bad="# Disk full on db-1\n\n**Date**: 2024-03-02\n",
    good="# Disk full on db-1\n\n**Date**: 2024-03-02\n**Severity**: SEV-2\n",
)
def severity_missing(doc: LintDocument) -> Iterator[Hit]:
    pm = doc.postmortem
    if pm is not None and pm.severity is None:
        yield Hit(1, 1, "", "no severity", "state the severity (SEV-1 to SEV-5)")


@rule(
    "P505",
    "no-follow-up-review",
    "warning",
    summary="A high-severity incident without a scheduled follow-up review.",
    explanation=(
        "For severe incidents, a review some weeks later checks that the action items were "
        "done and worked. Which severities need one is configurable (`review-severity`, "
        "default SEV-2 and worse)."
    ),
    bad="**Severity**: SEV-1\n",
    good="**Severity**: SEV-1\n\n## Follow-up\n\n### Review schedule\n\n"
    "| Date | Type | Attendees |\n|---|---|---|\n"
    "| 2024-04-02 | 30-day action item review | SRE team |\n",
)
def no_follow_up_review(doc: LintDocument) -> Iterator[Hit]:
    pm = doc.postmortem
    if pm is None or pm.severity is None or pm.severity.level > doc.config.review_severity:
        return
    if any(review.date is not None for review in pm.follow_ups):
        return
    yield Hit(
        doc.section_line("follow_ups", 1),
        1,
        "",
        f"{pm.severity.label()} incident without a scheduled follow-up review",
        "schedule a review of the action items, e.g. 30 days out",
    )
