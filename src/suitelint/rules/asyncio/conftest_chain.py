"""What the conftest.py files above a test module (and their plugins) contribute.

pytest makes the fixtures of every ``conftest.py`` from a test module's
directory up to the rootdir visible to it, plus the fixtures of modules
named in ``pytest_plugins``.  The async rules need a few syntactic facts
about those files (which fixtures they define or request, which marks and
async libraries they use); this module reads them from disk with the stdlib
``ast`` (never importing them), records each one as a dependency of the
checked file, and caches the facts per workspace, keyed by the file's
modification stamp (or the editor buffer when one is open).
"""

from __future__ import annotations

from suitelint.core.parsing import parse as parse_cached

import ast
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from suitelint.core.astwalk import iter_nodes
from suitelint.core.context import FileContext
from suitelint.project.modules import module_map

CACHE_KEY = "asyncio.conftest_facts"
FIXTURE_DECORATOR_NAMES = frozenset({"fixture", "yield_fixture"})


@dataclass(frozen=True)
class ModuleFacts:
    """Syntactic facts about one module, as far as fixtures and marks go."""

    fixtures: frozenset[str]  # fixture names it defines (``name=`` honoured)
    requested: frozenset[str]  # fixture names its functions request (arguments, usefixtures)
    marks: frozenset[str]  # ``pytest.mark.X`` / ``mark.X`` names it mentions
    imports: frozenset[str]  # top-level names of the modules it imports
    plugins: tuple[str, ...]  # its ``pytest_plugins`` entries
    # process-global mappings ("os.environ", "sys.modules") that one of its
    # function-scoped autouse fixtures snapshots and restores around every test
    autouse_restores: frozenset[str] = frozenset()


