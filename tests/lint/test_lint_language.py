"""Language rules: each kind of blame and hindsight wording fires, and each trap does not."""

from __future__ import annotations

import pytest
from lint_helpers import CORPUS, NOW, lint, rules_of

from hindsight.lint import LintConfig, lint_text
from hindsight.lint.engine import expand

FIRES = [
    ("Dave forgot to drain the node.", "L101", "Dave forgot"),
    ("At 10:04 she ignored the page.", "L101", "she ignored"),
    ("The new hire broke the build.", "L101", "The new hire broke"),
    ("The on-call engineer missed the alert.", "L101", "The on-call engineer missed"),
    ("It was Dave's fault.", "L101", "Dave's fault"),
    ("They blamed the database team.", "L101", "blamed"),
    ("Priya was the culprit.", "L101", "culprit"),
    ("The engineer didn't check the diff.", "L101", "The engineer didn't check"),
    ("Someone accidentally deleted the bucket.", "L101", "Someone accidentally deleted"),
    ("The root cause was human error.", "L102", "human error"),
    ("An operator fat-fingered the instance count.", "L102", "fat-fingered"),
    ("This was operator error.", "L102", "operator error"),
    ("We should have rolled back sooner.", "L103", "should have rolled"),
    ("The team could have caught this in review.", "L103", "could have caught"),
    ("We failed to notice the disk filling up.", "L103", "We failed to notice"),
    ("The migration should have been tested.", "L103", "should have been tested"),
    ("This could have been avoided.", "L103", "could have been avoided"),
    ("If only we had checked the dashboard.", "L103", "If only we had"),
    ("Had we paged the DBA, it would be shorter.", "L103", "Had we paged"),
    ("A careless change took down the API.", "L104", "careless"),
    ("The deploy was sloppy.", "L104", "sloppy"),
    ("A reckless rollout.", "L104", "reckless"),
    ("It was negligent to skip the canary.", "L104", "negligent"),
    ("The fix was obviously a restart.", "L105", "obviously"),
    ("The on-call just had to read the runbook.", "L105", "just"),
    ("Clearly, the alert was wrong.", "L105", "Clearly"),
    ("They simply forgot the flag.", "L105", "simply"),
    ("The on-call finally noticed the alert.", "L106", "finally noticed"),
    ("Diagnosis took too long.", "L106", "took too long"),
    ("The alert was ignored the whole night; ops ignored the alerts.", "L101", "ops ignored"),
    ("Nobody acted and the team ignored the pages for an hour.", "L106", "ignored the pages"),
    ("The outage was a disaster.", "L107", "disaster"),
    ("This is unacceptable.", "L107", "unacceptable"),
    ("An embarrassing outage.", "L107", "embarrassing"),
]

TRAPS = [
    "The lazy-loaded module failed.",
    "We use lazy loading for the images.",
    "The default value was 30 seconds.",
    "The faulty disk was replaced.",
    "The script failed to connect to the database.",
    "Pods failed to start after the upgrade.",
    "Maria acknowledged the page at 10:02.",
    "Kubernetes broke the connection when the node drained.",
    "The alert should have fired at 09:50.",
    "Every service should have a runbook.",
    "This could have been much worse.",
    "An attacker could have used the token.",
    "We would have expected this load months from now.",
    "We do not blame individuals. Focus on facts, not blame.",
    "This is a blameless postmortem.",
    "The culprit was a race condition in the cache.",
    "The runbook clearly documents the rollback.",
    "Simply put, the cache was cold.",
    "We compile just-in-time and shipped just in time.",
    "Our disaster recovery plan worked.",
    "The regex hit catastrophic backtracking.",
    "The query took too long and timed out.",
    "The alert says `Dave forgot` in a code span.",
    'The log said "he broke the build" verbatim.',
    "See https://example.com/blame/human-error for details.",
    "If only CI is updated, entries are skipped.",
]


