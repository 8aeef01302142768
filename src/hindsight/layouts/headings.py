"""What headings and labels mean: synonyms people use, mapped to the sections and fields of a
postmortem.

Matching ignores case, punctuation, emphasis, leading numbering (``1.``, ``A)``, ``Appendix B:``)
and parenthesised asides (``Timeline (all times UTC)``). A heading that matches no phrase exactly
is tried by its leading words (``Timeline of the outage`` is a timeline). A sub-heading is first
read in the context of its parent: ``Detection`` under ``What Went Well`` is the detection part of
what went well, not the detection section.
"""

from __future__ import annotations

import re
from functools import lru_cache

from hindsight.text.markdown import plain_text

# --- normalising ------------------------------------------------------------------------------

_NUMBERING = re.compile(
    r"^(?:appendix\s+[a-z0-9]{1,2}\s*[:.\-–]\s*|(?:\d+(?:\.\d+)*|[a-h]|[ivx]{1,4})[.)]\s+|\d+\s*[-–:]\s+)",
)
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_WORD = re.compile(r"[^a-z0-9;]+")


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """``"1. Root Cause(s) Analysis:"`` -> ``"root cause analysis"``."""
    value = plain_text(text).lower().replace("&", " and ").replace("’", "'")
    value = value.replace("'", "").replace("tl;dr", "tldr")
    value = _NUMBERING.sub("", value.strip())
    value = value.replace("(s)", "s")
    value = _PARENS.sub(" ", value)
    return " ".join(_NON_WORD.sub(" ", value).split())


def _table(groups: dict[str, str]) -> dict[str, str]:
    """Phrase -> key, from ``{key: "phrase | phrase | ..."}``."""
    table: dict[str, str] = {}
    for key, phrases in groups.items():
        for phrase in re.split(r"\s*\|\s*", phrases.strip()):
            table[normalize(phrase)] = key
    return table


# --- sections ---------------------------------------------------------------------------------

