"""Applying edits and fixes."""

from __future__ import annotations

from suitelint.core.diagnostic import Applicability, Edit, Fix, Position, Span
from suitelint.core.fixer import apply_edits, apply_fixes


def test_edits_at_one_position_keep_their_order() -> None:
    text = "async def test_a():\n    assert True\n"
    edits = [Edit.insert(1, 1, "import pytest\n"), Edit.insert(1, 1, "@pytest.mark.asyncio\n")]
    assert apply_edits(text, edits) == "import pytest\n@pytest.mark.asyncio\n" + text


def test_overlapping_fixes_apply_the_first_only() -> None:
    text = "x = 1\n"
    first = Fix((Edit(Span(Position(1, 5), Position(1, 6)), "2"),))
    second = Fix((Edit(Span(Position(1, 1), Position(1, 6)), "y = 3"),))
    assert apply_fixes(text, [first, second]) == "x = 2\n"


def test_unsafe_fixes_need_opt_in_and_broken_results_are_skipped() -> None:
    text = "x = 1\n"
    unsafe = Fix((Edit(Span(Position(1, 5), Position(1, 6)), "2"),), Applicability.UNSAFE)
    assert apply_fixes(text, [unsafe]) == text
    assert apply_fixes(text, [unsafe], unsafe=True) == "x = 2\n"
    breaking = Fix((Edit(Span(Position(1, 5), Position(1, 6)), "("),))
    assert apply_fixes(text, [breaking]) == text


def test_identical_edits_shared_by_fixes_apply_once() -> None:
    text = "a = 1\nb = 2\n"
    shared = Edit.insert(1, 1, "import os\n")
    fixes = [Fix((shared, Edit(Span(Position(1, 5), Position(1, 6)), "3"))),
             Fix((shared, Edit(Span(Position(2, 5), Position(2, 6)), "4")))]
    assert apply_fixes(text, fixes) == "import os\na = 3\nb = 4\n"
