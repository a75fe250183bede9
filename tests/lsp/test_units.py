"""The server's pure parts: position encodings, noqa editing, edits, client settings."""

from __future__ import annotations

import pytest
from lsprotocol import types

from suitelint.core.diagnostic import Position
from suitelint.core.suppression import noqa_codes
from suitelint.lsp.actions import minimal_edits
from suitelint.lsp.client_settings import parse_client_settings
from suitelint.lsp.noqa import code_at, commentable_lines, suppression_edit
from suitelint.lsp.positions import UTF8, UTF16, UTF32, LineIndex, LspPosition, split_lines


# -- positions ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("encoding", "character"),
    [(UTF16, 7), (UTF8, 10), (UTF32, 6)],  # "a😀é = " before `x`: 😀 is 2/4/1 units, é 1/2/1
)
def test_columns_in_each_encoding(encoding: str, character: int) -> None:
    index = LineIndex("first\na😀é = x\n", encoding)
    assert index.to_lsp(Position(2, 7)).character == character
    assert index.from_lsp(1, character) == Position(2, 7)


def test_a_position_inside_a_surrogate_pair_snaps_to_its_start() -> None:
    index = LineIndex("😀x", UTF16)
    assert index.from_lsp(0, 1) == Position(1, 1)
    assert index.from_lsp(0, 2) == Position(1, 2)


def test_lines_split_like_the_lsp_not_like_splitlines() -> None:
    text = "a\x0cb\r\nc\rd\u2028e\n"
    assert split_lines(text) == ["a\x0cb", "c", "d\u2028e", ""]
    index = LineIndex(text)
    assert index.to_lsp(Position(3, 3)) == LspPosition(2, 2)  # the \u2028 does not start a line
    assert index.position_at(text.index("e")) == Position(3, 3)
    assert index.offset(Position(3, 3)) == text.index("e")


def test_out_of_range_positions_are_clamped() -> None:
    index = LineIndex("ab\ncd")
    assert index.to_lsp(Position(9, 1)) == LspPosition(1, 2)
    assert index.to_lsp(Position(1, 99)) == LspPosition(0, 2)
    assert index.to_lsp(Position(0, 0)) == LspPosition(0, 0)
    assert index.from_lsp(7, 3) == Position(2, 3)
    assert index.from_lsp(0, 99) == Position(1, 3)


# -- noqa -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("    time.sleep(1)", "    time.sleep(1)  # noqa: TST406"),
        ("    time.sleep(1)   ", "    time.sleep(1)  # noqa: TST406"),
        ("    time.sleep(1)  # noqa: E501", "    time.sleep(1)  # noqa: E501, TST406"),
        ("    time.sleep(1)  # noqa:E501,W291", "    time.sleep(1)  # noqa:E501,W291,TST406"),
        ("    time.sleep(1)  # NOQA: E501 W291", "    time.sleep(1)  # NOQA: E501 W291 TST406"),
        ("    time.sleep(1)  # noqa: E501  -- long URL", "    time.sleep(1)  # noqa: E501, TST406  -- long URL"),
        ("    time.sleep(1)  # type: ignore", "    time.sleep(1)  # type: ignore  # noqa: TST406"),
    ],
)
def test_suppression_adds_or_merges(line: str, expected: str) -> None:
    edit = suppression_edit(line, 1, "TST406")
    assert edit is not None
    start, end = edit.span.start.column - 1, edit.span.end.column - 1
    result = line[:start] + edit.content + line[end:]
    assert result == expected
    codes = noqa_codes(result)
    assert codes is not None and "TST406" in codes


@pytest.mark.parametrize("line", ["x()  # noqa", "x()  # noqa: TST406", "x()  # noqa: TST4", "x()  # noqa:E501,TST4"])
def test_nothing_to_add_when_already_suppressed(line: str) -> None:
    assert suppression_edit(line, 1, "TST406") is None


def test_no_comment_where_python_cannot_take_one() -> None:
    source = 'x = """\nstill a string\n"""\ny = 1 + \\\n    2\nz = f(\n    1,\n)\n'
    commentable = commentable_lines(source)
    assert commentable is not None
    lines = source.split("\n")
    assert suppression_edit(lines[0], 1, "TST406", commentable) is None  # inside a multi-line string
    assert suppression_edit(lines[3], 4, "TST406", commentable) is None  # backslash continuation
    assert suppression_edit(lines[5], 6, "TST406", commentable) is not None  # inside brackets is fine
    assert suppression_edit(lines[2], 3, "TST406", commentable) is not None


def test_code_under_the_cursor() -> None:
    line = "x()  # noqa: E501, TST406"
    assert code_at(line, line.index("TST406") + 2) == "TST406"
    assert code_at(line, line.index("TST406")) == "TST406"
    assert code_at(line, line.index("E501")) == "E501"
    assert code_at(line, 1) is None
    assert code_at("x = 'TST406'", 6) is None


# -- edits ----------------------------------------------------------------------------------------
def _apply(text: str, edits: list[types.TextEdit]) -> str:
    index = LineIndex(text)
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start = index.offset(index.from_lsp(edit.range.start.line, edit.range.start.character))
        end = index.offset(index.from_lsp(edit.range.end.line, edit.range.end.character))
        text = text[:start] + edit.new_text + text[end:]
        index = LineIndex(text)
    return text


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a\nb\nc\n", "a\nB\nc\n"),
        ("a\nb\nc\n", "x\na\nb\nc\ny\n"),
        ("a\nb\nc", "a\nc"),
        ("a\r\nb\r\n", "a\r\nx\r\nb\r\n"),
        ("", "import pytest\n"),
        ("only\n", ""),
    ],
)
def test_minimal_edits_reproduce_the_new_text(old: str, new: str) -> None:
    edits = minimal_edits(LineIndex(old), new)
    assert _apply(old, edits) == new
    assert sum(len(edit.new_text) for edit in edits) <= len(new)  # unchanged lines are not rewritten


def test_minimal_edits_touch_only_changed_lines() -> None:
    (edit,) = minimal_edits(LineIndex("a\nb\nc\n"), "a\nB\nc\n")
    assert (edit.range.start.line, edit.range.end.line, edit.new_text) == (1, 2, "B\n")


# -- client settings ----------------------------------------------------------------------------------
def test_client_settings_are_read_leniently() -> None:
    settings = parse_client_settings(
        {"suitelint": {"select": "tst2, TST4", "extendSelect": ["TST702"], "ignore": ["TST4o6"], "debounce-ms": 50}},
        "initializationOptions",
    )
    assert settings.overrides == {"select": ("TST2", "TST4"), "extend_select": ("TST702",), "ignore": ()}
    assert settings.debounce_ms == 50
    assert len(settings.problems) == 1 and "'TST4o6' is not a rule code" in settings.problems[0]

    assert parse_client_settings(None, "x").overrides == {}
    assert parse_client_settings([1], "x").problems
    merged = settings.merged(parse_client_settings({"ignore": ["TST406"]}, "configuration"))
    assert merged.overrides["ignore"] == ("TST406",) and merged.overrides["select"] == ("TST2", "TST4")
