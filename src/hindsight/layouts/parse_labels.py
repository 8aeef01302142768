"""Labelled values (``**Severity:** SEV-2``, ``- Time to repair: 4h 12m``) and where they go.

:func:`apply_label` takes a :class:`Unit` whose label means something and writes its value into
the draft; it returns False when the label has nothing usable to say in that place, so that the
text is kept with the section's content instead.
"""

from __future__ import annotations

import re

from hindsight.layouts.headings import (
    ACTION_CATEGORY_LABELS,
    BOLD_ONLY,
    PHASE_LABELS,
    label_key,
    normalize,
)
from hindsight.layouts.parse_actions import actions_from_items, categorise
from hindsight.layouts.parse_draft import Draft, Event, Unit, list_items
from hindsight.layouts.parse_facts import (
    FACT_HANDLERS,
    Handler,
    body_milestone,
    items_of,
    list_field,
    scalar_field,
    text_field,
    text_of,
    value_of,
)
from hindsight.layouts.parse_records import link_entries, participant
from hindsight.layouts.parse_timeline import read_key_events, read_stamped_items
from hindsight.layouts.parse_values import (
    clean,
    date_value,
    detection_method,
    method_named,
    people,
    split_items,
    yes_no,
)
from hindsight.model import DataImpactLevel
from hindsight.text.markdown import ListItem, plain_text
from hindsight.text.times import split_timestamp

META_LABELS = frozenset(
    {
        "id",
        "title",
        "date",
        "datetime",
        "postmortem_date",
        "updated",
        "authors",
        "status",
        "incident_status",
        "severity",
        "incident_type",
        "duration",
        "start",
        "end",
        "detected_at",
        "acknowledged_at",
        "mitigated_at",
        "resolved_at",
        "time_to_detect",
        "time_to_acknowledge",
        "time_to_mitigate",
        "time_to_resolve",
        "services",
        "incident_commander",
        "template_version",
    }
)
# Labels that may stand as a heading, with the value under it ("### Date" then "2024-05-01").
CONTENT_LABELS = frozenset({"users_affected", "tags", "participants", "identified", "context"})

_ACTION_CONTEXTS = ("action_items", "actions.")
_TIMELINE_CONTEXTS = ("timeline",)


def resolve_label(name: str, context: str | None, *, bold: bool) -> str | None:
    """The key of a label in the section ``context`` (a section key, or None)."""
    norm = normalize(name)
    if context is not None and context.startswith(_ACTION_CONTEXTS):
        category = ACTION_CATEGORY_LABELS.get(norm)
        if category is not None:
            return f"action_category.{category}"
    if context is not None and context.startswith(("went_well", "went_poorly")):
        phase = PHASE_LABELS.get(norm)
        if phase is not None:
            return f"phase.{phase}"
    key = label_key(name)
    if key is None or (not bold and key in BOLD_ONLY):
        return None
    return key


def _user_impact(unit: Unit, context: str, draft: Draft) -> bool:
    if normalize(unit.label or "") == "impact" and context == "impact":
        return False  # "Impact:" inside the impact section is just its text
    if draft.layout == "sre" and context == "impact":
        # seed 000: the number of users on the label's line, what they saw on the lines below
        first, _, rest = unit.value.partition("\n")
        if clean(first):
            draft.add_text("impact.users_affected", first.strip())
        if clean(rest):
            draft.add_text("impact.user_impact", rest.strip())
        return True
    text = text_of(unit, draft)
    if text is not None:
        draft.add_text("impact.user_impact", text)
    return True


