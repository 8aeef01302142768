"""What kind of event a line of text describes, from its words: ``rolled back`` is a
mitigation, ``ack`` an acknowledgement, ``customers report`` a report.

Two tiers. Strong phrases (verbs that say what happened) are looked for first, and the one that
comes first in the text wins: "the alert fired and paged Bob" is an alert, "Bob acknowledged
the alert" an acknowledgement. Weak words (nouns such as *alert* or *deploy*, vague verbs such
as *looking into*) decide only when no strong phrase is there. A phrase that is negated ("not
resolved yet") does not count, and a question says nothing happened.

Each phrase is a small regular expression that starts with a literal word stem; only the phrases
whose stem starts a word of the text are tried, so classifying costs a few microseconds however
many phrases there are (sources classify every chat message they read).

The layout parser has its own keyword classifier; the two are meant to become one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hindsight.model import EventKind

_REPORTERS = ("customers?", "users?", "clients?", "support", "merchants?")
_REPORTED = r"\b[^.;]{0,40}?\b(?:report|complain|seeing|see |saw|can'?t|cannot|unable)"

_STRONG: tuple[tuple[EventKind, tuple[str, ...]], ...] = (
    (
        EventKind.ALL_CLEAR,
        (r"all[- ]clear", r"incident (?:is )?closed", r"closing (?:the|this) incident"),
    ),
    (
        EventKind.RESOLUTION,
        (
            r"\[resolved\]", r"resolved", r"recovered", r"back to normal", r"fully restored",
            *(f"{what}s? (?:is |are )?restored" for what in
              ("service", "traffic", "checkout", "site", "api")),
            r"recovery confirmed",
            r"errors? (?:is |are )?(?:back|down) to (?:normal|baseline)",
            r"error rate (?:is )?(?:back|down) to (?:normal|baseline)",
            r"latency (?:is )?(?:back|down) to (?:normal|baseline)",
        ),
    ),
    (
        EventKind.MITIGATION,
        (
            r"roll(?:ed|ing)? ?back", r"rollback", r"revert(?:ed|ing)?", r"fail(?:ed|ing)? ?over",
            r"feature flag (?:turned |switched )?off", r"flag (?:turned |switched )?off",
            r"disabled (?:the )?(?:feature )?flag", r"turned off (?:the )?(?:feature )?flag",
            r"switched off (?:the )?(?:feature )?flag", r"kill ?switch",
            r"scal(?:ed|ing) (?:up|out)", r"added capacity", r"restart(?:ed|ing)",
            r"drain(?:ed|ing)", r"hot ?fix", r"mitigat(?:ed|ing|ion)", r"shed(?:ding)? load",
            r"rate[- ]limit(?:ed|ing)", r"blocked (?:the )?traffic",
            r"deployed (?:a |the )?fix",
        ),
    ),
    (
        EventKind.ACKNOWLEDGEMENT,
        (r"acknowledg(?:ed|es|ing)", r"ack(?:ed|'d|s)?\b", r"i'?m on it", r"on it\b",
         r"took the page"),
    ),
    (
        EventKind.ESCALATION,
        (
            r"escalat(?:ed|ing|es)", r"paged\b", r"paging", r"looped in", r"pulled in",
            r"called in", r"brought in", r"declared (?:a )?sev", r"declared (?:an )?incident",
            r"responders? added", r"incident commander",
        ),
    ),
    (
        EventKind.ALERT,
        (r"\[firing", r"firing", r"fired", r"triggered", r"went off", r"alert(?:ed|ing)\b",
         r"monitor(?:ing)? caught"),
    ),
    (
        EventKind.REPORT,
        (*(who + _REPORTED for who in _REPORTERS), r"reported", r"reports? (?:of|that)",
         r"support tickets?"),
    ),
    (
        EventKind.IMPACT,
        (
            r"impact (?:started|starts|began|begins)",
            *(f"{what} (?:started|began)" for what in
              (r"errors?", r"failures?", r"outage", r"latency", r"5\d\d ?s?")),
            r"started (?:failing|erroring|returning|timing out)", r"first (?:errors?|failures?)",
        ),
    ),
    (
        EventKind.DIAGNOSIS,
        (r"root cause", r"found (?:the )?(?:cause|culprit|problem|issue)",
         r"identified (?:the )?(?:cause|culprit|problem|issue)", r"caused by", r"culprit"),
    ),
    (
        EventKind.COMMUNICATION,
        (r"status ?page", r"posted (?:an? )?update", r"update posted",
         r"customers? (?:were )?notified", r"announced", r"status update"),
    ),
    (
        EventKind.DEPLOY,
        (r"deployed", r"deploying", r"deploy(?:ment)? (?:of|started|went out)", r"released",
         r"rolled out", r"rolling out", r"went out", r"shipped"),
    ),
)  # fmt: skip

_WEAK: tuple[tuple[EventKind, tuple[str, ...]], ...] = (
    (EventKind.ALERT, (r"alerts?\b", r"alarms?\b", r"pagerduty", r"opsgenie")),
    (EventKind.DEPLOY, (r"deploy(?:ment)?s?\b", r"release\b")),
    (
        EventKind.INVESTIGATION,
        (r"investigat\w*", r"looking into", r"looking at", r"taking a look", r"digging",
         r"debugging", r"checking"),
    ),
    (EventKind.ACTION, (r"ran\b", r"running", r"executed", r"killed", r"applied", r"purged",
                        r"flushed", r"cleared")),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Phrase:
    order: int
    kind: EventKind
    pattern: re.Pattern[str]


_LITERAL = re.compile(r"(?:\\\[|[a-z0-9'])+")
_STEM = 4
_INSIDE_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_'-[")
_NEGATED = re.compile(r"(?:\bnot|\bno|n't|\bnever|\bwithout|\bbefore)\s+(?:\w+\s+){0,2}$")


def _stem(pattern: str) -> str:
    """The literal letters a phrase starts with (at most four), to index it by."""
    match = _LITERAL.match(pattern)
    if match is None:
        raise ValueError(f"phrase {pattern!r} must start with a literal word")
    literal = match.group(0)
    if pattern[match.end() : match.end() + 1] in ("?", "*"):
        literal = literal[:-1]  # the last letter is optional: ``customers?`` is ``customer``
    literal = literal.replace("\\[", "[")
    if not literal:
        raise ValueError(f"phrase {pattern!r} must start with a literal word")
    return literal[:_STEM]


def _index(rules: tuple[tuple[EventKind, tuple[str, ...]], ...]) -> dict[str, list[_Phrase]]:
    index: dict[str, list[_Phrase]] = {}
    order = 0
    for kind, patterns in rules:
        for pattern in patterns:
            phrase = _Phrase(order, kind, re.compile(pattern))
            index.setdefault(_stem(pattern), []).append(phrase)
            order += 1
    return index


_STRONG_INDEX = _index(_STRONG)
_WEAK_INDEX = _index(_WEAK)


_NONE: tuple[tuple[_Phrase, ...], tuple[_Phrase, ...]] = ((), ())
_CACHE: dict[str, tuple[tuple[_Phrase, ...], tuple[_Phrase, ...]]] = {}
_TRIGGER = re.compile(
    "|".join(sorted(map(re.escape, {*_STRONG_INDEX, *_WEAK_INDEX}), key=len, reverse=True))
)
"""Where a phrase may start: any stem (the word-start check follows in Python)."""


def _candidates(key: str) -> tuple[tuple[_Phrase, ...], tuple[_Phrase, ...]]:
    """The strong and weak phrases that may start with ``key`` (the next four characters), in
    rule order; cached, as the words of incident chat repeat."""
    found = _CACHE.get(key)
    if found is not None:
        return found
    prefixes = [key[:length] for length in range(1, len(key) + 1)]
    strong = sorted((p for x in prefixes for p in _STRONG_INDEX.get(x, ())), key=_order)
    weak = sorted((p for x in prefixes for p in _WEAK_INDEX.get(x, ())), key=_order)
    found = (tuple(strong), tuple(weak)) if strong or weak else _NONE
    if len(_CACHE) > 100_000:
        _CACHE.clear()
    _CACHE[key] = found
    return found


def _order(phrase: _Phrase) -> int:
    return phrase.order


def _at(phrases: tuple[_Phrase, ...], text: str, start: int) -> EventKind | None:
    """The kind of the first phrase that matches at ``start``, unless negated."""
    for phrase in phrases:
        if phrase.pattern.match(text, start):
            if _NEGATED.search(text, max(0, start - 30), start):
                return None
            return phrase.kind
    return None


def classify(text: str, *, default: EventKind = EventKind.NOTE, weak: bool = True) -> EventKind:
    """The kind of event ``text`` describes, or ``default`` when its words say nothing.

    ``weak=False`` ignores the weak words: a note added to an alert mentions the alert without
    being one.
    """
    lower = text.lower()
    if lower.rstrip().endswith("?"):
        return default
    fallback: EventKind | None = None
    for match in _TRIGGER.finditer(lower):
        start = match.start()
        if start and lower[start - 1] in _INSIDE_WORD:
            continue
        strong, weaker = _candidates(lower[start : start + _STEM])
        if strong:
            found = _at(strong, lower, start)
            if found is not None:
                return found
        if weaker and weak and fallback is None:
            fallback = _at(weaker, lower, start)
    return default if fallback is None else fallback
