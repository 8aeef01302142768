"""Render a postmortem as Markdown in one of the layouts.

A layout is a Jinja2 template. It sees the postmortem as ``pm``, a :class:`View` of it as ``v``
(formatted values, table rows, what it has no place for) and the Markdown helpers of
:data:`HELPERS` (``hint``, ``bullets``, ``table``...). Shared macros live in ``_macros.md.j2``.
The output starts with the YAML front matter and ends with exactly one newline; the conventions a
parser relies on are described in ``docs/layouts.md``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import traceback
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hindsight.errors import InvalidInput
from hindsight.layouts.blocks import (
    HELPERS,
    bullets,
    clock,
    date,
    hint,
    instant,
    item,
    labelled,
    link,
    link_item,
    link_text,
    related_item,
    snippets,
    table,
    yes_no,
)
from hindsight.layouts.frontmatter import dump_front_matter, front_matter
from hindsight.layouts.registry import (
    ACTION_COLUMNS,
    DETAIL_FIELDS,
    DETAIL_HEADINGS,
    METHOD_LABELS,
    PROFILES,
    SUFFIX,
    DetailField,
    LayoutInfo,
    Profile,
    get_layout,
)
from hindsight.model import (
    SCHEMES,
    ActionCategory,
    ActionItem,
    ActionStatus,
    CommunicationEntry,
    DetectionMethod,
    DocumentStatus,
    EventKind,
    FollowUpReview,
    Link,
    PhasedList,
    Postmortem,
    SignOff,
    SlaImpact,
    TimelineEvent,
    Why,
)
from hindsight.text.durations import format_duration

if TYPE_CHECKING:
    import jinja2

# --- values -----------------------------------------------------------------------------------

DOCUMENT_STATUS: dict[DocumentStatus, str] = {
    DocumentStatus.DRAFT: "Draft",
    DocumentStatus.IN_REVIEW: "In Review",
    DocumentStatus.FINAL: "Final",
}
ACTION_STATUS: dict[ActionStatus, str] = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In Progress",
    ActionStatus.DONE: "Done",
    ActionStatus.WONT_DO: "Won't Do",
}
CATEGORY_LABELS: dict[ActionCategory, str] = {c: c.value.title() for c in ActionCategory}
FOLLOW_UP_KIND = FollowUpReview.model_fields["kind"].default
_BEFORE_ALL = dt.datetime.min.replace(tzinfo=dt.UTC)


# --- the view a template sees -----------------------------------------------------------------


class View:
    """The postmortem as one layout shows it: formatted values, rows, and the rest.

    Everything is computed from the postmortem and the layout's :class:`Profile`, so that what a
    template shows and what "More details" adds never overlap nor miss a field.
    """

    def __init__(self, postmortem: Postmortem, *, profile: Profile, scheme: str) -> None:
        self.pm = postmortem
        self.profile = profile
        self.scheme = scheme

    # identity and status

    @property
    def severity(self) -> str:
        return self.pm.severity.label(self.scheme) if self.pm.severity else ""

    @property
    def severity_hint(self) -> str:
        return hint(" | ".join(SCHEMES[self.scheme]))

    def status(self, in_review: str = "In Review") -> str:
        if self.pm.status is DocumentStatus.IN_REVIEW:
            return in_review
        return DOCUMENT_STATUS[self.pm.status]

    @property
    def incident_status(self) -> str:
        return self.pm.incident_status.value.title() if self.pm.incident_status else ""

    @property
    def authors(self) -> str:
        return ", ".join(self.pm.authors)

    @property
    def guidance(self) -> bool:
        """Sections that are guidance only appear while the document is a draft."""
        return self.pm.status is DocumentStatus.DRAFT

    # durations

    @cached_property
    def _durations(self) -> dict[str, int | None]:
        return self.pm.durations.model_dump()

    def duration(self, name: str) -> str:
        """A duration as the document states it, else as the milestones give it."""
        seconds = self.pm.stated_durations.get(name, self._durations[name])
        return format_duration(seconds) if seconds is not None else ""

    def span(self, *, between: str = " to ", with_total: bool = True) -> str:
        """``<impact start> to <resolved> (2h 15m)``; ``unknown`` for a missing end."""
        start, end = self.pm.milestones.impact_started_at, self.pm.milestones.resolved_at
        total = self.duration("total") if with_total else ""
        if start is None and end is None:
            return total
        text = f"{instant(start) or 'unknown'}{between}{instant(end) or 'unknown'}"
        return f"{text} ({total})" if total else text

    def user_impact(self) -> str:
        """How many users on the label's line, what they went through on the lines below."""
        users, story = self.pm.impact.users_affected, self.pm.impact.user_impact
        if story:
            return f"{users or ''}\n{story}"
        return users or ""

    def detection_gap(self) -> str:
        """``8m``, ``8m - why it took that long``, or the explanation alone."""
        gap, text = self.duration("detection_gap"), self.pm.detection.gap
        if gap and text:
            return f"{gap} - {text}"
        return gap or text or ""

    def key_timestamps(self) -> list[list[str]]:
        """The full layout's "Key Timestamps" rows: metric, when, how long."""
        instants = [getattr(self.pm.milestones, m) for _, m, _ in _KEY_TIMESTAMPS]
        short = self._on_the_day(at for at in instants if at is not None)
        rows = [
            [metric, clock(at, short=short) if at else "", self.duration(name)]
            for (metric, _, name), at in zip(_KEY_TIMESTAMPS, instants, strict=True)
        ]
        if any(time or length for _, time, length in rows):
            return rows
        return [
            [metric, hint("HH:MM"), hint(since)]
            for (metric, _, _), since in zip(
                _KEY_TIMESTAMPS, ("from the start", *["from detection"] * 3), strict=True
            )
        ]

    @property
    def started(self) -> str:
        """When it happened: the impact start, else the incident date."""
        return instant(self.pm.milestones.impact_started_at) or date(self.pm.date)

    def _on_the_day(self, instants: Iterable[dt.datetime]) -> bool:
        day = self.pm.date
        return day is not None and all(at.date() == day for at in instants)

    # timeline

    @cached_property
    def timeline(self) -> list[TimelineEvent]:
        """Events in time order; an event without a time stays after the one before it."""
        keyed: list[tuple[tuple[dt.datetime, int], TimelineEvent]] = []
        anchor = _BEFORE_ALL
        for index, event in enumerate(self.pm.timeline):
            anchor = event.at or anchor
            keyed.append(((anchor, index), event))
        return [event for _, event in sorted(keyed, key=lambda pair: pair[0])]

    @cached_property
    def _short_times(self) -> bool:
        return self._on_the_day(e.at for e in self.pm.timeline if e.at is not None)

    def time(self, event: TimelineEvent | CommunicationEntry) -> str:
        if event.at is None:
            return event.time_text or ""
        short = (
            self._short_times
            if isinstance(event, TimelineEvent)
            else self._on_the_day(c.at for c in self.pm.communication_log if c.at is not None)
        )
        return clock(event.at, short=short)

    @cached_property
    def picks(self) -> dict[EventKind, TimelineEvent]:
        """The first event of each kind the layout shows as a labelled bullet."""
        found: dict[EventKind, TimelineEvent] = {}
        for event in self.timeline:
            if event.kind in self.profile.picks and event.kind not in found:
                found[event.kind] = event
        return found

    def pick(self, kind: str) -> str:
        """``14:02 - what happened`` for the first event of ``kind``; ``""`` when none."""
        event = self.picks.get(EventKind(kind))
        if event is None:
            return ""
        when = self.time(event)
        return f"{when} - {event.text}" if when else event.text

    @property
    def events(self) -> list[TimelineEvent]:
        """The events of the timeline table (those not shown as labelled bullets)."""
        picked = {id(event) for event in self.picks.values()}
        return [event for event in self.timeline if id(event) not in picked]

    def timeline_rows(self, *, people: bool = False) -> list[list[str]]:
        if people:
            return [[self.time(e), e.text, e.actor or "", e.notes or ""] for e in self.events]
        return [[self.time(e), e.text] for e in self.events]

    # analysis

    def why_question(self, why: Why) -> str:
        return why.question or "Why?"

    def method(self, *, with_detail: bool = True) -> str:
        """The detection method in this layout's words, ``: detail`` after it."""
        detection = self.pm.detection
        label = ""
        if detection.method is not None:
            label = self.profile.methods.get(detection.method) or METHOD_LABELS[detection.method]
        detail = detection.method_detail if with_detail else None
        if label and detail:
            return f"{label}: {detail}"
        return label or detail or ""

    def method_options(self, other_hint: str | None = None) -> str:
        """The layout's detection checkboxes, the chosen one ticked with its detail after it.

        A method the layout has no box for gets one, before "Other". The detail goes on the
        ticked box, or on "Other" when no method is known (added if the layout has none).
        """
        method, detail = self.pm.detection.method, self.pm.detection.method_detail
        options = dict(self.profile.methods)
        if method is not None and method not in options:
            options = _insert_before_other(options, method)
        if method is None and detail and DetectionMethod.OTHER not in options:
            options[DetectionMethod.OTHER] = METHOD_LABELS[DetectionMethod.OTHER]
        carrier = method if method is not None else DetectionMethod.OTHER
        lines = []
        for option, label in options.items():
            text = label
            if detail and option is carrier:
                text = f"{label}: {detail}"
            elif option is DetectionMethod.OTHER and method is None and other_hint:
                text = f"{label}: {hint(other_hint)}"
            lines.append(f"- [{'x' if option is method else ' '}] {text}")
        return "\n".join(lines)

    def sla(self) -> str:
        return _sla_text(self.pm.impact.sla)

    def flat_hint(self, values: PhasedList, empty: str) -> str | None:
        """The hint for a flat list of points: none when points by phase are under More
        details (the list then says so)."""
        return "Points by phase are under More details" if values else empty

    # action items

    def action_id(self, action: ActionItem) -> str:
        if action.id and action.tracker:
            return link_text(action.id, action.tracker)
        return action.id or ""

    def action_status(self, action: ActionItem) -> str:
        label = ACTION_STATUS[action.status]
        return f"{label} ({action.status_reason})" if action.status_reason else label

    def action_box(self, action: ActionItem) -> str:
        """The checklist layout's status cell: ``[ ] TODO``, ``[x] DONE``..."""
        closed = action.status in (ActionStatus.DONE, ActionStatus.WONT_DO)
        word = ACTION_STATUS[action.status].upper().replace("OPEN", "TODO")
        reason = f" ({action.status_reason})" if action.status_reason else ""
        return f"[{'x' if closed else ' '}] {word}{reason}"

    def action_line(self, action: ActionItem) -> str:
        """``[x] A1: the action`` for a categorized checkbox list (ticked when done)."""
        box = "[x]" if action.status is ActionStatus.DONE else "[ ]"
        return item(f"- {box}", f"{action.id}: {action.action}" if action.id else action.action)

    def action_cell(self, action: ActionItem, column: str) -> str:
        """One cell: ``id``, ``action``, ``owner``, ``priority``, ``due``, ``status``, ``box``."""
        match column:
            case "id":
                return self.action_id(action)
            case "action":
                return action.action
            case "owner":
                return action.owner or ""
            case "priority":
                return action.priority.value if action.priority else ""
            case "due":
                return date(action.due)
            case "status":
                return self.action_status(action)
            case "box":
                return self.action_box(action)
        raise ValueError(f"unknown action-item column {column!r}")

    def action_rows(
        self, *columns: str, items: Sequence[ActionItem] | None = None
    ) -> list[list[str]]:
        """Table rows of the action items (or of ``items``), one cell per column name."""
        chosen = self.pm.action_items if items is None else items
        return [[self.action_cell(action, c) for c in columns] for action in chosen]

    def actions_in(self, category: str | None) -> list[ActionItem]:
        wanted = ActionCategory(category) if category else None
        return [a for a in self.pm.action_items if a.category == wanted]

    def category_lines(self, category: str, empty: str) -> str:
        lines = [self.action_line(action) for action in self.actions_in(category)]
        return "\n".join(lines) or f"- [ ] {hint(empty)}"

    def category_ids(self, category: str) -> str:
        """`` (A1, A3)`` after a category's definition; ``""`` when it has no item with an id."""
        ids = [action.id for action in self.actions_in(category) if action.id]
        return f" ({', '.join(ids)})" if ids else ""

    @property
    def category_tables(self) -> list[tuple[str, list[ActionItem]]]:
        """One table per category, the layout's own four always, the others when used."""
        tables = []
        for number, (category, heading) in enumerate(self.profile.categories.items()):
            items = self.actions_in(category.value if category else None)
            if number < 4 or items:
                tables.append((heading, items))
        return tables

    def _category_shown(self, action: ActionItem) -> bool:
        if action.category not in self.profile.categories:
            return False
        return bool(action.id) or not self.profile.categories_by_id

    # people, links, follow-ups

    @cached_property
    def _signoffs(self) -> tuple[dict[str, SignOff], list[SignOff]]:
        """(role -> sign-off shown in a slot, sign-offs shown in the layout's table)."""
        profile = self.profile
        if profile.signoffs == "table":
            # Without an "Approved" column, the table is one of approvals (the full layout's).
            rows = [s for s in self.pm.signoffs if profile.signoff_approved or s.approved]
            return {}, rows
        slots: dict[str, SignOff] = {}
        shared: dt.date | None = None
        for signoff in self.pm.signoffs:
            role = _match(signoff.role, profile.signoff_slots)
            if role is None or role in slots:
                continue
            if signoff.approved != (role in profile.approving_slots):
                continue
            if profile.signoff_shared_date:
                # One "Date" line stands for every slot: a later slot must have the same date.
                if slots and signoff.date != shared:
                    continue
                shared = shared if slots else signoff.date
            slots[role] = signoff
        return slots, []

    def signoff(self, role: str, *, with_date: bool = True) -> str:
        """``Name - 2024-03-20`` for the sign-off in the slot of ``role``; ``""`` when none."""
        signoff = self._signoffs[0].get(role)
        if signoff is None:
            return ""
        name = signoff.name or ""
        if with_date and signoff.date:
            return f"{name} - {date(signoff.date)}" if name else date(signoff.date)
        return name

    @property
    def signoff_date(self) -> str:
        """The one date the slots share (the impact layout's "Date" line)."""
        return next((date(s.date) for s in self._signoffs[0].values() if s.date), "")

    def signoff_rows(self, *, approved: bool = False) -> list[list[str]]:
        rows = []
        for signoff in self._signoffs[1]:
            row = [signoff.role, signoff.name or "", date(signoff.date)]
            rows.append([*row, "[x]" if signoff.approved else "[ ]"] if approved else row)
        return rows

    def participants(self) -> list[str]:
        return [f"{p.name} - {p.role}" if p.role else p.name for p in self.pm.participants]

    def participants_rows(self) -> list[list[str]]:
        return [[p.name, p.role or ""] for p in self.pm.participants]

    def links(self, kind: str) -> list[str]:
        return [link(value) for value in self.pm.supporting_links if value.kind == kind]

    def link_lines(self, kind: str, label: str, empty: str) -> str:
        """``- **Label**: [text](url)`` for each link of ``kind``, the hint when there is none."""
        values = self.links(kind) or [hint(empty)]
        return "\n".join(f"- **{label}**: {value}" for value in values)

    def link_items(self, values: Iterable[Link] | None = None) -> list[str]:
        """Generic link bullets: of ``values``, else of the supporting links of the kinds this
        layout has a place for."""
        if values is None:
            kinds = self.profile.link_kinds
            values = [v for v in self.pm.supporting_links if kinds is None or v.kind in kinds]
        return [link_item(value) for value in values]

    @property
    def next_review(self) -> str:
        shown = self._follow_ups_shown
        return date(shown[0].date) if shown else ""

    @cached_property
    def _follow_ups_shown(self) -> list[FollowUpReview]:
        reviews = self.pm.follow_ups
        if self.profile.follow_ups == "all":
            return list(reviews)
        if self.profile.follow_ups == "next" and reviews:
            first = reviews[0]
            if first.date and first.kind == FOLLOW_UP_KIND and not first.attendees:
                return [first]
        return []

    def follow_up_rows(self) -> list[list[str]]:
        return [[date(r.date), r.kind, r.attendees or ""] for r in self._follow_ups_shown]

    def related_items(self) -> list[str]:
        return [related_item(value) for value in self.pm.related_incidents]

    def related_rows(self) -> list[list[str]]:
        return [[link_text(r.ref, r.link), r.relationship or ""] for r in self.pm.related_incidents]

    def comms_rows(self) -> list[list[str]]:
        return [[self.time(c), c.channel or "", c.summary] for c in self.pm.communication_log]

    # what the layout has no place for

    @cached_property
    def details(self) -> list[tuple[str, str]]:
        """(canonical heading, Markdown) for every filled field the layout does not show."""
        groups: dict[str, list[str]] = {}
        for spec in DETAIL_FIELDS:
            if spec.path not in self.profile.shows:
                value = _lookup(self.pm, spec.path)
                if value not in (None, "", []):
                    groups.setdefault(spec.heading, []).append(_detail_block(spec, value, self))
        for heading, block in self._item_details():
            if block:
                groups.setdefault(heading, []).append(block)
        return [(h, "\n\n".join(groups[h])) for h in DETAIL_HEADINGS if h in groups]

    def _item_details(self) -> Iterable[tuple[str, str]]:
        yield "Timeline", self._timeline_details()
        for heading, values in (
            ("What Went Well", self.pm.response.went_well),
            ("What Went Poorly", self.pm.response.went_poorly),
        ):
            for phase in ("detection", "response", "recovery") if not self.profile.phases else ():
                points = getattr(values, phase)
                if points:
                    yield heading, labelled(phase.title(), "") + "\n" + bullets(points)
        yield "Action Items", self._action_details()
        yield "Follow-Up Reviews", self._follow_up_details()
        yield "Sign-off", self._signoff_details()
        kinds = self.profile.link_kinds
        rest = [v for v in self.pm.supporting_links if kinds is not None and v.kind not in kinds]
        yield "Supporting Links", bullets(link_item(v) for v in rest)

    def _timeline_details(self) -> str:
        picked = {id(event) for event in self.picks.values()}
        rows = [
            [self.time(e), e.text, e.actor or "", e.notes or ""]
            for e in self.timeline
            if (e.actor or e.notes) and (not self.profile.timeline_people or id(e) in picked)
        ]
        return table(["Time", "Event", "Person", "Notes"], rows) if rows else ""

    def _action_details(self) -> str:
        missing = [self._missing_attributes(action) for action in self.pm.action_items]
        columns = [name for name in ACTION_COLUMNS if any(name in m for m in missing)]
        rows = [
            [action.action, *(m.get(name, "") for name in columns)]
            for action, m in zip(self.pm.action_items, missing, strict=True)
            if m
        ]
        if not rows:
            return ""
        return table(["Action", *(ACTION_COLUMNS[name] for name in columns)], rows)

    def _missing_attributes(self, action: ActionItem) -> dict[str, str]:
        shown = self.profile.action_columns
        values = {
            "id": self.action_id(action),
            "owner": action.owner or "",
            "priority": action.priority.value if action.priority else "",
            "due": date(action.due),
            "status": ""
            if action.status is ActionStatus.OPEN and not action.status_reason
            else self.action_status(action),
        }
        missing = {name: value for name, value in values.items() if value and name not in shown}
        if action.category is not None and not self._category_shown(action):
            missing["category"] = CATEGORY_LABELS[action.category]
        return missing

    def _follow_up_details(self) -> str:
        shown = {id(r) for r in self._follow_ups_shown}
        rows = [
            [date(r.date), r.kind, r.attendees or ""]
            for r in self.pm.follow_ups
            if id(r) not in shown
        ]
        return table(["Date", "Type", "Attendees"], rows) if rows else ""

    def _signoff_details(self) -> str:
        slots, rows = self._signoffs
        shown = {id(s) for s in [*slots.values(), *rows]}
        rest = [
            [s.role, s.name or "", date(s.date), yes_no(s.approved)]
            for s in self.pm.signoffs
            if id(s) not in shown
        ]
        return table(["Role", "Name", "Date", "Approved"], rest) if rest else ""


