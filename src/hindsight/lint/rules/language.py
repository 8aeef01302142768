"""Language rules (L1xx): blame and hindsight in the words of a postmortem.

All rules share one scan of the document's prose (code, front matter, links, quotations and log
lines blanked out). A prefix-tree expression finds the words a finding can start with; at each,
the phrase is matched and checked in context: who the subject is (a person, a role, a system),
which section it is in. Each finding belongs to one rule; overlapping wording is reported once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hindsight.lint.document import LintDocument
from hindsight.lint.engine import Hit, rule
from hindsight.lint.rules import _words as w

# Words may wrap onto the next line of a paragraph, not past a block (blocks are separated by an
# empty line in the prose): spaces and tabs with at most one line end among them. (Written
# without an alternation, this compiles faster; it is in the expressions some 200 times.)
_W = r"[ \t]*[ \t\n][ \t]*"
# Capitalised words that start sentences and are never names.
_NOT_NAMES = ("We", "They", "It", "This", "That", "These", "Those", "There", "You", "Our", "If")
_END = r"(?![\w-])"


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, with flexible spaces."""
    ordered = sorted({word.strip() for word in words if word.strip()}, key=len, reverse=True)
    return "|".join(_W.join(re.escape(part) for part in word.split()) for word in ordered)


@dataclass(frozen=True)
class Words:
    """The word lists in force for one configuration."""

    names: frozenset[str]
    roles: tuple[str, ...]
    system: frozenset[str]
    fault_verbs: tuple[str, ...]
    human_error: tuple[str, ...]
    judgement: tuple[str, ...]
    minimising: tuple[str, ...]
    loaded: tuple[str, ...]
    emotional: tuple[str, ...]
    allow: frozenset[str]


ConfiguredWords = tuple[tuple[str, tuple[str, ...]], ...]


def _configured(doc: LintDocument) -> ConfiguredWords:
    """The configuration's own word lists, as a key for the caches below."""
    return tuple(sorted((key, tuple(words)) for key, words in doc.config.words.items()))


@lru_cache(maxsize=16)
def _words(configured: ConfiguredWords) -> Words:
    extra = dict(configured)

    def more(key: str) -> tuple[str, ...]:
        return extra.get(key, ())

    return Words(
        names=w.FIRST_NAMES | {n.lower() for n in more("names")},
        roles=(*w.ROLE_NOUNS, *more("roles")),
        system=w.SYSTEM_SUBJECTS | {s.lower() for s in more("system-subjects")},
        fault_verbs=(*w.FAULT_VERBS, *more("fault-verbs")),
        human_error=(*w.HUMAN_ERROR, *more("human-error")),
        judgement=(*w.JUDGEMENT, *more("judgement")),
        minimising=(*w.MINIMISING, *more("minimising")),
        loaded=(*w.LOADED_TIMING, *more("loaded-timing")),
        emotional=(*w.EMOTIONAL, *more("emotional")),
        allow=frozenset(" ".join(a.lower().split()) for a in more("allow")),
    )


