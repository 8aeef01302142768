"""Render a postmortem in each layout, read it back, get the same postmortem.

The property: for every built-in layout ``L``, ``parse_markdown(render_markdown(pm, layout=L))``
equals ``pm`` on every field, after :func:`normalise` applies the few deliberate differences:

- ``layout`` is the layout the document was written in.
- Timeline events: ``source``, ``link`` and ``source_ref`` are never written; ``kind`` is not
  shown (except for the events the five-whys layout shows as labelled bullets), so it is what
  the parser's keyword classifier reads from the text.
- Action items: ``team`` and ``completed_on`` are never written, nor is the tracker of an item
  without an id; items without an id get ``A1``, ``A2``... in the order the layout lists them
  (the full layout groups them by category).
- Supporting links and sign-offs are spread over several sections by some layouts (named slots,
  "More details"), so their order is not kept: they are compared sorted.

The generated text avoids what cannot survive Markdown unchanged or would read as something
else: Markdown punctuation, colons and ``" - "`` (label and "time - text" separators), digits
(times and dates), and the words the event classifier and status readers react to.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hindsight.layouts.parse import parse_markdown
from hindsight.layouts.parse_actions import assign_ids
from hindsight.layouts.registry import BUILTIN_LAYOUTS, PROFILES
from hindsight.layouts.render import render_markdown
from hindsight.model import (
    ActionCategory,
    ActionStatus,
    DataImpactLevel,
    DetectionMethod,
    DocumentStatus,
    EventKind,
    IncidentStatus,
    IncidentType,
    LinkKind,
    Postmortem,
    Priority,
    Severity,
)
from hindsight.text.kinds import classify
from hindsight.text.markdown import plain_text

_FIVE_WHYS_PICKS = PROFILES["five-whys"].picks
_WORD_LIST = (
    "cache queue worker region payload shard buffer kernel token widget ledger gateway cluster "
    "parser header cookie quota schema replica index batch socket handler profile router bucket "
    "lambda client mirror pipeline vault beacon tunnel sensor portal engine"
)
_VERB_LIST = "stalled drifted grew shrank moved paused looped waited spiked wobbled lagged"
WORDS = tuple(_WORD_LIST.split())
VERBS = tuple(_VERB_LIST.split())
NAMES = ("Ana Ruiz", "Ben Okafor", "Chloe Martin", "Dev Patel", "Eli Novak", "Farah Said")
ROLES = ("Responder", "Observer", "Scribe", "Incident Commander")
SIGNOFF_ROLES = ("Author", "Reviewer", "Approver", "Facilitator", "Engineering Lead")
BASE = datetime(2024, 3, 12, 9, 0, tzinfo=UTC)

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    subject = draw(words)
    verb = draw(st.sampled_from(VERBS))
    text = " ".join([*subject, verb, *draw(st.lists(st.sampled_from(WORDS), max_size=3))])
    return text[0].upper() + text[1:]


@st.composite
def prose(draw: st.DrawFn) -> str:
    """One or two lines."""
    lines = draw(st.lists(sentence(), min_size=1, max_size=2))
    return "\n".join(lines)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def sentences(max_size: int = 3) -> st.SearchStrategy[list[str]]:
    return st.lists(sentence(), max_size=max_size, unique=True)


@st.composite
def instants(draw: st.DrawFn, count: int, *, span_days: int) -> list[datetime]:
    """Strictly increasing instants, to the minute or the second; ``span_days=0`` keeps them
    on the day of ``BASE``."""
    seconds = draw(st.booleans())
    offsets = draw(
        st.lists(
            st.integers(1, span_days * 1440 if span_days else 14 * 60),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    result = []
    for offset in sorted(offsets):
        extra = draw(st.integers(0, 59)) if seconds else 0
        result.append(BASE + timedelta(minutes=offset, seconds=extra))
    return result


@st.composite
def timelines(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(0, 6))
    times = draw(instants(count, span_days=draw(st.sampled_from([0, 2]))))
    events: list[dict[str, Any]] = []
    texts = draw(st.lists(sentence(), min_size=count, max_size=count, unique=True))
    for at, text in zip(times, texts, strict=True):
        event: dict[str, Any] = {
            "at": at,
            "text": text,
            "kind": draw(st.sampled_from(list(EventKind))),
            "actor": draw(maybe(st.sampled_from(NAMES))),
            "notes": draw(maybe(prose())),
            "source": draw(maybe(st.just("chat"))),
        }
        events.append(event)
        # An event without a time is written after the one it followed; when that one is shown
        # as a five-whys bullet ("First Alert: ..."), nothing says which it followed.
        if event["kind"] not in _FIVE_WHYS_PICKS and draw(st.integers(0, 5)) == 0:
            untimed = {"text": draw(sentence()), "kind": "note"}
            if draw(st.booleans()):
                untimed["time_text"] = "shortly after"
            events.append(untimed)
    texts_seen = [e["text"] for e in events]
    return events if len(set(texts_seen)) == len(texts_seen) else events[:1]


@st.composite
def action_items(draw: st.DrawFn) -> list[dict[str, Any]]:
    texts = draw(st.lists(sentence(), max_size=5, unique=True))
    items = []
    for index, text in enumerate(texts):
        status = draw(st.sampled_from(list(ActionStatus)))
        item: dict[str, Any] = {
            "id": draw(maybe(st.just(f"AI-{index + 1}"))),
            "action": text,
            "owner": draw(maybe(st.sampled_from(NAMES))),
            "team": draw(maybe(st.just("Platform"))),
            "priority": draw(maybe(st.sampled_from(list(Priority)))),
            "due": draw(maybe(st.dates(date(2024, 3, 1), date(2024, 12, 31)))),
            "status": status,
            "status_reason": draw(sentence())
            if status is ActionStatus.WONT_DO
            else draw(maybe(sentence())),
            "category": draw(maybe(st.sampled_from(list(ActionCategory)))),
            "completed_on": draw(maybe(st.dates(date(2024, 3, 1), date(2024, 12, 31)))),
        }
        if item["id"] and draw(st.booleans()):
            item["tracker"] = f"https://tracker.example/{index}"
        items.append(item)
    return items


@st.composite
def milestones(draw: st.DrawFn, events: list[dict[str, Any]]) -> dict[str, datetime]:
    names = [
        "impact_started_at",
        "detected_at",
        "acknowledged_at",
        "investigation_started_at",
        "root_cause_identified_at",
        "mitigated_at",
        "resolved_at",
        "all_clear_at",
        "postmortem_started_at",
        "postmortem_completed_at",
    ]
    times = draw(instants(len(names), span_days=3))
    chosen = {n: t for n, t in zip(names, times, strict=True) if draw(st.booleans())}
    if not chosen and any("at" in e for e in events):
        chosen["impact_started_at"] = BASE  # documents with a timeline state some milestone
    return chosen


@st.composite
def postmortems(draw: st.DrawFn) -> Postmortem:
    events = draw(timelines())
    data: dict[str, Any] = {
        "id": draw(maybe(st.just("INC-2024-03-12-007"))),
        "title": draw(st.just("") | sentence()),
        "summary": draw(maybe(sentence())),
        "executive_summary": draw(maybe(prose())),
        "date": draw(maybe(st.just(BASE.date()))),
        "postmortem_date": draw(maybe(st.just(date(2024, 3, 14)))),
        "updated": draw(maybe(st.just(date(2024, 3, 15)))),
        "authors": draw(st.lists(st.sampled_from(NAMES), max_size=2, unique=True)),
        "incident_commander": draw(maybe(st.sampled_from(NAMES))),
        "participants": [
            {"name": name, "role": draw(maybe(st.sampled_from(ROLES)))}
            for name in draw(st.lists(st.sampled_from(NAMES), max_size=3, unique=True))
        ],
        "services": draw(st.lists(st.sampled_from(["checkout-api", "orders-db"]), unique=True)),
        "tags": draw(st.lists(st.sampled_from(["database", "config"]), unique=True)),
        "incident_type": draw(st.sampled_from(list(IncidentType))),
        "custom_fields": draw(st.dictionaries(st.sampled_from(["region", "team"]), sentence())),
        "template_version": draw(maybe(st.just("2.1"))),
        "status": draw(st.sampled_from(list(DocumentStatus))),
        "incident_status": draw(maybe(st.sampled_from(list(IncidentStatus)))),
        "severity": draw(maybe(st.integers(1, 5).map(Severity))),
        "milestones": draw(milestones(events)),
        "stated_durations": draw(
            st.dictionaries(
                st.sampled_from(["total", "time_to_detect", "detection_gap"]),
                st.integers(1, 3000).map(lambda m: m * 60),
            )
        ),
        "timeline": events,
        "impact": {
            "users_affected": draw(maybe(sentence())),
            "requests_failed": draw(maybe(sentence())),
            "revenue": draw(maybe(sentence())),
            "sla": {"breached": draw(maybe(st.booleans())), "detail": draw(maybe(sentence()))},
            "user_impact": draw(maybe(prose())),
            "business_impact": draw(maybe(prose())),
            "other": draw(maybe(sentence())),
            "features": draw(sentences(2)),
            "external": draw(sentences(2)),
            "internal": draw(sentences(2)),
            "metrics": {
                name: draw(maybe(sentence()))
                for name in ("traffic", "error_rate", "latency", "downtime")
            },
            "data": {
                "level": draw(maybe(st.sampled_from(list(DataImpactLevel)))),
                "description": draw(maybe(sentence())),
            },
        },
        "root_cause": {
            "description": draw(maybe(prose())),
            "trigger": draw(maybe(sentence())),
            "underlying": draw(maybe(sentence())),
            "systemic_issues": draw(sentences(2)),
        },
        "contributing_factors": draw(sentences()),
        "five_whys": [
            {"question": draw(maybe(sentence().map(lambda s: f"Why {s.lower()}?"))), "answer": a}
            for a in draw(sentences(3))
        ],
        "detection": {
            "method": draw(maybe(st.sampled_from(list(DetectionMethod)))),
            "method_detail": draw(maybe(sentence())),
            "gap": draw(maybe(sentence())),
            "why_not_caught": draw(sentences(2)),
            "earlier_detection": draw(maybe(sentence())),
            "monitoring_gaps": draw(sentences(2)),
        },
        "response": {
            which: {
                phase: draw(sentences(2))
                for phase in ("general", "detection", "response", "recovery")
            }
            for which in ("went_well", "went_poorly")
        }
        | {"lucky": draw(sentences(2))},
        "resolution": {
            "immediate_fix": draw(maybe(sentence())),
            "permanent_fix": draw(maybe(sentence())),
        },
        "prevention": {"short_term": draw(sentences(2)), "long_term": draw(sentences(2))},
        "action_items": draw(action_items()),
        "lessons": {
            name: draw(sentences(2))
            for name in (
                "learned",
                "technical",
                "process",
                "cultural",
                "do_differently",
                "surprises",
                "open_questions",
            )
        },
        "related_incidents": [
            {
                "ref": f"INC-2023-{index:02d}",
                "relationship": draw(maybe(sentence())),
                "link": draw(maybe(st.just(f"https://incidents.example/{index}"))),
            }
            for index in range(draw(st.integers(0, 2)))
        ],
        "communication_log": [
            {
                "at": BASE + timedelta(minutes=30 * index) if draw(st.booleans()) else None,
                "channel": draw(maybe(st.sampled_from(["Email", "Status page"]))),
                "summary": summary,
            }
            for index, summary in enumerate(draw(sentences(2)))
        ],
        "external_communication": draw(sentences(2)),
        "follow_ups": [
            {
                "date": date(2024, 4, 1) + timedelta(days=7 * index),
                "kind": draw(st.sampled_from(["Action item review", "Monthly review"])),
                "attendees": draw(maybe(sentence())),
            }
            for index in range(draw(st.integers(0, 2)))
        ],
        "signoffs": [
            {
                "role": role,
                "name": draw(st.sampled_from(NAMES)),
                "date": draw(maybe(st.just(date(2024, 3, 15)))),
                "approved": draw(st.booleans()),
            }
            for role in draw(st.lists(st.sampled_from(SIGNOFF_ROLES), max_size=3, unique=True))
        ],
        "supporting_links": [
            {
                "label": label,
                "url": draw(maybe(st.just(f"https://links.example/{index}"))),
                "kind": draw(st.sampled_from(list(LinkKind))),
            }
            for index, label in enumerate(draw(sentences(3)))
        ],
        "appendix": {
            "technical_details": draw(maybe(prose())),
            "logs": [
                {
                    "content": f"{s.lower()}\nline two",
                    "language": draw(maybe(st.just("text"))),
                    "caption": draw(maybe(sentence())),
                }
                for s in draw(sentences(2))
            ],
            "config_changes": [
                {"content": f"- {s.lower()}", "language": "diff"} for s in draw(sentences(1))
            ],
            "graphs": [
                {"label": s, "url": "https://graphs.example/1", "kind": "graph"}
                for s in draw(sentences(1))
            ],
            "screenshots": [
                {"label": s, "url": "https://shots.example/1"} for s in draw(sentences(1))
            ],
        },
        "extra_sections": [
            {"heading": f"Notes on {word}", "body": draw(sentence()), "level": 2}
            for word in draw(st.lists(st.sampled_from(WORDS), max_size=2, unique=True))
        ],
    }
    return Postmortem.model_validate(data)


# --- the normaliser ---------------------------------------------------------------------------


def normalise(pm: Postmortem, layout: str) -> dict[str, Any]:
    """``pm`` as ``layout`` can give it back (see the module docstring)."""
    data = pm.model_dump(exclude={"durations"})
    data["layout"] = layout
    picked: set[str] = set()
    for event in data["timeline"]:
        event.update(source=None, link=None, source_ref=None)
        kind = event["kind"]
        shown = layout == "five-whys" and kind in _FIVE_WHYS_PICKS and kind not in picked
        if shown:
            picked.add(kind)
        else:
            event["kind"] = classify(plain_text(event["text"]))
    for action in data["action_items"]:
        action.update(team=None, completed_on=None)
        if not action["id"]:
            action["tracker"] = None
    if layout == "full":
        order = [*PROFILES["full"].categories]
        data["action_items"].sort(key=lambda a: order.index(a["category"]))
    assign_ids(data["action_items"])
    for name in ("supporting_links", "signoffs"):
        data[name] = sorted(data[name], key=repr)
    return data


def got(text: str) -> dict[str, Any]:
    result = parse_markdown(text)
    data = result.postmortem.model_dump(exclude={"durations"})
    for name in ("supporting_links", "signoffs"):
        data[name] = sorted(data[name], key=repr)
    return data


def _differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    return [
        f"{key}: {expected.get(key)!r} != {actual.get(key)!r}"
        for key in sorted(set(expected) | set(actual))
        if expected.get(key) != actual.get(key)
    ]


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pm=postmortems())
def test_every_layout_reads_back_what_it_wrote(layout: str, pm: Postmortem) -> None:
    text = render_markdown(pm, layout=layout)
    differences = _differences(normalise(pm, layout), got(text))
    assert not differences, "\n".join(differences) + "\n\n" + text


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_the_renderers_full_postmortem_reads_back(layout: str, full: Postmortem) -> None:
    text = render_markdown(full, layout=layout)
    expected = normalise(full, layout)
    # The fixture has an event whose written time, "around 14:30", reads as an approximate
    # clock time: it comes back timed, the words kept as written.
    for event in expected["timeline"]:
        if event["time_text"] == "around 14:30":
            event["at"] = datetime(2024, 3, 12, 14, 30, tzinfo=UTC)
    assert not _differences(expected, got(text))


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_a_blank_template_reads_back_blank(layout: str) -> None:
    result = parse_markdown(render_markdown(Postmortem(), layout=layout))
    assert result.postmortem == Postmortem(layout=layout)
    assert result.warnings == []
