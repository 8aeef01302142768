"""Single values as people fill them into a postmortem: placeholders, status words, names.

A template's own hints (``[Name]``, ``_[Start time]_``, ``HH:MM``, ``P0/P1/P2``,
``Draft | In Review | Final``) count as empty, so that a blank or half-filled template reads as
blank where it was not filled.
"""

from __future__ import annotations

import re
from datetime import date

from hindsight.layouts.registry import METHOD_LABELS, PROFILES
from hindsight.model import (
    ActionCategory,
    ActionStatus,
    DetectionMethod,
    DocumentStatus,
    IncidentStatus,
    LinkKind,
    Priority,
    Severity,
)
from hindsight.model.postmortem import ID_RE
from hindsight.text.markdown import plain_text
from hindsight.text.times import parse_date

# --- placeholders -----------------------------------------------------------------------------

_SEED_TOKENS = frozenset(
    {
        "hh:mm",
        "hh:mm:ss",
        "hh:mm utc",
        "yyyy-mm-dd",
        "yyyy-mm-dd hh:mm",
        "20xx-mm-dd hh:mm",
        "dd/mm/yyyy",
        "mm/dd/yyyy",
        "inc-xxxx",
        "inc-xxx",
        "inc-yyyy-mm-dd-###",
        "x hours y minutes",
        "n users / x% of traffic",
        "xxx",
        "yyy",
        "zzz",
        "tbd",
        "...",
        "…",
        "-",
        "—",
        "–",
        "lorem ipsum",
        "lorem ipsum dolor",
        "issue name",
        "date range",
    }
)
_OPTION_WORDS = frozenset(
    {
        "draft",
        "in review",
        "under review",
        "review",
        "final",
        "published",
        "critical",
        "high",
        "medium",
        "low",
        "informational",
        "investigating",
        "identified",
        "monitoring",
        "resolved",
        "open",
        "in progress",
        "done",
        "yes",
        "no",
        "none",
        "partial",
        "complete",
        "alert",
        "user report",
        "other",
        "todo",
        "mitigate",
        "prevent",
        "process",
        "detect",
        "respond",
        "recover",
        *(f"sev{n}" for n in range(1, 6)),
        *(f"sev-{n}" for n in range(1, 6)),
        *(f"sev {n}" for n in range(1, 6)),
        *(f"p{n}" for n in range(5)),
    }
)
_BRACKETS = re.compile(r"\[[^\[\]]*\](?!\()")
_BRACKETED_WORD = re.compile(r"^\[[^\[\]|/]+\]$")
_ANGLE_HINT = re.compile(r"^<([^<>@:/]+)>$")
_PAREN_HINT = re.compile(r"^\(\s*[A-Za-z#]+(?:\s+[A-Za-z#]+){0,2}\s*\)$")
_WRAP = re.compile(r"^(\*\*|__|\*|_|`)(.*)\1$", re.DOTALL)
_TOKENS = re.compile(
    r"\b(?:hh:mm(?::ss)?|yyyy-mm-dd|dd/mm/yyyy|inc-x+|x+ (?:hours|minutes)|y+ minutes)\b",
    re.IGNORECASE,
)
# Nothing but connecting words and punctuation. Each word must be whole, so there is one way to
# read a text as a run of them: a full match is as good as deleting them all and finding nothing.
_ONLY_CONNECTORS = re.compile(
    r"(?:\b(?:to|and|or|utc|from|at|of|e\.g|eg|hours?|minutes?|mins?|days?|seconds?)\b"
    r"|[\s()\-–—:,.;/|*_`~+])*"
)
_CHECKBOXES = frozenset({"[ ]", "[x]", "[X]"})
_OPTION_SEPARATOR = re.compile(r"[|/]")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _unwrap(text: str) -> str:
    for _ in range(3):
        match = _WRAP.match(text) if text[:1] in ("*", "_", "`") else None
        if match is None:
            break
        text = match.group(2).strip()
    return text


