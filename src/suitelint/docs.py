"""Rendering a rule's documentation from its metadata (docs pages, `suitelint rule`).

The page follows ruff's order: What it does / Why is this bad? / Example /
Use instead / Fix / Configuration.  Example and Use instead come from the
rule's own Invalid and Valid examples, which run in the test suite, so every
example in the docs is known to be flagged (or not).
"""

from __future__ import annotations

from typing import Iterable

from suitelint.core.registry import is_enabled
from suitelint.core.rule import Example, Invalid, Rule, Valid

DOCS_URL = "https://github.com/suitelint/suitelint/blob/main/docs/rules/{code}.md"
ROLE_NAMES = {"test": "test modules", "conftest": "conftest.py files", "plugin": "pytest_plugins modules",
              "other": "other modules"}


def rule_url(code: str) -> str:
    return DOCS_URL.format(code=code)


def _sections(rule: type[Rule]) -> dict[str, str]:
    sections: dict[str, str] = {}
    current = None
    lines: list[str] = []
    for line in rule.docs().splitlines():
        if line.startswith("## "):
            if current is not None:
                sections[current] = "\n".join(lines).strip()
            current = line[3:].strip()
            lines = []
        else:
            lines.append(line)
    if current is not None:
        sections[current] = "\n".join(lines).strip()
    return sections


def _example_block(example: Example) -> str:
    parts = []
    if example.title:
        parts.append(f"*{example.title}*\n")
    for name, text in example.files.items():
        parts.append(f"```python\n# {name}\n{text.rstrip()}\n```\n")
    if example.files:
        parts.append(f"```python\n# {example.filename}\n{example.source.rstrip()}\n```\n")
    else:
        parts.append(f"```python\n{example.source.rstrip()}\n```\n")
    if example.pytest_ini:
        ini = "\n".join(f"{k} = {v}" for k, v in example.pytest_ini.items())
        parts.append(f"with pytest configuration:\n\n```ini\n[pytest]\n{ini}\n```\n")
    return "\n".join(parts)


def render_rule(rule: type[Rule]) -> str:
    sections = _sections(rule)
    out = [f"# {rule.code}: {rule.name}\n"]
    default = "on" if rule.default_enabled else f'off (enable with `extend-select = ["{rule.code}"]`)'
    facts = [
        f"**Default:** {default}",
        f"**Fix:** {rule.fix or 'none'}",
        "**Checks:** " + (", ".join(ROLE_NAMES[r] for r in sorted(rule.applies_to)) if not rule.engine_rule else "every file"),
    ]
    out.append(" · ".join(facts) + "\n")
    out.append(f"**Message:** `` {rule.message} ``\n")
    for title in ("What it does", "Why is this bad?"):
        if title in sections:
            out.append(f"## {title}\n\n{sections[title]}\n")
    invalid = [e for e in rule.examples if isinstance(e, Invalid) and e.in_docs]
    valid = [e for e in rule.examples if isinstance(e, Valid) and e.in_docs]
    if invalid:
        out.append("## Example\n\n" + "\n".join(_example_block(e) for e in invalid))
    elif "Example" in sections:
        out.append(f"## Example\n\n{sections['Example']}\n")
    if valid:
        out.append("## Use instead\n\n" + "\n".join(_example_block(e) for e in valid))
    elif "Use instead" in sections:
        out.append(f"## Use instead\n\n{sections['Use instead']}\n")
    for title, text in sections.items():
        if title not in ("What it does", "Why is this bad?", "Example", "Use instead"):
            out.append(f"## {title}\n\n{text}\n")
    out.append(
        "## Suppressing\n\n"
        f"`# noqa: {rule.code}` on the reported line, `per-file-ignores`, or `ignore = [\"{rule.code}\"]` "
        "in `[tool.suitelint]`.\n"
    )
    return "\n".join(out).rstrip() + "\n"


def _row(rule: type[Rule], link_prefix: str) -> str:
    default = "✔" if is_enabled(rule.code, rule.default_enabled, None) or rule.engine_rule else ""
    fix = {"safe": "🛠", "unsafe": "🛠 (unsafe)"}.get(rule.fix or "", "")
    summary = rule.summary().replace("|", "\\|")
    return f"| [{rule.code}]({link_prefix}{rule.code}.md) | {rule.name} | {default} | {fix} | {summary} |"


def render_readme_table(rules: Iterable[type[Rule]]) -> str:
    lines = ["| Code | Name | Default | Fix | What it flags |", "|---|---|---|---|---|"]
    lines += [_row(rule, "docs/rules/") for rule in rules]
    return "\n".join(lines) + "\n"


def render_index(rules: Iterable[type[Rule]]) -> str:
    lines = ["# Rules\n", "Generated from the rules' metadata by `scripts/generate_docs.py`.\n",
             "| Code | Name | Default | Fix | What it flags |", "|---|---|---|---|---|"]
    lines += [_row(rule, "") for rule in rules]
    return "\n".join(lines) + "\n"
