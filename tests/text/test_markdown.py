"""The block scanner: every block with its lines, sections by heading, and the inline helpers."""

from __future__ import annotations

import pytest

from hindsight.text.markdown import (
    BlockQuote,
    CodeBlock,
    Comment,
    Heading,
    HtmlBlock,
    Label,
    ListBlock,
    Paragraph,
    Table,
    ThematicBreak,
    build_sections,
    front_matter_extent,
    links,
    parse_blocks,
    parse_document,
    plain_text,
    split_cells,
    split_label,
)


def kinds(text: str) -> list[str]:
    return [type(block).__name__ for block in parse_blocks(text)]


def test_headings_atx_setext_and_mediawiki() -> None:
    blocks = parse_blocks("# One #\n\nTwo\n===\n\nThree\n---\n\n==Four==\n\n###### Six")
    assert [(b.level, b.text, b.line, b.end_line) for b in blocks if isinstance(b, Heading)] == [
        (1, "One", 1, 1),
        (1, "Two", 3, 4),
        (2, "Three", 6, 7),
        (2, "Four", 9, 9),
        (6, "Six", 11, 11),
    ]


def test_not_headings() -> None:
    assert kinds("#hashtag\n\n####### seven") == ["Paragraph", "Paragraph"]


def test_paragraph_lines_and_interruptions() -> None:
    blocks = parse_blocks("**Date**: 2024-05-01  \n**Status**: Draft\n- a bullet\n\ntext\n1. one")
    first = blocks[0]
    assert isinstance(first, Paragraph)
    assert first.lines == ["**Date**: 2024-05-01", "**Status**: Draft"]
    assert kinds("x\n2. not a list") == ["Paragraph"]  # only "1." may interrupt a paragraph
    assert [type(b).__name__ for b in blocks] == [
        "Paragraph",
        "ListBlock",
        "Paragraph",
        "ListBlock",
    ]


def test_lists_nest_by_indentation_with_continuations_and_checkboxes() -> None:
    text = (
        "- **Key events**\n"
        "  - First detected: 2023-09-18 13:42\n"
        "  - Resolved 2023-09-20 19:18\n"
        "- [x] done thing\n"
        "  continued here\n"
        "lazy continuation\n"
        "- [ ] open thing\n"
        "\n"
        "- loose item\n"
    )
    (block,) = parse_blocks(text)
    assert isinstance(block, ListBlock)
    items = block.items
    assert [item.line for item in items] == [1, 4, 7, 9]
    assert items[0].text == "**Key events**"
    nested = items[0].children[0]
    assert isinstance(nested, ListBlock)
    assert [(i.line, i.text) for i in nested.items] == [
        (2, "First detected: 2023-09-18 13:42"),
        (3, "Resolved 2023-09-20 19:18"),
    ]
    assert (items[1].checked, items[1].text) == (
        True,
        "done thing\ncontinued here\nlazy continuation",
    )
    assert items[2].checked is False
    assert items[3].checked is None


def test_ordered_and_bullet_lists_are_separate() -> None:
    blocks = parse_blocks("1. one\n2. two\n- three")
    assert [(type(b).__name__, getattr(b, "ordered", None)) for b in blocks] == [
        ("ListBlock", True),
        ("ListBlock", False),
    ]


def test_tables_with_escaped_pipes_breaks_and_missing_trailing_pipe() -> None:
    text = (
        "| Time (UTC) | Event |\n"
        "|:-----------|------:|\n"
        "| 14:02 | DB \\| proxy<br>second line |\n"
        "| 14:10 | no trailing pipe\n"
        "after the table\n"
    )
    table = parse_blocks(text)[0]
    assert isinstance(table, Table)
    assert table.header == ["Time (UTC)", "Event"]
    assert table.align == ["left", "right"]
    assert [(row.line, row.cells) for row in table.rows] == [
        (3, ["14:02", "DB | proxy<br>second line"]),
        (4, ["14:10", "no trailing pipe"]),
        (5, ["after the table"]),
    ]


def test_split_cells() -> None:
    assert split_cells("| a | b \\| c | |") == ["a", "b | c", ""]


def test_fenced_and_indented_code() -> None:
    text = (
        "```sql title\nselect 1;\n\n# not a heading\n```\n\n"
        "text\n\n    indented\n    code\n\n~~~\nx\n~~~"
    )
    blocks = parse_blocks(text)
    code = [b for b in blocks if isinstance(b, CodeBlock)]
    assert [(c.info, c.text, c.line, c.end_line) for c in code] == [
        ("sql title", "select 1;\n\n# not a heading", 1, 5),
        ("", "indented\ncode", 9, 10),
        ("", "x", 12, 14),
    ]


def test_unclosed_fence_runs_to_the_end() -> None:
    (block,) = parse_blocks("```\nline\nmore")
    assert isinstance(block, CodeBlock)
    assert block.text == "line\nmore"


