"""Related incidents: the past postmortems most like a given one, and why each was chosen.

Pure Python, no model to download. Similarity adds four parts, each from 0 to 1:

- *text* (weight 0.55): Okapi BM25 (k1 = 1.2, b = 0.75) of the other postmortem for the given
  one's 40 most distinctive words, divided by the given one's score against itself;
- *services* (0.20), *contributing-factor themes* (0.10) and *tags* (0.15): the Jaccard overlap
  of the two sets.

The reasons name the shared services, themes and tags and the words that weighed most.

Two ways in, one answer: :func:`find_related` over postmortems in hand (``--from DIR``), and
:func:`find_related_in_store` over the store, which reads every postmortem's words from the
search index's text instead of loading and validating every document, and reads contributing
factors (for themes) only for the postmortems that can still make the list. Every statistic
(document frequencies, lengths) is still taken over every postmortem, so both give the same
scores.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from hindsight.insights.patterns import factor_themes
from hindsight.model import Postmortem

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from hindsight.store.search import IndexedPostmortem

K1 = 1.2
B = 0.75
QUERY_TERMS = 40
WEIGHTS = {"text": 0.55, "services": 0.20, "themes": 0.10, "tags": 0.15}
THEMES_BATCH = 200
"""How many postmortems' contributing factors the store path reads at a time."""

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOPWORD_TEXT = """
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just me more most my
no nor not now of off on once only or other our ours out over own same she should so some such
than that the their theirs them then there these they this those through to too under until up
very was we were what when where which while who whom why will with would you your yours one two
new used use using however within without across per via time times incident incidents issue
issues postmortem
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _stem(word: str) -> str:
    """A light suffix stripper, so that ``timeouts``/``timeout``, ``failed``/``failing``/``fail``
    and ``nodes``/``node`` meet; not a full Porter stemmer."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ations", "ation", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


@lru_cache(maxsize=65536)
def _term(word: str) -> str | None:
    """The stem a word counts as, or ``None`` for a stop word, number or single letter."""
    lowered = word.lower()
    if len(lowered) < 2 or lowered.isdigit() or lowered in STOPWORDS:
        return None
    return _stem(lowered)


def tokenize(text: str) -> list[str]:
    """Lower-cased word stems, without stop words, numbers and single letters."""
    return [term for word in _WORD.findall(text) if (term := _term(word)) is not None]


def _term_counts(
    title: str, summary: str, body: str, seen: dict[str, str | None]
) -> dict[str, int]:
    """How often each stem of :func:`tokenize` occurs in :func:`document_text` (the title and
    summaries twice) of these three parts. Each distinct word is stemmed once and remembered in
    ``seen`` (word to stem): a collection's words repeat, so sharing ``seen`` saves most of the
    stemming."""
    words = Counter(_WORD.findall(body))
    heading = _WORD.findall(f"{title}\n{summary}")
    words.update(heading)
    words.update(heading)
    counts: dict[str, int] = {}
    for word, times in words.items():
        if word in seen:
            term = seen[word]
        else:
            term = seen[word] = _term(word)
        if term is not None:
            counts[term] = counts.get(term, 0) + times
    return counts


def _surface_forms(text: str) -> dict[str, str]:
    """The first way each stem was written, to show words rather than stems."""
    forms: dict[str, str] = {}
    for word in _WORD.findall(text):
        lowered = word.lower()
        if len(lowered) > 1 and lowered not in STOPWORDS:
            forms.setdefault(_stem(lowered), lowered)
    return forms


def document_text(postmortem: Postmortem) -> str:
    from hindsight.store.search import search_text

    title, summary, body = search_text(postmortem)
    # The title and summaries count twice: they say what the incident was about.
    return "\n".join((title, title, summary, summary, body))


@dataclass
class _Doc:
    """A postmortem as scoring sees it; ``themes`` is ``None`` until read (store path)."""

    id: str | None
    terms: dict[str, int]
    length: int
    services: frozenset[str]
    tags: frozenset[str]
    themes: frozenset[str] | None
    postmortem: Postmortem | None = None


def _lowered(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in values if v.strip())


def _themes(factors: Iterable[str]) -> frozenset[str]:
    return _lowered(t for f in factors for t in factor_themes(f))


def _doc(postmortem: Postmortem, seen: dict[str, str | None]) -> _Doc:
    from hindsight.store.search import search_text

    doc = _counted(postmortem.id, search_text(postmortem), seen)
    doc.services, doc.tags = _lowered(postmortem.services), _lowered(postmortem.tags)
    doc.themes = _themes(postmortem.contributing_factors)
    doc.postmortem = postmortem
    return doc


