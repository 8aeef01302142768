"""The postmortem as data: every section and field of the five built-in layouts.

``docs/model.md`` maps each field of each seed template to its place here. Prose fields hold
Markdown text; list fields hold one Markdown item each. Everything is optional except what a
postmortem cannot exist without, so that a blank template and a half-written draft both load.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    computed_field,
    field_validator,
    model_validator,
)

from hindsight.model.milestones import DURATIONS, Durations, Milestones, UtcDatetime
from hindsight.model.scales import Priority, Severity

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

Text = Annotated[str, StringConstraints(strip_whitespace=True)]
"""Markdown text, trimmed."""


def _new_list() -> list[Any]:
    """The ``default_factory`` of list fields. A function rather than ``list``: pydantic reads
    every factory's signature when it builds a model, and reading the builtin's takes 0.1 ms
    (40 fields); an empty-list default instead would be deep-copied on every validation."""
    return []


def _blank_to_none(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _parse_priority(value: object) -> object:
    value = _blank_to_none(value)
    return None if value is None else Priority.parse(value)


OptText = Annotated[str | None, BeforeValidator(_blank_to_none)]
OptPriority = Annotated[Priority | None, BeforeValidator(_parse_priority)]


class Strict(BaseModel):
    """Base of every section: unknown fields are refused, assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=True)


class DocumentStatus(StrEnum):
    """Where the postmortem document is in its review."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    FINAL = "final"


class IncidentStatus(StrEnum):
    """Where the incident itself stands."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"


class IncidentType(StrEnum):
    """Drills and maintenance are kept out of reliability metrics by default."""

    INCIDENT = "incident"
    DRILL = "drill"
    MAINTENANCE = "maintenance"


class EventKind(StrEnum):
    """What a timeline event is."""

    IMPACT = "impact"
    ALERT = "alert"
    REPORT = "report"
    ACKNOWLEDGEMENT = "acknowledgement"
    ESCALATION = "escalation"
    INVESTIGATION = "investigation"
    DIAGNOSIS = "diagnosis"
    ACTION = "action"
    DEPLOY = "deploy"
    COMMUNICATION = "communication"
    MITIGATION = "mitigation"
    RESOLUTION = "resolution"
    ALL_CLEAR = "all_clear"
    NOTE = "note"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    WONT_DO = "wont_do"


class ActionCategory(StrEnum):
    """What an action item improves."""

    PREVENT = "prevent"
    DETECT = "detect"
    MITIGATE = "mitigate"
    RESPOND = "respond"
    RECOVER = "recover"
    PROCESS = "process"


class DetectionMethod(StrEnum):
    AUTOMATED_ALERT = "automated_alert"
    MONITORING = "monitoring"
    CUSTOMER_REPORT = "customer_report"
    INTERNAL_REPORT = "internal_report"
    AUTOMATED_TEST = "automated_test"
    OTHER = "other"


class DataImpactLevel(StrEnum):
    NONE = "none"
    PARTIAL = "partial"
    COMPLETE = "complete"


class LinkKind(StrEnum):
    TICKET = "ticket"
    CHAT = "chat"
    DASHBOARD = "dashboard"
    LOGS = "logs"
    RUNBOOK = "runbook"
    ALERTING = "alerting"
    PROCEDURE = "procedure"
    GRAPH = "graph"
    OTHER = "other"


# --- identity ---------------------------------------------------------------------------------


class Participant(Strict):
    """Someone who took part in the incident or its review, with the role they had."""

    name: Text
    role: OptText = None


class StatusChange(Strict):
    """One transition of the document status, kept as history."""

    status: DocumentStatus
    at: UtcDatetime
    by: OptText = None
    note: OptText = None


# --- impact -----------------------------------------------------------------------------------


class SlaImpact(Strict):
    breached: bool | None = None
    detail: OptText = None


class DataImpact(Strict):
    level: DataImpactLevel | None = None
    description: OptText = None


class ImpactMetrics(Strict):
    """Measurements during the incident, as the team states them."""

    traffic: OptText = None
    error_rate: OptText = None
    latency: OptText = None
    downtime: OptText = None


class Impact(Strict):
    users_affected: OptText = None
    requests_failed: OptText = None
    revenue: OptText = None
    sla: SlaImpact = Field(default_factory=SlaImpact)
    user_impact: OptText = None
    business_impact: OptText = None
    other: OptText = None
    features: list[Text] = Field(default_factory=_new_list)
    external: list[Text] = Field(default_factory=_new_list)
    internal: list[Text] = Field(default_factory=_new_list)
    metrics: ImpactMetrics = Field(default_factory=ImpactMetrics)
    data: DataImpact = Field(default_factory=DataImpact)