def _sla(unit: Unit, context: str, draft: Draft) -> bool:
    value = value_of(unit)
    if value is None:
        return True
    breached = yes_no(value)
    if breached is not None:
        draft.set("impact.sla.breached", breached)
        detail = re.sub(r"^\W*\w+\W*", "", plain_text(value), count=1).strip(" -–—:,")
        first = plain_text(value).split(None, 1)[0].strip(" -–—:,.").lower()
        if first in ("yes", "no", "y", "n", "true", "false", "none"):
            rest = value.split(None, 1)[1] if len(value.split(None, 1)) > 1 else ""
            detail = rest.strip().lstrip("-–—:,").strip()
        if detail:
            draft.add_text("impact.sla.detail", detail)
    else:
        draft.add_text("impact.sla.detail", value)
    return True


def _data_loss(unit: Unit, context: str, draft: Draft) -> bool:
    value = value_of(unit)
    if value is None:
        return True
    word = plain_text(value).strip().lower().split(" ", 1)[0].strip(".,")
    try:
        draft.set("impact.data.level", DataImpactLevel(word).value)
    except ValueError:
        draft.add_text("impact.data.description", value)
    return True


def _services(unit: Unit, context: str, draft: Draft) -> bool:
    names = split_items(unit.value) + [
        plain_text(item.text) for item in list_items(unit.blocks) if clean(item.text)
    ]
    if names:
        draft.set("services", names)
    return True


def _participants(unit: Unit, context: str, draft: Draft) -> bool:
    found = [p for item in list_items(unit.blocks) if (p := participant(item.text))]
    found += [{"name": name} for name in people(unit.value)]
    if found:
        draft.add_items("participants", found)
    return True


def _root_cause(unit: Unit, context: str, draft: Draft) -> bool:
    path = (
        "root_cause.underlying" if context == "contributing_factors" else "root_cause.description"
    )
    return text_field(path)(unit, context, draft)


def _detection_method(unit: Unit, context: str, draft: Draft) -> bool:
    boxes = [item for item in list_items(unit.blocks) if item.checked is not None]
    if boxes:
        _apply_checkboxes(boxes, draft)
        return True
    text = text_of(unit, draft)
    if text is None:
        return True
    label, detail = _method_and_detail(text)
    method = method_named(label) if label is not None else None
    if method is None and not draft.rendered and len(text.split()) <= 4:
        method = detection_method(text)  # a short answer: "PagerDuty alert", "customer email"
        detail = text if method is not None and method.value == "other" else None
    if method is None:
        draft.add_text("detection.method_detail", text)
        return True
    draft.set("detection.method", method.value)
    if detail:
        draft.add_text("detection.method_detail", detail)
    return True


def _method_and_detail(text: str) -> tuple[str | None, str | None]:
    """``Alert: the detail`` -> ("Alert", "the detail"); a known method word alone -> (it, None)."""
    head, colon, rest = text.partition(":")
    if colon and method_named(head) is not None:
        return head, clean(rest)
    if method_named(text) is not None:
        return text, None
    return None, None


def _apply_checkboxes(items: list[ListItem], draft: Draft) -> None:
    """``- [x] Automated alert: detail``: the ticked box is the method, its detail after the
    colon. An unticked box may carry the detail when no method is known (``Other: detail``)."""
    for item in items:
        head, _, rest = item.text.partition(":")
        detail = clean(rest)
        if not item.checked:
            if detail and not any(i.checked for i in items):
                draft.add_text("detection.method_detail", detail)
            continue
        method = method_named(head) or detection_method(head)
        if method is None:
            draft.add_text("detection.method_detail", item.text)
            continue
        draft.set("detection.method", method.value)
        if detail:
            draft.add_text("detection.method_detail", detail)


def detection_checkboxes(units: list[Unit], draft: Draft) -> list[Unit]:
    """Tick boxes naming how an incident was detected; the rest of the units are returned."""
    rest: list[Unit] = []
    for unit in units:
        if unit.item is not None and unit.item.checked is not None and unit.label is None:
            _apply_checkboxes([unit.item], draft)
        else:
            rest.append(unit)
    return rest


