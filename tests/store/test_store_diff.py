"""What changed between two versions of a postmortem (pure, no database)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from hindsight.model import ActionStatus, Postmortem, TimelineEvent
from hindsight.store.diff import changed_paths, diff_text, paths_between

BuildPostmortem = Callable[..., Postmortem]


def test_identical_postmortems_have_no_changes(build: BuildPostmortem) -> None:
    assert changed_paths(build(), build()) == []
    assert diff_text(build(), build(), old_label="a", new_label="b") == ""


def test_changed_fields_are_named_by_path_in_document_order(build: BuildPostmortem) -> None:
    old = build()
    items = list(old.action_items)
    items[2] = items[2].model_copy(update={"status": ActionStatus.DONE, "owner": "dee"})
    new = old.model_copy(
        update={
            "title": "Checkout down",
            "action_items": items,
            "custom_fields": {"region": "eu-west-1"},
            "milestones": old.milestones.model_copy(update={"resolved_at": None}),
        }
    )

    assert changed_paths(old, new) == [
        "title",
        "custom_fields.region",
        "milestones.resolved_at",
        "action_items[2].owner",
        "action_items[2].status",
    ]


def test_an_inserted_event_is_one_change_not_a_shifted_timeline(build: BuildPostmortem) -> None:
    old = build()
    inserted = TimelineEvent(at=datetime(2024, 5, 1, 14, 3, tzinfo=UTC), text="customer ticket")
    new = old.model_copy(update={"timeline": [*old.timeline[:1], inserted, *old.timeline[1:]]})

    assert changed_paths(old, new) == ["timeline[1]"]
    assert changed_paths(new, old) == ["timeline[1]"]


def test_removed_and_added_items_at_the_end(build: BuildPostmortem) -> None:
    old = build(tags=["a", "b", "c"])

    assert changed_paths(old, build(tags=["a"])) == ["tags[1]", "tags[2]"]
    assert changed_paths(old, build(tags=["a", "b", "c", "d"])) == ["tags[3]"]
    assert changed_paths(old, build(tags=["a", "x", "c"])) == ["tags[1]"]


def test_keys_only_on_one_side_are_changes() -> None:
    assert paths_between({"a": {"x": 1}}, {"a": {"y": 1}}) == ["a.y", "a.x"]
    assert paths_between({"a": 1}, {"a": [1]}) == ["a"]


def test_diff_text_is_a_unified_diff_of_yaml(build: BuildPostmortem) -> None:
    old = build(executive_summary="Line one.\nLine two.")
    new = build(executive_summary="Line one.\nLine 2.", title="Checkout down")

    text = diff_text(old, new, old_label="INC-1 r1", new_label="INC-1 r2")
    lines = text.splitlines()

    assert lines[:2] == ["--- INC-1 r1", "+++ INC-1 r2"]
    assert "-title: Checkout errors after a config push" in lines
    assert "+title: Checkout down" in lines
    # Multi-line Markdown is a literal block, so one changed line is one line of diff.
    assert "-  Line two." in lines
    assert "+  Line 2." in lines
    assert "   Line one." in lines
    assert "durations" not in text


titles = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)


@given(a=titles, b=titles, tags_a=st.lists(titles, max_size=4), tags_b=st.lists(titles, max_size=4))
def test_paths_are_empty_exactly_when_the_documents_are_equal(
    a: str, b: str, tags_a: list[str], tags_b: list[str]
) -> None:
    old = Postmortem(title=a, tags=tags_a)
    new = Postmortem(title=b, tags=tags_b)

    paths = changed_paths(old, new)

    assert (paths == []) == (old == new)
    assert ("title" in paths) == (old.title != new.title)
    assert all(path == "title" or path.startswith("tags[") for path in paths)
    assert (diff_text(old, new, old_label="a", new_label="b") == "") == (old == new)
