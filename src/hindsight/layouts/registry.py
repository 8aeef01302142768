"""Which layouts exist, and which fields of the model each built-in layout has a place for.

A custom layout is a Jinja2 file ``NAME.md.j2`` in the directory ``HINDSIGHT_LAYOUTS_DIR`` names.
Its description is the text of a Jinja comment on its first line (``{# One line. #}``).
A custom layout may not take the name of a built-in one.

Each built-in layout has a :class:`Profile`: the fields its sections show and the labels it
uses for options and categories. Whatever a layout has no place for is written in a closing
``## More details`` section under the canonical headings of :data:`DETAIL_FIELDS`, so that no
layout loses data. The parser can use the same tables to read documents back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from hindsight.errors import InvalidInput, NotFound
from hindsight.model import ActionCategory, DetectionMethod, EventKind, LinkKind

SUFFIX = ".md.j2"


@dataclass(frozen=True)
class LayoutInfo:
    """A layout by name; ``path`` is the template file of a custom layout."""

    name: str
    title: str
    description: str
    seed: str | None
    path: Path | None
    builtin: bool


BUILTIN_LAYOUTS: tuple[str, ...] = ("sre", "five-whys", "full", "checklist", "impact")

_BUILTIN: dict[str, LayoutInfo] = {
    info.name: info
    for info in (
        LayoutInfo(
            "sre",
            "SRE postmortem",
            "Compact SRE-style review: impact, timeline, root cause, detection, response, "
            "a single action table with categories, lessons and links.",
            "000",
            None,
            True,
        ),
        LayoutInfo(
            "five-whys",
            "Blameless postmortem with five whys",
            "Summary block, detection and resolution milestones, an investigation table with "
            "people and notes, a five-whys chain, per-phase reflections, metrics, appendices and "
            "sign-off.",
            "001",
            None,
            True,
        ),
        LayoutInfo(
            "full",
            "Full post-mortem",
            "The longest form: key timestamps, detection questions, impact analysis, one action "
            "table per category, follow-up schedule, appendix and review approval.",
            "002",
            None,
            True,
        ),
        LayoutInfo(
            "checklist",
            "Checklist postmortem",
            "Checkbox-driven review: detection options, action status boxes, categorized "
            "actions, appendix snippets and a sign-off table with approvals.",
            "003",
            None,
            True,
        ),
        LayoutInfo(
            "impact",
            "Impact-focused postmortem",
            "Puts external and internal impact and its metrics first, then causes, why it was "
            "not caught, prevention measures and monitoring gaps.",
            "004",
            None,
            True,
        ),
    )
}


def list_layouts(*, layouts_dir: Path | None = None) -> list[LayoutInfo]:
    """The built-in layouts in their fixed order, then the custom ones by name."""
    return [*_BUILTIN.values(), *_custom_layouts(layouts_dir).values()]


def get_layout(name: str, *, layouts_dir: Path | None = None) -> LayoutInfo:
    """The layout called ``name``; raises :class:`NotFound` naming the ones that exist."""
    if name in _BUILTIN and layouts_dir is None:
        return _BUILTIN[name]
    custom = _custom_layouts(layouts_dir)
    found = _BUILTIN.get(name) or custom.get(name)
    if found is None:
        available = ", ".join([*_BUILTIN, *custom])
        raise NotFound(f"unknown layout {name!r}; available: {available}")
    return found


def _custom_layouts(layouts_dir: Path | None) -> dict[str, LayoutInfo]:
    if layouts_dir is None:
        return {}
    if not layouts_dir.is_dir():
        raise InvalidInput(
            f"the layouts directory {str(layouts_dir)!r} does not exist or is not a directory",
            where="HINDSIGHT_LAYOUTS_DIR",
        )
    found: dict[str, LayoutInfo] = {}
    for path in sorted(layouts_dir.glob(f"*{SUFFIX}")):
        name = path.name.removesuffix(SUFFIX)
        if name.startswith("_"):
            continue  # shared macros of the custom layouts, not a layout
        if name in _BUILTIN:
            raise InvalidInput(
                f"custom layout {path.name!r} has the name of a built-in layout; "
                f"rename it (built-in names: {', '.join(BUILTIN_LAYOUTS)})",
                where=str(path),
            )
        found[name] = LayoutInfo(
            name=name,
            title=name,
            description=_description(path),
            seed=None,
            path=path,
            builtin=False,
        )
    return found


def _description(path: Path) -> str:
    """The first-line Jinja comment of a template, if it has one."""
    with path.open(encoding="utf-8") as handle:
        first = handle.readline().strip()
    if first.startswith("{#") and first.endswith("#}"):
        return first[2:-2].strip(" -")
    return f"Custom layout from {path.name}"


# --- what each layout shows -------------------------------------------------------------------


@dataclass(frozen=True)
class DetailField:
    """A field written under a canonical heading of "More details" when a layout lacks it.

    ``path`` is the dotted attribute path in the model; ``label`` is ``None`` for a heading that
    holds that one field alone; ``form`` is how the value is written (``text``, ``list``,
    ``sla``, ``method``, ``level``, ``whys``, ``related``, ``comms``, ``links``, ``snippets``).
    """

    heading: str
    path: str
    label: str | None = None
    form: str = "text"


DETAIL_FIELDS: tuple[DetailField, ...] = (
    DetailField("Executive Summary", "executive_summary"),
    DetailField("Summary", "summary"),
    DetailField("Impact", "impact.users_affected", "Users Affected"),
    DetailField("Impact", "impact.requests_failed", "Requests Failed"),
    DetailField("Impact", "impact.revenue", "Revenue Impact"),
    DetailField("Impact", "impact.sla", "SLA Breach", "sla"),
    DetailField("Impact", "impact.user_impact", "User Impact"),
    DetailField("Impact", "impact.business_impact", "Business Impact"),
    DetailField("Impact", "impact.other", "Other Impact"),
    DetailField("Impact", "impact.features", "Features Affected", "list"),
    DetailField("Impact", "impact.external", "External Impact", "list"),
    DetailField("Impact", "impact.internal", "Internal Impact", "list"),
    DetailField("Impact", "impact.metrics.traffic", "Traffic"),
    DetailField("Impact", "impact.metrics.error_rate", "Error Rate"),
    DetailField("Impact", "impact.metrics.latency", "Response Time"),
    DetailField("Impact", "impact.metrics.downtime", "Downtime"),
    DetailField("Impact", "impact.data.level", "Data Loss", "level"),
    DetailField("Impact", "impact.data.description", "Data Impact"),
    DetailField("Contributing Factors", "contributing_factors", form="list"),
    DetailField("Root Cause", "root_cause.description"),
    DetailField("Immediate Cause", "root_cause.trigger"),
    DetailField("Underlying Cause", "root_cause.underlying"),
    DetailField("Systemic Issues", "root_cause.systemic_issues", form="list"),
    DetailField("5 Whys", "five_whys", form="whys"),
    DetailField("Detection", "detection.method", "How Detected", "method"),
    DetailField("Detection", "detection.method_detail", "Detection Detail"),
    DetailField("Detection", "detection.gap", "Detection Gap"),
    DetailField("Detection", "detection.earlier_detection", "Earlier Detection"),
    DetailField("Why It Wasn't Caught", "detection.why_not_caught", form="list"),
    DetailField("Monitoring Gaps", "detection.monitoring_gaps", form="list"),
    DetailField("Where We Got Lucky", "response.lucky", form="list"),
    DetailField("Resolution", "resolution.immediate_fix", "Immediate Fix"),
    DetailField("Resolution", "resolution.permanent_fix", "Permanent Fix"),
    DetailField("Prevention", "prevention.short_term", "Short-term", "list"),
    DetailField("Prevention", "prevention.long_term", "Long-term", "list"),
    DetailField("Lessons Learned", "lessons.learned", "What We Learned", "list"),
    DetailField("Lessons Learned", "lessons.technical", "Technical Lessons", "list"),
    DetailField("Lessons Learned", "lessons.process", "Process Lessons", "list"),
    DetailField("Lessons Learned", "lessons.cultural", "Cultural Lessons", "list"),
    DetailField("Lessons Learned", "lessons.do_differently", "What We'll Do Differently", "list"),
    DetailField("Lessons Learned", "lessons.surprises", "Surprises", "list"),
    DetailField("Lessons Learned", "lessons.open_questions", "Questions Raised", "list"),
    DetailField("Related Incidents", "related_incidents", form="related"),
    DetailField("Communication Log", "communication_log", form="comms"),
    DetailField("External Communication", "external_communication", form="list"),
    DetailField("Graphs", "appendix.graphs", form="links"),
    DetailField("Screenshots", "appendix.screenshots", form="links"),
    DetailField("Logs", "appendix.logs", form="snippets"),
    DetailField("Configuration Changes", "appendix.config_changes", form="snippets"),
    DetailField("Technical Details", "appendix.technical_details"),
)
"""Fields with a canonical place in "More details"; lists of items that a layout may show only
in part (timeline people, action-item columns, phases, sign-offs, follow-ups, links) are handled
item by item under the headings of :data:`DETAIL_HEADINGS`."""

DETAIL_HEADINGS: tuple[str, ...] = (
    "Executive Summary",
    "Summary",
    "Impact",
    "Timeline",
    "Contributing Factors",
    "Root Cause",
    "Immediate Cause",
    "Underlying Cause",
    "Systemic Issues",
    "5 Whys",
    "Detection",
    "Why It Wasn't Caught",
    "Monitoring Gaps",
    "What Went Well",
    "What Went Poorly",
    "Where We Got Lucky",
    "Resolution",
    "Prevention",
    "Action Items",
    "Lessons Learned",
    "Related Incidents",
    "Communication Log",
    "External Communication",
    "Follow-Up Reviews",
    "Sign-off",
    "Supporting Links",
    "Graphs",
    "Screenshots",
    "Logs",
    "Configuration Changes",
    "Technical Details",
)
"""The order of the subsections of "More details"."""

METHOD_LABELS: dict[DetectionMethod, str] = {
    DetectionMethod.AUTOMATED_ALERT: "Automated alert",
    DetectionMethod.MONITORING: "Monitoring",
    DetectionMethod.CUSTOMER_REPORT: "Customer report",
    DetectionMethod.INTERNAL_REPORT: "Internal report",
    DetectionMethod.AUTOMATED_TEST: "Automated test",
    DetectionMethod.OTHER: "Other",
}
"""Detection methods as "More details" and layouts without their own option names write them."""

LINK_LABELS: dict[LinkKind, str] = {
    LinkKind.TICKET: "Ticket",
    LinkKind.CHAT: "Chat",
    LinkKind.DASHBOARD: "Dashboard",
    LinkKind.LOGS: "Logs",
    LinkKind.RUNBOOK: "Runbook",
    LinkKind.ALERTING: "Alerting",
    LinkKind.PROCEDURE: "Procedure",
    LinkKind.GRAPH: "Graph",
    LinkKind.OTHER: "Other",
}
"""Link kinds in a generic link bullet ``- **Dashboard:** [label](url)``; kind ``other`` has no
prefix."""

ACTION_COLUMNS: dict[str, str] = {
    "id": "ID",
    "owner": "Owner",
    "priority": "Priority",
    "due": "Due Date",
    "status": "Status",
    "category": "Category",
}
"""Action-item attributes a layout's table may lack, with their column names in "More details"."""