_KEY_TIMESTAMPS = (
    ("Time to Detection", "detected_at", "time_to_detect"),
    ("Time to Acknowledge", "acknowledged_at", "time_to_acknowledge"),
    ("Time to Mitigate", "mitigated_at", "time_to_mitigate"),
    ("Time to Resolve", "resolved_at", "time_to_resolve"),
)


def _insert_before_other(
    options: dict[DetectionMethod, str], method: DetectionMethod
) -> dict[DetectionMethod, str]:
    label = METHOD_LABELS[method]
    if DetectionMethod.OTHER not in options:
        return {**options, method: label}
    result: dict[DetectionMethod, str] = {}
    for key, value in options.items():
        if key is DetectionMethod.OTHER:
            result[method] = label
        result[key] = value
    return result


def _match(role: str, slots: dict[str, str]) -> str | None:
    lowered = role.strip().lower()
    return next((name for name in slots if name.lower() == lowered), None)


def _sla_text(sla: SlaImpact) -> str:
    """``Yes - details``, ``No``, or the details alone when breach is not stated."""
    answer = yes_no(sla.breached)
    if answer and sla.detail:
        return f"{answer} - {sla.detail}"
    return answer or sla.detail or ""


@functools.cache
def _path(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def _lookup(pm: Postmortem, path: str) -> Any:
    value: Any = pm
    for name in _path(path):
        value = getattr(value, name)
    if isinstance(value, SlaImpact):
        return _sla_text(value) or None
    return value


def _detail_block(spec: DetailField, value: Any, view: View) -> str:
    """One field under its "More details" heading, labelled when the heading holds several."""
    form = spec.form
    if form == "list":
        text = bullets(value)
    elif form == "method":
        text = METHOD_LABELS[value]
    elif form == "level":
        text = value.value.title()
    elif form == "whys":
        text = table(["Question", "Answer"], [[w.question or "", w.answer] for w in value])
    elif form == "related":
        text = table(["Incident", "Relationship"], view.related_rows())
    elif form == "comms":
        text = table(["Time", "Channel", "Message Summary"], view.comms_rows())
    elif form == "links":
        text = bullets(link_item(v) for v in value)
    elif form == "snippets":
        text = snippets(value)
    else:
        text = str(value)
    if spec.label is None:
        return text
    if form == "list":
        return f"{labelled(spec.label, '')}\n{text}"
    return labelled(spec.label, text)


# --- templates --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _environment(layouts_dir: Path | None) -> jinja2.Environment:
    """The Jinja environment: built-in templates first, so that a layouts directory can add
    layouts but never replace ours or the shared macros."""
    import jinja2

    loader: jinja2.BaseLoader = jinja2.PackageLoader("hindsight.layouts", "templates")
    if layouts_dir is not None:
        loader = jinja2.ChoiceLoader([loader, jinja2.FileSystemLoader(layouts_dir)])
    env = jinja2.Environment(
        loader=loader,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=layouts_dir is not None,
    )
    env.globals.update(HELPERS)
    return env


def _template(info: LayoutInfo, layouts_dir: Path | None) -> jinja2.Template:
    import jinja2

    env = _environment(None if info.builtin else layouts_dir)
    try:
        return env.get_template(info.name + SUFFIX)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or info.path}:{exc.lineno}"
        raise InvalidInput(
            f"layout {info.name!r} has a template error: {exc.message}", where=where
        ) from None