def _indexed_doc(row: IndexedPostmortem, seen: dict[str, str | None]) -> _Doc:
    doc = _counted(row.id, (row.title, row.summary, row.body), seen)
    doc.services, doc.tags = _lowered(row.services), _lowered(row.tags)
    return doc


def _counted(pm_id: str | None, texts: tuple[str, str, str], seen: dict[str, str | None]) -> _Doc:
    terms = _term_counts(*texts, seen)
    return _Doc(pm_id, terms, sum(terms.values()), frozenset(), frozenset(), None)


@dataclass
class Index:
    """BM25 statistics over a set of postmortems."""

    docs: list[_Doc]
    df: Counter[str] = field(default_factory=Counter)
    avgdl: float = 1.0

    @classmethod
    def build(cls, docs: Iterable[_Doc]) -> Index:
        docs = list(docs)
        df: Counter[str] = Counter()
        for doc in docs:
            df.update(doc.terms.keys())
        avgdl = sum(d.length for d in docs) / len(docs) if docs else 1.0
        return cls(docs, df, avgdl or 1.0)

    def idf(self, term: str) -> float:
        n, df = len(self.docs), self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def bm25(self, query: dict[str, float], doc: _Doc) -> dict[str, float]:
        """Each query term's part of the BM25 score of ``doc``."""
        return self.scorer(query)(doc)

    def scorer(self, query: dict[str, float]) -> Callable[[_Doc], dict[str, float]]:
        """:meth:`bm25` for one query over many documents: each idf is computed once."""
        weights = [(term, weight * self.idf(term)) for term, weight in query.items()]
        avgdl = self.avgdl

        def parts(doc: _Doc) -> dict[str, float]:
            norm = K1 * (1 - B + B * doc.length / avgdl)
            found = {}
            for term, weighted in weights:
                tf = doc.terms.get(term, 0)
                if tf:
                    found[term] = weighted * tf * (K1 + 1) / (tf + norm)
            return found

        return parts


@dataclass(frozen=True)
class Related:
    """A similar postmortem, its score (0 to 1) and why it was chosen."""

    postmortem: Postmortem
    score: float
    parts: dict[str, float]
    reasons: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        pm = self.postmortem
        return {
            "id": pm.id,
            "title": pm.title,
            "date": pm.incident_date.isoformat() if pm.incident_date else None,
            "score": round(self.score, 4),
            "parts": {k: round(v, 4) for k, v in self.parts.items()},
            "reasons": list(self.reasons),
        }


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _query(index: Index, doc: _Doc) -> dict[str, float]:
    """The ``QUERY_TERMS`` most distinctive words of ``doc`` (by tf-idf), weight 1 each."""
    ranked = sorted(doc.terms, key=lambda t: (-doc.terms[t] * index.idf(t), t))
    return dict.fromkeys(ranked[:QUERY_TERMS], 1.0)


def _reasons(
    target: _Doc, other: _Doc, words: Sequence[str], forms: dict[str, str]
) -> tuple[str, ...]:
    reasons = []
    assert target.themes is not None and other.themes is not None
    for label, a, b in (
        ("same services", target.services, other.services),
        ("shared contributing-factor themes", target.themes, other.themes),
        ("shared tags", target.tags, other.tags),
    ):
        if shared := sorted(a & b):
            reasons.append(f"{label}: {', '.join(shared)}")
    if words:
        reasons.append("similar wording: " + ", ".join(forms.get(w, w) for w in words))
    return tuple(reasons)


@dataclass
class _Match:
    """One postmortem's parts of the score. ``bound`` is the most its score can be before its
    themes are known; ``score`` is set once they are."""

    position: int
    doc: _Doc
    term_parts: dict[str, float]
    parts: dict[str, float]
    bound: float
    score: float = 0.0


def _match(
    me: _Doc, position: int, doc: _Doc, term_parts: dict[str, float], self_score: float
) -> _Match:
    text = min(1.0, sum(term_parts.values()) / self_score)
    services = _jaccard(me.services, doc.services)
    tags = _jaccard(me.tags, doc.tags)
    bound = WEIGHTS["text"] * text + WEIGHTS["services"] * services + WEIGHTS["tags"] * tags
    parts = {"text": text, "services": services, "themes": 0.0, "tags": tags}
    return _Match(position, doc, term_parts, parts, bound + WEIGHTS["themes"])