# Section keys, top level. Keys with a dot name the field the section fills.
SECTIONS = _table(
    {
        "summary": (
            "summary | overview | incident summary | executive summary | tl;dr | tldr"
            "| issue summary | synopsis | abstract | incident overview | outage description"
            "| description | what happened | brief description | incident description"
            "| summary of the incident"
        ),
        "one_line": "one-line summary | one line summary",
        "timeline": (
            "timeline | key events | incident timeline | chronology | timeline of events"
            "| chain of events | sequence of events | detailed timeline | events"
            "| timeline summary | timeline and response | play by play"
        ),
        "key_timestamps": "key timestamps | incident timing | key times | timestamps",
        "root_cause": (
            "root cause | root causes | root cause analysis | cause | causes"
            "| what caused the incident | technical root cause | rca | how did this happen"
            "| identified cause | cause of the incident | root cause and trigger"
            "| why did this happen"
        ),
        "root_cause.trigger": "trigger | triggers | immediate cause | the immediate cause was",
        "root_cause.underlying": (
            "underlying cause | this was possible because | why it happened | process breakdowns"
        ),
        "root_cause.systemic_issues": "systemic issues",
        "contributing_factors": (
            "contributing factors | contributing conditions | contributing conditions analysis"
            "| contributing causes | contributors"
        ),
        "five_whys": (
            "5 whys | five whys | 5 whys analysis | five whys analysis | why did it happen"
        ),
        "impact": (
            "impact | customer impact | impact analysis | what was impacted | summary of impact"
            "| overall impact | impact assessment | scope | scope and impact"
        ),
        "impact.user_impact": "user impact | end user impact | affected users",
        "impact.business_impact": "business impact",
        "impact.data": "data impact",
        "impact.external": "external impact",
        "impact.internal": "internal impact",
        "detection": (
            "detection | how was it detected | how was the incident detected"
            "| how was this detected | how we found out | detection and escalation"
        ),
        "detection.why_not_caught": (
            "why it wasnt caught | why wasnt it detected sooner | why it was not caught"
            "| why wasnt it caught"
        ),
        "detection.monitoring_gaps": "monitoring gaps | monitoring gaps identified",
        "response": "response | incident response | response and recovery | escalation",
        "went_well": (
            "what went well | went well | what went right | what worked | what worked well"
            "| things that went well"
        ),
        "went_poorly": (
            "what went wrong | what went poorly | what went badly | what could be improved"
            "| what could improve | what could have gone better | what didnt go well"
            "| what did not go well | things that went wrong | areas for improvement"
            "| what we could do better"
        ),
        "lucky": "where we got lucky | where did we get lucky | lucky | what was lucky",
        "resolution": (
            "resolution | remediation | fix | recovery | resolution and recovery | mitigation"
            "| mitigation and resolution | root cause and mitigation | how it was fixed | repair"
            "| resolution and mitigation"
        ),
        "resolution.immediate_fix": "immediate fix | immediate actions | immediate remediation",
        "resolution.permanent_fix": "permanent fix | long-term fix",
        "prevention": (
            "prevention | prevention measures | preventive measures | preventative measures"
            "| how are we preventing it from happening again"
        ),
        "action_items": (
            "action items | follow-ups | follow ups | followups | follow-up actions"
            "| follow up items | review actions | next steps | corrective actions"
            "| remediation items | corrective and preventative measures"
            "| corrective and preventative measure | corrective and preventive measures"
            "| action items and followups | action items and follow-ups | recommendations"
            "| what were doing about it | actions | tasks | todo | to do | remediation actions"
            "| action plan | improvements"
        ),
        "lessons": (
            "lessons learned | learnings | takeaways | key takeaways | lessons | lessons learnt"
            "| insights | what can we learn from this incident and improve | thoughts"
        ),
        "lessons.learned": "what we learned | key insights | key learnings",
        "lessons.do_differently": "what well do differently | what we will do differently",
        "lessons.open_questions": "open questions | questions raised | questions",
        "lessons.surprises": "surprises",
        "related_incidents": "related incidents | similar incidents | previous incidents",
        "appendix": "appendix | appendices | attachments | additional information",
        "appendix.technical_details": "technical details",
        "communication_log": "communication log | communications log | comms log",
        "external_communication": (
            "external communication | external communications | customer communication"
            "| communication | communications"
        ),
        "supporting_links": (
            "supporting information | supporting links | links | supporting data"
            "| supporting documents | references | related links | documentation | resources"
        ),
        "signoffs": "sign-off | sign off | signoff | approval | approvals | postmortem sign-off",
        "participants": (
            "attendees | participants | participants in review | people involved"
            "| names of people involved | postmortem attendees | responders"
        ),
        "follow_up": "follow-up | follow up",
        "follow_ups": "review schedule | follow-up reviews | follow up reviews",
        "review": "post-mortem review | postmortem review | review",
        "stats": "stats | statistics | metrics | incident metrics | key metrics",
        "more_details": "more details",
        "logs": "logs | log excerpts | relevant logs",
        "appendix.screenshots": "screenshots",
        "appendix.config_changes": (
            "configuration changes | configuration/code snippets | config changes | code snippets"
        ),
        "appendix.graphs": "graphs/metrics | graphs | charts",
        "guidance": (
            "example action items | template usage notes | blameless culture reminder"
            "| blameless postmortem principles"
        ),
    }
)