class _Lazy:
    """A regular expression compiled on first use: most documents need only some of them, and
    compiling is a real part of a cold ``hindsight lint`` (the whole set takes ~20 ms)."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled


class Patterns:
    """The expressions of one configuration, each compiled when first needed.

    ``triggers`` finds the words every match starts with (fault verbs, modals, judgement
    words...), with the character before them, as a prefix tree so that the scan stays fast;
    ``rest_match`` then tries, where a trigger word starts, the branches that can start with it,
    in order; ``fault``/``subject`` are tried where a fault verb does.
    """

    def __init__(
        self,
        *,
        triggers: str,
        fault_starts: frozenset[str],
        fault: str,
        subject: str,
        collective: str,
        owner: str,
        rest: list[Branch],
    ) -> None:
        self.fault_starts = fault_starts
        self._triggers = _Lazy(triggers)
        self._fault = _Lazy(fault, re.IGNORECASE)
        self._subject = _Lazy(subject, re.IGNORECASE)
        self._collective = _Lazy(collective, re.IGNORECASE)
        self._owner = _Lazy(owner, re.IGNORECASE)
        self._branches = rest
        self._rest: dict[str, re.Pattern[str] | None] = {}

    @property
    def triggers(self) -> re.Pattern[str]:
        return self._triggers.regex

    @property
    def fault(self) -> re.Pattern[str]:
        return self._fault.regex

    @property
    def subject(self) -> re.Pattern[str]:
        return self._subject.regex

    @property
    def collective(self) -> re.Pattern[str]:
        return self._collective.regex

    @property
    def owner(self) -> re.Pattern[str]:
        return self._owner.regex

    def rest_match(self, prose: str, start: int, word: str) -> re.Match[str] | None:
        """The first branch that matches at ``start``, where the trigger ``word`` begins (its
        name is ``match.lastgroup``)."""
        key = word.replace("’", "'")
        if key not in self._rest:
            self._rest[key] = self._rest_for(key)
        regex = self._rest[key]
        return None if regex is None else regex.match(prose, start)

    def _rest_for(self, word: str) -> re.Pattern[str] | None:
        """The alternation of the branches, cut down to the alternatives that can start with
        ``word``: those whose lead word and ``word`` are one a prefix of the other, since both
        begin the text at the match. Trying the same alternatives in the same order, it matches
        what the whole alternation would, and compiles a fraction of it."""
        parts = []
        for name, lookahead, alternatives in self._branches:
            chosen = [
                regex
                for leads, regex in alternatives
                if any(word.startswith(lead) or lead.startswith(word) for lead in leads)
            ]
            if chosen:
                parts.append(f"(?P<{name}>{lookahead}(?:{'|'.join(chosen)}))")
        return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _trie(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` (lowercase), factored by common prefixes."""
    tree: dict[str, dict[str, Any]] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [
            ("['’]" if char == "'" else re.escape(char)) + build(node[char])
            for char in sorted(node)
            if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(tree)


# The character before a trigger, taken with it so that the regex engine skips through words to
# the next character that may precede one: every character but a lowercase word character, and
# "k" (the Kelvin sign, not a word character, lowercases to it). _find checks it exactly.
_BEFORE_WORD = "[^a-jl-z0-9_'’-]"


def _first_words(phrases: Iterable[str]) -> set[str]:
    return {phrase.split()[0].lower() for phrase in phrases if phrase.strip()}


_RARE_STARTS = w.words(
    """
    blame blamed blames blaming culprit culprits fault mistake blunder screw-up clearly
    simply just all easy obvious obviously finally ignored only wasted spent should could
    would ought should've could've would've shouldn't couldn't wouldn't if had disaster
    disasters catastrophic total complete huge didn't did never failed forgot
    """
)


@lru_cache(maxsize=16)
def _patterns(configured: ConfiguredWords) -> Patterns:
    listed = _words(configured)
    roles, fault_verbs, human_error = listed.roles, listed.fault_verbs, listed.human_error
    judgement, minimising, loaded = listed.judgement, listed.minimising, listed.loaded
    emotional = listed.emotional
    role = (
        rf"(?:the|a|an|our|one|that|this|their|his|her|your){_W}(?:[\w-]+{_W})?(?:{_alt(roles)})"
        rf"|{_alt(w.BARE_ROLES)}"
    )
    name = rf"(?-i:(?!(?:{'|'.join(_NOT_NAMES)})\b)[A-Z][a-z]+)"
    adverbs = (
        r"(?:(?:then|also|again|just|simply|apparently|probably|clearly|obviously|completely"
        rf"|totally|somehow|unfortunately|had|has|have|must{_W}have|may{_W}have|might{_W}have)"
        rf"{_W}){{0,2}}"
    )
    fault = (
        rf"(?:didn't|did{_W}not|never|failed{_W}to|forgot{_W}to){_W}(?:{_alt(w.NEGLECTED_DUTIES)})"
        rf"|{_alt(fault_verbs)}"
        rf"|(?:{_alt(w.BLUNDER_ADVERBS)}){_W}[a-z]+"
    )
    starts = _first_words([*fault_verbs, *w.BLUNDER_ADVERBS]) | {"didn't", "did", "never"}
    words = (
        starts
        | _first_words([*human_error, *judgement, *minimising, *loaded, *emotional])
        | set(_RARE_STARTS)
    )
    return Patterns(
        triggers=rf"{_BEFORE_WORD}(?:{_trie(sorted(words))})(?![\w'’-])",
        fault_starts=frozenset(starts),
        fault=rf"(?:{fault}){_END}",
        subject=rf"(?<![\w'’-])(?P<subj>{_alt(w.PRONOUNS)}|{role}|@[\w.-]+|{name}){_W}{adverbs}\Z",
        collective=(
            rf"(?<![\w'’-])(?:we|the{_W}team|our{_W}team|nobody|no{_W}one|everyone|they)"
            rf"{_W}(?:had{_W}|have{_W})?\Z"
        ),
        owner=rf"(?<![\w'’-])(?P<owner>[\w-]+)['’]s{_W}\Z",
        rest=_rest(human_error, judgement, minimising, loaded, emotional),
    )


# An alternative of a branch: the words it can start with (literal, lowercase) and its expression.
Alternative = tuple[tuple[str, ...], str]
# A branch: its name, the lookahead on its first letters, and its alternatives in order.
Branch = tuple[str, str, list[Alternative]]


def _lead(*words: str) -> tuple[str, ...]:
    return tuple(word.lower().replace("’", "'") for word in words)


def _phrases(words: Iterable[str], end: str = _END) -> list[Alternative]:
    """One alternative per phrase, in :func:`_alt`'s order (longest first)."""
    ordered = sorted({word.strip() for word in words if word.strip()}, key=len, reverse=True)
    return [
        (_lead(phrase.split()[0]), _W.join(re.escape(part) for part in phrase.split()) + end)
        for phrase in ordered
    ]


def _rest(
    human_error: tuple[str, ...],
    judgement: tuple[str, ...],
    minimising: tuple[str, ...],
    loaded: tuple[str, ...],
    emotional: tuple[str, ...],
) -> list[Branch]:
    """The keyword-led branches, in the order they are tried."""
    participle = rf"(?:[a-z]+ed|{_alt(w.PARTICIPLES)})"
    others = [e for e in emotional if e not in ("disaster", "disasters", "catastrophic")]
    # Each branch with the words it can start with (see _starting) and its alternatives.
    branches: dict[str, tuple[Iterable[str], list[Alternative]]] = {
        "owned": (
            ("fault", "mistake", "screw-up", "blunder"),
            [
                (
                    _lead("fault", "mistake", "screw-up", "blunder"),
                    rf"(?:fault|mistake|screw-up|blunder){_END}",
                ),
            ],
        ),
        "blame": (("blame",), [(_lead("blam"), rf"blam(?:e|ed|es|ing){_END}")]),
        "culprit": (("culprit",), [(_lead("culprit"), rf"culprits?{_END}")]),
        "human": (human_error, _phrases(human_error)),
        "counter": (
            ("should", "could", "would", "ought", "if", "had"),
            [
                (
                    _lead("should", "could", "would", "ought"),
                    rf"(?P<modal>should|could|would|ought{_W}to)(?:n't|{_W}not)?{_W}(?:have|'ve|of)"
                    rf"{_W}(?P<pp>been{_W}(?P<pp2>[a-z]+)|{participle}){_END}",
                ),
                (
                    _lead("should", "could", "would"),
                    rf"(?:should|could|would)'ve{_W}(?P<pp3>{participle}){_END}",
                ),
                (
                    _lead("if"),
                    rf"if{_W}only{_W}(?:[\w-]+{_W}){{1,3}}"
                    rf"(?:had|hadn't|were|weren't|knew|did|didn't){_END}",
                ),
                (
                    _lead("had"),
                    rf"had{_W}(?:we|they|he|she|someone|the{_W}(?:team|engineer|on-call)){_W}"
                    rf"{participle}{_END}",
                ),
            ],
        ),
        "judge": (judgement, _phrases(judgement)),
        "minimise": (
            (*minimising, "obvious", "clearly", "simply", "just", "all", "easy"),
            [
                *_phrases(minimising),
                (_lead("obvious"), rf"obvious{_END}"),
                (_lead("clearly"), rf"clearly(?P<clear>{_W}[\w-]+)?"),
                (
                    _lead("simply"),
                    rf"simply{_W}(?:(?:had|has|have|needed|need|needs){_W}to|forgot|ignored"
                    rf"|missed|didn't|did{_W}not|failed|should|could|check|read|look|restart"
                    rf"|roll{_W}back|revert|run|ask|follow|click|use){_END}",
                ),
                (
                    _lead("just"),
                    rf"just{_W}(?:(?:had|has|have|needed|need|needs|got){_W}to|forgot|ignored"
                    rf"|didn't|did{_W}not|should|could|wasn't|weren't|a{_W}matter{_W}of){_END}",
                ),
                (
                    _lead("all"),
                    rf"all{_W}(?:he|she|they|you|we|someone|anyone|it){_W}(?:had|needed){_W}to"
                    rf"{_W}do{_W}was{_END}",
                ),
                (
                    _lead("easy"),
                    rf"easy{_W}to{_W}(?:see|spot|avoid|prevent|catch|notice|miss){_END}",
                ),
            ],
        ),
        "loaded": (
            (*loaded, "finally", "ignored", "only", "wasted"),
            [
                *_phrases(loaded),
                (_lead("finally"), rf"finally{_W}(?:{_alt(w.FINALLY_VERBS)}){_END}"),
                (
                    _lead("ignored"),
                    rf"ignored{_W}(?:the{_W}|an{_W}|a{_W}|all{_W}|several{_W})?(?:[\w-]+{_W})?"
                    rf"(?:{_alt(w.ALERT_NOUNS)}){_END}",
                ),
                (
                    _lead("only"),
                    rf"only{_W}(?:noticed|realised|realized){_W}(?:after|when|once|at){_END}",
                ),
                (_lead("wasted"), rf"wasted{_W}(?:\w+{_W})?(?:minutes|hours|time){_END}"),
            ],
        ),
        "emotion": (
            ("disaster", "catastrophic", *others),
            [
                (_lead("disaster"), rf"disasters?(?!{_W}recovery|{_W}tolerance|-){_END}"),
                (_lead("catastrophic"), rf"catastrophic(?!{_W}backtracking){_END}"),
                *_phrases(others),
            ],
        ),
    }
    return [
        (name, _starting(starts), alternatives) for name, (starts, alternatives) in branches.items()
    ]


def _starting(words: Iterable[str]) -> str:
    """A lookahead for the first two characters of ``words`` (a one-letter word and the space
    after it): at the head of a branch, it lets the regex engine drop a branch that cannot
    match with a test or two instead of trying each of its words."""
    starts: dict[str, set[str]] = {}
    for word in words:
        tokens = word.split()
        if not tokens:
            continue
        first = tokens[0]  # in any case: the expressions ignore it
        second = re.escape(first[1]) if len(first) > 1 else r"[ \t\n]" if len(tokens) > 1 else ""
        starts.setdefault(re.escape(first[0]), set()).add(second)
    if not starts:
        return ""
    branches = []
    for head, seconds in sorted(starts.items()):
        tails = "|".join(sorted(seconds)) if "" not in seconds else ""
        branches.append(f"{head}(?:{tails})" if tails else head)
    return f"(?={'|'.join(branches)})"


# --- the scan ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LanguageHit:
    rule: str
    hit: Hit


Make = Callable[[str, str, str | None, int], LanguageHit]


def _scan(doc: LintDocument) -> list[LanguageHit]:
    return doc.memo("language", lambda: _find(doc))


_WORDISH = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'’-")


def _find(doc: LintDocument) -> list[LanguageHit]:
    configured = _configured(doc)
    words = _words(configured)
    patterns = _patterns(configured)
    prose = doc.prose
    context = _Context(doc, words, patterns, prose)
    found: list[LanguageHit] = []
    done = 0
    # Matching lowercase text without IGNORECASE is several times faster; lower() keeps offsets
    # unless a character changes length, which the fallback handles. The space put first shifts
    # offsets by one: a trigger's match, which starts on the character before it, starts where
    # the trigger does in the prose.
    lower = prose.lower()
    if len(lower) != len(prose):
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in prose)
    for trigger in patterns.triggers.finditer(" " + lower):
        start = trigger.start()
        if start < done or (start and prose[start - 1] in _WORDISH):
            continue
        result = context.at(start, trigger.group(0)[1:].lower())
        if result is None:
            continue
        hit, end = result
        if " ".join(hit.hit.text.lower().split()) not in words.allow:
            found.append(hit)
        done = end
    return found