def _signoff(role: str) -> Handler:
    def handle(unit: Unit, context: str, draft: Draft) -> bool:
        value = value_of(unit)
        if value is None:
            return True
        name, _, when = plain_text(value).partition(" - ")
        entry: dict[str, object] = {"role": role, "approved": role == "Approver"}
        if clean(name):
            entry["name"] = name.strip()
        day = date_value(when) if when else None
        if day is None and not when and date_value(name) is not None:
            day, name = date_value(name), ""  # a date alone: nobody named
        if day is not None:
            entry["date"] = day
        if len(entry) > 2:
            draft.add_items("signoffs", [entry])
        return True

    return handle


def _next_review(unit: Unit, context: str, draft: Draft) -> bool:
    value = value_of(unit)
    if value is None:
        return True
    day = date_value(value)
    entry: dict[str, object] = {"date": day} if day else {"attendees": value}
    draft.add_items("follow_ups", [entry])
    return True


def _link(kind: str) -> Handler:
    def handle(unit: Unit, context: str, draft: Draft) -> bool:
        value = value_of(unit)
        if value is not None:
            draft.add_items("supporting_links", link_entries(value, kind))
        return True

    return handle


_SEED_EVENTS = {
    "first_alert": "alert",
    "escalation": "escalation",
    "acknowledgment": "acknowledgement",
    "fix_applied": "mitigation",
    "service_restored": "resolution",
    "all_clear": "all_clear",
}


def _seed_event(kind: str) -> Handler:
    """``- **First Alert:** 14:10 - what happened``: the first event of a kind."""

    def handle(unit: Unit, context: str, draft: Draft) -> bool:
        value = value_of(unit)
        if value is None:
            return True
        stamp = split_timestamp(value)
        if stamp is None and " - " in value:
            when, _, text = value.partition(" - ")
            stamp = (when.strip(), text.strip())
        event = Event(text=value, line=unit.line, kind=kind, pick=True)
        if stamp is not None:
            time_text, event.text = stamp
            instant = draft.ctx.read(plain_text(time_text), sequence=False)
            event.at, event.date_only = instant.at, instant.date_only
            event.approximate = instant.approximate
            if instant.at is None or instant.date_only or instant.approximate:
                event.time_text = time_text
        event.text = clean(event.text) or plain_text(unit.label or kind).rstrip(":")
        draft.timeline.append(event)
        return True

    return handle


def _identified(unit: Unit, context: str, draft: Draft) -> bool:
    """``Identified: user reported ...`` (how), or ``Detected: 14:02`` (when)."""
    value = value_of(unit)
    if value is None:
        return True
    instant = draft.ctx.read(plain_text(value), sequence=False)
    if instant.at is not None and not instant.date_only and len(value.split()) <= 4:
        body_milestone(draft, "detected_at", instant.at, unit.line)
        return True
    return text_field("detection.method_detail")(unit, context, draft)


def _phase(phase: str) -> Handler:
    def handle(unit: Unit, context: str, draft: Draft) -> bool:
        which = "went_poorly" if context.startswith("went_poorly") else "went_well"
        draft.add_items(f"response.{which}.{phase}", items_of(unit, draft))
        return True

    return handle


def _key_events(unit: Unit, context: str, draft: Draft) -> bool:
    read_key_events(list_items(unit.blocks), draft)
    return True


def _context(unit: Unit, context: str, draft: Draft) -> bool:
    rest = read_stamped_items(list_items(unit.blocks), draft)
    leftovers = [draft.item_text(item) for item in rest]
    other = [draft.block_text(b) for b in unit.blocks if not list_items([b])]
    body = "\n".join(f"- {text}" for text in leftovers if text.strip())
    body = "\n\n".join(part for part in [clean(unit.value) or "", body, *other] if part.strip())
    if body.strip():
        draft.extra.append(
            {"heading": plain_text(unit.label or "Context"), "body": body, "level": 2}
        )
    return True


