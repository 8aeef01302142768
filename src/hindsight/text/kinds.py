"""What kind of event a line of text describes, from its words: ``rolled back`` is a
mitigation, ``ack`` an acknowledgement, ``customers report`` a report. The one classifier of
timeline events, for the Markdown parser and for every source reader alike.

Two tiers. Strong phrases (verbs that say what happened) are looked for first, and the one that
comes first in the text wins: "the alert fired and paged Bob" is an alert, "Bob acknowledged
the alert" an acknowledgement. One exception: a change (a deploy or a mitigation) followed by
what it led to (impact, resolution, all clear) is classified by the outcome, as that is what the
timeline needs to know ("rolled back, service restored" is a resolution). Weak words (nouns such
as *alert* or *deploy*, vague verbs such as *looking into*) decide only when no strong phrase is
there. A phrase that is negated ("not resolved yet") does not count, and a question says nothing
happened.

The kinds are the values of :class:`hindsight.model.EventKind`, as text: this package uses
nothing else of Hindsight's.

Each phrase is a small regular expression that starts with literal words; only the phrases that
can start with the first letters of a word of the text are tried, so classifying costs a few
microseconds however many phrases there are (sources classify every chat message they read).
Nothing is compiled at import, which keeps ``hindsight lint FILE`` quick to start: the index is
built on the first call; a phrase that is only words, optional letters and alternatives
(``roll(?:ed|ing)? ?back``) is matched as the few texts it stands for and never compiled, the
others are compiled the first time a word could start them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

NOTE = "note"

_REPORTERS = r"(?:customers?|users?|clients?|support|merchants?|developers?|researchers?|partners?)"
_REPORTED = (
    r"\b[^.;]{0,40}?\b(?:report|complain|seeing|see |saw|can'?t|cannot|unable"
    r"|reach(?:ed|es|ing)? out|(?:informed|notified|told|contacted|emailed) us)"
)
_AUDIENCES = r"(?:the |all |affected )?(?:users|customers|clients|stakeholders|teams)"
_PASSIVE = r"(?:is |are |was |were |has been |have been )?"

_STRONG: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "all_clear",
        (
            r"all[- ]clear", rf"incident {_PASSIVE}closed",
            r"clos(?:e|es|ed|ing) (?:the |this |our )?incident", r"stood down",
            r"standing down",
        ),
    ),
    (
        "resolution",
        (
            r"\[resolved\]", r"resolved", r"recover(?:ed|s)\b", r"restored", r"recovery confirmed",
            r"resolution confirmed", r"back to (?:normal|baseline)",
            r"down to (?:normal|baseline)", r"fully operational", r"verified operational",
            r"operational again",
            r"no longer (?:seeing|failing|erroring|affected|impacted)",
            *(f"{what}s? {_PASSIVE}(?:fixed|solved)" for what in
              ("issue", "problem", "incident", "outage")),
            *(f"{what}s? (?:has |have )?cleared" for what in ("alert", "alarm")),
        ),
    ),
    (
        "mitigation",
        (
            r"roll(?:ed|ing)? ?back", r"rollback", r"revert", r"fail(?:ed|ing)? ?over",
            r"feature flag (?:turned |switched )?off", r"flag (?:turned |switched )?off",
            r"disabl(?:e|ed|ing) (?:the )?(?:feature )?flag",
            r"turned off (?:the )?(?:feature )?flag",
            r"switched off (?:the )?(?:feature )?flag", r"kill ?switch",
            r"scal(?:ed|ing) (?:up|down|out)\b", r"scaled (?:[\w-]+ ){1,3}?(?:up|down|out|to \d)",
            r"added (?:more )?capacity", r"restart(?:ed|ing)?\b(?! ?loops?)",
            r"drain(?:ed|ing)\b", r"cordon(?:ed|ing)\b", r"hot ?fix", r"mitigat",
            r"shed(?:ding)? load", r"load shedding", r"rate[- ]limit(?:ed|ing)",
            r"blocked (?:the )?traffic", r"patched\b", r"repaired\b",
            r"deployed (?:a |the )?(?:hot)?fix",
            r'fix"? (?:was |has been |successfully )?(?:applied|deployed|rolled out)',
            r"appl(?:ied|ying) (?:a |the )?(?:[\w-]+ )?fix\b",
            r"workaround (?:was |is )?(?:applied|deployed|in place|implemented)",
            *(f"{verb} (?:a |the )?workaround" for verb in
              ("applied", "deployed", "implemented")),
        ),
    ),
    (
        "acknowledgement",
        (
            r"acknowledg(?:ed|es|e|ement|ment)\b", r"ack(?:ed|'d|s)?\b", r"i'm on it",
            r"on it(?: now)?(?=\s*(?:[.!,;:)\-–—]|$))", r"took the page",
            r"picked up the page",
        ),
    ),
    (
        "escalation",
        (
            r"escalat(?:ed|ing|es|e|ion)\b", r"paged\b", r"paging\b", r"page sent",
            r"looped in", r"pulled in", r"called in", r"brought in", r"declared (?:a )?sev",
            r"declared (?:an )?incident",
            r"incident (?:was |is )?declared(?! (?:resolved|over|closed))",
            r"responders? added", r"incident commander",
        ),
    ),
    (
        "alert",
        (
            r"\[firing", r"firing", r"fired", r"went off", r"alerted\b",
            r"triggered (?:an? |the )?(?:[\w-]+ ){0,2}?(?:alerts?|alarms?|pages?|incident)\b",
            rf"(?:alerts?|alarms?|monitors?|incidents?) (?:[\w-]+ )?{_PASSIVE}triggered",
            r"monitor(?:ing|s)? (?:caught|detected|flagged)",
        ),
    ),
    (
        "report",
        (
            _REPORTERS + _REPORTED, r"reported", r"reports? (?:of|that|from)",
            *(f"{verb} reporting" for verb in
              ("began", "begin", "begins", "started", "are", "were")),
            r"reports (?:a|an|the|this|their|his|her|its|they|we)\b", r"notified us",
            r"informed us",
            # inbound tickets only: "opened a support ticket with AWS" is not a report to us
            r"support tickets? (?:from|about|came|coming|started|arriv|mention|report)",
            r"tickets? from (?:a |the |several |many )?(?:customers?|users?|clients?)",
            *(f"{what} support tickets?" for what in
              ("received", "got", "new", "first", "several", "multiple", "many")),
            *(f"{what} reports?" for what in
              ("bug", "inbound", "user", "customer", "additional")),
        ),
    ),
    (
        "impact",
        (
            r"impact (?:started|starts|began|begins)",
            *(f"{what} (?:started|starts|began|begins)" for what in
              (r"errors?", r"failures?", r"outage", r"latency", r"timeouts?", r"5\d\d ?s?")),
            r"start(?:ed|s)? (?:failing|erroring|returning|timing out)",
            r"beg(?:an|ins) (?:failing|erroring|returning|timing out)",
            r"first (?:errors?|failures?)", r"went (?:down|offline)\b(?! to)",
            r"became (?:unavailable|unreachable|unresponsive)",
        ),
    ),
    (
        "diagnosis",
        (
            r"root cause (?:was |has been |is )?(?:identified|found|determined|confirmed"
            r"|discovered|located|pinpointed)",
            r"root cause(?: is| was|:)", r"root[- ]caused",
            r"root cause analysis (?:showed|shows|found|revealed|identified)",
            *(f"{verb} (?:the )?(?:root |likely |probable )?(?:cause|culprit|problem|issue|bug)"
              for verb in ("found", "identified", "discovered", "determined", "pinpointed")),
            *(f"{what} (?:was |has been )?identified" for what in
              ("cause", "culprit", "problem", "issue", "bug")),
            r"caused by", r"diagnosed",
        ),
    ),
    (
        "communication",
        (
            r"status ?page", r"status update", r"posted (?:an? )?update", r"update posted",
            r"post(?:ed|s)? (?:a |an )?(?:notice|announcement|statement)",
            # "customer informed us" is a report: the report phrase is tried first
            rf"(?:customers?|users?|clients?) {_PASSIVE}(?:notified|informed|updated)",
            *(f"{verb} {_AUDIENCES}" for verb in
              ("notified", "notify", "notifying", "informed", "updated")),
            r"communications? (?:were |was )?(?:sent|started|initiated|went out|posted)",
            *(f"{verb} to (?:the )?(?:customers?|users?|clients?)" for verb in
              ("responded", "replied", "wrote")),
            r"customer communications?", r"communicated\b", r"announc(?:e|ed|es|ements?|ing)\b",
            r"tweet(?:ed|s)?\b",
        ),
    ),
    (
        "deploy",
        (
            r"deployed", r"deploying", r"deploy(?:ment)? (?:of|started|went out|completed)",
            r"released", r"rolled out", r"rolling out", r"went out", r"shipped", r"merged\b",
        ),
    ),
)  # fmt: skip

_WEAK: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "alert",
        (r"alerts?\b", r"alerting\b", r"alarms?\b", r"pagerduty", r"opsgenie", r"pingdom"),
    ),
    ("deploy", (r"deploy(?:ment)?s?\b", r"release\b")),
    (
        "investigation",
        (r"investigat", r"looking into", r"looking at", r"taking a look", r"digging",
         r"debugging", r"debug\b", r"checking", r"triag", r"troubleshoot",
         r"began looking", r"started looking"),
    ),
    ("action", (r"ran\b", r"executed", r"killed", r"applied", r"purged", r"flushed",
                r"cleared")),
)  # fmt: skip

_STEPS = frozenset({"deploy", "mitigation"})
_OUTCOMES = frozenset({"impact", "resolution", "all_clear"})
"""A step followed in the same text by one of these outcomes is classified by the outcome."""

KINDS = frozenset(kind for rules in (_STRONG, _WEAK) for kind, _ in rules) | {NOTE}
"""Every kind :func:`classify` can give."""


def classify(text: str, *, weak: bool = True) -> str:
    """The kind of event ``text`` (plain text, not Markdown) describes; ``note`` when its
    words say nothing.

    ``weak=False`` ignores the weak words: a note added to an alert mentions the alert without
    being one.
    """
    lower = text.lower()
    if lower.rstrip().endswith("?"):
        return NOTE
    index = _index()
    fallback: str | None = None
    for match in index.trigger.finditer(lower):
        start = match.start()
        if start and lower[start - 1] in _INSIDE_WORD:
            continue
        key = lower[start : start + _STEM]
        strong, weaker, _ = _CACHE.get(key) or _candidates(key, index)
        if strong and (hit := _at(strong, lower, start, index)) is not None:
            kind = hit[0]
            if kind in _STEPS:  # a deploy or mitigation: what follows may say what it led to
                return _outcome(lower, _end_of(hit, lower, start), index) or kind
            return kind
        if weaker and weak and fallback is None and (hit := _at(weaker, lower, start, index)):
            fallback = hit[0]
    return fallback or NOTE


def _outcome(lower: str, pos: int, index: _Index) -> str | None:
    """The first outcome (impact, resolution, all clear) a phrase from ``pos`` on states."""
    if index.outcomes.search(lower, pos) is None:
        return None  # most often: a search costs less than starting to iterate
    for match in index.outcomes.finditer(lower, pos):
        start = match.start()
        if lower[start - 1] in _INSIDE_WORD:
            continue
        key = lower[start : start + _STEM]
        outcomes = (_CACHE.get(key) or _candidates(key, index))[2]
        if outcomes and (hit := _at(outcomes, lower, start, index)) is not None:
            return hit[0]
    return None


# --- the phrases by the words they start with -------------------------------------------------


class _Phrase(NamedTuple):
    order: int
    kind: str
    pattern: str


# A phrase as the classifier tries it: kind, expression (None for a literal phrase), the texts
# a literal phrase can be, and whether it must end at the end of a word.
_Matcher = tuple[str, re.Pattern[str] | None, tuple[str, ...], bool]
# The strong phrases, the weak ones, and the strong ones of an outcome, that may start a word.
_Candidates = tuple[tuple[_Matcher, ...], tuple[_Matcher, ...], tuple[_Matcher, ...]]
_Tree = dict[str, "_Tree"]


class _Index(NamedTuple):
    strong: dict[str, list[_Phrase]]
    weak: dict[str, list[_Phrase]]
    trigger: re.Pattern[str]
    """Where a phrase may start: any stem (the word-start check follows in Python)."""
    outcomes: re.Pattern[str]
    """Where a phrase of an outcome may start."""
    negated: re.Pattern[str]


_STEM = 4
_INSIDE_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_'-[")
_SPECIAL = frozenset("\\.^$*+?{}[]|()")
_QUANTIFIERS = frozenset("*+?{")
_MAX_SPELLINGS = 64
_NONE: _Candidates = ((), (), ())
_CACHE: dict[str, _Candidates] = {}


@cache
def _index() -> _Index:
    """The phrases by stem, built on first use; expressions are compiled later still, each the
    first time a text holds a word it could start."""
    strong, weak = _phrases(_STRONG), _phrases(_WEAK)
    trigger = re.compile(_any_of({*strong, *weak}))
    outcomes = {
        stem for stem, phrases in strong.items() if any(p.kind in _OUTCOMES for p in phrases)
    }
    negated = re.compile(r"(?:\bnot|\bno|n't|\bnever|\bwithout|\bbefore)\s+(?:\w+\s+){0,2}$")
    return _Index(strong, weak, trigger, re.compile(_any_of(outcomes)), negated)


def _phrases(rules: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, list[_Phrase]]:
    """The phrases of ``rules`` under each stem (up to four letters) they can start with."""
    index: dict[str, list[_Phrase]] = {}
    order = 0
    for kind, patterns in rules:
        for pattern in patterns:
            for stem in _stems(pattern):
                index.setdefault(stem, []).append(_Phrase(order, kind, pattern))
            order += 1
    return index


def _stems(pattern: str) -> list[str]:
    """The first four letters of each text ``pattern`` can start with."""
    if _SPECIAL.isdisjoint(pattern[: _STEM + 1]):
        return [pattern[:_STEM]]  # most phrases start with a word of four letters or more
    starts, _ = _spell(pattern, 0, enough=_STEM)
    if not all(starts):
        raise ValueError(f"phrase {pattern!r} must start with a literal word")
    return list(dict.fromkeys(start[:_STEM] for start in starts))


@cache
def _spellings(pattern: str) -> tuple[tuple[str, ...], bool, bool]:
    """The texts a phrase can be, when it is no more than a few words (no expression is then
    compiled for it), else the texts it can start with; whether it is such a literal phrase;
    whether it must end where a word ends (its pattern ends with ``\\b``)."""
    texts, end = _spell(pattern, 0)
    boundary = pattern[end:] == "\\b"
    return tuple(texts), boundary or end == len(pattern), boundary


def _spell(pattern: str, pos: int, enough: int = 0) -> tuple[list[str], int]:
    """The texts the part of ``pattern`` from ``pos`` can be, as far as it is literal letters,
    optional letters and groups of alternatives (``roll(?:ed|ing)? ?back`` is six texts), and
    where that part ends; only until each text is ``enough`` letters long, if given."""
    texts = [""]
    while pos < len(pattern) and not (enough and min(map(len, texts)) >= enough):
        atom = _atom(pattern, pos)
        if atom is None or pattern[atom[1] : atom[1] + 1] in ("*", "+", "{"):
            break
        options, end = atom
        if pattern[end : end + 1] == "?":
            options, end = ["", *options], end + 1
        if len(texts) * len(options) > _MAX_SPELLINGS:
            break
        if len(options) == 1:
            texts = [text + options[0] for text in texts]
        else:
            texts = [text + option for text in texts for option in options]
        pos = end
    return texts, pos


def _atom(pattern: str, pos: int) -> tuple[list[str], int] | None:
    """The texts of the letters, escape, set (``[- ]``) or group at ``pos``; None for anything
    else (classes such as ``\\w``, lookarounds, repeats). Letters are taken as a run, but for
    the last one when what follows applies to it alone (``s?``)."""
    char = pattern[pos]
    if char == "\\":
        escaped = pattern[pos + 1 : pos + 2]
        return ([escaped], pos + 2) if escaped and not escaped.isalnum() else None
    if char == "[":
        end = pattern.find("]", pos + 1)
        inside = pattern[pos + 1 : end]
        if end < 0 or not inside or inside[0] == "^" or "\\" in inside or "-" in inside[1:-1]:
            return None
        return list(inside), end + 1
    if pattern.startswith("(?:", pos):
        return _group(pattern, pos + 3)
    end = pos
    while end < len(pattern) and pattern[end] not in _SPECIAL:
        end += 1
    if end < len(pattern) and pattern[end] in _QUANTIFIERS and end - pos > 1:
        end -= 1
    return ([pattern[pos:end]], end) if end > pos else None


def _group(pattern: str, pos: int) -> tuple[list[str], int] | None:
    options: list[str] = []
    while True:
        texts, end = _spell(pattern, pos)
        options += texts
        if pattern[end : end + 1] == ")":
            return options, end + 1
        if pattern[end : end + 1] != "|":
            return None
        pos = end + 1


def _any_of(stems: set[str]) -> str:
    """An expression that matches where any of ``stems`` starts, as a tree of their letters
    (``a(?:ck|l(?:l|ar))``): the regex engine tries one branch per letter, not every stem, and
    stops at the shortest stem, as only where it starts matters."""
    tree: _Tree = {}
    for stem in sorted(stems, key=len):
        node = tree
        for char in stem:
            if "" in node:
                break  # a shorter stem already matches here
            node = node.setdefault(char, {})
        else:
            node.clear()
            node[""] = {}
    return _branches(tree)


def _branches(node: _Tree) -> str:
    if "" in node:
        return ""
    parts = [re.escape(char) + _branches(child) for char, child in sorted(node.items())]
    return parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"


def _candidates(key: str, index: _Index) -> _Candidates:
    """The strong and weak phrases that may start with ``key`` (the next four characters), in
    rule order, ready to try; cached, as the words of incident chat repeat."""
    prefixes = [key[:length] for length in range(1, len(key) + 1)]
    strong = _matchers(key, (p for x in prefixes for p in index.strong.get(x, ())))
    weak = _matchers(key, (p for x in prefixes for p in index.weak.get(x, ())))
    outcomes = tuple(matcher for matcher in strong if matcher[0] in _OUTCOMES)
    found = (strong, weak, outcomes) if strong or weak else _NONE
    if len(_CACHE) > 100_000:
        _CACHE.clear()
    _CACHE[key] = found
    return found


def _matchers(key: str, phrases: Iterable[_Phrase]) -> tuple[_Matcher, ...]:
    """The phrases that can start with ``key``, in rule order, each once; a literal phrase
    keeps only the texts that can."""
    matchers: list[_Matcher] = []
    for phrase in sorted({p.order: p for p in phrases}.values(), key=_order):
        spellings, literal, boundary = _spellings(phrase.pattern)
        texts = [t for t in spellings if t.startswith(key) or key.startswith(t)]
        if not texts:
            continue
        if literal:
            matchers.append((phrase.kind, None, tuple(texts), boundary))
        else:
            matchers.append((phrase.kind, re.compile(phrase.pattern), (), False))
    return tuple(matchers)


def _order(phrase: _Phrase) -> int:
    return phrase.order


def _at(matchers: tuple[_Matcher, ...], text: str, start: int, index: _Index) -> _Matcher | None:
    """The first phrase that matches at ``start``, unless it is negated."""
    for matcher in matchers:
        _, pattern, texts, boundary = matcher
        if pattern is not None:
            if pattern.match(text, start) is None:
                continue
        elif not text.startswith(texts, start) or (boundary and not _end(text, start, texts)):
            continue
        if index.negated.search(text, max(0, start - 30), start):
            return None
        return matcher
    return None


def _end(text: str, start: int, texts: tuple[str, ...], boundary: bool = True) -> int:
    """Where the first of ``texts`` that stands at ``start`` ends, as whole words if
    ``boundary`` (a ``\\b`` at its end); 0 if none does."""
    for option in texts:
        stop = start + len(option)
        if text.startswith(option, start) and (not boundary or _ends(text, stop)):
            return stop
    return 0


def _end_of(matcher: _Matcher, text: str, start: int) -> int:
    """Where the phrase ``matcher`` found at ``start`` ends."""
    _, pattern, texts, boundary = matcher
    match = pattern.match(text, start) if pattern is not None else None
    return match.end() if match is not None else _end(text, start, texts, boundary)


def _ends(text: str, pos: int) -> bool:
    """Whether a word ends at ``pos``, as ``\\b`` after a letter means."""
    return pos == len(text) or not (text[pos].isalnum() or text[pos] == "_")