class _Context:
    """What the judging of one match needs: the document, the words, the patterns, the prose."""

    def __init__(self, doc: LintDocument, words: Words, patterns: Patterns, prose: str) -> None:
        self.doc = doc
        self.words = words
        self.patterns = patterns
        self.prose = prose
        self._people: frozenset[str] | None = None

    @property
    def people(self) -> frozenset[str]:
        if self._people is None:
            self._people = _people(self.doc, self.words)
        return self._people

    def at(self, start: int, word: str) -> tuple[LanguageHit, int] | None:
        """The finding that starts with the trigger word at ``start``, and where it ends."""
        if word in self.patterns.fault_starts:
            found = self._fault(start)
            if found is not None:
                return found
        match = self.patterns.rest_match(self.prose, start, word)
        if match is None:
            return None
        hit = _judge(match, self)
        return (hit, match.end()) if hit is not None else None

    def _fault(self, start: int) -> tuple[LanguageHit, int] | None:
        fault = self.patterns.fault.match(self.prose, start)
        if fault is None:
            return None
        window = max(0, start - 80)
        subject = self.patterns.subject.search(self.prose, window, start)
        if subject is not None:
            hit = _person(subject.group("subj"), subject.start(), fault, self)
            if hit is not None:
                return hit, fault.end()
        verb = fault.group(0).split()[0].lower()
        if verb in ("failed", "neglected", "omitted", "forgot"):
            collective = self.patterns.collective.search(self.prose, window, start)
            if collective is not None:
                return _collective(collective.start(), fault, self), fault.end()
        return None

    def hit(
        self, start: int, end: int, rule_id: str, message: str, suggestion: str | None, shift: int
    ) -> LanguageHit:
        doc = self.doc
        line, column = doc.position(start)
        end_line, end_column = doc.position(end)
        text = " ".join(self.prose[start:end].split())
        last = end_column if end_line == line else None
        return LanguageHit(rule_id, Hit(line, column, text, message, suggestion, shift, last))