def render_markdown(
    postmortem: Postmortem,
    *,
    layout: str = "sre",
    scheme: str = "sev",
    layouts_dir: Path | None = None,
) -> str:
    """The postmortem as Markdown in ``layout``, front matter first.

    Raises :class:`~hindsight.errors.NotFound` for an unknown layout and
    :class:`~hindsight.errors.InvalidInput` for an unknown severity scheme or a custom layout
    whose template is broken (the message names its file and line).
    """
    if scheme not in SCHEMES:
        raise InvalidInput(f"unknown severity scheme {scheme!r}; use one of {', '.join(SCHEMES)}")
    info = get_layout(layout, layouts_dir=layouts_dir)
    template = _template(info, layouts_dir)
    view = View(postmortem, profile=PROFILES.get(info.name, Profile()), scheme=scheme)
    try:
        body = template.render(pm=postmortem, v=view)
    except Exception as exc:
        if info.builtin:
            raise
        raise _custom_failure(info, exc) from None
    head = dump_front_matter(front_matter(postmortem, scheme=scheme, layout=info.name))
    return tidy(f"{head}\n{body}")


def render_template(
    layout: str = "sre", *, scheme: str = "sev", layouts_dir: Path | None = None
) -> str:
    """The blank template of ``layout``: every section with its hints, nothing filled."""
    return render_markdown(Postmortem(), layout=layout, scheme=scheme, layouts_dir=layouts_dir)


