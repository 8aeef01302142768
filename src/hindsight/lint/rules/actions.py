"""Action-item rules (A3xx): every action owned, dated, specific, and matched to the causes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from functools import lru_cache

from hindsight.layouts.headings import ACTION_COLUMNS, column_key
from hindsight.lint.document import LintDocument, list_items
from hindsight.lint.engine import Hit, rule
from hindsight.lint.rules import _words as w
from hindsight.lint.rules._common import is_blank
from hindsight.model import ActionCategory, ActionItem, ActionStatus, DetectionMethod
from hindsight.text.markdown import Table, plain_text


def _items(doc: LintDocument) -> list[tuple[ActionItem, int]]:
    """The action items that say something, each with the line it is on."""
    return doc.memo("actions", lambda: _find_items(doc))


def _find_items(doc: LintDocument) -> list[tuple[ActionItem, int]]:
    pm = doc.postmortem
    if pm is None:
        return []
    found = []
    default = doc.section_line("action_items")
    line = 0
    for item in pm.action_items:
        if is_blank(item.action):
            continue
        line = doc.find_line(item.action, kind="action_items", default=default, after=line)
        found.append((item, line))
    return found


def _short(text: str) -> str:
    text = " ".join(plain_text(text).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _missing(
    doc: LintDocument,
    fields: tuple[str, ...],
    what: str,
    advice: str,
    *,
    closed_ok: bool = False,
) -> Iterator[Hit]:
    for item, line in _items(doc):
        if closed_ok and item.status in (ActionStatus.DONE, ActionStatus.WONT_DO):
            continue
        values = [getattr(item, name) for name in fields]
        if all(value is None or (isinstance(value, str) and is_blank(value)) for value in values):
            yield Hit(line, 1, _short(item.action), f"action item has no {what}", advice)


@rule(
    "A301",
    "action-no-owner",
    "error",
    summary="An action item without an owner (a person or a team).",
    explanation=(
        "An action item that belongs to everyone is done by no one. Name the person or team "
        "who will see it through."
    ),
    bad="## Action items\n\n"
    "| Action | Owner | Priority | Due |\n|---|---|---|---|\n"
    "| Alert at 80% disk on db hosts | | P1 | 2024-03-20 |\n",
    good="## Action items\n\n"
    "| Action | Owner | Priority | Due |\n|---|---|---|---|\n"
    "| Alert at 80% disk on db hosts | Ana Lima | P1 | 2024-03-20 |\n",
)
def action_no_owner(doc: LintDocument) -> Iterator[Hit]:
    return _missing(doc, ("owner", "team"), "owner", "name the person or team who owns it")


@rule(
    "A302",
    "action-no-due-date",
    "warning",
    summary="An action item without a due date.",
    explanation="Without a date, an action item competes with everything else and loses.",
    bad="## Action items\n\n"
    "| Action | Owner | Priority | Due |\n|---|---|---|---|\n"
    "| Alert at 80% disk on db hosts | Ana Lima | P1 | |\n",
    good="## Action items\n\n"
    "| Action | Owner | Priority | Due |\n|---|---|---|---|\n"
    "| Alert at 80% disk on db hosts | Ana Lima | P1 | 2024-03-20 |\n",
)
def action_no_due_date(doc: LintDocument) -> Iterator[Hit]:
    return _missing(doc, ("due",), "due date", "give it a due date", closed_ok=True)


@rule(
    "A303",
    "action-no-priority",
    "warning",
    summary="An action item without a priority.",
    explanation="Priorities say which action items to do first when there is not time for all.",
    bad="## Action items\n\n"
    "| Action | Owner | Priority | Due |\n|---|---|---|---|\n"
    "| Alert at 80% disk on db hosts | Ana Lima | | 2024-03-20 |\n",
    good="## Action items\n\n"
    "| Action | Owner | Priority | Due |\n|---|---|---|---|\n"
    "| Alert at 80% disk on db hosts | Ana Lima | P1 | 2024-03-20 |\n",
)
def action_no_priority(doc: LintDocument) -> Iterator[Hit]:
    return _missing(doc, ("priority",), "priority", "give it a priority (P0 to P4)", closed_ok=True)


@rule(
    "A304",
    "action-no-category",
    "info",
    summary="An action item without a category (prevent, detect, mitigate, respond, recover, "
    "process).",
    explanation=(
        "Categories show whether the action items only prevent this exact incident or also "
        "improve detection and response, which is what helps with the next, different one."
    ),
    bad="## Action items\n\n- Alert at 80% disk on db hosts (Ana Lima, P1, due 2024-03-20)\n",
    good="## Action items\n\n### Improve detection\n\n"
    "- Alert at 80% disk on db hosts (Ana Lima, P1, due 2024-03-20)\n",
)
def action_no_category(doc: LintDocument) -> Iterator[Hit]:
    return _missing(doc, ("category",), "category", "file it under prevent, detect, respond, ...")


@lru_cache(maxsize=8)
def _vague_pattern(extra: tuple[str, ...]) -> re.Pattern[str]:
    phrases = [phrase for phrase, _ in w.VAGUE_ACTIONS] + list(extra)
    alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    lead = r"^(?:\W*(?:we|i|team|the team|\w+)\s+(?:will|should|need to|must|to)\s+|\W*)"
    return re.compile(
        rf"{lead}(?P<lead>{alternation})(?![\w-])|(?P<any>be (?:more )?careful|pay more attention"
        rf"|remember to)(?![\w-])",
        re.IGNORECASE,
    )


_REASONS = dict(w.VAGUE_ACTIONS)


@rule(
    "A305",
    "vague-action",
    "warning",
    summary="A vague or unbounded action: 'investigate', 'look into', 'be more careful', "
    "'improve monitoring'.",
    explanation=(
        "A good action item is actionable (someone can start on it today), specific (it is "
        "clear what will change) and bounded (it is clear when it is done). 'Investigate X' "
        "has no end, 'improve monitoring' no shape, and 'be more careful' asks people to be "
        "the safety mechanism. Name the change and its outcome."
    ),
    bad="## Action items\n\n- Investigate the disk usage on the database hosts.\n"
    "- Be more careful with configs.\n",
    good="## Action items\n\n- Alert when disk usage on db hosts is above 80% for 10 minutes, "
    "paging the DB on-call.\n- Validate configs against the schema in CI before they can be "
    "pushed.\n",
)
def vague_action(doc: LintDocument) -> Iterator[Hit]:
    pattern = _vague_pattern(doc.config.words_for("vague-actions"))
    for item, line in _items(doc):
        text = plain_text(item.action)
        match = pattern.search(text)
        if match is None:
            continue
        phrase = (match.group("lead") or match.group("any")).lower()
        reason = _REASONS.get(phrase) or _REASONS.get(phrase.replace(" more", ""))
        reason = reason or "not specific: name the change and how to tell it is done"
        yield Hit(
            line,
            1,
            _short(item.action),
            f"vague action '{phrase}': {reason}",
            "rewrite as a specific change with a clear end",
        )


@rule(
    "A306",
    "overdue-action",
    "warning",
    summary="An action item past its due date and still open.",
    explanation=(
        "Overdue action items are how the same incident happens twice. Do it, move the date "
        "with a reason, or mark it won't do with a reason."
    ),
    bad="## Action items\n\n"
    "| Action | Owner | Due | Status |\n|---|---|---|---|\n"
    "| Alert at 80% disk | Ana Lima | 2020-01-10 | Open |\n",
    good="## Action items\n\n"
    "| Action | Owner | Due | Status |\n|---|---|---|---|\n"
    "| Alert at 80% disk | Ana Lima | 2020-01-10 | Done |\n",
)
def overdue_action(doc: LintDocument) -> Iterator[Hit]:
    today = doc.now.date()
    for item, line in _items(doc):
        if item.due is None or item.due >= today:
            continue
        if item.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS):
            days = (today - item.due).days
            yield Hit(
                line,
                1,
                _short(item.action),
                f"due {item.due.isoformat()} ({days} days ago) and still "
                f"{item.status.value.replace('_', ' ')}",
                "finish it, move the date with a reason, or mark it won't do with a reason",
            )


_WONT = re.compile(
    # the first letters tested first: the engine then passes over most positions at once
    r"(?=[wndrc])\b(?:won['’]?t[ _-]?(?:do|fix)|wont_do|will not (?:do|fix)|not doing|declined"
    r"|rejected|cancell?ed|dropped)\b",
    re.IGNORECASE,
)
_REASON_AFTER = re.compile(r"[:(—–-]\s*\w|\bbecause\b|\bas\b|\bsince\b|\bdue to\b", re.IGNORECASE)


@rule(
    "A307",
    "wont-do-without-reason",
    "error",
    summary="An action item marked won't do without a reason.",
    explanation=(
        "Deciding not to do an action item is fine; deciding silently is not. The reason is "
        "what the next incident review needs to judge whether the decision still holds."
    ),
    bad="## Action items\n\n"
    "| Action | Owner | Status | Notes |\n|---|---|---|---|\n"
    "| Shard the sessions table | Wei Chen | Won't do | |\n",
    good="## Action items\n\n"
    "| Action | Owner | Status | Notes |\n|---|---|---|---|\n"
    "| Shard the sessions table | Wei Chen | Won't do | The table moves to Redis in Q3 |\n",
)
def wont_do_without_reason(doc: LintDocument) -> Iterator[Hit]:
    for block in doc.blocks_in("action_items"):
        if isinstance(block, Table):
            yield from _wont_do_rows(block)
    for item in list_items([b for b in doc.parsed.blocks if doc.kind_at(b.line) == "action_items"]):
        match = _WONT.search(item.text)
        if match and not _REASON_AFTER.search(item.text[match.end() :]):
            yield Hit(item.line, 1, _short(item.text), "marked won't do without a reason", None)


def _wont_do_rows(table: Table) -> Iterator[Hit]:
    keys = [column_key(header, ACTION_COLUMNS) for header in table.header]
    if "status" not in keys:
        return
    status_at = keys.index("status")
    notes_at = [i for i, key in enumerate(keys) if key == "notes"]
    action_at = keys.index("action") if "action" in keys else 0
    for row in table.rows:
        cells = row.cells + [""] * (len(keys) - len(row.cells))
        status = cells[status_at]
        match = _WONT.search(status)
        if match is None:
            continue
        reason = any(not is_blank(cells[i]) for i in notes_at)
        if not reason and not _REASON_AFTER.search(status[match.end() :]):
            yield Hit(
                row.line,
                1,
                _short(cells[action_at]),
                "marked won't do without a reason",
                "say why it will not be done",
            )


_STOP = w.words(
    """
    about after again all also and any are because been before being both but can could did
    does doing down during each few for from had has have having here how into its itself
    just more most not now off once only other our out over own same should some such than
    that the their them then there these they this those through too under until very was
    were what when where which while who why will with would your issue issues incident
    problem problems error errors caused cause causing due lack missing make made making
    """
)


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-z][a-z0-9-]{3,}", plain_text(text).lower())
    return {word[:5] for word in words if word not in _STOP}


@rule(
    "A308",
    "factor-without-action",
    "warning",
    summary="A contributing factor that no action item addresses.",
    explanation=(
        "Each contributing factor is a condition that will contribute again. Either an action "
        "item addresses it or the postmortem says why it is accepted. An action item counts "
        "when it shares a significant word with the factor."
    ),
    bad="## Contributing factors\n\n- Deploys reach every region at once.\n\n"
    "## Action items\n\n- Add a schema check for configs in CI (Ana, P1, 2024-03-20)\n",
    good="## Contributing factors\n\n- Deploys reach every region at once.\n\n"
    "## Action items\n\n- Roll deploys out one region at a time (Ana, P1, 2024-03-20)\n",
)
def factor_without_action(doc: LintDocument) -> Iterator[Hit]:
    pm = doc.postmortem
    if pm is None:
        return
    actions = [item for item, _ in _items(doc)]
    if not actions:
        return
    covered = set().union(*(_stems(a.action + " " + (a.tracker or "")) for a in actions))
    for factor in pm.contributing_factors:
        stems = _stems(factor)
        if is_blank(factor) or not stems or stems & covered:
            continue
        line = doc.find_line(factor, kind="contributing_factors")
        yield Hit(
            line,
            1,
            _short(factor),
            "no action item addresses this contributing factor",
            "add an action item for it, or say why it is accepted",
        )


_DETECT_WORDS = re.compile(
    r"\b(?:alert|alarm|monitor|page|pager|paging|detect|dashboard|probe|health ?check|slo|"
    r"synthetic|canary|notif)\w*",
    re.IGNORECASE,
)


def _late_detection(doc: LintDocument) -> str | None:
    pm = doc.postmortem
    if pm is None:
        return None
    limit = doc.config.late_detection
    seconds = pm.durations.time_to_detect
    if seconds is None:
        stated = [pm.stated_durations.get(k) for k in ("time_to_detect", "detection_gap")]
        seconds = next((s for s in stated if s is not None), None)
    if seconds is not None and timedelta(seconds=seconds) > limit:
        minutes = seconds // 60
        return f"detection took {minutes} minutes (more than {int(limit.total_seconds() // 60)})"
    if pm.detection.method in (DetectionMethod.CUSTOMER_REPORT, DetectionMethod.INTERNAL_REPORT):
        return f"the incident was found by a {pm.detection.method.value.replace('_', ' ')}"
    return None


@rule(
    "A309",
    "no-detect-action",
    "warning",
    summary="Detection was late but no action item improves detection.",
    explanation=(
        "When an incident is found late, or by a customer, the fastest win is usually in "
        "detection: the next incident of any cause will be found sooner. Detection counts as "
        "late past `late-detection` (default 30 minutes) or when a report, not monitoring, "
        "found it."
    ),
    bad="**Time to detect**: 2h 10m\n\n## Action items\n\n"
    "- Add a schema check for configs in CI (Ana, P1, 2024-03-20)\n",
    good="**Time to detect**: 2h 10m\n\n## Action items\n\n"
    "- Alert when the checkout error rate is above 2% for 5 minutes (Ana, P1, 2024-03-20)\n",
)
def no_detect_action(doc: LintDocument) -> Iterator[Hit]:
    actions = [item for item, _ in _items(doc)]
    late = _late_detection(doc)
    if late is None or not actions:
        return
    if any(a.category is ActionCategory.DETECT or _DETECT_WORDS.search(a.action) for a in actions):
        return
    line = doc.section_line("action_items", _items(doc)[0][1])
    yield Hit(
        line,
        1,
        "",
        f"{late}, but no action item improves detection",
        "add an action item that would have found this incident sooner",
    )