def _people(doc: LintDocument, words: Words) -> frozenset[str]:
    """First names of the people the document names, and the configured and common ones."""
    names = set(words.names)
    pm = doc.postmortem if _needs_model(doc) else None
    if pm is not None:
        listed = [*pm.authors, *(p.name for p in pm.participants)]
        listed += [a.owner or "" for a in pm.action_items]
        listed += [e.actor or "" for e in pm.timeline]
        listed += [s.name or "" for s in pm.signoffs]
        listed.append(pm.incident_commander or "")
        for person in listed:
            for part in re.findall(r"[A-Z][a-z]+", person):
                if part.lower() not in words.system:
                    names.add(part.lower())
    return frozenset(names)


def _needs_model(doc: LintDocument) -> bool:
    # The names the document gives come from the parsed model. The other families parse it
    # anyway; a language-only run does not pay for it.
    return any(not id_.startswith("L") for id_ in doc.config.enabled_for(doc.path))


def _subject_words(prose: str, start: int, count: int = 3) -> list[str]:
    """The last few words before ``start`` in the same clause, lowercased."""
    head = prose[max(0, start - 60) : start]
    clause = re.split(r"[.;:!?|()\n]\s|[,]\s(?:and|but|so|which)\s", head)[-1]
    return re.findall(r"[\w'-]+", clause.lower())[-count:]