# Sub-headings read in the context of their parent section.
_CHILD_GROUPS: dict[str, dict[str, str]] = {
    "impact": {
        "impact.user_impact": "user impact | end user impact | customer impact",
        "impact.business_impact": "business impact",
        "impact.data": "data impact",
        "impact.external": "external impact",
        "impact.internal": "internal impact",
        "impact.metrics": "metrics",
        "impact.other": "infrastructure impact | productivity impact | other impact",
    },
    "went_well": {
        "went_well.detection": "detection",
        "went_well.response": "response | escalation",
        "went_well.recovery": "recovery | resolution",
    },
    "went_poorly": {
        "went_poorly.detection": "detection",
        "went_poorly.response": "response | escalation",
        "went_poorly.recovery": "recovery | resolution",
    },
    "root_cause": {
        "root_cause.description": "what happened | description | explanation",
        "root_cause.underlying": "root cause | root causes | why it happened",
        "contributing_factors": "contributing factors",
        "five_whys": "why did it happen | 5 whys analysis | 5 whys",
    },
    "detection": {
        "detection.method": "how was it detected | how was this detected | method",
        "detection.earlier_detection": "detection gap | what would have detected this earlier",
    },
    "resolution": {
        "resolution.immediate_fix": "immediate fix | immediate actions",
        "resolution.permanent_fix": "permanent fix",
        "prevention.short_term": "short-term improvements | short-term | short term",
        "prevention.long_term": "long-term improvements | long-term | long term",
    },
    "prevention": {
        "prevention.short_term": "short-term | short term | short-term improvements",
        "prevention.long_term": "long-term | long term | long-term improvements",
    },
    "action_items": {
        "actions.prevent": "prevent recurrence | prevent | prevention | preventive | preventative",
        "actions.detect": "improve detection | detect | detection",
        "actions.mitigate": "improve mitigation | mitigate | mitigation",
        "actions.respond": "improve response | respond | response",
        "actions.recover": "improve recovery | recover | recovery",
        "actions.process": "process improvements | improve process | process",
        "actions.other": "other actions | other",
        "actions.categories": "categorized actions | categories of actions | categories",
        "guidance": "example action items",
    },
    "lessons": {
        "lessons.technical": "technical lessons | technical",
        "lessons.process": "process lessons | process",
        "lessons.cultural": "cultural lessons | cultural",
        "lessons.learned": "what we learned | key insights",
        "lessons.do_differently": "what well do differently",
        "lessons.surprises": "surprises",
        "lessons.open_questions": "questions raised | open questions",
    },
    "appendix": {
        "appendix.logs_and_screenshots": "logs and screenshots",
        "logs": "logs",
        "appendix.graphs": "graphs/metrics | graphs",
        "appendix.config_changes": "configuration changes | configuration/code snippets",
        "supporting_links": "documentation | supporting data",
        "stats": "metrics",
    },
    "review": {
        "participants": "attendees",
        "signoffs": "approval",
    },
    "follow_up": {
        "follow_ups": "review schedule",
    },
    "more_details": {
        "executive_summary": "executive summary",
        "one_line": "summary",
        "impact.details": "impact",
        "timeline.details": "timeline",
        "services": "services affected",
        "contributing_factors": "contributing factors",
        "root_cause.description": "root cause",
        "root_cause.trigger": "immediate cause",
        "root_cause.underlying": "underlying cause",
        "root_cause.systemic_issues": "systemic issues",
        "five_whys": "5 whys",
        "detection": "detection",
        "detection.why_not_caught": "why it wasnt caught",
        "detection.monitoring_gaps": "monitoring gaps",
        "went_well": "what went well",
        "went_poorly": "what went poorly",
        "lucky": "where we got lucky",
        "resolution": "resolution",
        "prevention": "prevention",
        "actions.details": "action items",
        "lessons": "lessons learned",
        "related_incidents": "related incidents",
        "communication_log": "communication log",
        "external_communication": "external communication",
        "follow_ups": "follow-up reviews",
        "signoffs": "sign-off",
        "participants": "participants",
        "supporting_links": "supporting links",
        "logs": "logs",
        "appendix.config_changes": "configuration changes",
        "appendix.technical_details": "technical details",
        "appendix.graphs": "graphs",
        "appendix.screenshots": "screenshots",
    },
}
CHILD_SECTIONS: dict[str, dict[str, str]] = {
    parent: _table(groups) for parent, groups in _CHILD_GROUPS.items()
}
CHILD_SECTIONS["timeline"] = _table({"key_timestamps": "key timestamps"})

# Sections whose sub-headings all keep the parent's meaning unless they match one of its own.
_ALWAYS_INHERIT = frozenset({"timeline", "key_timestamps", "communication_log"})

# Sections whose sub-headings keep the parent's meaning unless they mean something themselves.
_INHERITING = frozenset(
    {
        "action_items",
        "went_well",
        "went_poorly",
        "lucky",
        "summary",
        "contributing_factors",
        "five_whys",
        "participants",
        "signoffs",
        "communication_log",
        "related_incidents",
        "key_timestamps",
    }
)


@lru_cache(maxsize=256)
def section_key(heading: str, parent: str | None = None) -> str | None:
    """The key of the section a heading opens, read under ``parent`` (a key) if given."""
    norm = normalize(heading)
    if not norm:
        return None
    if parent is not None:
        children = CHILD_SECTIONS.get(parent)
        if children and norm in children:
            return children[norm]
        if parent in _ALWAYS_INHERIT or parent.startswith("actions."):
            return parent
    key = _lookup(norm, SECTIONS)
    if key is None and parent in _INHERITING:
        return parent
    return key


def _lookup(norm: str, table: dict[str, str]) -> str | None:
    if norm in table:
        return table[norm]
    words = norm.split()
    for size in range(min(len(words) - 1, 5), 0, -1):
        key = table.get(" ".join(words[:size]))
        if key is not None and key not in _NO_PREFIX:
            return key
    return None


