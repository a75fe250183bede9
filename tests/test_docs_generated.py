"""The generated docs (one page per rule, README table) must be up to date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_generated_docs_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_docs.py"), "--check"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr + "\nrun: python scripts/generate_docs.py"


def test_every_rule_has_a_page() -> None:
    from suitelint.core.registry import REGISTRY

    for rule in REGISTRY.all():
        page = ROOT / "docs" / "rules" / f"{rule.code}.md"
        assert page.is_file(), page
        text = page.read_text(encoding="utf-8")
        assert text.startswith(f"# {rule.code}: {rule.name}")
        assert "## What it does" in text and "## Why is this bad?" in text
