"""Running a rule's examples: the same code serves the test suite and the docs."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from suitelint.core.diagnostic import Diagnostic
from suitelint.core.engine import lint_file
from suitelint.core.fixer import apply_fixes
from suitelint.core.rule import Example, Rule
from suitelint.core.workspace import Workspace


def _toml_value(value: object) -> str:
    return json.dumps(value)


def write_example_project(root: Path, example: Example) -> Path:
    """Write the example (and its companion files and config) under ``root``."""
    lines = ["[pytest]"]
    for key, value in example.pytest_ini.items():
        lines.append(f"{key} = {value}")
    (root / "pytest.ini").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if example.settings:
        body = "\n".join(f"{key} = {_toml_value(value)}" for key, value in example.settings.items())
        (root / "pyproject.toml").write_text(f"[tool.suitelint]\n{body}\n", encoding="utf-8")
    for name, text in example.files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    target = root / example.filename
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(example.source, encoding="utf-8")
    return target


def lint_example(rule: type[Rule], example: Example) -> tuple[list[Diagnostic], str | None]:
    """The rule's findings on the example, and the text after applying its fixes."""
    with tempfile.TemporaryDirectory(prefix="suitelint-example-") as tmp:
        root = Path(tmp).resolve()
        target = write_example_project(root, example)
        workspace = Workspace(cwd=root)
        result = lint_file(target, workspace, select=[rule.code])
        crashes = [d.message for d in result.diagnostics if d.code == "TST002"]
        if crashes:
            raise AssertionError(f"{rule.code} crashed on its example: {crashes[0]}")
        diagnostics = [d for d in result.diagnostics if d.code == rule.code]
        fixed = None
        if example.fixed is not None:
            fixed = apply_fixes(example.source, [d.fix for d in diagnostics if d.fix], unsafe=True)
        return diagnostics, fixed


def relint_fixed(rule: type[Rule], example: Example, fixed: str) -> list[Diagnostic]:
    """Findings of the rule on the fixed text (must be none)."""
    with tempfile.TemporaryDirectory(prefix="suitelint-example-") as tmp:
        root = Path(tmp).resolve()
        target = write_example_project(root, example)
        target.write_text(fixed, encoding="utf-8")
        result = lint_file(target, Workspace(cwd=root), select=[rule.code])
        return [d for d in result.diagnostics if d.code in (rule.code, "TST001", "TST002")]