# Keys too vague to be recognised from the first words of a longer heading.
_NO_PREFIX = frozenset(
    {
        "external_communication",
        "supporting_links",
        "stats",
        "guidance",
        "review",
        "response",
        "one_line",
        "lessons.open_questions",
        "logs",
    }
)

# --- labels -----------------------------------------------------------------------------------

LABELS = _table(
    {
        "id": (
            "incident id | incident number | incident no | incident # | id | postmortem id"
            "| incident ref | incident reference"
        ),
        "title": "title | incident title | incident name",
        "date": "date | date of incident | incident date | incident dates | dates | day",
        "datetime": "date/time | date and time | when | start date/time",
        "postmortem_date": (
            "post-mortem date | postmortem date | date of postmortem | date of post-mortem"
            "| review date"
        ),
        "updated": "last updated | last modified | updated",
        "authors": "authors | author | written by | by | names",
        "status": "status | document status | report status | postmortem status | state",
        "incident_status": "incident status",
        "severity": "severity | incident severity | sev | priority | severity level | impact level",
        "incident_type": "incident type",
        "tags": "tags | categories | category | keywords | labels",
        "duration": (
            "duration | total duration | outage duration | duration of impact"
            "| total impact duration | impact duration"
        ),
        "time": "time | time window | time range",
        "start": (
            "start time | start | started | impact start | incident start | outage start"
            "| fault occurs | fault occurred | impact started"
        ),
        "end": "end time | end | ended | end date/time | incident end | outage end",
        "detected_at": "detection time | detected at | time detected | first detected",
        "acknowledged_at": "incident declared | acknowledged at | declared",
        "mitigated_at": "mitigation time | repaired | repaired declared | mitigated at",
        "resolved_at": "resolution time | resolved | resolved at",
        "time_to_detect": (
            "time to detect | time to detection | ttd | mttd | mean time to detect| detection delay"
        ),
        "time_to_acknowledge": "time to acknowledge | tta | mtta | mean time to acknowledge",
        "time_to_mitigate": "time to mitigate | ttm | time to repair | time to mitigation",
        "time_to_resolve": (
            "time to resolve | time to resolution | ttr | mttr | mean time to repair"
            "| mean time to resolve | mean time to recovery | time to recovery | time to recover"
            "| time to restore"
        ),
        "detection_gap": "detection gap",
        "users_affected": (
            "users affected | affected users | users impacted | affected customers"
            "| customers affected | affected teams | number of affected users"
        ),
        "requests_failed": "requests failed | failed requests",
        "revenue": "revenue impact | revenue",
        "sla": "sla impact | sla breach | sla | sla violation",
        "user_impact": "user impact | customer impact | user-facing impact | impact",
        "business_impact": "business impact",
        "other_impact": "other impact",
        "data_loss": "data loss",
        "data_impact": "data impact",
        "features": "features unavailable | features affected | features",
        "metric.traffic": "traffic | traffic during incident",
        "metric.error_rate": "error rate",
        "metric.latency": "response time | latency | response time degradation",
        "metric.downtime": "downtime | downtime duration",
        "services": (
            "services affected | affected services | services impacted | services"
            "| systems affected | affected systems | components affected | affected components"
        ),
        "incident_commander": (
            "incident commander | ic | incident lead | incident manager | incident mgmt lead"
        ),
        "participants": "participants | attendees | participants in review",
        "template_version": "template version",
        "root_cause": "root cause | root causes | cause",
        "trigger": "immediate cause | trigger | the immediate cause was",
        "underlying": "underlying cause | this was possible because",
        "contributing_factors": "contributing factors",
        "systemic_issues": "systemic issues",
        "detection_detail": "detection detail",
        "immediate_fix": "immediate fix",
        "permanent_fix": "permanent fix",
        "prevention.short_term": "short-term | short term",
        "prevention.long_term": "long-term | long term",
        "lessons.learned": "what we learned | key insights",
        "lessons.technical": "technical lessons",
        "lessons.process": "process lessons",
        "lessons.cultural": "cultural lessons",
        "lessons.do_differently": "what well do differently | what we will do differently",
        "lessons.surprises": "surprises",
        "lessons.open_questions": "questions raised | open questions",
        "external_impact": "external impact",
        "internal_impact": "internal impact",
        "detection_method": (
            "how detected | how was the incident detected | how was this detected"
            "| how was it detected | detected by | detection method | incident detected by"
            "| detection"
        ),
        "why_not_caught": "why wasnt it detected sooner | why it wasnt caught",
        "earlier_detection": "what would have detected this earlier | earlier detection",
        "identified": "identified | how it was identified | detected",
        "went_well": "what went well",
        "went_poorly": "what could be improved | what went wrong | what went poorly",
        "one_line": "one-line summary | one line summary",
        "summary": "summary",
        "resolution": "resolution | fix | remediation",
        "context": "context",
        "key_events": "key events",
        "review_actions": "review actions | action items | follow-ups",
        "signoff.Author": "prepared by",
        "signoff.Reviewer": "reviewed by",
        "signoff.Approver": "approved by",
        "signoff.Facilitator": "facilitated by",
        "next_review": "next review",
        "link.ticket": "incident ticket | ticket | jira | issue",
        "link.chat": "slack channel | chat | slack | slack thread | channel",
        "link.dashboard": "related dashboards | dashboards | dashboard",
        "link.logs": "relevant logs | logs",
        "first_alert": "first alert",
        "escalation": "escalation",
        "acknowledgment": "acknowledgment | acknowledgement",
        "fix_applied": "fix applied",
        "service_restored": "service restored",
        "all_clear": "all clear",
        "lucky": "where we got lucky",
    }
)