def _is_system_subject(words_before: list[str], words: Words) -> bool:
    return any(word.removesuffix("'s") in words.system for word in words_before)


def _is_person_subject(words_before: list[str], people: frozenset[str]) -> bool:
    return any(word in w.PERSON_WORDS or word in people for word in words_before)


def _judge(match: re.Match[str], ctx: _Context) -> LanguageHit | None:
    """A match of one of the keyword-led branches, checked in its context."""
    kind = match.lastgroup
    start, end = match.start(), match.end()
    text = " ".join(match.group(0).split())
    prose, words = ctx.prose, ctx.words
    section = ctx.doc.kind_at(ctx.doc.position(start)[0])
    if kind == "owned":
        owner = ctx.patterns.owner.search(prose, max(0, start - 40), start)
        if owner is None or owner.group("owner").lower() in _NOBODY:
            return None
        return _blame(owner.start(), end, ctx)
    if kind == "blame":
        return _blame(start, end, ctx)
    if kind == "culprit":
        near = _subject_words(prose, start, 4)
        near += re.findall(r"[\w'-]+", prose[end : end + 40].lower())[:4]
        if not _is_person_subject(near, ctx.people) or _is_system_subject(near, words):
            return None  # "the culprit was a race condition" names a cause, not a person
        return _blame(start, end, ctx)
    if kind == "human":
        if section == "action_items":
            return None  # "automate this to remove the risk of human error" looks forward
        return ctx.hit(
            start,
            end,
            "L102",
            f"'{text}' is a label, not an explanation: say what the person did and what made "
            "it easy to do",
            "describe the action and the conditions: 'the command ran against production "
            "because both consoles look the same'",
            -1 if section in ("lessons", "went_poorly") else 0,
        )
    if kind == "counter":
        return _counterfactual(match, ctx, section)
    if kind == "judge":
        if text.lower().startswith("lazy") and _lazy_is_technical(end, prose):
            return None
        return ctx.hit(
            start,
            end,
            "L104",
            f"'{text}' judges a person; a postmortem describes actions and conditions",
            f"delete '{text}' and describe what was done",
            0,
        )
    if kind == "minimise":
        return _minimising(match, ctx)
    if kind == "loaded":
        if _is_system_subject(_subject_words(prose, start, 2), words):
            return None
        return ctx.hit(
            start,
            end,
            "L106",
            f"'{text}' judges the timing with hindsight; state the times and what was known",
            "give the timestamps ('the page was acknowledged at 10:14, 12 minutes after it "
            "fired') and what competed for attention",
            0,
        )
    if kind == "emotion":
        return ctx.hit(
            start,
            end,
            "L107",
            f"'{text}' is emotional or inflated; describe the impact in numbers",
            "state what happened and its size: 'checkout failed for 18% of requests for 42 "
            "minutes'",
            0,
        )
    return None


