"""Project modules read statically: bindings, classes and ``self`` attributes.

A :class:`ModuleInfo` is one parsed project module (stdlib ``ast``): what its
module level binds (defs, classes, values, imports; conditionally or not),
its star imports and whether it creates names dynamically (module
``__getattr__``, ``globals()``).  A :class:`ClassInfo` is one class body: its
bindings, class-level annotations and the ``self.x`` attributes its methods
assign.  Modules read from disk are cached per workspace (``extensions``),
keyed by the file's stamp, so a run parses each project module once.
"""

from __future__ import annotations

import ast
import hashlib
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from suitelint.mocks_model.scan import TextScan, scan_text

if TYPE_CHECKING:
    from suitelint.core.workspace import Workspace
    from suitelint.project.modules import ModuleMap

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
CACHE_KEY = "suitelint.mocks_model.modules"
_DYNAMIC_NAMES = frozenset({"globals", "vars", "exec"})


@dataclass(frozen=True, eq=False)
class Binding:
    """One way a name gets bound in a module, class or function body.

    ``kind`` is ``def``, ``class``, ``value`` (an assignment: ``value`` holds
    the expression), ``import`` (``target`` holds the qualified name),
    ``param`` (``node`` is the ``ast.arg``), ``with`` (``value`` is the
    context expression) or ``other`` (bound in a way we do not evaluate).
    """

    kind: str
    node: ast.AST
    value: ast.expr | None = None
    target: str | None = None
    annotation: ast.expr | None = None
    conditional: bool = False
    index: int = -1  # position of a parameter

    @property
    def position(self) -> tuple[int, int]:
        return (getattr(self.node, "lineno", 0), getattr(self.node, "col_offset", 0))


def absolute_module(module_name: str, is_package: bool, node: ast.ImportFrom) -> str | None:
    """The absolute module a ``from ... import`` names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    package = module_name.split(".") if module_name else []
    if not is_package:
        package = package[:-1]
    if node.level - 1 > len(package):
        return None
    base = package[: len(package) - (node.level - 1)]
    parts = [*base, *([node.module] if node.module else [])]
    return ".".join(p for p in parts if p)


def import_bindings(node: ast.Import | ast.ImportFrom, module_name: str, is_package: bool,
                    conditional: bool = False) -> Iterator[tuple[str, Binding]]:
    """(alias, binding) pairs an import statement creates (star imports excluded)."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                yield alias.asname, Binding("import", node, target=alias.name, conditional=conditional)
            else:
                top = alias.name.split(".", 1)[0]
                yield top, Binding("import", node, target=top, conditional=conditional)
        return
    module = absolute_module(module_name, is_package, node)
    if module is None:
        return
    for alias in node.names:
        if alias.name == "*":
            continue
        target = f"{module}.{alias.name}" if module else alias.name
        yield alias.asname or alias.name, Binding("import", node, target=target, conditional=conditional)


def target_names(target: ast.expr) -> Iterator[ast.Name]:
    if isinstance(target, ast.Name):
        yield target
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from target_names(element)
    elif isinstance(target, ast.Starred):
        yield from target_names(target.value)


def body_bindings(body: list[ast.stmt], module_name: str, is_package: bool) -> dict[str, list[Binding]]:
    """Names a module or class body binds (not looking into defs and classes)."""
    bindings: dict[str, list[Binding]] = {}

    def add(name: str, binding: Binding) -> None:
        bindings.setdefault(name, []).append(binding)

    for stmt, conditional in iter_statements(body):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            add(stmt.name, Binding("def", stmt, conditional=conditional))
        elif isinstance(stmt, ast.ClassDef):
            add(stmt.name, Binding("class", stmt, conditional=conditional))
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    add(target.id, Binding("value", stmt, value=stmt.value, conditional=conditional))
                else:
                    for name in target_names(target):
                        add(name.id, Binding("other", stmt, conditional=conditional))
        elif isinstance(stmt, ast.AnnAssign):
            if isinstance(stmt.target, ast.Name):
                kind = "value" if stmt.value is not None else "declared"
                add(stmt.target.id, Binding(kind, stmt, value=stmt.value, annotation=stmt.annotation,
                                            conditional=conditional))
        elif isinstance(stmt, ast.AugAssign):
            for name in target_names(stmt.target):
                add(name.id, Binding("other", stmt, conditional=conditional))
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias, binding in import_bindings(stmt, module_name, is_package, conditional):
                add(alias, binding)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            for name in target_names(stmt.target):
                add(name.id, Binding("other", stmt, conditional=True))
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is not None:
                    for name in target_names(item.optional_vars):
                        add(name.id, Binding("other", stmt, conditional=conditional))
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                if handler.name:
                    add(handler.name, Binding("other", handler, conditional=True))
    return bindings


