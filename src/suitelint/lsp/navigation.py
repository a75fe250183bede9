"""Fixture navigation: the fixture a test or fixture parameter resolves to, pytest's way.

:func:`reference_at` finds the fixture name under the cursor: a parameter of
a test or fixture function, a ``@pytest.mark.usefixtures("...")`` string or
``request.getfixturevalue("...")``.  :func:`resolve` asks the project's
fixture index (:mod:`suitelint.pytest_model.fixtures`, the same resolution
TST501 and the other fixture rules use, so navigation and findings agree)
which definition pytest would pick (requesting class and its bases, the
module and what it imports, the conftest chain up to the rootdir, plugins,
pytest's built-ins) and what that one overrides.  A fixture requesting its
own name gets the definition it overrides.

The index names built-in fixtures without reading pytest; their location is
looked up here in the source of the pytest installed next to the server
(``_pytest/<plugin>.py``), never importing it.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from suitelint.core.context import FileContext
from suitelint.core.diagnostic import Position, Span
from suitelint.core.workspace import Workspace

if TYPE_CHECKING:
    from suitelint.pytest_model.fixture_defs import FixtureDef

FOUND, UNRESOLVABLE, MISSING = "found", "unresolvable", "missing"
MAX_OVERRIDES = 8


@dataclass(frozen=True)
class FixtureReference:
    """A fixture name requested at a position of a file."""

    name: str
    span: Span  # where the name is written
    owner: str | None  # qualname of the requesting class ("TestA.TestInner"), if any
    own_line: int | None = None  # def line of the requesting fixture when it requests its own name


@dataclass(frozen=True)
class FixtureDefinition:
    name: str
    path: Path | None  # None: known by name only (a plugin not installed here)
    span: Span | None  # the function's name on its def line (engine positions)
    function: str
    scope: str  # "dynamic" when computed at run time
    autouse: bool
    origin: str  # class | module | conftest | builtin | installed | known | config
    plugin: str | None = None
    doc: str = ""


@dataclass
class Resolution:
    status: str  # found | unresolvable (hidden behind a star import or dynamic plugin) | missing
    definitions: list[FixtureDefinition] = field(default_factory=list)  # the chosen one first


# -- what is under the cursor ---------------------------------------------------------
def build_context(workspace: Workspace, path: Path, text: str) -> FileContext | None:
    """A FileContext (with parent links) for navigation, or None when ``text`` does not parse."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    pytest = workspace.pytest_for(path)
    context = FileContext(
        path=path,
        display_path=workspace.relative(path),
        source=text,
        tree=tree,
        role=workspace.role_of(path, pytest),
        settings=workspace.settings_for(path),
        pytest=pytest,
        workspace=workspace,
        module_name=workspace.module_name(path),
    )
    context.link_parents()
    return context


def reference_at(ctx: FileContext, position: Position) -> FixtureReference | None:
    """The fixture name requested at ``position`` (engine position) in ``ctx``."""
    for node in ast.walk(ctx.tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found = _parameter_reference(ctx, node, position)
        elif isinstance(node, ast.Call):
            found = _string_reference(ctx, node, position)
        else:
            continue
        if found is not None:
            return found
    return None


def _contains(span: Span, position: Position) -> bool:
    return span.start <= position <= span.end


def _fixture_parameters(ctx: FileContext, func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.arg]:
    """Parameters pytest fills with fixtures: no defaults, no self/cls, no *args."""
    positional = [*func.args.posonlyargs, *func.args.args]
    if func.args.defaults:
        positional = positional[: len(positional) - len(func.args.defaults)]
    parent = ctx.parent(func)
    is_static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in func.decorator_list)
    if isinstance(parent, ast.ClassDef) and not is_static and positional:
        positional = positional[1:]
    keyword = [arg for arg, default in zip(func.args.kwonlyargs, func.args.kw_defaults, strict=True) if default is None]
    return [*positional, *keyword]


def _parameter_reference(
    ctx: FileContext, func: ast.FunctionDef | ast.AsyncFunctionDef, position: Position
) -> FixtureReference | None:
    if not func.lineno <= position.line <= (func.body[0].lineno if func.body else func.lineno):
        return None
    is_fixture = ctx.is_fixture(func)
    if not is_fixture and not ctx.is_test_function(func):
        return None
    for arg in _fixture_parameters(ctx, func):
        start = ctx.position(arg.lineno, arg.col_offset)
        span = Span(start, Position(start.line, start.column + len(arg.arg)))
        if _contains(span, position):
            own = func.lineno if is_fixture and _fixture_name(ctx, func) == arg.arg else None
            return FixtureReference(arg.arg, span, _owner(ctx, func), own)
    return None


