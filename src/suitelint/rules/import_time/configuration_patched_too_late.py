from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

from suitelint.core.rule import FileRole, Invalid, Rule, Valid
from suitelint.project.consumption import Use, callable_uses, copied_names, env_uses
from suitelint.project.env_access import ENVIRON, env_sets_in_call
from suitelint.project.graph import ModuleNode, ProjectModel, depend, model_for
from suitelint.project.summary import ModuleSummary

HOOKS = frozenset({"pytest_configure", "pytest_sessionstart", "pytest_collection"})
PATCHERS = frozenset({"unittest.mock.patch", "mock.patch", "unittest.mock.patch.object", "mock.patch.object"})
SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)

CONFIG = '''
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    redis_url: str
    jwt_secret: str = "change-me"


settings = Settings()
'''
PROJECT = {
    "src/__init__.py": "",
    "src/config.py": CONFIG,
    "src/database/__init__.py": "from src.config import settings\n",
    "src/database/models.py": "class User:\n    pass\n",
}


class ConfigurationPatchedTooLate(Rule):
    """
    ## What it does
    Flags, in a conftest.py or plugin module, `pytest_configure`,
    `pytest_sessionstart`, `pytest_collection` and session-scoped fixtures
    that set an environment variable or patch a settings class, function or
    module attribute which a module imported at the conftest's top level
    already used when it was imported: it read the variable (directly or
    through a settings class it instantiated), called the patched class or
    function, or copied the patched name with `from ... import`.

    ## Why is this bad?
    The conftest.py top level runs first, hooks and session fixtures later.
    By the time the hook sets `REDIS_URL` or patches `src.config.Settings`,
    `settings = Settings()` has already run (or failed the collection), and
    the tests use the real object: the patch silently does nothing. Set the
    variables at the top of conftest.py before the imports (or in the
    environment pytest is started with), or make the project read its
    settings lazily.
    """

    code = "TST107"
    name = "configuration-patched-too-late"
    message = (
        "`{change}` in `{function}` comes too late: `{module}` (imported on line {line}) already {used} "
        "when it was imported ({where}); {advice}"
    )
    applies_to = frozenset({FileRole.CONFTEST, FileRole.PLUGIN})
    examples = (
        Invalid(
            """
            import os
            from unittest.mock import MagicMock, patch

            import pytest

            from src.database.models import User


            def pytest_configure(config):
                os.environ["REDIS_URL"] = "redis://localhost:6379/0"  # [TST107]
                patch("src.config.Settings", MagicMock()).start()  # [TST107]


            @pytest.fixture(scope="session", autouse=True)
            def secrets():
                os.environ.setdefault("JWT_SECRET", "test")  # [TST107]
                yield
            """,
            filename="tests/conftest.py",
            files=PROJECT,
        ),
        Valid(
            """
            import os

            os.environ.setdefault("REDIS_URL", "redis://localhost:6379/0")

            import pytest

            from src.database.models import User


            def pytest_configure(config):
                os.environ["FEATURE_FLAGS"] = "all"


            @pytest.fixture
            def api_key(monkeypatch):
                monkeypatch.setenv("API_KEY", "test")
                monkeypatch.setenv("REDIS_URL", "redis://other")
            """,
            filename="tests/conftest.py",
            files=PROJECT,
            title="set before the imports; variables read lazily; function-scoped monkeypatch",
        ),
    )

    def end(self) -> None:
        ctx = self.ctx
        if ctx.workspace is None:
            return
        changes = list(self._changes())
        if not changes:
            return
        model, node = model_for(ctx)
        deps: set[Path] = set()
        with model.track(deps):
            summary = model.summary(node)
            for function, stmt, shown, (kind, pick_for) in changes:
                found = _first_use(model, node, summary, kind, pick_for(model))
                if found is None:
                    continue
                line, chain, use = found
                where = f"{ctx.workspace.relative(chain[-1].path)}:{use[1].loc.line} `{use[1].shown}`"
                advice = ("set it at the top of conftest.py before the imports, or make the read lazy"
                          if use[0].startswith("read") else
                          "patch it before the imports, or create the object lazily")
                self.report(stmt, change=shown, function=function, module=chain[-1].name, line=line,
                            used=use[0], where=where, advice=advice)
        depend(ctx, deps)

    # -- what the hooks change -----------------------------------------------------------
    def _late_functions(self) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
        for stmt in self.ctx.tree.body:
            if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if stmt.name in HOOKS or _session_scoped(self.ctx.fixture_decorator(stmt)):
                yield stmt

    def _changes(self) -> Iterator[tuple[str, ast.AST, str, tuple[str, Callable[[ProjectModel], Picker]]]]:
        ctx = self.ctx
        for function in self._late_functions():
            for node in _body_nodes(function):
                if isinstance(node, ast.Call):
                    names = env_sets_in_call(node, ctx.qualname, _literal)
                    for name in names or ():
                        if name:
                            yield function.name, node, _short(ctx.text(node)), _env_picker(name)
                    target = self._patch_target(node)
                    if target:
                        yield function.name, node, _short(ctx.text(node)), _target_picker(target)
                elif isinstance(node, ast.Assign):
                    for target_node in node.targets:
                        if isinstance(target_node, ast.Subscript) and ctx.qualname(target_node.value) == ENVIRON:
                            name = _literal(target_node.slice)
                            if name:
                                yield (function.name, node, _short(ctx.text(target_node)) + " = ...",
                                       _env_picker(name))
                        elif isinstance(target_node, ast.Attribute):
                            qualified = ctx.qualname(target_node)
                            if qualified and "." in qualified:
                                yield (function.name, node, _short(ctx.text(target_node)) + " = ...",
                                       _target_picker(qualified))

    def _patch_target(self, call: ast.Call) -> str | None:
        """The dotted target of ``patch("a.b")``, ``patch.object(a, "b")``, ``<mp>.setattr(...)``."""
        ctx = self.ctx
        func = call.func
        name = ctx.qualname(func)
        attr = func.attr if isinstance(func, ast.Attribute) else ""
        is_object = name in ("unittest.mock.patch.object", "mock.patch.object") or (
            name is None and attr == "object" and isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Attribute) and func.value.attr == "patch")
        if name in PATCHERS and not is_object or (name is None and attr == "patch"):
            first = _literal(call.args[0]) if call.args else None
            return first if first and "." in first else None
        if is_object or attr == "setattr":
            if len(call.args) >= 2 and (owner := ctx.qualname(call.args[0])) and (member := _literal(call.args[1])):
                return f"{owner}.{member}"
            if attr == "setattr" and call.args:
                first = _literal(call.args[0])
                return first if first and "." in first else None
        return None