@dataclass(frozen=True)
class InstanceAttributes:
    """What a class's methods (and class-level annotations) say about its instances' attributes."""

    # class-level `name: T` and `self.name: T = ...` annotations
    annotations: dict[str, ast.expr] = field(default_factory=dict)
    # self.<name> = value in methods: name -> [(value or None, method)]
    assigned: dict[str, list[tuple[ast.expr | None, FunctionNode]]] = field(default_factory=dict)
    # longer chains, self.a.b = value: "a.b" -> [(value, method)]
    chains: dict[str, list[tuple[ast.expr, FunctionNode]]] = field(default_factory=dict)


@dataclass(eq=False)
class ClassInfo:
    """One class body of a module: its bindings now, its instances' attributes on first use."""

    module: ModuleInfo
    node: ast.ClassDef
    qualname: str
    bindings: dict[str, list[Binding]] = field(default_factory=dict)

    @classmethod
    def build(cls, module: ModuleInfo, node: ast.ClassDef, qualname: str) -> ClassInfo:
        return cls(module, node, qualname, body_bindings(node.body, module.name, module.is_package))

    @cached_property
    def instance(self) -> InstanceAttributes:
        found = InstanceAttributes()
        for stmt in self.node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                found.annotations[stmt.target.id] = stmt.annotation
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                _collect_self_attributes(found, stmt)
        return found


def _collect_self_attributes(found: InstanceAttributes, method: FunctionNode) -> None:
    args = [*method.args.posonlyargs, *method.args.args]
    if not args or _is_static(method):
        return
    self_name = args[0].arg
    for node, _ in iter_statements(method.body):
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
            if (isinstance(node.target, ast.Attribute) and isinstance(node.target.value, ast.Name)
                    and node.target.value.id == self_name):
                found.annotations.setdefault(node.target.attr, node.annotation)
        elif isinstance(node, ast.AugAssign):
            targets = [node.target]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            targets = [node.target]
        for target in targets:
            _record_target(found, target, value, method, self_name)


def _record_target(found: InstanceAttributes, target: ast.expr, value: ast.expr | None, method: FunctionNode,
                   self_name: str) -> None:
    if isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            _record_target(found, element, None, method, self_name)
        return
    chain = dotted_chain(target)
    if chain is None or len(chain) < 2 or chain[0] != self_name:
        return
    if len(chain) == 2:
        found.assigned.setdefault(chain[1], []).append((value, method))
    elif value is not None:
        found.chains.setdefault(".".join(chain[1:]), []).append((value, method))


