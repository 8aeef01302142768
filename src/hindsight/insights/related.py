"""Related incidents: the past postmortems most like a given one, and why each was chosen.

Pure Python, no model to download. Similarity adds four parts, each from 0 to 1:

- *text* (weight 0.55): Okapi BM25 (k1 = 1.2, b = 0.75) of the other postmortem for the given
  one's 40 most distinctive words, divided by the given one's score against itself;
- *services* (0.20), *contributing-factor themes* (0.10) and *tags* (0.15): the Jaccard overlap
  of the two sets.

The reasons name the shared services, themes and tags and the words that weighed most.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from hindsight.insights.patterns import factor_themes
from hindsight.model import Postmortem

K1 = 1.2
B = 0.75
QUERY_TERMS = 40
WEIGHTS = {"text": 0.55, "services": 0.20, "themes": 0.10, "tags": 0.15}

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
    postmortem: Postmortem
    terms: Counter[str]
    length: int
    services: frozenset[str]
    tags: frozenset[str]
    themes: frozenset[str]


def _lowered(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in values if v.strip())


def _doc(postmortem: Postmortem) -> _Doc:
    terms = Counter(tokenize(document_text(postmortem)))
    themes = [t for f in postmortem.contributing_factors for t in factor_themes(f)]
    return _Doc(
        postmortem,
        terms,
        sum(terms.values()),
        _lowered(postmortem.services),
        _lowered(postmortem.tags),
        _lowered(themes),
    )


@dataclass
class Index:
    """BM25 statistics over a set of postmortems."""

    docs: list[_Doc]
    df: Counter[str] = field(default_factory=Counter)
    avgdl: float = 1.0

    @classmethod
    def build(cls, postmortems: Iterable[Postmortem]) -> Index:
        docs = [_doc(pm) for pm in postmortems]
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
        norm = K1 * (1 - B + B * doc.length / self.avgdl)
        parts = {}
        for term, weight in query.items():
            tf = doc.terms.get(term, 0)
            if tf:
                parts[term] = weight * self.idf(term) * tf * (K1 + 1) / (tf + norm)
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


def find_related(
    target: Postmortem, others: Iterable[Postmortem], *, limit: int = 5
) -> list[Related]:
    """The ``limit`` postmortems most similar to ``target``, best first; never ``target`` itself
    (same id). Postmortems that share nothing with it are not listed."""
    candidates = [pm for pm in others if target.id is None or pm.id != target.id]
    index = Index.build(candidates)
    me = _doc(target)
    query = _query(index, me)
    self_score = sum(index.bm25(query, me).values()) or 1.0
    forms = _surface_forms(document_text(target))
    found = []
    for doc in index.docs:
        term_parts = index.bm25(query, doc)
        parts = {
            "text": min(1.0, sum(term_parts.values()) / self_score),
            "services": _jaccard(me.services, doc.services),
            "themes": _jaccard(me.themes, doc.themes),
            "tags": _jaccard(me.tags, doc.tags),
        }
        score = sum(WEIGHTS[name] * value for name, value in parts.items())
        if score <= 0:
            continue
        top_words = sorted(term_parts, key=lambda t: -term_parts[t])[:5]
        found.append(Related(doc.postmortem, score, parts, _reasons(me, doc, top_words, forms)))
    found.sort(key=lambda r: (-r.score, r.postmortem.id or ""))
    return found[:limit]