_NOT_A_NAME = frozenset(p.lower() for p in (*w.PRONOUNS, *w.BARE_ROLES))
_NOBODY = frozenset({"no", "nobody", "noone", "anyone", "anybody", "one", "it", "that", "who"})

_REWRITES = {
    "forgot": "the step was skipped; nothing in the process checks that it ran",
    "ignored": "the alert did not lead to action; it fired among many and gave no context",
    "broke": "the change broke it; the tests and the rollout did not catch it",
    "missed": "it was not seen; it went to a channel nobody watches",
    "caused": "the change caused it",
    "failed": "it did not happen; nothing required or checked it",
    "neglected": "it did not happen; nothing required or checked it",
    "overlooked": "it was not seen; say what made it easy to miss",
}


def _person(subject: str, start: int, fault: re.Match[str], ctx: _Context) -> LanguageHit | None:
    words = subject.split()
    first = words[0]
    single_word = len(words) == 1 and first[0].isupper() and first.isalpha()
    single_word = single_word and first.lower() not in _NOT_A_NAME
    if single_word and first.lower() not in ctx.people:
        return None  # a capitalised word that is not a known name: "Kubernetes broke"
    verb = fault.group(0).lower().split()[0].replace("’", "'")
    rewrite = _REWRITES.get(verb, "say what happened and what in the system made it possible")
    text = " ".join(ctx.prose[start : fault.end()].split())
    return ctx.hit(
        start,
        fault.end(),
        "L101",
        f"'{text}' makes a person the cause; describe what happened and what allowed it",
        f"'{rewrite}'",
        0,
    )


def _collective(start: int, fault: re.Match[str], ctx: _Context) -> LanguageHit:
    text = " ".join(ctx.prose[start : fault.end()].split())
    section = ctx.doc.kind_at(ctx.doc.position(start)[0])
    return ctx.hit(
        start,
        fault.end(),
        "L103",
        f"'{text}' is a counterfactual: it describes what was not done instead of what happened",
        "describe what happened and what would have made the step happen",
        _COUNTER_SHIFT.get(section or "", 0),
    )


_NEGATION = re.compile(
    r"\b(?:not|no|without|never|avoid|avoids|avoiding|n't|free of|nor)\b\W*(?:\w+\W+)?$"
)


def _blame(start: int, end: int, ctx: _Context) -> LanguageHit | None:
    before = ctx.prose[max(0, start - 40) : start].lower()
    if _NEGATION.search(before):
        return None  # "we do not blame", "focus on facts, not blame"
    text = " ".join(ctx.prose[start:end].split())
    return ctx.hit(
        start,
        end,
        "L101",
        f"'{text}' assigns blame; name the cause in the system instead",
        "'the cause was …' and describe the conditions that let it happen",
        0,
    )