@pytest.mark.parametrize(("text", "rule", "found"), FIRES)
def test_language_rule_fires(text: str, rule: str, found: str) -> None:
    findings = lint(text, "L")
    assert [(f.rule, f.text) for f in findings] == [(rule, found)]
    assert findings[0].suggestion


@pytest.mark.parametrize("text", TRAPS)
def test_trap_is_not_reported(text: str) -> None:
    assert lint(text, "L") == []


def test_forward_looking_should_in_action_items_is_fine() -> None:
    text = (
        "## Action items\n\n- We should add an alert on disk usage.\n- Teams should own runbooks.\n"
    )
    assert lint(text, "L") == []


def test_counterfactual_weighs_more_in_the_timeline_than_in_lessons() -> None:
    text = (
        "## Timeline\n\n- 10:04 We should have rolled back here.\n\n"
        "## Summary\n\nWe should have rolled back.\n\n"
        "## Lessons learned\n\n- We should have rolled back sooner.\n"
    )
    assert [(f.rule, f.severity, f.line) for f in lint(text, "L103")] == [
        ("L103", "error", 3),
        ("L103", "warning", 7),
        ("L103", "info", 11),
    ]


def test_human_error_in_an_action_item_is_not_an_explanation() -> None:
    text = "## Action items\n\n- Automate the failover to remove the risk of human error.\n"
    assert lint(text, "L102") == []


def test_findings_have_line_column_and_span() -> None:
    [finding] = lint("# Title\n\nAt 10:00 the deploy began.\nThen Dave forgot the flag.\n", "L")
    assert (finding.line, finding.column, finding.end_column) == (4, 6, 17)
    assert finding.text == "Dave forgot"


def test_phrase_wrapping_onto_the_next_line_is_found() -> None:
    [finding] = lint("The on-call engineer should\nhave rolled back.\n", "L103")
    assert finding.line == 1


def test_names_from_the_document_count_as_people() -> None:
    text = (
        "**Authors**: Zbigniew Nowak\n\n## Summary\n\nZbigniew forgot to renew the certificate.\n"
    )
    assert rules_of(lint(text)).count("L101") == 1
    assert lint("Zbigniew forgot to renew the certificate.\n", "L") == []


def test_configured_words_extend_and_allow() -> None:
    extra = LintConfig(
        select=frozenset(expand("L")),
        words={"names": ("Zbigniew",), "emotional": ("dumpster fire",), "allow": ("disaster",)},
    )
    text = "Zbigniew forgot the flag. It was a dumpster fire, a disaster.\n"
    found = lint_text(text, path="x.md", config=extra, now=NOW)
    assert [(f.rule, f.text) for f in found] == [
        ("L101", "Zbigniew forgot"),
        ("L107", "dumpster fire"),
    ]


def test_code_front_matter_comments_and_headings_are_not_prose() -> None:
    text = (
        "---\ntitle: Dave forgot\n---\n\n# What could have gone better?\n\n"
        "```\nhe ignored the page\n```\n\n<!-- she broke it -->\n\n"
        "    indented code: careless\n\n> 2024-01-01 10:00 ERROR operator error\n"
    )
    assert lint(text, "L") == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("dfds__postmortems/PM2021-005 - All services returning 503 in Kubernetes.md", []),
        ("Chia-Network__post-mortem/2022-01/2022-01-20-EmployeeCompromise.md", []),
        ("etcd-io__etcd/v3.5-data-inconsistency.md", []),
        ("ministryofjustice__cloud-platform/2023-09-18-lack-of-diskspace.html.md.erb", []),
        ("dfds__postmortems/PM2022-002 -  Logs not shipped to CloudWatch.md", ["L102"]),
        ("dfds__postmortems/PM2020-009 - KIAM service disruption due to upgrade.md", ["L103"]),
        ("PostHog__post-mortems/2025-10-03-surveys-sdk-bug.md", ["L107"]),
    ],
)
def test_real_postmortems_precision_and_recall(name: str, expected: list[str]) -> None:
    path = CORPUS / name
    findings = lint(path.read_text(encoding="utf-8"), "L", path=str(path))
    assert rules_of(findings) == expected