def _custom_failure(info: LayoutInfo, exc: Exception) -> InvalidInput:
    """An error raised while rendering a custom layout, placed at its template line."""
    where = str(info.path)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if info.path is not None and Path(frame.filename) == info.path:
            where = f"{info.path}:{frame.lineno}"
            break
    return InvalidInput(f"layout {info.name!r} failed to render: {exc}", where=where)


# Patterns start with a literal character: Python's regex engine scans much faster that way.
_BLANK_RUN = re.compile(r"\n\n\n+")
# A fenced code block (text is searched with a newline in front), closed by a fence of the same
# character at least as long.
_FENCED = re.compile(r"\n {0,3}(`{3,}|~{3,})[^\n]*\n.*?\n {0,3}\1[`~]*(?=\n)", re.DOTALL)


def tidy(text: str) -> str:
    """No trailing spaces, no runs of blank lines outside code blocks, one final newline."""
    text = text.replace("\r\n", "\n")
    if " \n" in text or "\t\n" in text:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _collapse_blank_lines(f"\n{text}\n")[1:-1]
    return text.strip("\n") + "\n"


def _collapse_blank_lines(text: str) -> str:
    if "```" not in text and "~~~" not in text:
        return _BLANK_RUN.sub("\n\n", text)
    pieces, last = [], 0
    for block in _FENCED.finditer(text):
        start = block.start() + 1  # the newline in front belongs to the text before
        pieces += [_BLANK_RUN.sub("\n\n", text[last:start]), text[start : block.end()]]
        last = block.end()
    pieces.append(_BLANK_RUN.sub("\n\n", text[last:]))
    return "".join(pieces)