def _string_reference(ctx: FileContext, call: ast.Call, position: Position) -> FixtureReference | None:
    if not call.lineno <= position.line <= (call.end_lineno or call.lineno):
        return None
    if ctx.qualname(call.func) == "pytest.mark.usefixtures":
        strings = list(call.args)
    elif isinstance(call.func, ast.Attribute) and call.func.attr == "getfixturevalue":
        strings = list(call.args[:1])
    else:
        return None
    for value in strings:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            span = ctx.span(value)
            if _contains(span, position):
                inner = Span(Position(span.start.line, span.start.column + 1),
                             Position(span.end.line, span.end.column - 1))
                return FixtureReference(value.value, inner, _owner(ctx, call))
    return None


def _owner(ctx: FileContext, node: ast.AST) -> str | None:
    """Qualname of the classes whose body (directly or in a method) holds ``node``."""
    names: list[str] = []
    for ancestor in ctx.ancestors(node):
        if isinstance(ancestor, ast.ClassDef):
            names.append(ancestor.name)
        elif isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and names:
            return None  # a class inside a function is never collected
    return ".".join(reversed(names)) or None


def _fixture_name(ctx: FileContext, func: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    decorator = ctx.fixture_decorator(func)
    if isinstance(decorator, ast.Call):
        for keyword in decorator.keywords:
            value = keyword.value
            if keyword.arg == "name" and isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value
    return func.name


# -- resolution through the fixture index ---------------------------------------------------
def resolve(ctx: FileContext, reference: FixtureReference) -> Resolution:
    """What pytest would give ``reference``, and what that overrides."""
    # imported here: the project model loads with the first lookup, not with the server
    from suitelint.pytest_model.fixture_defs import FixtureDef
    from suitelint.pytest_model.fixtures import fixture_index

    assert ctx.workspace is not None
    visibility = fixture_index(ctx.workspace).visibility(ctx, reference.owner)
    after: FixtureDef | None = None
    if reference.own_line is not None:
        path = ctx.path.resolve()
        after = next((f for layer in visibility.layers for f in layer.fixtures.values()
                      if f.path is not None and f.path.resolve() == path and f.line == reference.own_line), None)
    chain: list[FixtureDef] = []
    found = visibility.lookup(reference.name, after=after)
    while isinstance(found, FixtureDef) and len(chain) < MAX_OVERRIDES and found not in chain:
        chain.append(found)
        found = visibility.lookup(reference.name, after=found)
    if not chain:
        return Resolution(MISSING if found is None else UNRESOLVABLE)
    return Resolution(FOUND, [_definition(ctx.workspace, fixture) for fixture in chain])


def _definition(workspace: Workspace, fixture: FixtureDef) -> FixtureDefinition:
    path = fixture.path.resolve() if fixture.path is not None else None
    span: Span | None = None
    doc = ""
    if path is not None:
        text = workspace.read_text(path)
        if text is not None:
            span, doc = _def_site(text, fixture.line, fixture.function)
    elif fixture.origin == "builtin":
        path, span, doc = _builtin_site(fixture.name, fixture.plugin or "")
    scope = fixture.scope or ("dynamic" if fixture.dynamic_scope else "function")
    origin = fixture.origin
    if origin == "module" and fixture.owner:
        origin = "class"
    elif origin == "module" and path is not None and path.name == "conftest.py":
        origin = "conftest"
    return FixtureDefinition(name=fixture.name, path=path, span=span, function=fixture.function, scope=scope,
                             autouse=fixture.autouse, origin=origin, plugin=fixture.plugin, doc=doc)


def _def_site(text: str, line: int, name: str) -> tuple[Span | None, str]:
    """The name's span on def line ``line`` and the def's docstring (first paragraph)."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None, ""
    row = lines[line - 1]
    index = row.find(name)
    span = Span(Position(line, index + 1), Position(line, index + 1 + len(name))) if index >= 0 else \
        Span(Position(line, 1), Position(line, len(row) + 1))
    return span, _docstring(text, line)


@lru_cache(maxsize=64)
def _docstrings(text: str) -> dict[int, str]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    found: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            doc = ast.get_docstring(node)
            if doc:
                found[node.lineno] = doc.strip().split("\n\n", 1)[0]
    return found


def _docstring(text: str, line: int) -> str:
    return _docstrings(text).get(line, "")


@lru_cache(maxsize=64)
def _builtin_site(name: str, plugin: str) -> tuple[Path | None, Span | None, str]:
    """Where pytest defines a built-in fixture (``request``: the FixtureRequest class)."""
    try:
        spec = importlib.util.find_spec("_pytest")
    except (ImportError, ValueError):
        return None, None, ""
    if spec is None or not spec.submodule_search_locations:
        return None, None, ""
    package = Path(next(iter(spec.submodule_search_locations)))
    path = package / f"{plugin or 'fixtures'}.py"
    try:
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
    except (OSError, UnicodeError, SyntaxError, ValueError, RecursionError):
        return None, None, ""
    wanted = ("FixtureRequest",) if name == "request" else (name,)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in wanted:
            span, doc = _def_site(text, node.lineno, node.name)
            return path.resolve(), span, doc
    return path.resolve(), None, ""
