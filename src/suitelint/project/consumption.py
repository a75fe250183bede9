"""What a module consumes when it is imported: environment variables, project callables, names.

TST107 asks whether something a hook or session fixture changes (an
environment variable, a patched class, function or module attribute) was
already used by a module imported at conftest top level.  A module uses,
at import time:

- an environment variable it reads at module level (with or without a
  default: the value is fixed from then on), or one a settings class it
  instantiates at module level reads (every field of the class);
- a project class or function it calls at module level;
- a name it copies with ``from module import name`` at module level.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from suitelint.project.settings_classes import settings_class
from suitelint.project.summary import Loc, absolute, resolve_relative

if TYPE_CHECKING:
    from suitelint.project.graph import ModuleNode, ProjectModel, Symbol


@dataclass(frozen=True)
class Use:
    loc: Loc
    shown: str  # `Settings()`, `os.getenv("X")`, `from src.config import settings`


def env_uses(model: ProjectModel, node: ModuleNode) -> dict[str, Use]:
    """Environment variables (upper-cased) ``node`` reads at import time."""
    def compute() -> dict[str, Use]:
        found: dict[str, Use] = {}
        summary = model.summary(node)
        for read in summary.env_reads:
            if read.import_time and read.name:
                found.setdefault(read.name.upper(), Use(read.loc, read.text))
        for symbol, call_loc, shown in callable_uses(model, node):
            if symbol.kind == "class" and not symbol.method:
                settings = settings_class(model, symbol.node, symbol.name)
                if settings is not None:
                    for name, _ in settings.all_env_names():
                        found.setdefault(name.upper(), Use(call_loc, shown))
        return found

    return model.cached("env_uses", node, compute, {})


def callable_uses(model: ProjectModel, node: ModuleNode) -> list[tuple[Symbol, Loc, str]]:
    """Project classes and functions ``node`` calls at import time."""
    def compute() -> list[tuple[Symbol, Loc, str]]:
        found: list[tuple[Symbol, Loc, str]] = []
        for call in model.summary(node).calls:
            if call.callee is None:
                continue
            if call.callee.startswith(":"):
                symbol = model.resolve_in(node, call.callee[1:].split("."))
            else:
                qualified = absolute(call.callee, node.name, node.is_package)
                symbol = model.resolve_symbol(qualified, origin=node) if qualified else None
            if symbol is not None and symbol.kind in ("class", "function"):
                found.append((symbol, call.loc, f"{call.text}()"))
        return found

    return model.cached("callable_uses", node, compute, [])


def copied_names(model: ProjectModel, node: ModuleNode) -> list[tuple[str, str, Use]]:
    """``(module, name, use)`` for each ``from module import name`` run at import time."""
    found: list[tuple[str, str, Use]] = []
    for site in model.summary(node).imports:
        if not site.runs_at_import or not site.is_from:
            continue
        base = resolve_relative(site.level, site.module, node.name, node.is_package)
        if base is None:
            continue
        for name, _ in site.names:
            found.append((base, name, Use(site.loc, f"from {base} import {name}")))
    return found