# --- timeline ---------------------------------------------------------------------------------


class TimelineEvent(Strict):
    """One thing that happened. ``at`` is ``None`` when the document gives no usable time; the
    time as written is then kept in ``time_text``."""

    at: UtcDatetime | None = None
    text: Text
    kind: EventKind = EventKind.NOTE
    actor: OptText = None
    source: OptText = None
    link: OptText = None
    notes: OptText = None
    time_text: OptText = None
    source_ref: OptText = None


# --- analysis ---------------------------------------------------------------------------------


class RootCause(Strict):
    description: OptText = None
    trigger: OptText = None
    underlying: OptText = None
    systemic_issues: list[Text] = Field(default_factory=_new_list)


class Why(Strict):
    """One link of a five-whys chain."""

    question: OptText = None
    answer: Text


class Detection(Strict):
    method: DetectionMethod | None = None
    method_detail: OptText = None
    gap: OptText = None
    why_not_caught: list[Text] = Field(default_factory=_new_list)
    earlier_detection: OptText = None
    monitoring_gaps: list[Text] = Field(default_factory=_new_list)


class PhasedList(Strict):
    """Points about the response, optionally split by the phase they belong to."""

    general: list[Text] = Field(default_factory=_new_list)
    detection: list[Text] = Field(default_factory=_new_list)
    response: list[Text] = Field(default_factory=_new_list)
    recovery: list[Text] = Field(default_factory=_new_list)

    def all(self) -> list[str]:
        return [*self.general, *self.detection, *self.response, *self.recovery]

    def __bool__(self) -> bool:
        return bool(self.all())


class Response(Strict):
    went_well: PhasedList = Field(default_factory=PhasedList)
    went_poorly: PhasedList = Field(default_factory=PhasedList)
    lucky: list[Text] = Field(default_factory=_new_list)


class Resolution(Strict):
    immediate_fix: OptText = None
    permanent_fix: OptText = None


class Prevention(Strict):
    short_term: list[Text] = Field(default_factory=_new_list)
    long_term: list[Text] = Field(default_factory=_new_list)


# --- follow-up --------------------------------------------------------------------------------


