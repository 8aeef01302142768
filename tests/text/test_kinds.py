"""The one event-kind classifier, used by the Markdown parser and every source reader.

It replaced two that disagreed: the Markdown timeline parser's (kinds in a fixed order of
priority, nouns such as *alert* as strong as verbs, no negation) and the sources' (the earliest
phrase wins, nouns only when nothing else is there, negation and questions). The cases where they
disagreed are below, each with what each used to say.
"""

from __future__ import annotations

import re

import pytest

from hindsight.model import EventKind
from hindsight.text import kinds
from hindsight.text.kinds import KINDS, classify


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # what the Markdown timeline parser's tests pinned
        ("First alert fired", "alert"),
        ("On-call acknowledged the page", "acknowledgement"),
        ("Escalated to the database team", "escalation"),
        ("Rolled back the release", "mitigation"),
        ("Disabled the feature flag", "mitigation"),
        ("Service restored", "resolution"),
        ("All clear declared", "all_clear"),
        ("Deployed v2 to production", "deploy"),
        ("Root cause identified: a bad index", "diagnosis"),
        ("Status page updated", "communication"),
        ("Investigation started", "investigation"),
        ("User reported broken pages", "report"),
        ("Coffee was made", "note"),
        # what the sources' tests pinned
        ("Bob acknowledged the alert", "acknowledgement"),
        ("HighErrorRate alert resolved", "resolution"),
        ("[RESOLVED] HighErrorRate", "resolution"),
        ("ack, looking", "acknowledgement"),
        ("paged Carol from payments", "escalation"),
        ("rolling back deploy 4512", "mitigation"),
        ("scaled up checkout to 20 pods", "mitigation"),
        ("customers reporting failed payments", "report"),
        ("found the root cause: a bad config push", "diagnosis"),
        ("posted an update on the status page", "communication"),
        ("deploy 4512 went out", "deploy"),
        ("all clear, closing the incident", "all_clear"),
        ("started investigating", "investigation"),
        ("lunch", "note"),
        ("Implement killTask; resolves #20", "note"),
    ],
)
def test_what_both_classifiers_agreed_on(text: str, kind: str) -> None:
    assert classify(text) == kind