@dataclass(eq=False)
class ModuleInfo:
    """One project module (or the checked file itself)."""

    name: str
    path: Path
    tree: ast.Module
    is_package: bool
    _classes: dict[int, ClassInfo] = field(default_factory=dict)
    _locals: dict[int, dict[str, list[Binding]]] = field(default_factory=dict)

    @classmethod
    def build(cls, name: str, path: Path, tree: ast.Module) -> ModuleInfo:
        """The module's summary; its bindings are read on first use (a checked file may need none)."""
        return cls(name=name, path=path, tree=tree, is_package=path.name == "__init__.py")

    @cached_property
    def bindings(self) -> dict[str, list[Binding]]:
        """What the module level binds (defs, classes, values, imports; conditionally or not)."""
        return body_bindings(self.tree.body, self.name, self.is_package)

    @cached_property
    def imports(self) -> dict[str, str]:
        """Module-level import aliases and the qualified names they bind (the first binding wins)."""
        imports: dict[str, str] = {}
        for alias, bindings in self.bindings.items():
            for binding in bindings:
                if binding.kind == "import" and binding.target is not None:
                    imports.setdefault(alias, binding.target)
        return imports

    @cached_property
    def star_imports(self) -> list[str]:
        """Modules of the module level's ``from ... import *`` statements, in order."""
        found: list[str] = []
        if self._statements.star_import:
            for stmt, _ in iter_statements(self.tree.body):
                if isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names):
                    module = absolute_module(self.name, self.is_package, stmt)
                    if module is not None:
                        found.append(module)
        return found

    @cached_property
    def dynamic(self) -> bool:
        """Whether the module makes attributes we cannot list (``__getattr__``, ``globals()``...)."""
        return "__getattr__" in self.bindings or _uses_dynamic_globals(self.tree)

    @cached_property
    def _statements(self) -> StatementFacts:
        return statement_facts(self.tree.body, self.name, self.is_package)

    @property
    def maybe_coroutine_names(self) -> frozenset[str]:
        """Names of every ``async def`` and decorated ``def`` in the module (a cheap filter for TST205)."""
        return self._statements.maybe_coroutine_names

    @cached_property
    def imported_names(self) -> tuple[str, ...]:
        """Absolute dotted names every import statement of the module names (functions' imports too)."""
        return tuple(dict.fromkeys([*self.star_imports, *self._statements.imported_names]))

    @property
    def mock_aliases(self) -> frozenset[str]:
        """Names any import of the module (functions' imports too) binds to ``unittest``/``mock`` things.

        Only a name among these can resolve to a mock API through imports (a cheap filter).
        """
        return self._statements.mock_aliases

    @cached_property
    def called_names(self) -> frozenset[str]:
        """Names called as plain names anywhere in the module (``name(...)``)."""
        return frozenset(node.func.id for node in ast.walk(self.tree)
                         if isinstance(node, ast.Call) and isinstance(node.func, ast.Name))

    @cached_property
    def declared_global(self) -> frozenset[str]:
        """Names functions bind at module level through ``global``."""
        return frozenset(name for names in _global_declarations(self.tree) for name in names)

    def class_info(self, node: ast.ClassDef, qualname: str | None = None) -> ClassInfo:
        found = self._classes.get(id(node))
        if found is None:
            found = self._classes[id(node)] = ClassInfo.build(self, node, qualname or node.name)
        return found

    def function_locals(self, function: FunctionNode | ast.Lambda) -> dict[str, list[Binding]]:
        """What a function binds locally: parameters, assignments, imports, with-targets."""
        found = self._locals.get(id(function))
        if found is None:
            found = self._locals[id(function)] = _function_locals(function, self.name, self.is_package)
        return found


def dotted_chain(node: ast.AST) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    parts.reverse()
    return parts