class ActionItem(Strict):
    """Something the team will do. Frozen because its rules span fields (``wont_do`` needs a
    reason); change one with :func:`hindsight.model.edits.update_action`."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: OptText = None
    action: Text
    owner: OptText = None
    team: OptText = None
    priority: OptPriority = None
    due: dt.date | None = None
    status: ActionStatus = ActionStatus.OPEN
    status_reason: OptText = None
    category: ActionCategory | None = None
    tracker: OptText = None
    completed_on: dt.date | None = None

    @model_validator(mode="after")
    def _reason_for_wont_do(self) -> ActionItem:
        if self.status is ActionStatus.WONT_DO and not self.status_reason:
            raise ValueError("an action item marked wont_do needs a status_reason")
        return self


class Lessons(Strict):
    learned: list[Text] = Field(default_factory=_new_list)
    technical: list[Text] = Field(default_factory=_new_list)
    process: list[Text] = Field(default_factory=_new_list)
    cultural: list[Text] = Field(default_factory=_new_list)
    do_differently: list[Text] = Field(default_factory=_new_list)
    surprises: list[Text] = Field(default_factory=_new_list)
    open_questions: list[Text] = Field(default_factory=_new_list)


class RelatedIncident(Strict):
    ref: Text
    relationship: OptText = None
    link: OptText = None


class CommunicationEntry(Strict):
    at: UtcDatetime | None = None
    channel: OptText = None
    summary: Text
    time_text: OptText = None


class FollowUpReview(Strict):
    """A scheduled review of the incident, such as the 30-day retrospective."""

    date: dt.date | None = None
    kind: Text = "Action item review"
    attendees: OptText = None


class SignOff(Strict):
    role: Text
    name: OptText = None
    date: dt.date | None = None
    approved: bool = False


class Link(Strict):
    label: Text
    url: OptText = None
    kind: LinkKind = LinkKind.OTHER


class Snippet(Strict):
    """A verbatim block: a log excerpt, a configuration diff, a code snippet."""

    content: str
    language: OptText = None
    caption: OptText = None


class Appendix(Strict):
    technical_details: OptText = None
    logs: list[Snippet] = Field(default_factory=_new_list)
    config_changes: list[Snippet] = Field(default_factory=_new_list)
    graphs: list[Link] = Field(default_factory=_new_list)
    screenshots: list[Link] = Field(default_factory=_new_list)


class ExtraSection(Strict):
    """A section of an imported document that no field holds: kept, never dropped."""

    heading: Text
    body: str = ""
    level: int = Field(default=2, ge=1, le=6)


# --- the postmortem ---------------------------------------------------------------------------


class Postmortem(Strict):
    """A blameless postmortem: the union of every section of the built-in layouts."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        str_strip_whitespace=True,
        json_schema_extra={"title": "Hindsight postmortem"},
    )

    # identity
    id: OptText = None
    title: Text = ""
    summary: OptText = None
    executive_summary: OptText = None
    date: dt.date | None = None
    postmortem_date: dt.date | None = None
    updated: dt.date | None = None
    authors: list[Text] = Field(default_factory=_new_list)
    incident_commander: OptText = None
    participants: list[Participant] = Field(default_factory=_new_list)
    tags: list[Text] = Field(default_factory=_new_list)
    services: list[Text] = Field(default_factory=_new_list)
    incident_type: IncidentType = IncidentType.INCIDENT
    custom_fields: dict[str, str] = Field(default_factory=dict)
    template_version: OptText = None
    layout: OptText = None

    # status and severity
    status: DocumentStatus = DocumentStatus.DRAFT
    status_history: list[StatusChange] = Field(default_factory=_new_list)
    incident_status: IncidentStatus | None = None
    severity: Severity | None = None

    # when
    milestones: Milestones = Field(default_factory=Milestones)
    stated_durations: dict[str, int] = Field(default_factory=dict)

    # what happened
    impact: Impact = Field(default_factory=Impact)
    timeline: list[TimelineEvent] = Field(default_factory=_new_list)
    root_cause: RootCause = Field(default_factory=RootCause)
    contributing_factors: list[Text] = Field(default_factory=_new_list)
    five_whys: list[Why] = Field(default_factory=_new_list)
    detection: Detection = Field(default_factory=Detection)
    response: Response = Field(default_factory=Response)
    resolution: Resolution = Field(default_factory=Resolution)
    prevention: Prevention = Field(default_factory=Prevention)

    # follow-up
    action_items: list[ActionItem] = Field(default_factory=_new_list)
    lessons: Lessons = Field(default_factory=Lessons)
    related_incidents: list[RelatedIncident] = Field(default_factory=_new_list)
    communication_log: list[CommunicationEntry] = Field(default_factory=_new_list)
    external_communication: list[Text] = Field(default_factory=_new_list)
    follow_ups: list[FollowUpReview] = Field(default_factory=_new_list)
    signoffs: list[SignOff] = Field(default_factory=_new_list)
    supporting_links: list[Link] = Field(default_factory=_new_list)
    appendix: Appendix = Field(default_factory=Appendix)
    extra_sections: list[ExtraSection] = Field(default_factory=_new_list)

    @model_validator(mode="before")
    @classmethod
    def _drop_derived(cls, data: Any) -> Any:
        # ``durations`` is derived from the milestones: accept it back from our own JSON, ignore it.
        if isinstance(data, dict) and "durations" in data:
            data = {key: value for key, value in data.items() if key != "durations"}
        return data

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str | None) -> str | None:
        if value is not None and not ID_RE.match(value):
            raise ValueError(
                f"id {value!r} must start with a letter or digit and hold only letters, digits, "
                "'.', '_' or '-' (at most 100)"
            )
        return value

    @field_validator("stated_durations")
    @classmethod
    def _known_durations(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = value.keys() - DURATIONS.keys()
        if unknown:
            raise ValueError(f"unknown duration {sorted(unknown)[0]!r}; use {', '.join(DURATIONS)}")
        return value

    @field_validator("custom_fields", mode="before")
    @classmethod
    def _custom_as_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): "" if v is None else str(v) for k, v in value.items()}
        return value

    @computed_field  # type: ignore[prop-decorator]
    @property
    def durations(self) -> Durations:
        """Derived from the milestones; ``None`` where an end is unknown."""
        return Durations.from_milestones(self.milestones)

    @property
    def incident_date(self) -> dt.date | None:
        """The stated date, else the day impact started or the incident was detected."""
        if self.date is not None:
            return self.date
        for instant in (self.milestones.impact_started_at, self.milestones.detected_at):
            if instant is not None:
                return instant.date()
        return None

    def is_blank(self) -> bool:
        """True for a postmortem with nothing filled in (a blank template)."""
        return self == Postmortem()