def is_placeholder(text: str) -> bool:
    """True for an empty value or a template's hint standing where a value goes."""
    value = text.strip()
    if not value:
        return True
    if value in _CHECKBOXES:
        return False
    first = value[0]  # each expression below starts with a particular character
    if (
        first == "["
        and _BRACKETED_WORD.match(value)
        and value[1:-1].strip().lower() in _OPTION_WORDS
    ):
        return False  # "[FINAL]": the template's brackets kept around a real choice
    value = _unwrap(value)
    lower = value.lower()
    if not value or lower in _SEED_TOKENS:
        return True
    first = value[0]
    if first == "<" and _ANGLE_HINT.match(value) and not value.startswith("<br"):
        return True
    if first == "(" and _PAREN_HINT.match(value):
        return True  # "(Names)", "(incident #)": a template's hint in parentheses
    if ("|" in value or "/" in value) and _all_options(lower):
        return True
    if "[" in value or (_may_hold_token(lower) and _TOKENS.search(value)):
        rest = _BRACKETS.sub(" ", value)
        if _may_hold_token(rest.lower()):
            rest = _TOKENS.sub(" ", rest)
        return _ONLY_CONNECTORS.fullmatch(rest) is not None
    return False


def _may_hold_token(lower: str) -> bool:
    """Whether lowercased text holds a part of every _TOKENS match (no "i" or "s", which
    IGNORECASE also matches as "ı" and "ſ"): many times faster than the expression."""
    return (
        "hh:mm" in lower
        or "yyyy-mm-dd" in lower
        or "dd/mm/yyyy" in lower
        or "nc-x" in lower
        or "hour" in lower
        or "nute" in lower
    )


def _all_options(lower: str) -> bool:
    parts = [part.strip(" []_*") for part in _OPTION_SEPARATOR.split(lower)]
    return len(parts) >= 2 and all(part in _OPTION_WORDS for part in parts if part)


def clean(text: str | None) -> str | None:
    """The value with surrounding whitespace removed; ``None`` when it is empty or a hint."""
    if text is None:
        return None
    value = (_BR.sub("\n", text) if "<" in text else text).strip()
    return None if is_placeholder(value) else value


_NONE_WORDS = frozenset(
    {"n/a", "na", "none", "none.", "nothing", "not applicable", "no", "nil", "n.a.", "-", "—"}
)


def is_none_marker(text: str) -> bool:
    """``N/A`` or ``None``: a list section deliberately left empty."""
    return plain_text(text).strip().lower().rstrip(".") in _NONE_WORDS


# Guidance lines of the seed templates that people leave in when they fill them in.
_SEED_GUIDANCE = frozenset(
    {
        "positive aspects of the response and recovery:",
        "areas for improvement:",
        "detailed narrative of the incident without blame. what occurred technically?",
        "root cause explanation. why did this event occur? consider multiple contributing factors:",
        "action items should directly address items listed in lessons learned.",
    }
)


def is_seed_guidance(text: str) -> bool:
    return " ".join(text.split()).lower() in _SEED_GUIDANCE


def is_italic_line(text: str) -> bool:
    """A paragraph that is entirely in italics: in a template, guidance rather than content."""
    value = text.strip()
    if len(value) < 3:
        return False
    return (value[0] == value[-1] == "*" and value[1] != "*") or (
        value[0] == value[-1] == "_" and value[1] != "_"
    )


# --- words with a meaning ---------------------------------------------------------------------

_DOCUMENT_STATUS = {
    "draft": DocumentStatus.DRAFT,
    "wip": DocumentStatus.DRAFT,
    "work in progress": DocumentStatus.DRAFT,
    "in review": DocumentStatus.IN_REVIEW,
    "in-review": DocumentStatus.IN_REVIEW,
    "in_review": DocumentStatus.IN_REVIEW,
    "under review": DocumentStatus.IN_REVIEW,
    "review": DocumentStatus.IN_REVIEW,
    "reviewing": DocumentStatus.IN_REVIEW,
    "ready for review": DocumentStatus.IN_REVIEW,
    "pending review": DocumentStatus.IN_REVIEW,
    "final": DocumentStatus.FINAL,
    "published": DocumentStatus.FINAL,
    "approved": DocumentStatus.FINAL,
    "finalised": DocumentStatus.FINAL,
    "finalized": DocumentStatus.FINAL,
    "complete": DocumentStatus.FINAL,
    "completed": DocumentStatus.FINAL,
}
_INCIDENT_STATUS = {
    "investigating": IncidentStatus.INVESTIGATING,
    "ongoing": IncidentStatus.INVESTIGATING,
    "active": IncidentStatus.INVESTIGATING,
    "identified": IncidentStatus.IDENTIFIED,
    "monitoring": IncidentStatus.MONITORING,
    "mitigated": IncidentStatus.MONITORING,
    "resolved": IncidentStatus.RESOLVED,
    "closed": IncidentStatus.RESOLVED,
    "fixed": IncidentStatus.RESOLVED,
    "recovered": IncidentStatus.RESOLVED,
}


