"""The language rules try, at each trigger word, only the alternatives that can start with it.
These tests hold that to the whole alternation it replaced: the same branch, the same span."""

from __future__ import annotations

import re

from lint_helpers import CORPUS

from hindsight.lint.rules import language


def _whole(patterns: language.Patterns) -> re.Pattern[str]:
    """Every branch with every alternative: the expression the language rules used to try."""
    return re.compile(
        "|".join(
            f"(?P<{name}>{lookahead}(?:{'|'.join(regex for _, regex in alternatives)}))"
            for name, lookahead, alternatives in patterns._branches
        ),
        re.IGNORECASE,
    )


def _texts() -> list[str]:
    texts = [
        "Dave should have checked the dashboard; it was simply a matter of reading it.",
        "All he had to do was restart it. If only we had known. Had the engineer noticed...",
        "The on-call just had to roll back, but it was clearly a disaster and an embarrassing "
        "mistake by ops. She finally noticed the page, having ignored the alerts for an hour.",
        "We wasted 20 minutes. The culprit was a race; they blamed the deploy. Human error.",
        "Disaster recovery worked; catastrophic backtracking in a regex; couldn't've, should’ve "
        "caught it, wouldn't have mattered, ought to have been paged, it's obvious now.",
    ]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(CORPUS.rglob("*.md"))]
    return texts


def test_each_trigger_gets_what_the_whole_alternation_gives() -> None:
    patterns = language._patterns(())
    whole = _whole(patterns)
    checked = 0
    for text in _texts():
        lower = " " + text.lower()
        if len(lower) != len(text) + 1:
            continue  # a character changed length: the scan's fallback, not what is tested here
        for trigger in patterns.triggers.finditer(lower):
            start = trigger.start()
            word = trigger.group(0)[1:]
            cut = patterns.rest_match(text, start, word)
            full = whole.match(text, start)
            assert (cut and (cut.lastgroup, cut.span())) == (full and (full.lastgroup, full.span()))
            checked += 1
    assert checked > 1000


def test_a_word_that_starts_no_alternative_matches_nothing() -> None:
    patterns = language._patterns(())
    assert patterns.rest_match("nothing here", 0, "nothing") is None
    assert patterns.rest_match("should have caught", 0, "should") is not None