@dataclass(frozen=True)
class Profile:
    """What one layout shows. Anything filled that it does not show goes to "More details"."""

    shows: frozenset[str] = frozenset()
    """Dotted field paths of :data:`DETAIL_FIELDS` the layout's sections hold in full."""
    action_columns: frozenset[str] = frozenset()
    """Action-item attributes its table has a column for (of ``ACTION_COLUMNS``)."""
    categories: dict[ActionCategory | None, str] = field(default_factory=dict)
    """Action categories it lists, with the label or heading it gives each."""
    categories_by_id: bool = False
    """It lists categories by action-item id only (items without an id cannot be placed)."""
    methods: dict[DetectionMethod, str] = field(default_factory=dict)
    """Its own names for detection methods, in its order."""
    link_kinds: dict[LinkKind, str] | None = field(default_factory=dict)
    """Supporting-link kinds it has a place for, with its label; ``None``: every kind."""
    signoffs: Literal["none", "slots", "table"] = "none"
    signoff_slots: dict[str, str] = field(default_factory=dict)
    """For ``slots``: role -> label of the line that names who signed in that role."""
    approving_slots: frozenset[str] = frozenset()
    """Slots whose line means the person approved ("Approved by"): they hold approved sign-offs
    only, the other slots unapproved ones only."""
    signoff_approved: bool = False
    signoff_shared_date: bool = False
    """The slots share one date line (a sign-off with another date cannot be shown)."""
    follow_ups: Literal["none", "next", "all"] = "none"
    timeline_people: bool = False
    """The timeline table has Person and Notes columns."""
    picks: dict[EventKind, str] = field(default_factory=dict)
    """Event kinds shown as labelled bullets (the first event of each), with their label."""
    phases: bool = False
    """What went well / poorly is split by phase (detection, response, recovery)."""