def test_blockquotes_comments_html_breaks_and_templating() -> None:
    text = (
        "> quoted\n> - item\n\n"
        "<!-- hindsight: ignore[TL001] -->\n\n"
        "<details>\n<summary>x</summary>\n</details>\n\n"
        "---\n\n"
        "<% if x %>text {% raw %}\n\n"
        "<https://example.com> autolink\n"
    )
    blocks = parse_blocks(text)
    assert [type(b).__name__ for b in blocks] == [
        "BlockQuote",
        "Comment",
        "HtmlBlock",
        "ThematicBreak",
        "Paragraph",
        "Paragraph",
    ]
    quote = blocks[0]
    assert isinstance(quote, BlockQuote)
    assert [type(b).__name__ for b in quote.children] == ["Paragraph", "ListBlock"]
    comment = blocks[1]
    assert isinstance(comment, Comment) and comment.text == "hindsight: ignore[TL001]"
    assert isinstance(blocks[2], HtmlBlock) and isinstance(blocks[3], ThematicBreak)


def test_multiline_comment_keeps_its_lines() -> None:
    (comment,) = parse_blocks("<!--\nfirst\nsecond\n-->")
    assert isinstance(comment, Comment)
    assert (comment.text, comment.line, comment.end_line) == ("first\nsecond", 1, 4)


def test_mediawiki_lists_and_pre() -> None:
    blocks = parse_blocks(
        "<pre>\n  Title: X\n</pre>\n==Action==\n# one\n# two\n* bullet", flavor="mediawiki"
    )
    assert isinstance(blocks[0], Paragraph) and blocks[0].lines == ["Title: X"]
    assert isinstance(blocks[1], Heading)
    assert [(type(b).__name__, len(getattr(b, "items", []))) for b in blocks[2:]] == [
        ("ListBlock", 2),
        ("ListBlock", 1),
    ]


def test_tabs_and_windows_line_ends() -> None:
    blocks = parse_blocks("- a\r\n\t- b\r\n")
    assert isinstance(blocks[0], ListBlock)
    assert isinstance(blocks[0].items[0].children[0], ListBlock)


def test_document_line_numbers_count_the_front_matter() -> None:
    document = parse_document("---\ntitle: x\n---\n\n# Title\n\ntext")
    assert (document.front_matter, document.front_matter_lines) == ("title: x", 3)
    assert [block.line for block in document.blocks] == [5, 7]
    assert front_matter_extent("---\nnot closed") == ("", 0)
    assert front_matter_extent("no front matter") == ("", 0)


def test_sections_nest_under_headings() -> None:
    root = build_sections(parse_blocks("intro\n\n# T\n\n## A\n\na\n\n### A1\n\n## B\n\nb"))
    assert [type(b).__name__ for b in root.blocks] == ["Paragraph"]
    (title,) = root.children
    assert [(s.heading, s.level, s.line) for s in title.children] == [("A", 2, 5), ("B", 2, 11)]
    assert [s.heading for s in title.children[0].children] == ["A1"]
    assert [s.heading for s in root.walk()] == ["", "T", "A", "A1", "B"]


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("**bold** and *it* and _it_ and `code`", "bold and it and it and code"),
        ("[text](https://x.example) ![alt](img.png)", "text alt"),
        ("snake_case_name stays", "snake_case_name stays"),
        ("a<br>b", "a\nb"),
        ("<https://x.example>", "https://x.example"),
        ("'''Done''' and ''it''", "Done and it"),
        ("\\*not emphasis\\*", "*not emphasis*"),
        ("~~gone~~", "gone"),
    ],
)
def test_plain_text(markdown: str, plain: str) -> None:
    assert plain_text(markdown) == plain


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("**Incident ID:** INC-1", Label("Incident ID", "INC-1", True, True)),
        ("**Date**: 2024-05-01", Label("Date", "2024-05-01", True, True)),
        ("__Initial Concerns__: text", Label("Initial Concerns", "text", True, True)),
        ("**Why did it fail?**", Label("Why did it fail?", "", True, True)),
        (
            "**Prevention** (Stop it happening)",
            Label("Prevention", "(Stop it happening)", True, False),
        ),
        ("**16:58 UTC** - Writer database", Label("16:58 UTC", "Writer database", True, False)),
        ("Time to recovery: 25 minutes", Label("Time to recovery", "25 minutes", False, True)),
        ("'''Done''': Release it", Label("Done", "Release it", True, True)),
    ],
)
def test_split_label(line: str, label: Label) -> None:
    assert split_label(line) == label


@pytest.mark.parametrize("line", ["https://x.example/a", "12:27 PM: text", "plain sentence", ""])
def test_not_labels(line: str) -> None:
    assert split_label(line) is None


def test_links() -> None:
    text = "See [the runbook](https://wiki/rb) and <https://a.example> or https://b.example/x."
    assert links(text) == [
        ("the runbook", "https://wiki/rb"),
        ("https://a.example", "https://a.example"),
        ("https://b.example/x", "https://b.example/x"),
    ]
