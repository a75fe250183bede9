#!/usr/bin/env python3
"""Generate docs/rules/TSTnnn.md, docs/rules/index.md and the README rule table from rule metadata.

    python scripts/generate_docs.py           # write
    python scripts/generate_docs.py --check   # exit 1 when anything is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from suitelint.docs import render_index, render_readme_table, render_rule  # noqa: E402
from suitelint.core.registry import REGISTRY  # noqa: E402

README = ROOT / "README.md"
RULES_DIR = ROOT / "docs" / "rules"
TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"


def expected_files() -> dict[Path, str]:
    files = {RULES_DIR / f"{rule.code}.md": render_rule(rule) for rule in REGISTRY.all()}
    files[RULES_DIR / "index.md"] = render_index(REGISTRY.all())
    readme = README.read_text(encoding="utf-8")
    if TABLE_START in readme and TABLE_END in readme:
        head, rest = readme.split(TABLE_START, 1)
        _, tail = rest.split(TABLE_END, 1)
        table = render_readme_table(REGISTRY.all())
        files[README] = f"{head}{TABLE_START}\n{table}{TABLE_END}{tail}"
    return files


def stale_files() -> list[Path]:
    stale = [path for path, text in expected_files().items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    known = {f"{rule.code}.md" for rule in REGISTRY.all()} | {"index.md"}
    stale += [path for path in RULES_DIR.glob("*.md") if path.name not in known]
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="report stale files and exit 1 instead of writing")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)}")
        if stale:
            print("run: python scripts/generate_docs.py")
        return 1 if stale else 0
    RULES_DIR.mkdir(parents=True, exist_ok=True)
    known = {f"{rule.code}.md" for rule in REGISTRY.all()} | {"index.md"}
    for path in RULES_DIR.glob("*.md"):
        if path.name not in known:
            path.unlink()
    for path, text in expected_files().items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
