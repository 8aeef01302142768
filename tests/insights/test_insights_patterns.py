"""Recurring patterns and related incidents, on hand-built incidents and on the icco corpus."""

from __future__ import annotations

from collections import Counter
from datetime import date

from insights_data import front_matter, icco_corpus, incident

from hindsight.insights.patterns import factor_themes, find_patterns
from hindsight.insights.related import find_related, tokenize
from hindsight.model import Postmortem


def test_factor_themes() -> None:
    assert factor_themes("Alert thresholds were tuned for average load") == [
        "capacity and load",
        "monitoring and alerting",
    ]
    assert factor_themes("The TLS certificate expired") == ["certificates and secrets"]
    assert factor_themes("Nobody knew who owned it!") == ["nobody knew who owned it"]
    assert factor_themes("   ") == []


def test_patterns_on_hand_built_incidents() -> None:
    pms = [
        incident(
            "I1",
            detected="2026-10-01T00:00:00Z",
            services=["api"],
            tags=["deploy"],
            contributing_factors=["No canary for the config push", "Nobody knew who owned it"],
        ),
        incident(
            "I2",
            detected="2026-10-08T00:00:00Z",
            services=["api", "db"],
            tags=["Deploy"],
            contributing_factors=["A configuration flag flipped for all regions"],
        ),
        incident(
            "I3",
            detected="2026-10-09T00:00:00Z",
            services=["db"],
            contributing_factors=["nobody knew who owned it."],
        ),
        incident(
            "I4",
            detected="2026-10-10T00:00:00Z",
            services=["api"],
            incident_type="drill",
            tags=["deploy"],
        ),
        incident("I5", detected="2026-11-10T00:00:00Z", services=["api"]),
    ]
    found = find_patterns(pms, since=date(2026, 10, 1), until=date(2026, 10, 31))
    assert found.incidents == 3
    assert [(p.key, p.incidents) for p in found.services] == [
        ("api", ("I1", "I2")),
        ("db", ("I2", "I3")),
    ]
    assert [(p.key, p.incidents) for p in found.tags] == [("deploy", ("I1", "I2"))]
    assert [(p.key, p.incidents) for p in found.themes] == [
        ("configuration change", ("I1", "I2")),
        ("nobody knew who owned it", ("I1", "I3")),
    ]
    everything = find_patterns(pms, include_drills=True)
    assert everything.services[0].key == "api" and everything.services[0].count == 4


def test_patterns_on_the_corpus_match_its_front_matter() -> None:
    corpus = icco_corpus()
    found = find_patterns(corpus, include_drills=True)
    assert found.incidents == 242
    categories = Counter(c for pm in corpus for c in front_matter(pm.id or "")["categories"])
    assert {p.key: p.count for p in found.tags} == {k: v for k, v in categories.items() if v > 1}
    assert found.tags[0].key == "config-change" and found.tags[0].count == 111
    # Services match ignoring case ("Github" and "GitHub" are one).
    companies = Counter(str(front_matter(pm.id or "")["company"]).lower() for pm in corpus)
    top = [(p.key.lower(), p.count) for p in found.services[:3]]
    assert top == companies.most_common(3)
    google = next(p for p in found.services if p.key == "Google")
    assert all("Google" in pm.services for pm in corpus if pm.id in google.incidents)


def test_patterns_in_a_period_of_the_corpus() -> None:
    corpus = icco_corpus()
    found = find_patterns(corpus, since=date(2017, 1, 1), until=date(2017, 12, 31))
    in_2017 = [
        pm
        for pm in corpus
        if pm.milestones.impact_started_at and pm.milestones.impact_started_at.year == 2017
    ]
    assert found.incidents == len(in_2017) > 0
    for pattern in found.tags:
        assert set(pattern.incidents) <= {pm.id for pm in in_2017}


# --- related incidents ------------------------------------------------------------------------


SIMPLEDB = "00b7f759-21f8-4767-8803-f09d863005cd"


def test_tokenize_drops_stop_words_and_stems() -> None:
    assert tokenize("The handshake timeouts were failing; the nodes failed.") == tokenize(
        "handshake timeout fail node fail"
    )
    for forms in (
        "node nodes",
        "cause causes caused causing",
        "stop stopped stopping stops",
        "replica replicas",
        "query queries",
        "configure configured configuration",
    ):
        assert len(set(tokenize(forms))) == 1, forms
    assert tokenize("a 2024 x") == []


def test_a_new_report_of_a_known_failure_finds_it_first() -> None:
    new = Postmortem(
        id="INC-NEW",
        title="Storage nodes dropped out of the cluster",
        summary="Lock service handshake timeouts made SimpleDB metadata nodes leave the cluster.",
        services=["Amazon"],
        tags=["cloud"],
    )
    found = find_related(new, icco_corpus(), limit=5)
    assert found[0].postmortem.id == SIMPLEDB
    reasons = " | ".join(found[0].reasons)
    assert "same services: amazon" in reasons
    assert "shared tags: cloud" in reasons
    assert "handshake" in reasons and "simpledb" in reasons


def test_related_never_lists_itself_and_explains_every_choice() -> None:
    corpus = icco_corpus()
    for target in corpus[::40]:
        found = find_related(target, corpus, limit=5)
        assert found, target.id
        assert all(r.postmortem.id != target.id for r in found)
        assert all(r.reasons and 0 < r.score <= 1 for r in found)
        assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)


def test_related_prefers_the_same_company_and_category() -> None:
    corpus = icco_corpus()
    hits = 0
    targets = [pm for pm in corpus if pm.services and pm.services[0] in {"GitHub", "Cloudflare"}]
    for target in targets:
        top = find_related(target, corpus, limit=3)
        hits += any(set(r.postmortem.services) & set(target.services) for r in top)
    assert hits >= 0.8 * len(targets)


def test_related_is_deterministic() -> None:
    corpus = icco_corpus()
    first = [r.as_json() for r in find_related(corpus[7], corpus)]
    assert first == [r.as_json() for r in find_related(corpus[7], list(reversed(corpus)))]