_COUNTER_SHIFT = {"timeline": 1, "lessons": -1, "went_poorly": -1, "action_items": -1, "lucky": -1}
_PARTICIPLE = re.compile(rf"[a-z]+ed|{'|'.join(w.PARTICIPLES)}")


def _counterfactual(match: re.Match[str], ctx: _Context, section: str | None) -> LanguageHit | None:
    text = " ".join(match.group(0).split())
    groups = match.groupdict()
    modal = (groups.get("modal") or text.split("'")[0].split()[0]).lower()
    verbs = (groups.get("pp") or groups.get("pp3") or "").lower().split()
    pp = verbs[0] if verbs else ""
    pp2 = (groups.get("pp2") or "").lower()
    prose = ctx.prose
    before = _subject_words(prose, match.start())
    if pp == "been":
        tail = " ".join(prose[match.end() : match.end() + 30].lower().split())
        rest = " ".join(filter(None, (pp2, tail)))
        if any(rest.startswith(ok) for ok in w.COULD_BEEN_OK):
            return None
        if modal == "would" and not _is_person_subject(before, ctx.people):
            return None
        if not _PARTICIPLE.fullmatch(pp2):
            return None  # "should have been a P1": a judgement of severity, not of people
    elif pp:
        if modal == "would" and pp in w.OPINION_VERBS:
            return None  # "we would have expected": an expectation, not a judgement
        if pp not in w.PERSON_VERBS:
            subjects = [b for b in before if not (modal != "should" and b == "they")]
            if not _is_person_subject(subjects, ctx.people):
                return None
            if _is_system_subject(before[-1:], ctx.words):
                return None
    return ctx.hit(
        match.start(),
        match.end(),
        "L103",
        f"'{text}' is a counterfactual: it judges with what was learned later; describe what "
        "happened and why it made sense at the time",
        "'at 10:05 the dashboard showed X; the runbook did not mention Y'",
        _COUNTER_SHIFT.get(section or "", 0),
    )


def _lazy_is_technical(end: int, prose: str) -> bool:
    after = prose[end : end + 30].lower().split()
    return bool(after) and after[0].strip(".,;:") in w.LAZY_TECH


_OBVIOUS_BEFORE = re.compile(r"\b(?:was|is|'s|’s|been|seemed|seems|be)\s+$", re.IGNORECASE)


def _minimising(match: re.Match[str], ctx: _Context) -> LanguageHit | None:
    text = " ".join(match.group(0).split())
    lower = text.lower()
    start = match.start()
    before = ctx.prose[max(0, start - 20) : start]
    if lower == "obvious" and not _OBVIOUS_BEFORE.search(before):
        return None  # "an obvious next step" describes the step, not what people missed
    if lower.startswith("clearly"):
        follower = (match.groupdict().get("clear") or "").strip().lower()
        if follower.endswith("ed") or follower.startswith(w.CLEARLY_OK):
            return None  # "clearly documented", "clearly visible"
        text = "clearly"
    word = text.split()[0] if lower.startswith(("just", "simply", "clearly")) else text
    end = start + len(word) if word != text or lower.startswith("clearly") else match.end()
    return ctx.hit(
        start,
        end,
        "L105",
        f"'{word}' minimises or reads as obvious only in hindsight; it was not obvious then",
        f"delete '{word}' and say what was known at the time",
        0,
    )


# --- the rules --------------------------------------------------------------------------------


def _hits(doc: LintDocument, rule_id: str) -> Iterator[Hit]:
    return (found.hit for found in _scan(doc) if found.rule == rule_id)


@rule(
    "L101",
    "person-as-cause",
    "error",
    summary="A person, pronoun or role is the subject of a fault, or blame is assigned.",
    explanation=(
        "Naming a person as the cause stops the analysis at the point where it becomes useful: "
        "people act sensibly given what they know, so the question is what the system showed "
        "them and allowed them to do. Blame also teaches the next responder to say less. "
        "Describe the action neutrally and the conditions that made it possible. A person as a "
        "neutral actor ('Maria acknowledged the page at 10:02') is fine."
    ),
    bad="At 10:04 Dave forgot to drain the node before the upgrade.",
    good="At 10:04 the node was upgraded without being drained; the upgrade script does not "
    "drain nodes first.",
)
def person_as_cause(doc: LintDocument) -> Iterator[Hit]:
    return _hits(doc, "L101")