def _review_actions(unit: Unit, context: str, draft: Draft) -> bool:
    actions_from_items(list_items(unit.blocks), draft, category=None)
    value = value_of(unit)
    if value and not list_items(unit.blocks):
        actions_from_items([], draft, category=None, texts=[(unit.line, value)])
    return True


def _category(name: str) -> Handler:
    def handle(unit: Unit, context: str, draft: Draft) -> bool:
        return categorise(unit, name, draft)

    return handle


HANDLERS: dict[str, Handler] = {
    **FACT_HANDLERS,
    "users_affected": text_field("impact.users_affected"),
    "requests_failed": text_field("impact.requests_failed"),
    "revenue": text_field("impact.revenue"),
    "sla": _sla,
    "user_impact": _user_impact,
    "business_impact": text_field("impact.business_impact"),
    "other_impact": text_field("impact.other"),
    "data_loss": _data_loss,
    "data_impact": text_field("impact.data.description"),
    "features": list_field("impact.features"),
    "metric.traffic": text_field("impact.metrics.traffic"),
    "metric.error_rate": text_field("impact.metrics.error_rate"),
    "metric.latency": text_field("impact.metrics.latency"),
    "metric.downtime": text_field("impact.metrics.downtime"),
    "services": _services,
    "incident_commander": scalar_field("incident_commander"),
    "participants": _participants,
    "template_version": scalar_field("template_version"),
    "root_cause": _root_cause,
    "trigger": text_field("root_cause.trigger"),
    "underlying": text_field("root_cause.underlying"),
    "contributing_factors": list_field("contributing_factors"),
    "systemic_issues": list_field("root_cause.systemic_issues"),
    "detection_method": _detection_method,
    "why_not_caught": list_field("detection.why_not_caught"),
    "earlier_detection": text_field("detection.earlier_detection"),
    "identified": _identified,
    "went_well": list_field("response.went_well.general"),
    "went_poorly": list_field("response.went_poorly.general"),
    "lucky": list_field("response.lucky"),
    "one_line": text_field("summary"),
    "detection_detail": text_field("detection.method_detail"),
    "immediate_fix": text_field("resolution.immediate_fix"),
    "permanent_fix": text_field("resolution.permanent_fix"),
    "external_impact": list_field("impact.external"),
    "internal_impact": list_field("impact.internal"),
    **{
        f"{group}.{name}": list_field(f"{group}.{name}")
        for group, names in (
            ("prevention", ("short_term", "long_term")),
            (
                "lessons",
                (
                    "learned",
                    "technical",
                    "process",
                    "cultural",
                    "do_differently",
                    "surprises",
                    "open_questions",
                ),
            ),
        )
        for name in names
    },
    **{f"phase.{phase}": _phase(phase) for phase in ("detection", "response", "recovery")},
    "summary": text_field("executive_summary"),
    "resolution": text_field("resolution.immediate_fix"),
    "context": _context,
    "key_events": _key_events,
    "review_actions": _review_actions,
    "signoff.Author": _signoff("Author"),
    "signoff.Reviewer": _signoff("Reviewer"),
    "signoff.Approver": _signoff("Approver"),
    "signoff.Facilitator": _signoff("Facilitator"),
    "next_review": _next_review,
    "link.ticket": _link("ticket"),
    "link.chat": _link("chat"),
    "link.dashboard": _link("dashboard"),
    "link.logs": _link("logs"),
    **{name: _seed_event(kind) for name, kind in _SEED_EVENTS.items()},
    **{
        f"action_category.{name}": _category(name)
        for name in ("prevent", "detect", "mitigate", "respond", "recover", "process")
    },
}


def apply_label(unit: Unit, context: str, draft: Draft) -> bool:
    """Write a labelled value into the draft; False when the label does not apply here."""
    if unit.key is None:
        return False
    handler = HANDLERS.get(unit.key)
    if handler is None:
        return False
    return handler(unit, context, draft)