PROFILES: dict[str, Profile] = {
    "sre": Profile(
        shows=frozenset(
            {
                "executive_summary",
                "impact.users_affected",
                "impact.user_impact",
                "impact.revenue",
                "impact.sla",
                "root_cause.description",
                "contributing_factors",
                "detection.method",
                "detection.method_detail",
                "detection.gap",
                "lessons.learned",
                "lessons.do_differently",
            }
        ),
        action_columns=frozenset({"id", "owner", "priority", "due", "status"}),
        categories={
            ActionCategory.PREVENT: "Prevent recurrence",
            ActionCategory.DETECT: "Improve detection",
            ActionCategory.RESPOND: "Improve response",
            ActionCategory.PROCESS: "Improve process",
        },
        methods={
            DetectionMethod.AUTOMATED_ALERT: "Automated alert",
            DetectionMethod.CUSTOMER_REPORT: "Customer report",
            DetectionMethod.INTERNAL_REPORT: "Internal report",
            DetectionMethod.OTHER: "Other",
        },
        link_kinds={
            LinkKind.TICKET: "Incident ticket",
            LinkKind.CHAT: "Slack channel",
            LinkKind.DASHBOARD: "Related dashboards",
            LinkKind.LOGS: "Relevant logs",
        },
    ),
    "five-whys": Profile(
        shows=frozenset(
            {
                "impact.users_affected",
                "impact.revenue",
                "impact.sla",
                "executive_summary",
                "root_cause.trigger",
                "root_cause.underlying",
                "contributing_factors",
                "five_whys",
                "lessons.technical",
                "lessons.process",
                "lessons.cultural",
                "external_communication",
                "related_incidents",
                "appendix.logs",
                "appendix.screenshots",
                "communication_log",
                "appendix.technical_details",
            }
        ),
        action_columns=frozenset({"owner", "priority", "due", "status"}),
        categories={
            ActionCategory.PREVENT: "Prevent",
            ActionCategory.DETECT: "Detect",
            ActionCategory.RESPOND: "Respond",
            ActionCategory.RECOVER: "Recover",
        },
        categories_by_id=True,
        signoffs="slots",
        signoff_slots={
            "Author": "Prepared by",
            "Reviewer": "Reviewed by",
            "Approver": "Approved by",
        },
        approving_slots=frozenset({"Approver"}),
        timeline_people=True,
        picks={
            EventKind.ALERT: "First Alert",
            EventKind.ESCALATION: "Escalation",
            EventKind.ACKNOWLEDGEMENT: "Acknowledgment",
            EventKind.MITIGATION: "Fix Applied",
            EventKind.RESOLUTION: "Service Restored",
            EventKind.ALL_CLEAR: "All Clear",
        },
        phases=True,
    ),
    "full": Profile(
        shows=frozenset(
            {
                "summary",
                "impact.users_affected",
                "impact.requests_failed",
                "impact.revenue",
                "impact.other",
                "impact.user_impact",
                "impact.business_impact",
                "impact.data.description",
                "root_cause.description",
                "root_cause.trigger",
                "root_cause.underlying",
                "contributing_factors",
                "detection.method",
                "detection.method_detail",
                "detection.why_not_caught",
                "detection.earlier_detection",
                "response.lucky",
                "lessons.learned",
                "lessons.surprises",
                "lessons.open_questions",
                "related_incidents",
                "appendix.technical_details",
                "communication_log",
            }
        ),
        action_columns=frozenset({"owner", "priority", "due", "status"}),
        categories={
            ActionCategory.PREVENT: "Prevent Recurrence",
            ActionCategory.DETECT: "Improve Detection",
            ActionCategory.RESPOND: "Improve Response",
            ActionCategory.PROCESS: "Process Improvements",
            ActionCategory.MITIGATE: "Improve Mitigation",
            ActionCategory.RECOVER: "Improve Recovery",
            None: "Other Actions",
        },
        methods={
            DetectionMethod.AUTOMATED_ALERT: "Alert",
            DetectionMethod.CUSTOMER_REPORT: "User report",
            DetectionMethod.MONITORING: "Monitoring",
            DetectionMethod.OTHER: "Other",
        },
        link_kinds=None,
        signoffs="table",
        follow_ups="all",
    ),
    "checklist": Profile(
        shows=frozenset(
            {
                "executive_summary",
                "impact.users_affected",
                "impact.business_impact",
                "impact.data.description",
                "impact.data.level",
                "root_cause.description",
                "five_whys",
                "detection.method",
                "detection.method_detail",
                "detection.earlier_detection",
                "response.lucky",
                "resolution.immediate_fix",
                "resolution.permanent_fix",
                "lessons.technical",
                "lessons.process",
                "lessons.cultural",
                "related_incidents",
                "appendix.graphs",
                "appendix.logs",
                "appendix.config_changes",
            }
        ),
        action_columns=frozenset({"id", "owner", "due", "status"}),
        categories={
            ActionCategory.PREVENT: "Prevention",
            ActionCategory.DETECT: "Detection",
            ActionCategory.RESPOND: "Response",
            ActionCategory.RECOVER: "Recovery",
        },
        methods={
            DetectionMethod.MONITORING: "Automated monitoring",
            DetectionMethod.CUSTOMER_REPORT: "Customer report",
            DetectionMethod.INTERNAL_REPORT: "Internal user",
            DetectionMethod.AUTOMATED_TEST: "Automated test",
        },
        signoffs="table",
        signoff_approved=True,
    ),
    "impact": Profile(
        shows=frozenset(
            {
                "impact.external",
                "impact.internal",
                "impact.metrics.traffic",
                "impact.metrics.error_rate",
                "impact.metrics.latency",
                "impact.metrics.downtime",
                "root_cause.description",
                "root_cause.underlying",
                "root_cause.trigger",
                "contributing_factors",
                "root_cause.systemic_issues",
                "detection.why_not_caught",
                "prevention.short_term",
                "prevention.long_term",
                "appendix.config_changes",
                "detection.monitoring_gaps",
            }
        ),
        action_columns=frozenset({"id", "owner", "due", "priority"}),
        link_kinds={
            LinkKind.RUNBOOK: "Runbook",
            LinkKind.ALERTING: "Alerting",
            LinkKind.PROCEDURE: "Procedure",
        },
        signoffs="slots",
        signoff_slots={"Facilitator": "Facilitated by", "Reviewer": "Reviewed by"},
        signoff_shared_date=True,
        follow_ups="next",
    ),
}
"""The built-in layouts' profiles. A custom layout gets an empty one: it is not known to show
anything, so its "More details" lists every filled field."""