def _finish(me: _Doc, match: _Match) -> None:
    assert me.themes is not None and match.doc.themes is not None
    match.parts["themes"] = _jaccard(me.themes, match.doc.themes)
    match.score = sum(WEIGHTS[name] * value for name, value in match.parts.items())


def _order(match: _Match) -> tuple[float, str, int]:
    # Postmortems read from files may share an id or have none: then the first read wins.
    return -match.score, match.doc.id or "", match.position


# A score and its bound add the same parts in another order: they may differ by a rounding
# error, never by this much.
_SLACK = 1e-9


def _best(
    me: _Doc,
    index: Index,
    limit: int,
    read_themes: Callable[[list[_Doc]], None],
) -> list[_Match]:
    """The ``limit`` best-scoring postmortems of ``index`` with a score above 0, best first.

    Themes weigh least, so every other part is scored first; themes are then read for the
    postmortems in order of the most they can score, until no other can reach the list."""
    if limit < 1:
        return []
    query = _query(index, me)
    self_score = sum(index.bm25(query, me).values()) or 1.0
    bm25 = index.scorer(query)
    pending = sorted(
        (_match(me, n, doc, bm25(doc), self_score) for n, doc in enumerate(index.docs)),
        key=lambda m: -m.bound,
    )
    best: list[_Match] = []
    for start in range(0, len(pending), THEMES_BATCH):
        batch = pending[start : start + THEMES_BATCH]
        if len(best) == limit and batch[0].bound + _SLACK < best[-1].score:
            break
        read_themes([m.doc for m in batch if m.doc.themes is None])
        for match in batch:
            _finish(me, match)
        best = sorted(best + [m for m in batch if m.score > 0], key=_order)[:limit]
    return best


def _related(me: _Doc, match: _Match, postmortem: Postmortem, forms: dict[str, str]) -> Related:
    top_words = sorted(match.term_parts, key=lambda t: -match.term_parts[t])[:5]
    reasons = _reasons(me, match.doc, top_words, forms)
    return Related(postmortem, match.score, match.parts, reasons)


def find_related(
    target: Postmortem, others: Iterable[Postmortem], *, limit: int = 5
) -> list[Related]:
    """The ``limit`` postmortems most similar to ``target``, best first; never ``target`` itself
    (same id). Postmortems that share nothing with it are not listed."""
    seen: dict[str, str | None] = {}
    candidates = [pm for pm in others if target.id is None or pm.id != target.id]
    index = Index.build(_doc(pm, seen) for pm in candidates)
    me = _doc(target, seen)
    forms = _surface_forms(document_text(target))
    found = []
    for match in _best(me, index, limit, lambda docs: None):
        assert match.doc.postmortem is not None
        found.append(_related(me, match, match.doc.postmortem, forms))
    return found


def find_related_in_store(
    *, session: Session, ref: str, limit: int = 5
) -> tuple[Postmortem, list[Related]]:
    """The stored postmortem ``ref`` (its id, exactly or ignoring case) and the ``limit`` stored
    postmortems most similar to it: the same answer as :func:`find_related` over every stored
    postmortem."""
    from hindsight.insights.collection import gc_paused

    with gc_paused():
        return _related_in_store(session, ref, limit)


def _related_in_store(session: Session, ref: str, limit: int) -> tuple[Postmortem, list[Related]]:
    from hindsight.store import repository
    from hindsight.store.search import indexed_postmortems

    target = repository.get_postmortem(session=session, ref=ref).postmortem
    seen: dict[str, str | None] = {}
    rows = indexed_postmortems(session=session)
    index = Index.build(_indexed_doc(row, seen) for row in rows if row.id != target.id)
    me = _doc(target, seen)
    themes_of: dict[tuple[str, ...], frozenset[str]] = {}

    def read_themes(docs: list[_Doc]) -> None:
        ids = [doc.id for doc in docs if doc.id is not None]
        factors = repository.list_contributing_factors(session=session, ids=ids)
        for doc in docs:
            key = tuple(factors.get(doc.id or "", ()))
            if key not in themes_of:
                themes_of[key] = _themes(key)
            doc.themes = themes_of[key]

    best = _best(me, index, limit, read_themes)
    stored = repository.get_postmortems(session=session, ids=[m.doc.id or "" for m in best])
    postmortems = {pm.id: pm for pm in stored}
    forms = _surface_forms(document_text(target))
    # A postmortem deleted meanwhile by someone else is left out.
    return target, [
        _related(me, m, postmortems[m.doc.id], forms) for m in best if m.doc.id in postmortems
    ]
