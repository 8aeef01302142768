"""The built-in layouts: golden files, structure against the seeds, no data loss, custom layouts,
front matter and HTML.

Golden files live in ``golden/``; rewrite them with ``UPDATE_GOLDEN=1 pytest tests/layouts`` and
read the diff before committing it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from hindsight.errors import InvalidInput, NotFound, ParseError
from hindsight.layouts.blocks import cell
from hindsight.layouts.frontmatter import dump_front_matter, front_matter, split_front_matter
from hindsight.layouts.html import render_html
from hindsight.layouts.registry import (
    BUILTIN_LAYOUTS,
    DETAIL_HEADINGS,
    PROFILES,
    get_layout,
    list_layouts,
)
from hindsight.layouts.render import render_markdown, render_template
from hindsight.model import DocumentStatus, LinkKind, Postmortem, TimelineEvent

GOLDEN = Path(__file__).parent / "golden"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEED_OF = {"sre": "000", "five-whys": "001", "full": "002", "checklist": "003", "impact": "004"}
MD = MarkdownIt("commonmark").enable("table")


# --- helpers ----------------------------------------------------------------------------------


def body_of(text: str) -> str:
    return split_front_matter(text)[1]


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, plain text) of every heading, in order."""
    tokens = MD.parse(markdown)
    return [
        (int(token.tag[1]), plain(tokens[index + 1]))
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def plain(inline: Token) -> str:
    return "".join(child.content for child in inline.children or [] if child.type == "text")


def table_headers(markdown: str) -> list[tuple[str, ...]]:
    """The header cells of every table, in order."""
    tokens = MD.parse(markdown)
    found: list[tuple[str, ...]] = []
    in_head = False
    for token in tokens:
        if token.type == "thead_open":
            in_head, cells = True, []
        elif token.type == "thead_close":
            in_head = False
            found.append(tuple(cells))
        elif in_head and token.type == "inline":
            cells.append(token.content)
    return found


def layout_part(markdown: str) -> str:
    """The layout's own sections: what comes before "More details" and extra sections."""
    return markdown.split("\n## More details\n")[0].split("\n## Glossary\n")[0]


def seed_text(layout: str) -> str:
    path = next(SEEDS.glob(f"{SEED_OF[layout]}_*.txt"), None)
    if path is None:
        pytest.skip(f"seed {SEED_OF[layout]} is not at {SEEDS}")
    text = path.read_text(encoding="utf-8")
    if layout == "sre":  # the template is the fenced block of a command description
        return text.split("```markdown\n", 1)[1].split("\n```\n", 1)[0]
    if layout == "full":  # skip the usage overview in front of the template
        return text[text.index("# Post-Mortem: ") :]
    return text


def seed_headings(layout: str) -> list[tuple[int, str]]:
    text = seed_text(layout)
    if layout != "impact":
        return headings(text)
    # Seed 004 is flattened onto one line: a heading runs from its marker to the next bold label,
    # table, list item or (for prose sections) the first sentence; the rendered headings tell us
    # where each ends, so only the markers' levels and order are taken from the seed here.
    pattern = r"(#{1,3}) (.+?)(?= \*\*| \| | - | \d\. | #|$)"
    return [(len(m.group(1)), m.group(2)) for m in re.finditer(pattern, text)]


def expected_headings(layout: str, pm: Postmortem) -> list[tuple[int, str]]:
    """The seed's headings as the layout writes them for ``pm``."""
    result = []
    skip_level = 0
    for level, text in seed_headings(layout):
        if skip_level and level > skip_level:
            continue
        skip_level = 0
        if text.startswith(("Template Usage Notes", "Example Action Items")) and not _draft(pm):
            skip_level = level
            continue
        result.append((level, text))
    return result


def _draft(pm: Postmortem) -> bool:
    return pm.status.value == "draft"


def normalize_title(level: int, text: str) -> tuple[int, str]:
    """Titles differ by their placeholder; compare what comes before it."""
    if level == 1:
        text = text.split(":")[0].replace(" Template", "")
    return level, text


# --- golden files -----------------------------------------------------------------------------


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing; create it with UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_golden_full(layout: str, full: Postmortem) -> None:
    check_golden(f"{layout}.full.md", render_markdown(full, layout=layout))


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_golden_blank(layout: str) -> None:
    check_golden(f"{layout}.blank.md", render_template(layout))


# --- structure against the seeds --------------------------------------------------------------


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_blank_has_the_seed_headings_in_order(layout: str) -> None:
    blank = Postmortem()
    rendered = headings(body_of(render_template(layout)))
    expected = expected_headings(layout, blank)
    if layout == "impact":
        assert [lvl for lvl, _ in rendered] == [lvl for lvl, _ in expected]
        assert_in_seed_order(layout, rendered)
    else:
        assert [normalize_title(*h) for h in rendered] == [normalize_title(*h) for h in expected]


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_full_has_the_seed_headings_then_more_details(layout: str, full: Postmortem) -> None:
    rendered = headings(body_of(render_markdown(full, layout=layout)))
    own = rendered[: rendered.index((2, "More details"))]
    expected = expected_headings(layout, full)
    if layout == "full":  # tables for the categories the seed has none for, when used
        at = expected.index((3, "Process Improvements")) + 1
        extra = [(3, "Improve Mitigation"), (3, "Improve Recovery"), (3, "Other Actions")]
        expected[at:at] = extra
    if layout == "impact":
        assert [lvl for lvl, _ in own] == [lvl for lvl, _ in expected]
        assert_in_seed_order(layout, own)
    else:
        assert [normalize_title(*h) for h in own] == [normalize_title(*h) for h in expected]
    closing = rendered[rendered.index((2, "More details")) + 1 :]
    assert closing[-1] == (2, "Glossary")  # extra sections come last, as they were
    details = [text for level, text in closing[:-1]]
    assert all(level == 3 for level, _ in closing[:-1])
    assert details == [h for h in DETAIL_HEADINGS if h in details]  # canonical order


def assert_in_seed_order(layout: str, rendered: list[tuple[int, str]]) -> None:
    """Each rendered heading is found, with its level, further along the flattened seed."""
    seed = seed_text(layout)
    position = 0
    for level, text in rendered:
        text = "Incident Postmortem" if level == 1 else text
        found = seed.find(f"{'#' * level} {text} ", position)
        assert found >= 0, f"{'#' * level} {text} is not in the seed after offset {position}"
        position = found + 1


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_tables_have_the_seed_columns(layout: str, full: Postmortem) -> None:
    seed = seed_text(layout)
    if layout == "impact":
        expected = [
            tuple(c.strip() for c in m.group(1).split("|") if c.strip())
            for m in re.finditer(r"\|((?: [A-Za-z][A-Za-z ()/]* \|)+) \|[-:]", seed)
        ]
    else:
        expected = table_headers(seed)
    if layout == "five-whys":  # its free-form communication log is written as the full layout's
        expected.append(("Time", "Channel", "Message Summary"))  # table, which parsers read
    assert table_headers(body_of(render_template(layout))) == expected
    filled = table_headers(layout_part(body_of(render_markdown(full, layout=layout))))
    if layout == "full":  # the three extra category tables have the same columns
        expected[5:5] = [expected[4]] * 3
    assert filled == expected


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_bold_labels_are_the_seed_labels_in_order(layout: str) -> None:
    """Label text and style (``**Date**:`` or ``**Date:**``) as in the seed; guidance labels
    (those of usage notes, and placeholders in brackets) are ours to word."""
    seed = seed_text(layout).split("## Template Usage Notes")[0]
    labels = [label for label in re.findall(r"\*\*[^*\n]+\*\*:?", seed) if "[" not in label]
    blank = body_of(render_template(layout))
    position = 0
    for label in labels:
        found = blank.find(label, position)
        assert found >= 0, f"{label} missing, or out of order, in the {layout} blank template"
        position = found + len(label)


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_blank_template_holds_only_hints(layout: str) -> None:
    text = render_template(layout)
    meta, body, _ = split_front_matter(text)
    assert meta == {"layout": layout, "status": "draft"}
    assert "More details" not in body
    tokens = MD.parse(body)
    cells = [t.content for t in tokens if t.type == "inline" and _in_table_body(tokens, t)]
    metrics = ("Time to Detection", "Time to Acknowledge", "Time to Mitigate", "Time to Resolve")
    for value in cells:
        assert value in ("", *metrics) or value.startswith(("_[", "[ ]")), value
    fixed = ("Draft", "DRAFT")  # the status always has a value
    definitions = PROFILES[layout].categories.values() if layout == "five-whys" else ()
    for line in body.splitlines():
        if match := re.match(r"^(?:- )?\*\*([^*]+?):?\*\*:? ?(.*)$", line):
            label, value = match.groups()
            if label in definitions or value.startswith("("):  # our wording, not a value
                continue
            assert not value or value.startswith("_[") or value in fixed, line


def _in_table_body(tokens: list[Token], token: Token) -> bool:
    index = tokens.index(token)
    return any(t.type == "td_open" for t in tokens[index - 1 : index])


# --- no data loss -----------------------------------------------------------------------------

# Attributes the body never shows (the CLI merges them back on edit) and values shown in another
# form (enumerations, booleans, instants) are checked by dedicated tests below.
NOT_IN_BODY = re.compile(
    r"^timeline\.\d+\.(kind|source|link|source_ref)$"
    r"|^action_items\.\d+\.(team|tracker|completed_on|status|category)$"
    r"|^layout$|\.approved$|\.breached$|^impact\.data\.level$|^detection\.method$|\.kind$"
)
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T(\d{2}):(\d{2}):(\d{2})Z$")


def leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in leaves(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [
            leaf for index, item in enumerate(value) for leaf in leaves(item, f"{path}.{index}")
        ]
    return [(path.lstrip("."), value)]


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_every_filled_field_appears(layout: str, full: Postmortem) -> None:
    text = render_markdown(full, layout=layout)
    checked = 0
    for path, value in leaves(full.model_dump(mode="json", exclude={"durations"})):
        if value in (None, "", False) or NOT_IN_BODY.search(path):
            continue
        if isinstance(value, str) and (match := INSTANT.match(value)) and "milestones" not in path:
            hour, minute, second = match.groups()
            wanted = f"{hour}:{minute}" + (f":{second}" if second != "00" else "")
            assert wanted in text, f"{path}={value} not shown in {layout}"
        elif path.startswith("signoffs.") and path.endswith(".role"):
            label = PROFILES[layout].signoff_slots.get(value, f"| {value} |")
            assert label in text, f"{path}={value!r} lost in {layout}"
        else:
            for line in str(value).splitlines():
                assert line in text or cell(line) in text, f"{path}={line!r} lost in {layout}"
        checked += 1
    assert checked > 150  # the sample really is full


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_action_status_and_category_are_kept(layout: str, full: Postmortem) -> None:
    """Every action's status is in its layout's status cell or in More details, and every
    category under the layout's category label or in More details' Category column."""
    text = body_of(render_markdown(full, layout=layout))
    own, details = layout_part(text), text.partition("### Action Items")[2]
    profile = PROFILES[layout]
    labels = {"open": "Open", "in_progress": "In Progress", "done": "Done", "wont_do": "Won't Do"}
    if layout == "checklist":
        labels = {"open": "[ ] TODO", "in_progress": "[ ] IN PROGRESS", "done": "[x] DONE"}
        labels["wont_do"] = "[x] WON'T DO"
    for action in full.action_items:
        label = labels[action.status.value]
        if action.status_reason:
            label += f" ({action.status_reason})"
        row = f"{cell(action.action)} |"
        status = rf"\| {re.escape(row)}(?:.*\|)? {re.escape(label)} \|"
        if "status" in profile.action_columns:
            assert re.search(status, own), (layout, label)
        elif action.status.value != "open":
            assert re.search(status, details), (layout, label)
        if action.category is None:
            continue
        heading = profile.categories.get(action.category)
        if heading and profile.categories_by_id and action.id:
            line = next(x for x in own.splitlines() if x.startswith(f"- **{heading}:**"))
            assert re.search(rf"[(, ]{action.id}[,)]", line), line
        elif heading:
            start = max(own.find(f"**{heading}**"), own.find(f"### {heading}\n"))
            assert start >= 0, heading
            section = own[start:]
            assert f"{action.id}: {action.action}" in section or cell(action.action) in section
        else:
            found = next(x for x in details.splitlines() if x.startswith(f"| {row}"))
            assert f"| {action.category.value.title()} |" in found


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_link_kinds_and_follow_ups_are_kept(layout: str, full: Postmortem) -> None:
    """A link's kind is the layout's label for it (``**Incident ticket**:``) or the generic one
    (``**Ticket:**``, none for ``other``); a follow-up review's kind is written unless it is
    the default one behind the impact layout's "Next review"."""
    text = body_of(render_markdown(full, layout=layout))
    labels = PROFILES[layout].link_kinds or {}
    for value in [*full.supporting_links, *full.appendix.graphs, *full.appendix.screenshots]:
        line = next(line for line in text.splitlines() if f"]({value.url})" in line)
        if value.kind is LinkKind.OTHER:
            assert line.startswith(f"- [{value.label}]"), line
        elif value.kind in labels and value in full.supporting_links:
            assert line.startswith((f"- **{labels[value.kind]}**:", f"- **{labels[value.kind]}:**"))
        else:
            assert line.startswith(f"- **{value.kind.value.title()}:**"), line
    for review in full.follow_ups:
        shown = review.kind in text or (layout == "impact" and "- Next review: 2024-03-28" in text)
        assert shown, (layout, review)


def test_more_details_repeats_nothing_the_layout_shows(full: Postmortem) -> None:
    text = body_of(render_markdown(full, layout="sre"))
    details = text.partition("## More details")[2]
    assert "Executive Summary" not in headings(details)
    assert full.root_cause.description not in details
    assert full.impact.revenue not in details


# --- conventions ------------------------------------------------------------------------------


def test_timeline_is_in_time_order_and_keeps_untimed_events_in_place() -> None:
    pm = Postmortem(
        date=date(2024, 3, 12),
        timeline=[
            TimelineEvent(at=datetime(2024, 3, 12, 15, 0, tzinfo=UTC), text="third"),
            TimelineEvent(text="after third", time_text="later"),
            TimelineEvent(at=datetime(2024, 3, 12, 14, 0, 5, tzinfo=UTC), text="first"),
            TimelineEvent(at=datetime(2024, 3, 12, 14, 30, tzinfo=UTC), text="second"),
        ],
    )
    rows = _rows(render_markdown(pm, layout="sre"), "Time")
    assert rows == [
        ["14:00:05", "first"],
        ["14:30", "second"],
        ["15:00", "third"],
        ["later", "after third"],
    ]


def test_timeline_over_two_days_writes_dates() -> None:
    pm = Postmortem(
        date=date(2024, 3, 12),
        timeline=[
            TimelineEvent(at=datetime(2024, 3, 12, 23, 50, tzinfo=UTC), text="late"),
            TimelineEvent(at=datetime(2024, 3, 13, 0, 10, tzinfo=UTC), text="next day"),
        ],
    )
    assert [r[0] for r in _rows(render_markdown(pm, layout="checklist"), "Time (UTC)")] == [
        "2024-03-12 23:50",
        "2024-03-13 00:10",
    ]


def _rows(text: str, first_header: str) -> list[list[str]]:
    lines = body_of(text).splitlines()
    start = lines.index(next(line for line in lines if line.startswith(f"| {first_header} |")))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def test_table_cells_escape_pipes_and_line_breaks(full: Postmortem) -> None:
    text = render_markdown(full, layout="five-whys")
    assert (
        "| Pool exhaustion found in DB \\| proxy metrics | Eli Novak | Seen in pgbouncer " in text
    )
    assert "stats<br>not in app metrics |" in text


def test_tracker_link_on_the_id_and_reason_after_the_status(full: Postmortem) -> None:
    text = render_markdown(full, layout="sre")
    assert "| [A1](https://tracker/PLAT-101) | Validate pool size in CI |" in text
    assert "| Won't Do (superseded by A1) |" in text
    assert "- [x] A2: Alert on pool wait time | saturation" in text


@pytest.mark.parametrize("scheme", ["sev", "p", "words"])
def test_severity_in_the_scheme(scheme: str, full: Postmortem) -> None:
    label = {"sev": "SEV-2", "p": "P1", "words": "High"}[scheme]
    text = render_markdown(full, layout="sre", scheme=scheme)
    assert f"**Incident Severity**: {label}\n" in text
    assert split_front_matter(text)[0]["severity"] == label


def test_unknown_scheme_is_refused(full: Postmortem) -> None:
    with pytest.raises(InvalidInput, match="severity scheme"):
        render_markdown(full, scheme="colours")


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_whitespace_is_tidy(layout: str, full: Postmortem) -> None:
    for text in (render_markdown(full, layout=layout), render_template(layout)):
        assert text.endswith("\n") and not text.endswith("\n\n")
        assert not [line for line in text.splitlines() if line != line.rstrip()]
        assert "\n\n\n" not in text


def test_guidance_sections_only_in_drafts(full: Postmortem) -> None:
    draft = full.model_copy(update={"status": DocumentStatus.DRAFT})
    assert "## Template Usage Notes" in render_markdown(draft, layout="five-whys")
    assert "## Template Usage Notes" not in render_markdown(full, layout="five-whys")


# --- front matter -----------------------------------------------------------------------------


def test_front_matter_keys_in_order(full: Postmortem) -> None:
    data = front_matter(full, scheme="p", layout="impact")
    assert list(data) == [
        "id",
        "title",
        "layout",
        "status",
        "incident_status",
        "severity",
        "date",
        "postmortem_date",
        "updated",
        "authors",
        "incident_commander",
        "participants",
        "services",
        "tags",
        "milestones",
        "stated_durations",
        "status_history",
        "custom_fields",
        "template_version",
    ]
    assert data["layout"] == "impact" and data["severity"] == "P1"
    assert data["milestones"]["resolved_at"] == "2024-03-12T16:17:00Z"
    assert data["participants"][2] == {"name": "Eli Novak"}
    assert "incident_type" not in data
    drill = front_matter(Postmortem(incident_type="drill"))
    assert drill == {"status": "draft", "incident_type": "drill"}


def test_front_matter_dump_matches_pyyaml_and_reads_back(full: Postmortem) -> None:
    data = front_matter(full)
    text = dump_front_matter(data)
    expected = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1_000_000)
    assert text == f"---\n{expected}---\n"
    assert split_front_matter(text + "# Body\n") == (data, "# Body\n", text.count("\n"))


SCALARS = st.one_of(st.text(max_size=30), st.integers(-(10**6), 10**6))
KEYS = st.text(min_size=1, max_size=20)


@given(
    st.dictionaries(
        KEYS,
        st.one_of(
            SCALARS,
            st.lists(st.one_of(SCALARS, st.dictionaries(KEYS, SCALARS, max_size=3)), max_size=3),
            st.dictionaries(KEYS, SCALARS, max_size=3),
        ),
        max_size=6,
    )
)
def test_any_front_matter_reads_back_as_written(data: dict[str, Any]) -> None:
    block = dump_front_matter(data)
    meta, body, lines = split_front_matter(block + "body")
    assert (meta, body, lines) == (data, "body", block.count("\n"))


def test_split_without_front_matter() -> None:
    assert split_front_matter("# Title\n") == ({}, "# Title\n", 0)


def test_bad_yaml_names_its_line() -> None:
    with pytest.raises(ParseError) as caught:
        split_front_matter("---\nid: x\ntitle: [unclosed\n---\nbody\n")
    assert caught.value.where is not None and caught.value.where.startswith("line ")
    with pytest.raises(ParseError, match="never closed"):
        split_front_matter("---\nid: x\n")
    with pytest.raises(ParseError, match="mapping"):
        split_front_matter("---\n- a\n---\n")


def test_yaml_dates_come_back_as_strings() -> None:
    meta, _, _ = split_front_matter("---\ndate: 2024-03-12\nat: 2024-03-12T14:02:00Z\n---\n")
    assert meta == {"date": "2024-03-12", "at": "2024-03-12T14:02:00Z"}


# --- layouts: registry and custom -------------------------------------------------------------


def test_builtin_layouts_listed_in_order() -> None:
    infos = list_layouts()
    assert tuple(info.name for info in infos) == BUILTIN_LAYOUTS
    assert [info.seed for info in infos] == ["000", "001", "002", "003", "004"]
    assert all(info.builtin and info.path is None and info.description for info in infos)


def test_unknown_layout(full: Postmortem) -> None:
    with pytest.raises(NotFound, match=r"unknown layout 'nope'; available: sre, five-whys"):
        render_markdown(full, layout="nope")


CUSTOM = """{# Just the title and what it has no place for. #}
{% import "_macros.md.j2" as m %}
# {{ pm.title or hint("Title") }}

{{ table(["Time", "Event"], v.timeline_rows(), [["HH:MM", "What happened"]]) }}
{{ m.closing(v, pm) }}
"""


def test_custom_layout(tmp_path: Path, full: Postmortem) -> None:
    (tmp_path / "mine.md.j2").write_text(CUSTOM, encoding="utf-8")
    info = get_layout("mine", layouts_dir=tmp_path)
    assert (info.builtin, info.path, info.seed) == (False, tmp_path / "mine.md.j2", None)
    assert info.description == "Just the title and what it has no place for."
    assert [i.name for i in list_layouts(layouts_dir=tmp_path)][-1] == "mine"
    text = render_markdown(full, layout="mine", layouts_dir=tmp_path)
    assert split_front_matter(text)[0]["layout"] == "mine"
    found = headings(body_of(text))
    assert found[0] == (1, full.title)
    assert (3, "Executive Summary") in found  # a custom layout is not known to show anything
    assert render_template("mine", layouts_dir=tmp_path).startswith("---\nlayout: mine\n")
    # built-in layouts still render with a layouts directory set
    assert render_markdown(full, layout="sre", layouts_dir=tmp_path)


def test_custom_layout_cannot_take_a_builtin_name(tmp_path: Path) -> None:
    (tmp_path / "sre.md.j2").write_text("# mine\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="name of a built-in layout"):
        list_layouts(layouts_dir=tmp_path)


def test_broken_custom_layout_names_file_and_line(tmp_path: Path, full: Postmortem) -> None:
    path = tmp_path / "broken.md.j2"
    path.write_text("# {{ pm.title }}\n\n{% if pm.id %}\nno end\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        render_markdown(full, layout="broken", layouts_dir=tmp_path)
    assert caught.value.where == f"{path}:4"
    path.write_text("# {{ pm.title }}\n\n{{ pm.no_such_field }}\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        render_markdown(full, layout="broken", layouts_dir=tmp_path)
    assert caught.value.where == f"{path}:3"


def test_missing_layouts_dir(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        list_layouts(layouts_dir=tmp_path / "nowhere")


def test_importing_layouts_is_cheap() -> None:
    code = (
        "import sys, hindsight.layouts as l; "
        "print(sorted(m for m in ('jinja2', 'yaml', 'markdown_it') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- HTML -------------------------------------------------------------------------------------


class Page(HTMLParser):
    """The parts of an HTML page the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.headings: list[str] = []
        self.meta_rows: list[str] = []
        self.text: list[str] = []
        self._open: list[str] = []
        self._in_meta = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        if tag == "table" and ("class", "meta") in attrs:
            self._in_meta = True
        if tag not in ("br", "meta", "hr", "input"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_meta = False
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._open and self._open[-1] in ("h1", "h2", "h3"):
            self.headings.append(data)
        if self._in_meta and self._open and self._open[-1] == "th":
            self.meta_rows.append(data)


def test_html_page(full: Postmortem) -> None:
    page = Page()
    page.feed(render_html(full, layout="five-whys"))
    assert page.tags[:2] == ["html", "head"] and page.tags.count("style") == 1
    assert not {"script", "link", "img", "iframe"} & set(page.tags)
    assert not [
        value
        for name, value in page.attrs
        if name in ("src", "href") and value and value.startswith("//")
    ]
    assert page.meta_rows[:3] == ["Id", "Title", "Layout"]
    markdown_headings = [
        text for _, text in headings(body_of(render_markdown(full, layout="five-whys")))
    ]
    assert page.headings == markdown_headings
    assert "<br>" not in "".join(page.text)  # line breaks in cells are tags, not text


def test_html_escapes_user_text() -> None:
    pm = Postmortem(title="<script>alert(1)</script>", executive_summary="<b>bold</b>")
    page = Page()
    page.feed(render_html(pm))
    assert "script" not in page.tags and "b" not in page.tags
    assert "<script>alert(1)</script>" in "".join(page.text)


# --- docs -------------------------------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "layouts.md"


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_docs_list_the_sections_of_each_layout(layout: str) -> None:
    """docs/layouts.md shows each layout's outline; it must be the one the layout renders (a
    blank template, so a draft: "[drafts only]" sections are in, "[only when ...]" ones out)."""
    docs = DOCS.read_text(encoding="utf-8")
    section = docs.split(f"\n## `{layout}`: ", 1)[1]
    outline = section.split("```text\n", 1)[1].split("\n```", 1)[0].splitlines()
    documented = [line.split("  [")[0] for line in outline if "[only when" not in line]
    rendered = [
        "#" * level + " " + re.sub(r": \[.*\]$", ": <title>", text)
        for level, text in headings(body_of(render_template(layout)))
    ]
    assert documented == rendered


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_guidance_is_in_our_own_words(layout: str) -> None:
    """Hints, reminders and notes share no run of five words with any seed template (labels,
    headings and the options of a value are structure, and are the seed's)."""
    seeds = " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip(f"no seeds at {SEEDS}")
    words = re.findall(r"[a-z0-9']+", seeds.lower())
    runs = {tuple(words[i : i + 5]) for i in range(len(words) - 4)}
    body = body_of(render_template(layout))
    guidance = [h for h in re.findall(r"_\[(.+?)\]_", body) if " | " not in h]  # not option lists
    guidance += [
        line
        for line in body.splitlines()
        if re.match(r"^(\*[^*]|> )", line) and not re.match(r"^\*[\w ]+: \[", line)
    ]  # italic reminders and quotes, not the footer's italic labels
    for text in guidance:
        found = re.findall(r"[a-z0-9']+", text.lower())
        copied = [
            found[i : i + 5] for i in range(len(found) - 4) if tuple(found[i : i + 5]) in runs
        ]
        assert not copied, f"{text!r} repeats seed wording {copied}"
