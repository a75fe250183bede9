"""The mock rules never crash on their own examples (a crash would only show up as TST002)."""

from __future__ import annotations

from pathlib import Path

import pytest

from suitelint.core.engine import lint_file
from suitelint.core.registry import REGISTRY
from suitelint.core.testing import write_example_project
from suitelint.core.workspace import Workspace

CODES = ("TST205", "TST301", "TST302", "TST303", "TST304", "TST305", "TST306", "TST307")
CASES = [pytest.param(code, index, id=f"{code}-{index}")
         for code in CODES for index in range(len(REGISTRY.get(code).examples))]  # type: ignore[union-attr]


@pytest.mark.parametrize(("code", "index"), CASES)
def test_no_internal_error(code: str, index: int, tmp_path: Path) -> None:
    rule = REGISTRY.get(code)
    assert rule is not None
    example = rule.examples[index]
    target = write_example_project(tmp_path.resolve(), example)
    result = lint_file(target, Workspace(cwd=tmp_path.resolve()), select=list(CODES))
    assert [d.message for d in result.diagnostics if d.code == "TST002"] == []