# Labels that name a phase of the response, read only under what went well or poorly.
PHASE_LABELS = _table(
    {
        "detection": "detection | detect",
        "response": "response | respond | escalation",
        "recovery": "recovery | recover | resolution",
    }
)

# Labels that name an action-item category, read only in an action-items section.
ACTION_CATEGORY_LABELS = _table(
    {
        "prevent": "prevent | prevent recurrence | prevention | preventive | preventative",
        "detect": "detect | improve detection | detection",
        "mitigate": "mitigate | improve mitigation",
        "respond": "respond | improve response | response",
        "recover": "recover | recovery | improve recovery",
        "process": "process | improve process | process improvements",
    }
)

# Labels that are only believed in bold; as plain "Word: text" they are too common in prose.
BOLD_ONLY = frozenset(
    {
        "summary",
        "resolution",
        "context",
        "root_cause",
        "user_impact",
        "identified",
        "time",
        "start",
        "end",
        "trigger",
        "features",
        "escalation",
        "resolved_at",
        "mitigated_at",
        "acknowledged_at",
        "went_well",
        "went_poorly",
        "detection_method",
        "sla",
        "id",
        "link.ticket",
        "link.chat",
        "link.dashboard",
        "link.logs",
        "lucky",
        "one_line",
        "review_actions",
        "key_events",
        "contributing_factors",
    }
)


def label_key(name: str) -> str | None:
    """The key of a label such as ``Incident ID`` or ``Time to repair``, if it means one."""
    norm = normalize(name)
    key = LABELS.get(norm)
    if key is not None:
        return key
    if norm.startswith(("mttr", "mtta", "mttd")):
        return LABELS.get(norm.split()[0])
    return None


# --- table columns ----------------------------------------------------------------------------

TIMELINE_COLUMNS = _table(
    {
        "time": (
            "time | when | timestamp | date and time | date/time | datetime | time utc | hour"
            "| start time"
        ),
        "date": "date | day",
        "weekday": "weekday | day of week",
        "event": (
            "event | events | action | actions | description | what happened | action/ impact"
            "| action / impact | action/impact | details | activity | message | what | update"
        ),
        "actor": "person | who | owner | actor | by | who/what | responder | people",
        "notes": "notes | note | comments | comment | additional context | context",
        "channel": "channel | source",
        "link": "link | url | reference",
    }
)

ACTION_COLUMNS = _table(
    {
        "id": "id | # | no | ref | number",
        "action": (
            "action | action item | action items | description | task | item | what"
            "| recommendation | follow-up | follow up | remediation"
        ),
        "owner": "owner | owners | assignee | who | responsible | assigned to | assigned",
        "team": "team | owning team",
        "priority": "priority | prio | severity",
        "due": "due | due date | deadline | target date | eta | by when | target | due by",
        "status": "status | state | done | complete",
        "category": "category | type | kind | category type",
        "tracker": "ticket | tracker | issue | link | bug | bug # | jira | pr | tracking",
        "completed_on": "completed | completed on | done on | closed on",
        "notes": "notes | comments | reason | status reason",
    }
)


def column_key(header: str, table: dict[str, str]) -> str | None:
    """The meaning of a table column from its header, in one of the tables above."""
    if header.strip() in ("#", "No.", "Nr"):
        return table.get("id")
    norm = normalize(header)
    if norm in table:
        return table[norm]
    return _lookup(norm, table) if norm else None