@rule(
    "L102",
    "human-error",
    "error",
    summary="'Human error', 'operator error' or 'fat-fingered' used as an explanation.",
    explanation=(
        "'Human error' is where an investigation should start, not where it ends. Every system "
        "operated by people will see mistakes; the useful findings are what made this one easy "
        "to make and hard to notice. In action items the phrase is not reported: reducing the "
        "room for mistakes is a fine goal."
    ),
    bad="The root cause was human error: an operator fat-fingered the instance count.",
    good="The instance count was typed as 3 instead of 30; the console accepts any number "
    "without confirmation.",
)
def human_error(doc: LintDocument) -> Iterator[Hit]:
    return _hits(doc, "L102")


@rule(
    "L103",
    "counterfactual",
    "warning",
    summary="A counterfactual about people: 'should have', 'could have', 'failed to', 'if only'.",
    explanation=(
        "Counterfactuals describe a world that did not happen and judge the people in it with "
        "knowledge they did not have. They are worst in the timeline, which should say what "
        "happened (reported as an error there), and mildest in lessons learned (reported as "
        "info). Forward-looking 'should' ('we should add an alert') is not a counterfactual and "
        "is not reported; neither are systems ('the alert should have fired')."
    ),
    bad="The on-call engineer should have rolled back sooner.",
    good="The rollback started at 10:40, 25 minutes after the first alert; the alert did not "
    "link to the deploy that preceded it.",
)
def counterfactual(doc: LintDocument) -> Iterator[Hit]:
    return _hits(doc, "L103")


@rule(
    "L104",
    "judgement",
    "error",
    summary="A word that judges people: careless, negligent, sloppy, lazy, incompetent...",
    explanation=(
        "Judgements of character explain nothing about the incident and make the next "
        "postmortem less honest. Describe what was done and the conditions around it. "
        "Technical uses ('lazy-loaded', 'lazy loading') are not reported."
    ),
    bad="A careless config change took down the API.",
    good="A config change took down the API; the config is not validated before it is applied.",
)
def judgement(doc: LintDocument) -> Iterator[Hit]:
    return _hits(doc, "L104")


@rule(
    "L105",
    "hindsight-minimising",
    "warning",
    summary="Hindsight and minimising words: obviously, clearly, simply, 'just had to'.",
    explanation=(
        "Words like 'obviously' and 'just' make a decision look easy with knowledge gained "
        "afterwards, and imply the people involved missed something simple. What is obvious "
        "now was not obvious then; say what was known at the time instead. 'Clearly "
        "documented' and 'just in time' are not reported."
    ),
    bad="The fix was obviously to restart the pod; the on-call just had to check the logs.",
    good="Restarting the pod fixed it; the error that pointed to it was in the pod's logs, "
    "which the runbook does not mention.",
)
def hindsight_minimising(doc: LintDocument) -> Iterator[Hit]:
    return _hits(doc, "L105")


@rule(
    "L106",
    "loaded-timing",
    "warning",
    summary="Loaded timing: 'finally noticed', 'took too long', 'ignored the alert'.",
    explanation=(
        "Judging how fast people reacted hides why they reacted when they did: competing "
        "alerts, missing context, a page at 3 a.m. Give the timestamps and what was known; the "
        "reader can see the delay. Systems are not judged ('the query took too long' is fine)."
    ),
    bad="The on-call finally noticed the alert after it had fired for 40 minutes.",
    good="The alert fired at 09:20 and was acknowledged at 10:00; 14 other alerts fired in "
    "that window.",
)
def loaded_timing(doc: LintDocument) -> Iterator[Hit]:
    return _hits(doc, "L106")


@rule(
    "L107",
    "emotional",
    "warning",
    summary="Emotional or inflated wording: disaster, unacceptable, embarrassing...",
    explanation=(
        "Emotional words carry judgement without information and make readers defensive. "
        "State the impact in numbers: who was affected, how, for how long. 'Disaster recovery' "
        "is a technical term and is not reported."
    ),
    bad="The outage was a disaster and completely unacceptable.",
    good="Checkout failed for 18% of requests for 42 minutes; about 3,100 orders were not placed.",
)
def emotional(doc: LintDocument) -> Iterator[Hit]:
    return _hits(doc, "L107")