@pytest.mark.parametrize(
    ("text", "kind", "parser_said", "sources_said"),
    [
        # The earliest phrase wins, not a fixed order of kinds.
        ("The error-rate alert fired and paged the on-call", "alert", "escalation", "alert"),
        ("impact started when the deploy went out", "impact", "deploy", "impact"),
        ("Incident declared resolved through statuspage.io",
         "resolution", "communication", "resolution"),
        # A question or a negation says nothing happened.
        ("not resolved yet", "note", "resolution", "note"),
        ("is it resolved?", "note", "resolution", "note"),
        ("We found the SDK bump had not been merged", "note", "deploy", "note"),
        # The union of the mitigations: failover, flag off, drain, scale down, fix applied...
        ("failover to us-west-2 done", "mitigation", "note", "mitigation"),
        ("feature flag off for new-pricing", "mitigation", "note", "mitigation"),
        ("Cordoned and force drained the NotReady node", "mitigation", "note", "mitigation"),
        ("Scaling down cluster by 2 nodes to free up IP addresses",
         "mitigation", "mitigation", "note"),
        ("Manual fix applied", "mitigation", "mitigation", "action"),
        ("Incident repaired", "mitigation", "mitigation", "note"),
        ("Operations attempted to restart the stalled CI", "mitigation", "mitigation", "note"),
        # "triggered" is an alert only when an alert, alarm, page or incident is what triggered.
        ("Pipeline triggered for rollback", "mitigation", "mitigation", "alert"),
        ("Triggered the deployment pipeline", "deploy", "deploy", "alert"),
        # A change followed by its outcome is the outcome.
        ("Helm chart rollback, KIAM service restored", "resolution", "resolution", "mitigation"),
        ("All nodes drained and the disk space issue is resolved",
         "resolution", "resolution", "mitigation"),
        # "incident closed" is the all-clear; "resolved" is the resolution before it.
        ("Incident closed.", "all_clear", "resolution", "all_clear"),
        ("All systems verified operational", "resolution", "resolution", "note"),
        # Root cause: found is a diagnosis, looked for is an investigation.
        ("Root cause investigation started", "investigation", "investigation", "diagnosis"),
        ("Ongoing investigation to find root cause",
         "investigation", "investigation", "diagnosis"),
        ("Root cause analysis showed one capability created thousands of consumer groups",
         "diagnosis", "note", "diagnosis"),
        ("Identified problem with ADSync assuming roles", "diagnosis", "note", "diagnosis"),
        # Acknowledging: "on it" at the end of a message, not "acknowledging" messages.
        ("Consumer stops acknowledging", "note", "note", "acknowledgement"),
        ("Appeal submitted, explaining our reliance on it for verification",
         "note", "note", "acknowledgement"),
        ("on it", "acknowledgement", "note", "acknowledgement"),
        # Reports: inbound, not ours to others, and not the postmortem itself.
        ("A researcher submitted a bug report via bugcrowd", "report", "report", "note"),
        ("Developer notified us of a potential issue with logging", "report", "report", "note"),
        ("A customer reached out to inform us the site was down", "report", "report", "note"),
        ("The customer informed us that the fix was not effective",
         "report", "communication", "note"),
        ("A team reports they are having connectivity issues", "report", "report", "note"),
        ("Report published", "note", "report", "note"),
        ("An AWS SEV2 support ticket was created", "note", "note", "report"),
        # Communication: announcements and notices, not words inside other words.
        ("Made public announcement about the upcoming security release",
         "communication", "communication", "deploy"),
        ("Communications were initiated with Google", "communication", "communication", "note"),
        ("Transactions look like an unannounced load test", "note", "communication", "note"),
        # Deploys: merged is a change going out; post-deployment is not a deploy.
        ("Work on terraform tested, merged into master branch", "deploy", "deploy", "note"),
        ("Database saturated by post-deployment workload", "note", "deploy", "note"),
        # "running" describes a state far more often than a step someone took.
        ("Prometheus was running on this node", "note", "note", "action"),
        ("State lock forcefully cleared", "action", "note", "action"),
    ],
)  # fmt: skip
def test_where_the_two_classifiers_disagreed(
    text: str, kind: str, parser_said: str, sources_said: str
) -> None:
    assert parser_said != sources_said  # the old Markdown parser's and sources' classifiers
    assert classify(text) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("rolled back deploy 4512, latency back to normal", "resolution"),
        ("deployed v2 and errors started", "impact"),
        ("rolled back, all clear", "all_clear"),
        ("rolled back but the errors are not resolved", "mitigation"),
        ("rolled back, then paged the database team", "mitigation"),
    ],
)
def test_a_change_is_classified_by_its_outcome(text: str, kind: str) -> None:
    assert classify(text) == kind


def test_weak_words_decide_only_alone_and_can_be_ignored() -> None:
    assert classify("note to test alert") == "alert"
    assert classify("note to test alert", weak=False) == "note"
    assert classify("investigating the alert") == "investigation"  # the first weak word
    assert classify("looking into the alert that fired") == "alert"  # a strong phrase wins


def test_kinds_are_the_models_event_kinds() -> None:
    assert {EventKind(kind) for kind in KINDS} == set(EventKind)


def test_nothing_is_compiled_at_import() -> None:
    assert not any(isinstance(value, re.Pattern) for value in vars(kinds).values())


def test_phrases_read_without_their_expression_mean_what_it_means() -> None:
    """Phrases that are only words, optional letters and alternatives are matched as texts,
    without compiling them: each text must be one the expression matches in full."""
    rules = (*kinds._STRONG, *kinds._WEAK)
    for pattern in (pattern for _, patterns in rules for pattern in patterns):
        spellings, literal, boundary = kinds._spellings(pattern)
        assert all(spellings), pattern
        if literal:
            expression = re.compile(pattern)
            assert all(expression.fullmatch(text) for text in spellings), pattern
            assert boundary == pattern.endswith("\\b")
