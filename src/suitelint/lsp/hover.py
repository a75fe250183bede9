"""Hover texts: a rule's docs for a code in a ``# noqa`` comment, a fixture's scope and home."""

from __future__ import annotations

from pathlib import Path

from suitelint.core.registry import REGISTRY
from suitelint.lsp.convert import DOCS_URL
from suitelint.lsp.navigation import MISSING, UNRESOLVABLE, FixtureDefinition, Resolution

_ORIGINS = {
    "class": "class fixture",
    "module": "fixture",
    "conftest": "conftest fixture",
    "builtin": "built-in fixture",
    "installed": "plugin fixture",
    "known": "plugin fixture",
    "config": "fixture",
}


def rule_markdown(code: str) -> str | None:
    """The docs of a rule code, or the rules a prefix (``TST2``) covers; None if unknown."""
    rule = REGISTRY.get(code)
    if rule is not None:
        fix = f" · fix: {rule.fix}" if rule.fix else ""
        default = "" if rule.default_enabled else " · off by default"
        header = f"**{rule.code}** `{rule.name}`{fix}{default}"
        link = f"[{rule.code} documentation]({DOCS_URL.format(code=rule.code)})"
        return f"{header}\n\n{_demote_headings(rule.docs())}\n\n{link}"
    covered = [r for r in REGISTRY.all() if r.code.startswith(code)]
    if not covered:
        return None
    lines = [f"**{code}** suppresses {len(covered)} rule{'s' if len(covered) != 1 else ''}:", ""]
    lines.extend(f"- **{r.code}** `{r.name}`: {r.summary()}" for r in covered)
    return "\n".join(lines)


def _demote_headings(text: str) -> str:
    """Rule docs use ``##`` sections; in a hover they read better one level down."""
    return "\n".join("#" + line if line.startswith("## ") else line for line in text.splitlines())


def fixture_markdown(name: str, resolution: Resolution, display: dict[Path, str]) -> str:
    """The fixture pytest would use for ``name`` (first) and what it overrides."""
    if resolution.status == MISSING:
        return f"**`{name}`**: no fixture of this name is visible from here"
    if resolution.status == UNRESOLVABLE:
        return (f"**`{name}`**: may come from a module or plugin suitelint cannot read "
                "(a star import or a dynamic `pytest_plugins`)")
    chosen = resolution.definitions[0]
    traits = [f"scope `{chosen.scope}`"]
    if chosen.autouse:
        traits.append("autouse")
    lines = [f"**{_ORIGINS.get(chosen.origin, 'fixture')} `{chosen.name}`** ({', '.join(traits)})", ""]
    lines.append(_where(chosen, display))
    if chosen.doc:
        lines.extend(["", chosen.doc])
    if len(resolution.definitions) > 1:
        lines.extend(["", "Overrides:"])
        for other in resolution.definitions[1:]:
            lines.append(f"- {_place(other, display)} (scope `{other.scope}`)")
    return "\n".join(lines)


def _place(definition: FixtureDefinition, display: dict[Path, str]) -> str:
    if definition.path is None:
        return f"plugin `{definition.plugin}`" if definition.plugin else "configuration (`known-fixtures`)"
    line = f":{definition.span.start.line}" if definition.span is not None else ""
    return f"`{display.get(definition.path, str(definition.path))}{line}`"


def _where(definition: FixtureDefinition, display: dict[Path, str]) -> str:
    if definition.origin == "config":
        return "Declared in `known-fixtures` of `[tool.suitelint]`"
    if definition.path is None:
        plugin = f" `{definition.plugin}`" if definition.plugin else ""
        return f"Provided by the plugin{plugin} (not installed where suitelint runs)"
    return f"Defined in {_place(definition, display)} as `{definition.function}`"