def module_facts(tree: ast.Module) -> ModuleFacts:
    fixtures: set[str] = set()
    requested: set[str] = set()
    marks: set[str] = set()
    imports: set[str] = set()
    plugins: list[str] = []
    restores: set[str] = set()
    for node in iter_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = _fixture_name(node)
            if name is not None:
                fixtures.add(name)
                restores.update(_autouse_restores(node))
            requested.update(arg.arg for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs))
        elif isinstance(node, ast.Attribute):
            owner = node.value
            if (isinstance(owner, ast.Attribute) and owner.attr == "mark") or (
                isinstance(owner, ast.Name) and owner.id == "mark"
            ):
                marks.add(node.attr)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "usefixtures":
            requested.update(arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
        elif isinstance(node, ast.Import):
            imports.update(alias.name.split(".", 1)[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imports.add(node.module.split(".", 1)[0])
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in stmt.targets):
            plugins.extend(_strings(stmt.value))
    return ModuleFacts(frozenset(fixtures), frozenset(requested), frozenset(marks), frozenset(imports), tuple(plugins),
                       frozenset(restores))


def _fixture_name(func: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        attr = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else None
        if attr in FIXTURE_DECORATOR_NAMES:
            if isinstance(decorator, ast.Call):
                for keyword in decorator.keywords:
                    if keyword.arg == "name" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                        return keyword.value.value
            return func.name
    return None


GLOBAL_MAPPINGS = {"os.environ": "os.environ", "environ": "os.environ", "sys.modules": "sys.modules"}
MAPPING_WRITERS = frozenset({"update", "pop", "popitem", "clear", "setdefault", "__setitem__", "__delitem__"})


def _autouse_restores(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The mappings an autouse, function-scoped generator fixture writes back after its ``yield``.

    Recognised: any write of the mapping after the ``yield`` or in a
    ``finally`` around it (``saved = os.environ.copy() ... os.environ.clear();
    os.environ.update(saved)``), and a ``with patch.dict(mapping, ...):``
    around the ``yield``.
    """
    options = {kw.arg: kw.value for d in func.decorator_list if isinstance(d, ast.Call) for kw in d.keywords}
    autouse = options.get("autouse")
    scope = options.get("scope")
    if not (isinstance(autouse, ast.Constant) and autouse.value is True):
        return set()
    if scope is not None and not (isinstance(scope, ast.Constant) and scope.value == "function"):
        return set()
    yields = [n.lineno for n in ast.walk(func) if isinstance(n, (ast.Yield, ast.YieldFrom))]
    if not yields:
        return set()
    first_yield = min(yields)
    found: set[str] = set()
    for node in ast.walk(func):
        if isinstance(node, (ast.With, ast.AsyncWith)) and node.lineno < first_yield <= (node.end_lineno or 0):
            for item in node.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and _dotted(call.func, "").endswith("patch.dict") and call.args:
                    target = call.args[0]
                    text = target.value if isinstance(target, ast.Constant) else _dotted(target, "")
                    if text in GLOBAL_MAPPINGS:
                        found.add(GLOBAL_MAPPINGS[str(text)])
        elif getattr(node, "lineno", 0) > first_yield:
            mapping = _written_mapping(node)
            if mapping is not None:
                found.add(mapping)
    return found


def _written_mapping(node: ast.AST) -> str | None:
    targets: list[ast.expr] = []
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MAPPING_WRITERS:
        return GLOBAL_MAPPINGS.get(_dotted(node.func.value, ""))
    if isinstance(node, (ast.Assign, ast.Delete)):
        targets = node.targets
    for target in targets:
        if isinstance(target, ast.Subscript):
            mapping = GLOBAL_MAPPINGS.get(_dotted(target.value, ""))
            if mapping is not None:
                return mapping
    return None


def _dotted(node: ast.AST, default: str) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return default
    return ".".join([node.id, *reversed(parts)])


def restored_by_autouse_fixture(ctx: FileContext, mapping: str) -> bool:
    """Whether an autouse fixture visible from ``ctx``'s file restores ``mapping`` around every test."""
    if mapping in module_facts_of_tree(ctx).autouse_restores:
        return True
    return any(mapping in facts.autouse_restores for _, facts in visible_modules(ctx))


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def visible_modules(ctx: FileContext) -> Iterator[tuple[Path, ModuleFacts]]:
    """Facts of the conftest.py files visible from ``ctx``'s file and of the plugin modules they name.

    The checked file itself is not included (rules read it from ``ctx``),
    but the plugin modules it names in ``pytest_plugins`` are.
    """
    workspace = ctx.workspace
    if workspace is None:
        return
    own = ctx.path.resolve()
    pending_plugins: list[str] = list(module_facts_of_tree(ctx).plugins)
    for conftest in _conftest_files(ctx):
        if conftest == own:
            continue
        facts = _facts_for(ctx, conftest)
        if facts is not None:
            pending_plugins.extend(facts.plugins)
            yield conftest, facts
    seen: set[str] = set()
    modules = None
    while pending_plugins:
        name = pending_plugins.pop()
        if name in seen:
            continue
        seen.add(name)
        if modules is None:
            modules = module_map(workspace, ctx.path)
        path = modules.resolve(name)
        if path is None or path.resolve() == own:
            continue
        facts = _facts_for(ctx, path.resolve())
        if facts is not None:
            pending_plugins.extend(facts.plugins)
            yield path.resolve(), facts


def module_facts_of_tree(ctx: FileContext) -> ModuleFacts:
    """Facts of the checked file itself (computed once per file)."""
    cached = getattr(ctx, "_sl_module_facts", None)
    if cached is None:
        cached = module_facts(ctx.tree)
        ctx._sl_module_facts = cached  # type: ignore[attr-defined]
    return cached


def _conftest_files(ctx: FileContext) -> Iterator[Path]:
    directory = ctx.path.resolve().parent
    rootdir = ctx.pytest.rootdir.resolve()
    chain = [directory]
    if directory != rootdir and rootdir in directory.parents:
        for parent in directory.parents:
            chain.append(parent)
            if parent == rootdir:
                break
    for folder in chain:
        candidate = folder / "conftest.py"
        if candidate.is_file():
            yield candidate


def _facts_for(ctx: FileContext, path: Path) -> ModuleFacts | None:
    """The facts of a file on disk (or in an open buffer), cached by its stamp."""
    workspace = ctx.workspace
    assert workspace is not None
    cache: dict[Path, tuple[object, ModuleFacts | None]] = workspace.extensions.setdefault(CACHE_KEY, {})
    overlay = workspace.overlays.get(path)
    if overlay is not None:
        stamp: object = ("buffer", hashlib.sha1(overlay.encode("utf-8", "replace")).hexdigest())
    else:
        try:
            stat = path.stat()
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
    dependencies = getattr(ctx, "dependencies", None)
    if dependencies is not None:
        dependencies.add(path)
    entry = cache.get(path)
    if entry is not None and entry[0] == stamp:
        return entry[1]
    text = workspace.read_text(path)
    facts: ModuleFacts | None = None
    if text is not None:
        try:
            facts = module_facts(parse_cached(text, str(path)))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            facts = None
    cache[path] = (stamp, facts)
    return facts