Picker = Callable[[ModuleNode], "tuple[str, Use] | None"]


def _env_picker(variable: str) -> tuple[str, Callable[[ProjectModel], Picker]]:
    def make(model: ProjectModel) -> Picker:
        def pick(module: ModuleNode) -> tuple[str, Use] | None:
            use = env_uses(model, module).get(variable.upper())
            return (f"read `{variable}`", use) if use is not None else None
        return pick
    return f"env:{variable.upper()}", make


def _target_picker(target: str) -> tuple[str, Callable[[ProjectModel], Picker]]:
    def make(model: ProjectModel) -> Picker:
        symbol = model.resolve_symbol(target)
        if symbol is not None and symbol.kind in ("class", "function"):
            key = (symbol.node.path, symbol.name, symbol.method)

            def pick_callable(module: ModuleNode) -> tuple[str, Use] | None:
                for used, loc, shown in callable_uses(model, module):
                    if (used.node.path, used.name, used.method) == key:
                        return f"called `{target}`", Use(loc, shown)
                return None
            return pick_callable
        owner, _, member = target.rpartition(".")
        owner_symbol = model.resolve_symbol(owner) if owner else None
        if owner_symbol is None or owner_symbol.kind != "module" or symbol is not None:
            return lambda module: None
        owner_path = owner_symbol.node.path

        def pick_copy(module: ModuleNode) -> tuple[str, Use] | None:
            for base, name, use in copied_names(model, module):
                if name == member:
                    base_symbol = model.resolve_symbol(base, origin=module)
                    if base_symbol is not None and base_symbol.kind == "module" and base_symbol.node.path == owner_path:
                        return f"copied `{target}`", use
            return None
        return pick_copy
    return f"target:{target}", make


def _first_use(model: ProjectModel, node: ModuleNode, summary: ModuleSummary, kind: str, pick: Picker,
               ) -> tuple[int, tuple[ModuleNode, ...], tuple[str, Use]] | None:
    """The first import at the file's top level whose execution uses what ``pick`` looks for."""
    def events(module: ModuleNode) -> list[tuple[int, tuple[str, Use]]]:
        if module.path == node.path:
            return []
        found = pick(module)
        return [(found[1].loc.line, found)] if found is not None else []

    for site in summary.imports:
        if not site.runs_at_import:
            continue
        targets, _ = model.import_targets(node, site)
        if not targets:
            continue
        found = model.first_executed(tuple(targets), kind, events)
        if found is not None:
            use, stack = found
            return site.loc.line, stack, use
    return None


def _session_scoped(decorator: ast.expr | None) -> bool:
    if not isinstance(decorator, ast.Call):
        return False
    for keyword in decorator.keywords:
        if keyword.arg == "scope":
            return isinstance(keyword.value, ast.Constant) and keyword.value.value == "session"
    return bool(decorator.args) and isinstance(decorator.args[0], ast.Constant) and decorator.args[0].value == "session"


def _body_nodes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """Nodes of a function body, not entering nested scopes."""
    stack: list[ast.AST] = list(reversed(function.body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, SCOPE_NODES):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."