def _word(text: str) -> str:
    return " ".join(plain_text(text).strip().strip("[]()").lower().split()).rstrip(".")


def document_status(text: str) -> DocumentStatus | None:
    return _DOCUMENT_STATUS.get(_word(text))


def incident_status(text: str) -> IncidentStatus | None:
    return _INCIDENT_STATUS.get(_word(text))


_WONT = re.compile(
    r"^(?:won'?t do|wont do|won'?t fix|wontfix|will not do|not doing|cancell?ed|dropped|rejected"
    r"|declined|descoped|obsolete|won’t do)\b\s*(?:[(:\-–—]\s*(?P<reason>.*?)\)?\s*)?$",
    re.IGNORECASE,
)
_ACTION_WORDS = {
    ActionStatus.DONE: (
        "done",
        "closed",
        "complete",
        "completed",
        "fixed",
        "resolved",
        "merged",
        "shipped",
        "finished",
        "yes",
        "implemented",
        "deployed",
        "released",
    ),
    ActionStatus.IN_PROGRESS: (
        "in progress",
        "in-progress",
        "in_progress",
        "wip",
        "started",
        "ongoing",
        "doing",
        "in review",
        "underway",
        "partially done",
        "partial",
        "blocked",
    ),
    ActionStatus.OPEN: (
        "open",
        "todo",
        "to do",
        "to-do",
        "not started",
        "new",
        "planned",
        "pending",
        "backlog",
        "no",
        "proposed",
        "tbd",
    ),
}
_ACTION_STATUS = {word: status for status, words in _ACTION_WORDS.items() for word in words}
_CHECKED = re.compile(r"^\[([ xX])\]\s*")


def action_status(text: str) -> tuple[ActionStatus, str | None] | None:
    """``(status, reason)`` for a status cell; ``None`` when the words mean no status."""
    value = plain_text(text).strip()
    if value.startswith(("✅", "✔")):
        return ActionStatus.DONE, None
    checked: ActionStatus | None = None
    box = _CHECKED.match(value)
    if box:
        checked = ActionStatus.OPEN if box.group(1) == " " else ActionStatus.DONE
        value = value[box.end() :].strip()
    if not value:
        return (checked, None) if checked else None
    wont = _WONT.match(value)
    if wont:
        reason = (wont.group("reason") or "").strip()
        return ActionStatus.WONT_DO, reason or None
    why: str | None = None
    aside = re.match(r"^(?P<word>[^()]+?)\s*\((?P<reason>.*)\)$", value, re.DOTALL)
    if aside:  # "In Progress (waiting on the vendor)"
        value, why = aside.group("word"), aside.group("reason").strip() or None
    found = _ACTION_STATUS.get(value.lower().rstrip("."))
    if found is not None:
        return found, why
    return (checked, None) if checked else None


_CATEGORY_WORDS = (
    (ActionCategory.PREVENT, ("prevent", "prevention", "preventive", "preventative", "recurrence")),
    (ActionCategory.DETECT, ("detect", "detection", "monitoring", "alerting")),
    (ActionCategory.MITIGATE, ("mitigate", "mitigation")),
    (ActionCategory.RESPOND, ("respond", "response")),
    (ActionCategory.RECOVER, ("recover", "recovery")),
    (ActionCategory.PROCESS, ("process",)),
)


def action_category(text: str) -> ActionCategory | None:
    """``Prevent``, ``Improve detection``, ``Process improvements`` ... as a category."""
    words = set(re.findall(r"[a-z]+", plain_text(text).lower()))
    for category, names in _CATEGORY_WORDS:
        if words.intersection(names):
            return category
    return None


_DETECTION = (
    (DetectionMethod.CUSTOMER_REPORT, ("customer", "user report", "users report", "support")),
    (DetectionMethod.INTERNAL_REPORT, ("internal", "employee", "staff", "team member")),
    (DetectionMethod.AUTOMATED_TEST, ("test",)),
    (DetectionMethod.AUTOMATED_ALERT, ("alert", "alarm", "page", "pager", "pingdom")),
    (DetectionMethod.MONITORING, ("monitoring", "dashboard", "metric")),
)