def walk_body(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of a function body, not entering nested defs, classes or lambdas."""
    scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, scopes):
            continue  # the def itself (its name is bound here), not its body
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _is_static(method: FunctionNode) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in method.decorator_list)


@dataclass(frozen=True)
class StatementFacts:
    """What one pass over every statement of a module finds (nested defs' and classes' bodies included)."""

    maybe_coroutine_names: frozenset[str]
    imported_names: tuple[str, ...]  # in statement order, repeats included (star imports not put first)
    mock_aliases: frozenset[str]
    star_import: bool  # a ``from ... import *`` anywhere


_MOCK_ROOTS = ("unittest", "mock")
# per statement class: its statement lists, and whether it has handlers / match cases
_NESTED: dict[type, tuple[tuple[str, ...], bool, bool]] = {}
_SIMPLE: tuple[tuple[str, ...], bool, bool] = ((), False, False)  # (the one object for) no statement nested


def _nested(cls: type) -> tuple[tuple[str, ...], bool, bool]:
    fields = getattr(cls, "_fields", ())
    found = (tuple(f for f in ("body", "orelse", "finalbody") if f in fields), "handlers" in fields, "cases" in fields)
    if found == _SIMPLE:
        found = _SIMPLE
    _NESTED[cls] = found
    return found


def statement_facts(body: list[ast.stmt], module_name: str, is_package: bool) -> StatementFacts:
    """One walk over every statement (no expression visited), in a fixed order.

    A statement comes before the statements nested in it; these come in the
    order a stack gives when a statement's ``body``, ``orelse``,
    ``finalbody``, handlers' and match cases' bodies are pushed in that
    order (so the closure of TST205's filter is followed in a fixed order).
    """
    names: set[str] = set()
    imported: list[str] = []
    aliases: set[str] = set()
    star = False
    stack = list(reversed(body))
    pop, extend = stack.pop, stack.extend
    async_def, plain_def, import_, import_from = ast.AsyncFunctionDef, ast.FunctionDef, ast.Import, ast.ImportFrom
    table, simple = _NESTED, _SIMPLE
    while stack:
        stmt = pop()
        cls = stmt.__class__
        nested = table.get(cls) or _nested(cls)
        if nested is simple and cls is not import_ and cls is not import_from:
            continue  # most statements: nothing to note, nothing nested
        if cls is async_def or (cls is plain_def and stmt.decorator_list):  # type: ignore[attr-defined]
            names.add(stmt.name)  # type: ignore[attr-defined]
        elif cls is import_ or cls is import_from:
            if cls is import_:
                imported.extend(alias.name for alias in stmt.names)  # type: ignore[attr-defined]
            else:
                module = absolute_module(module_name, is_package, stmt)  # type: ignore[arg-type]
                if module:
                    imported.append(module)
                    imported.extend(f"{module}.{alias.name}" for alias in stmt.names if alias.name != "*")  # type: ignore[attr-defined]
                star = star or any(alias.name == "*" for alias in stmt.names)  # type: ignore[attr-defined]
            for alias, binding in import_bindings(stmt, module_name, is_package):  # type: ignore[arg-type]
                target = binding.target or ""
                if target.split(".", 1)[0] in _MOCK_ROOTS:
                    aliases.add(alias)
        for part in nested[0]:
            inner = getattr(stmt, part)
            if inner:
                extend(reversed(inner))
        if nested[1]:
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                extend(reversed(handler.body))
        if nested[2]:
            for case in stmt.cases:  # type: ignore[attr-defined]
                extend(reversed(case.body))
    return StatementFacts(frozenset(names), tuple(imported), frozenset(aliases), star)


def iter_statements(body: list[ast.stmt], conditional: bool = False) -> Iterator[tuple[ast.stmt, bool]]:
    """The statements of a body and of its compound statements (not of nested defs or classes).

    Each comes with whether it runs only on some paths (inside ``if``, loops,
    ``except``/``else`` of ``try``, ``match`` cases).  Iterative: a 2,000-branch
    ``elif`` chain is 2,000 nested ``orelse`` bodies.
    """
    stack: list[tuple[ast.stmt, bool]] = [(stmt, conditional) for stmt in reversed(body)]
    while stack:
        stmt, inside = stack.pop()
        yield stmt, inside
        children: list[tuple[list[ast.stmt], bool]] = []
        if isinstance(stmt, (ast.If, ast.While, ast.For, ast.AsyncFor)):
            children = [(stmt.body, True), (stmt.orelse, True)]
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            children = [(stmt.body, inside)]
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            children = [(stmt.body, inside)]  # type: ignore[attr-defined]
            children += [(handler.body, True) for handler in stmt.handlers]  # type: ignore[attr-defined]
            children += [(stmt.orelse, True), (stmt.finalbody, inside)]  # type: ignore[attr-defined]
        elif type(stmt).__name__ == "Match":
            children = [(case.body, True) for case in stmt.cases]  # type: ignore[attr-defined]
        for statements, flag in reversed(children):
            stack.extend((child, flag) for child in reversed(statements))


def _function_locals(function: FunctionNode | ast.Lambda, module_name: str,
                     is_package: bool) -> dict[str, list[Binding]]:
    bindings: dict[str, list[Binding]] = {}
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        bindings[arg.arg] = [Binding("param", arg, value=default, annotation=arg.annotation, index=index)]
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        bindings[arg.arg] = [Binding("param", arg, value=default, annotation=arg.annotation, index=-1)]
    for rest in (args.vararg, args.kwarg):
        if rest is not None:
            bindings[rest.arg] = [Binding("other", rest)]
    if isinstance(function, ast.Lambda):
        return bindings
    declared: set[str] = set()

    def add(name: str, binding: Binding) -> None:
        bindings.setdefault(name, []).append(binding)

    for node, conditional in iter_statements(function.body):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            add(node.name, Binding("def", node, conditional=conditional))
        elif isinstance(node, ast.ClassDef):
            add(node.name, Binding("class", node, conditional=conditional))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    add(target.id, Binding("value", node, value=node.value, conditional=conditional))
                else:
                    for name in target_names(target):
                        add(name.id, Binding("other", node, conditional=conditional))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if node.value is not None:
                add(node.target.id, Binding("value", node, value=node.value, annotation=node.annotation,
                                            conditional=conditional))
        elif isinstance(node, ast.AugAssign):
            for name in target_names(node.target):
                add(name.id, Binding("other", node, conditional=conditional))
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            for name in target_names(node.target):
                add(name.id, Binding("other", node, conditional=True))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name):
                    add(item.optional_vars.id, Binding("with", node, value=item.context_expr, conditional=conditional))
                elif item.optional_vars is not None:
                    for name in target_names(item.optional_vars):
                        add(name.id, Binding("other", node, conditional=conditional))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias, binding in import_bindings(node, module_name, is_package, conditional):
                add(alias, binding)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            for handler in node.handlers:  # type: ignore[attr-defined]
                if handler.name:
                    add(handler.name, Binding("other", handler, conditional=True))
    for global_name in declared:
        bindings.pop(global_name, None)
    return bindings


def _uses_dynamic_globals(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _DYNAMIC_NAMES:
            return True
        if (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Name) and node.slice.id == "__name__"
                and isinstance(node.value, ast.Attribute) and node.value.attr == "modules"):
            return True  # sys.modules[__name__]
    return False


def _global_declarations(tree: ast.Module) -> Iterator[list[str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            yield node.names


class ProjectIndex:
    """Project modules read from disk, shared by every file of a run.

    One index per module map (set of roots), stored in the workspace's
    ``extensions``.  A module is re-read when its file's stamp (mtime, size)
    or its open editor buffer changes.
    """

    def __init__(self, workspace: Workspace, modules: ModuleMap) -> None:
        self.workspace = workspace
        self.modules = modules
        self._files: dict[tuple[Path, str], tuple[object, ModuleInfo | None]] = {}
        # (base directory of the checked file, dotted name) -> the module's file
        self.located: dict[tuple[str, str], Path | None] = {}
        self._scans: dict[tuple[Path, str], tuple[object, TextScan | None]] = {}
        # facts about the file layout, stable while the index lives (a file created or deleted
        # drops the workspace's extensions, this index with them)
        self._real: dict[Path, Path] = {}  # path -> path.resolve()
        # (base directory key, dotted name) -> the longest prefix that is a project module: (file, prefix)
        self.reached: dict[tuple[str, str], tuple[Path, str] | None] = {}
        # (base directory key, first part of dotted names) -> whether a root has a directory of that name
        self.package_directories: dict[tuple[str, str], bool] = {}
        # (base directory key, id of a module's imported names) -> (those names, the modules they reach)
        self.successors: dict[tuple[str, int], tuple[tuple[str, ...], list[tuple[Path, str]]]] = {}
        # (directory, rootdir) -> the conftest.py files (and module names) from the directory up
        self.conftest_files: dict[tuple[Path, Path], list[tuple[Path, str]]] = {}

    @classmethod
    def for_workspace(cls, workspace: Workspace, modules: ModuleMap) -> ProjectIndex:
        indexes: dict[tuple[Path, ...], ProjectIndex] = workspace.extensions.setdefault(CACHE_KEY, {})
        found = indexes.get(modules.roots)
        if found is None or found.modules is not modules:
            found = indexes[modules.roots] = cls(workspace, modules)
        return found

    def module(self, dotted: str) -> ModuleInfo | None:
        path = self.modules.resolve(dotted)
        if path is None:
            return None
        return self.load(path, dotted)

    def scan(self, path: Path, name: str) -> TextScan | None:
        """The cheap line scan of a module (from its parsed form when that is already at hand)."""
        path = self.real(path)
        stamp = self._stamp(path)
        key = (path, name)
        cached = self._files.get(key)
        if cached is not None and cached[0] == stamp and cached[1] is not None:
            info = cached[1]
            return TextScan(info.maybe_coroutine_names, info.imported_names)
        scanned = self._scans.get(key)
        if scanned is not None and scanned[0] == stamp:
            return scanned[1]
        text = self.workspace.read_text(path)
        result = scan_text(text, name, path.name == "__init__.py") if text is not None else None
        self._scans[key] = (stamp, result)
        return result

    def load(self, path: Path, name: str) -> ModuleInfo | None:
        path = self.real(path)
        stamp = self._stamp(path)
        key = (path, name)
        cached = self._files.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        info: ModuleInfo | None = None
        text = self.workspace.read_text(path)
        if text is not None:
            try:
                tree = ast.parse(text, filename=str(path))
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                tree = None
            if tree is not None:
                info = ModuleInfo.build(name, path, tree)
        self._files[key] = (stamp, info)
        return info

    def real(self, path: Path) -> Path:
        """``path.resolve()``, once per path."""
        found = self._real.get(path)
        if found is None:
            found = self._real[path] = path.resolve()
        return found

    def real_file(self, path: Path) -> Path:
        """``path.resolve()`` for a file seen once: its directory resolved once per run, then the file's name."""
        if path.name in {"", ".", ".."} or os.path.islink(path):
            return path.resolve()
        return self.real(path.parent) / path.name

    def _stamp(self, path: Path) -> object:
        overlay = self.workspace.overlays.get(path)
        if overlay is not None:
            return hashlib.sha1(overlay.encode("utf-8", "surrogatepass")).hexdigest()
        try:
            stat = path.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)