def _method_words() -> dict[str, DetectionMethod]:
    words = {label.lower(): method for method, label in METHOD_LABELS.items()}
    for profile in PROFILES.values():
        words.update({label.lower(): method for method, label in profile.methods.items()})
    return words


_METHOD_WORDS = _method_words()


def method_named(text: str) -> DetectionMethod | None:
    """The detection method a layout's own word for it names (``Alert``, ``Internal user``)."""
    return _METHOD_WORDS.get(plain_text(text).strip().lower())


def detection_method(text: str) -> DetectionMethod | None:
    """The method a short answer to "How was it detected?" names, if it names one."""
    lower = plain_text(text).lower()
    if lower.startswith("other"):
        return DetectionMethod.OTHER
    for method, words in _DETECTION:
        if any(word in lower for word in words):
            return method
    return None


_LINK_KINDS = (
    (LinkKind.TICKET, ("ticket", "jira", "issue", "incident")),
    (LinkKind.CHAT, ("slack", "chat", "channel", "teams", "thread")),
    (LinkKind.DASHBOARD, ("dashboard", "grafana")),
    (LinkKind.LOGS, ("log", "kibana", "splunk")),
    (LinkKind.RUNBOOK, ("runbook", "playbook")),
    (LinkKind.ALERTING, ("alert",)),
    (LinkKind.PROCEDURE, ("procedure", "deployment")),
    (LinkKind.GRAPH, ("graph", "chart", "screenshot")),
)


def link_kind(label: str) -> LinkKind:
    lower = label.lower()
    for kind, words in _LINK_KINDS:
        if any(word in lower for word in words):
            return kind
    return LinkKind.OTHER


_SEVERITY_WORD = re.compile(
    r"^(?:sev(?:erity)?[\s_-]*[1-5]|s[1-5]|p[0-4]|critical|crit|urgent|major|high|medium|moderate"
    r"|normal|low|minor|informational|info|trivial)\b",
    re.IGNORECASE,
)


def severity(text: str) -> Severity | None:
    """A severity from ``SEV-2``, ``P1``, ``High``, or the first such word of a longer value."""
    value = plain_text(text).strip().strip("[]")
    try:
        return Severity.parse(value)
    except ValueError:
        pass
    match = _SEVERITY_WORD.match(value)
    if match is None:
        return None
    try:
        return Severity.parse(match.group(0))
    except ValueError:
        return None


def priority(text: str) -> Priority | None:
    value = plain_text(text).strip().strip("[]")
    try:
        return Priority.parse(value)
    except ValueError:
        match = _SEVERITY_WORD.match(value)
        if match is None:
            return None
        try:
            return Priority.parse(match.group(0))
        except ValueError:
            return None


def date_value(text: str) -> date | None:
    value = clean(text)
    return parse_date(plain_text(value)) if value else None


def yes_no(text: str) -> bool | None:
    word = _word(text).split(" ", 1)[0].strip(",.-–—:;")
    if word in ("yes", "y", "true", "breached", "✅", "[x]", "x", "✓", "approved"):
        return True
    if word in ("no", "n", "false", "none", "[ ]"):
        return False
    return None


_SPLIT_PEOPLE = re.compile(r"\s*(?:[,;\n]|\band\b|&)\s*")


def people(text: str) -> list[str]:
    """Names in a list written on one line: ``Alice, Bob and Carol``."""
    value = clean(text)
    if value is None:
        return []
    names = [name.strip(" .*_") for name in _SPLIT_PEOPLE.split(value)]
    return [name for name in names if name and not is_placeholder(name)]


def split_items(text: str) -> list[str]:
    """Items listed on one line, separated by commas or semicolons."""
    value = clean(text)
    if value is None:
        return []
    return [item.strip() for item in re.split(r"\s*[,;]\s*", value) if item.strip()]


_ID_JUNK = re.compile(r"[^A-Za-z0-9._-]+")


def slug_id(name: str) -> str | None:
    """A valid postmortem id made from a file name, or ``None`` if nothing is left."""
    slug = _ID_JUNK.sub("-", name).strip("-._")
    slug = re.sub(r"-{2,}", "-", slug)[:100].rstrip("-._")
    return slug if slug and ID_RE.match(slug) else None


def valid_id(text: str) -> str | None:
    value = clean(plain_text(text))
    if value is None:
        return None
    value = value.strip("[]`")
    return value if ID_RE.match(value) else None
