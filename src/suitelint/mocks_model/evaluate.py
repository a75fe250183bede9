"""Evaluating expressions across project modules, statically: the per-file :class:`Analysis`.

An expression is evaluated in a :class:`Scope` (a module, or a function of
one, possibly a method of a class).  Names resolve through the scope's local
bindings (the last unconditional binding before the use wins; conditional
ones must agree), then the module's bindings and imports, which lead into
other project modules (resolved with the project's module map and read once
per run).  What is understood:

- local dataflow: ``service = Service(db)`` makes ``service`` an instance of
  the project class ``Service``; ``obj.attr = value`` earlier in the same
  function overrides what ``obj.attr`` is (also ``patch.object``,
  ``monkeypatch.setattr``);
- instances: attributes set through ``self`` in the class's methods (the
  ``__init__`` parameters evaluated from the constructor call's arguments,
  else from their annotations), class-level annotations, properties' return
  annotations, base classes in project code;
- parameters: ``self``/``cls``, annotations, ``@patch`` decorator arguments,
  and fixtures defined in the same module, class or conftest.py chain;
- mocks: ``Mock``/``MagicMock``/``AsyncMock``/``create_autospec``, pytest-mock
  ``mocker.*``, ``patch(...)`` objects, their ``start()`` and ``with ... as``.

Anything else evaluates to ``None`` and the rules stay silent.  astroid is
not used: it would only see the checked file (project modules are not on
its path), while this model reads exactly the project files it needs.
"""

from __future__ import annotations

import ast
import builtins
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Hashable

from suitelint.mocks_model.api import (
    MOCKER_FIXTURES,
    MONKEYPATCH_FIXTURES,
    ApiName,
    mock_api,
    parse_patch,
)
from suitelint.mocks_model.fixtures import Fixtures
from suitelint.mocks_model.members import Members
from suitelint.mocks_model.memo import MAX_DEPTH, Entry, Recursion
from suitelint.mocks_model.mock_values import MockValues
from suitelint.mocks_model.project import (
    Binding,
    ClassInfo,
    FunctionNode,
    ModuleInfo,
    ProjectIndex,
    dotted_chain,
    iter_statements,
)
from suitelint.mocks_model.scope import Scope
from suitelint.mocks_model.symbols import (
    EXISTS,
    SYNC,
    UNKNOWN,
    Argument,
    Arguments,
    ClassSym,
    ConstSym,
    ExternalSym,
    FunctionInfo,
    FunctionSym,
    InstanceSym,
    Kind,
    Missing,
    MockSym,
    PatcherSym,
    PropertySym,
    Symbol,
    same,
)

if TYPE_CHECKING:
    from suitelint.core.context import FileContext
    from suitelint.core.workspace import Workspace
    from suitelint.mocks_model.replacements import Replacement
    from suitelint.project.modules import ModuleMap

ANALYSIS_ATTRIBUTE = "_sl_mocks_analysis"
MODULE_MAPS_KEY = "suitelint.mocks_model.module_maps"
PROPERTY_DECORATORS = frozenset({"property", "functools.cached_property", "abc.abstractproperty"})
_BUILTIN_NAMES = frozenset(dir(builtins))
# calls that set an attribute: setattr(obj, "a", v), monkeypatch.setattr, patch.object
_SETTERS = frozenset({"setattr", "object"})
# literal displays evaluate to instances of builtin types (their methods are plain)
_DISPLAYS: dict[type, str] = {
    ast.Dict: "dict", ast.List: "list", ast.Set: "set", ast.Tuple: "tuple", ast.JoinedStr: "str",
    ast.DictComp: "dict", ast.ListComp: "list", ast.SetComp: "set",
}
_MAX_CLOSURE = 3000  # project modules followed for the cheap coroutine-name filter
# expressions whose evaluation asks for other evaluations (anything else is a literal or not evaluated)
_COMPOUND = (ast.Name, ast.Attribute, ast.Call, ast.BoolOp, ast.IfExp, ast.NamedExpr)


def analysis_for(ctx: FileContext) -> Analysis:
    """The analysis of the checked file (one per file, shared by the rules)."""
    found = getattr(ctx, ANALYSIS_ATTRIBUTE, None)
    if found is None:
        found = Analysis(ctx)
        setattr(ctx, ANALYSIS_ATTRIBUTE, found)
    return found


def _may_name_mock_api(expr: ast.AST, module: ModuleInfo) -> bool:
    """Whether ``expr`` is a name chain reached through a mock import or a pytest-mock fixture name.

    Nothing else can resolve to a mock API: names resolve through imports
    (of ``unittest``/``mock`` things) or are pytest-mock fixtures.
    """
    head = expr
    while isinstance(head, ast.Attribute):
        head = head.value
    return isinstance(head, ast.Name) and (head.id in module.mock_aliases or head.id in MOCKER_FIXTURES)


def _module_map(workspace: Workspace, path: Path) -> ModuleMap:
    """The module map of a file, looked up once per directory (its roots depend on the directory only)."""
    maps: dict[Path, ModuleMap] = workspace.extensions.setdefault(MODULE_MAPS_KEY, {})
    found = maps.get(path.parent)
    if found is None:
        from suitelint.project.modules import module_map

        found = maps[path.parent] = module_map(workspace, path)
    return found


class Analysis(Members, MockValues, Fixtures):
    """Everything the mock rules ask about the checked file and the project around it.

    Member lookup (:mod:`.members`), mock values (:mod:`.mock_values`) and
    fixtures (:mod:`.fixtures`) live in mixins of their own.
    """

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.index: ProjectIndex | None = None
        if ctx.workspace is not None:
            self.index = ProjectIndex.for_workspace(ctx.workspace, _module_map(ctx.workspace, ctx.path))
        path = self.index.real_file(ctx.path) if self.index is not None else ctx.path.resolve()
        self.current = ModuleInfo.build(ctx.module_name, path, ctx.tree)
        # every recursion guard's keys under way: expressions being evaluated (id triples), dotted
        # names being resolved, ("kind", id), ("mro", id) and ("fixture", id) of kinds, bases and
        # fixture values being computed
        self._active: set[Hashable] = set()
        self._depth = 0
        self._kinds: dict[int, Kind | None] = {}
        self._mros: dict[int, list[ClassInfo | None]] = {}
        self._chains: dict[int, dict[str, list[tuple[tuple[int, int], str, ast.AST]]]] = {}
        self._conftests: dict[Path, list[ModuleInfo]] = {}
        self._scopes: dict[int, Scope] = {}
        self._module_scope = Scope(self.current)
        self._split: dict[str, tuple[ModuleInfo, list[str]] | None] = {}
        self._fixtures: dict[int, Symbol | None] = {}
        self._fixture_maps: dict[int, dict[str, FunctionNode]] = {}
        self._module_chains: dict[tuple[int, str], Symbol | None] = {}
        self._coroutine_names: frozenset[str] | None | bool = False  # False: not computed yet
        self._modules: dict[str, ModuleInfo | None] = {}
        self._resolving: set[str] = set()
        # memoised evaluation (see :mod:`.memo`)
        self._recursion = Recursion()
        self._memo: dict[tuple[int, ...], list[Entry]] = {}
        self._resolved: dict[str, list[Entry]] = {}
        # statements and calls of the checked file -> (the node, its scope and replacements, or None)
        self.replacements: dict[int, tuple[ast.AST, tuple[Scope, list[Replacement]] | None]] = {}

    # -- modules -------------------------------------------------------------------
    def module(self, dotted: str) -> ModuleInfo | None:
        """A project module by dotted name (the checked file's own text for itself)."""
        if self.index is None:
            return self.current if dotted == self.current.name else None
        if dotted in self._modules:
            return self._modules[dotted]
        info: ModuleInfo | None = None
        path = self._locate(dotted)
        if path is not None:
            if self.index.real(path) == self.current.path:
                info = self.current
            else:
                info = self.index.load(path, dotted)
                if info is not None:
                    self.depend(info.path)
        self._modules[dotted] = info
        return info

    def _locate(self, dotted: str) -> Path | None:
        """The file of a project module; the checked file's base directory counts as a root.

        pytest's default ("prepend") import mode puts the first directory above
        a test module's package on ``sys.path``, so test helpers import from there.
        """
        assert self.index is not None
        key = (self._basedir_key, dotted)
        located = self.index.located
        if key in located:
            return located[key]
        modules = self.index.modules
        locate = getattr(modules, "locate", None)
        if locate is None:
            path = modules.resolve(dotted)
        else:
            found = locate(dotted, (self._basedir,))
            path = found[0] if found is not None else None
        located[key] = path
        return path

    @cached_property
    def _basedir_key(self) -> str:
        return str(self._basedir)

    @cached_property
    def _basedir(self) -> Path:
        path = self.current.path
        depth = len(self.current.name.split(".")) + (1 if path.name == "__init__.py" else 0)
        try:
            return path.parents[depth - 1]
        except IndexError:
            return path.parent

    def maybe_coroutine_names(self) -> frozenset[str] | None:
        """Names that can be coroutine functions for this file: async or decorated defs of the file,
        its conftest.py files and every project module they import, transitively.

        Modules of the closure are scanned, not parsed (:mod:`.scan`).  None
        when the closure is too large to be a cheap filter.
        """
        if self._coroutine_names is not False:
            return self._coroutine_names  # type: ignore[return-value]
        self._coroutine_names = None
        if self.index is None:
            return None
        names: set[str] = set(self.current.maybe_coroutine_names)
        # (imported names of a module, whether they are a project module's, stable for the run)
        todo: list[tuple[tuple[str, ...], bool]] = [(self.current.imported_names, False)]
        seen = {self.current.path}
        for conftest in self.conftests(self.current):
            seen.add(conftest.path)
            names |= conftest.maybe_coroutine_names
            todo.append((conftest.imported_names, True))
        while todo:
            imported, stable = todo.pop()
            for path, name in self._successors(imported) if stable else self._reached(imported):
                if path in seen:
                    continue
                seen.add(path)
                self.depend(path)
                scanned = self.index.scan(path, name)
                if scanned is not None:
                    names |= scanned.maybe_coroutine_names
                    todo.append((scanned.imported_names, True))
            if len(seen) > _MAX_CLOSURE:
                return None
        self._coroutine_names = frozenset(names)
        return self._coroutine_names

    def _successors(self, imported: tuple[str, ...]) -> list[tuple[Path, str]]:
        """:meth:`_reached` for a project module's imported names, once per run (and base directory)."""
        assert self.index is not None
        key = (self._basedir_key, id(imported))
        found = self.index.successors.get(key)
        if found is None or found[0] is not imported:
            found = self.index.successors[key] = (imported, self._reached(imported))  # the names kept: ids stay
        return found[1]

    def _reached(self, imported: tuple[str, ...]) -> list[tuple[Path, str]]:
        """The project modules dotted import names reach: (file, name of the longest prefix that is one)."""
        assert self.index is not None
        reached = self.index.reached
        found: list[tuple[Path, str]] = []
        for dotted in imported:
            key = (self._basedir_key, dotted)
            if key in reached:
                step = reached[key]
            else:
                step = reached[key] = self._reach(dotted)
            if step is not None:
                found.append(step)
        return found

    def _reach(self, dotted: str) -> tuple[Path, str] | None:
        """The longest prefix of a dotted import name that is a project module, and its file."""
        parts = dotted.split(".")
        for end in range(len(parts), 0, -1):
            if end > 1 and not self._has_package_directory(parts[0]):
                continue  # `numpy.linalg`: no root has a `numpy` directory, so only `numpy.py` could be one
            name = ".".join(parts[:end])
            path = self._locate(name)
            if path is not None:
                return path, name
        return None

    def _has_package_directory(self, top: str) -> bool:
        """Whether a root (the file's base directory included) has a directory ``top``: a dotted name
        of two parts or more can only be a module below one."""
        assert self.index is not None
        key = (self._basedir_key, top)
        found = self.index.package_directories.get(key)
        if found is None:
            roots = (self._basedir, *self.index.modules.roots)
            found = self.index.package_directories[key] = any((root / top).is_dir() for root in roots)
        return found

    def depend(self, path: Path) -> None:
        dependencies = getattr(self.ctx, "dependencies", None)
        if dependencies is not None and path != self.current.path:
            dependencies.add(path)

    def location(self, module: ModuleInfo, line: int | None = None) -> str:
        """``src/pkg/mod.py:8``: a project file relative to the working directory."""
        workspace = self.ctx.workspace
        shown = workspace.relative(module.path) if workspace is not None else module.path.name
        return f"{shown}:{line}" if line else shown

    def function_location(self, func: FunctionInfo) -> str:
        return self.location(func.module, func.node.lineno)

    # -- scopes --------------------------------------------------------------------
    def scope_at(self, node: ast.AST) -> Scope:
        """The scope a node of the checked file is evaluated in (its ancestors must be walked)."""
        function = self.ctx.enclosing_function(node)
        if function is None:
            return self._module_scope
        return self.scope_inside(function)

    def scope_inside(self, function: FunctionNode | ast.Lambda) -> Scope:
        """The scope of a function's body (the function is a node of the checked file)."""
        found = self._scopes.get(id(function))
        if found is None:
            found = self._scopes[id(function)] = self._scope_for(
                [*reversed(list(self.ctx.ancestors(function))), function])
        return found

    def _scope_for(self, chain: list[ast.AST]) -> Scope:
        scope = Scope(self.current)
        classes: list[str] = []
        for index, ancestor in enumerate(chain):
            if isinstance(ancestor, ast.ClassDef):
                classes.append(ancestor.name)
            elif isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                owner = chain[index - 1] if index else None
                cls = None
                if isinstance(owner, ast.ClassDef):
                    cls = self.current.class_info(owner, ".".join(classes))
                scope = Scope(self.current, ancestor, cls, parent=scope)
                classes = []
        return scope

    # -- names ---------------------------------------------------------------------
    def qualname(self, expr: ast.AST, scope: Scope) -> str | None:
        """A Name/Attribute chain's qualified name through imports (local imports included)."""
        chain = dotted_chain(expr)
        if chain is None:
            return None
        function_scope: Scope | None = scope
        while function_scope is not None and function_scope.function is not None:
            bindings = function_scope.module.function_locals(function_scope.function).get(chain[0])
            if bindings:
                if all(b.kind == "import" for b in bindings) and len({b.target for b in bindings}) == 1:
                    return ".".join([bindings[0].target or "", *chain[1:]])
                return None
            function_scope = function_scope.parent
        base = scope.module.imports.get(chain[0])
        if base is None:
            if scope.module.bindings.get(chain[0]) is None and chain[0] in _BUILTIN_NAMES:
                return ".".join(chain)
            return None
        return ".".join([base, *chain[1:]])

    def is_parameter(self, name: str, scope: Scope) -> bool:
        for function_scope in scope.functions():
            bindings = function_scope.module.function_locals(function_scope.function).get(name)  # type: ignore[arg-type]
            if bindings:
                return any(b.kind == "param" for b in bindings)
        return False

    def api(self, expr: ast.AST, scope: Scope) -> ApiName | None:
        """The mock API (``unittest.mock``, ``mock``, pytest-mock) ``expr`` names, if any."""
        if not _may_name_mock_api(expr, scope.module):
            return None
        return mock_api(expr, lambda e: self.qualname(e, scope), lambda name: self.is_parameter(name, scope))

    def may_name_mock_api(self, expr: ast.AST) -> bool:
        """A cheap test before :meth:`api` for an expression of the checked file (no scope needed)."""
        return _may_name_mock_api(expr, self.current)

    def is_monkeypatch(self, expr: ast.AST, scope: Scope) -> bool:
        return isinstance(expr, ast.Name) and expr.id in MONKEYPATCH_FIXTURES and self.is_parameter(expr.id, scope)

    # -- evaluation ----------------------------------------------------------------
    def eval(self, expr: ast.AST | None, scope: Scope) -> Symbol | None:
        """What ``expr`` stands for in ``scope``, or None when we cannot tell.

        Results are memoised where computing them again would take the same
        path (:mod:`.memo`).
        """
        if expr is None:
            return None
        depth = self._depth
        recursion = self._recursion
        recursion.check_depth(depth)
        if not isinstance(expr, _COMPOUND):
            # a literal or an expression we do not evaluate: it asks nothing else, so no guard can
            # be under way for it and there is nothing worth remembering
            if depth > MAX_DEPTH:
                return None
            if isinstance(expr, ast.Constant):
                return ConstSym(expr.value)
            display = _DISPLAYS.get(type(expr))
            return ExternalSym(display) if display is not None else None
        key = (id(expr), id(scope.function), id(scope.arguments))
        recursion.touch(key)
        if key in self._active or depth > MAX_DEPTH:
            return None
        memo_key = (id(expr), *scope.identity)
        reexports = len(self._resolving)
        entry = recursion.find(self._memo.get(memo_key), depth, reexports, self._active)
        if entry is not None:
            recursion.reuse(entry, depth, reexports)
            return entry.value  # type: ignore[return-value]
        frame = recursion.push(depth, reexports, (expr, scope))
        self._active.add(key)
        self._depth += 1
        value: Symbol | None = None
        try:
            value = self._eval(expr, scope)
        except RecursionError:  # pragma: no cover - pathological nesting
            recursion.broken()
        finally:
            self._depth -= 1
            self._active.discard(key)
            entry = recursion.pop(frame, value, self._active)
        if entry is not None:
            self._memo.setdefault(memo_key, []).append(entry)
        return value

    def _eval(self, expr: ast.AST, scope: Scope) -> Symbol | None:
        if isinstance(expr, ast.Name):
            return self._eval_name(expr.id, scope, expr)
        if isinstance(expr, ast.Attribute):
            overridden, value = self._chain_override(expr, scope)
            if overridden:
                return value
            key = self._module_chain_key(expr, scope)
            if key is not None and key in self._module_chains:
                return self._module_chains[key]
            base = self.eval(expr.value, scope)
            found = self.member(base, expr.attr) if base is not None else None
            value = None if isinstance(found, Missing) else found
            if key is not None:
                self._module_chains[key] = value
            return value
        if isinstance(expr, ast.Call):
            return self._eval_call(expr, scope)
        if isinstance(expr, ast.Constant):
            return ConstSym(expr.value)
        if isinstance(expr, tuple(_DISPLAYS)):
            return ExternalSym(_DISPLAYS[type(expr)])
        if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or):
            for operand in expr.values:
                value = self.eval(operand, scope)
                if value is None:
                    return None
                if not (isinstance(value, ConstSym) and not value.value) or operand is expr.values[-1]:
                    return value
            return None
        if isinstance(expr, ast.IfExp):
            body, orelse = self.eval(expr.body, scope), self.eval(expr.orelse, scope)
            return body if same(body, orelse) else None
        if isinstance(expr, ast.NamedExpr):
            return self.eval(expr.value, scope)
        return None

    def _module_chain_key(self, expr: ast.Attribute, scope: Scope) -> tuple[int, str] | None:
        """A memo key for ``a.b.c`` when ``a`` is a module-level name (its value does not depend on where)."""
        chain = dotted_chain(expr)
        if chain is None:
            return None
        for function_scope in scope.functions():
            if chain[0] in function_scope.module.function_locals(function_scope.function):  # type: ignore[arg-type]
                return None
            if not isinstance(function_scope.function, ast.Lambda):
                assigned = self._assigned_chains(function_scope)
                if any(".".join(chain[:end]) in assigned for end in range(2, len(chain) + 1)):
                    return None  # `mod.attr = ...` in this function: the value depends on where
        return (id(scope.module), ".".join(chain))

    def _eval_name(self, name: str, scope: Scope, use: ast.AST | None) -> Symbol | None:
        function_scope: Scope | None = scope
        while function_scope is not None and function_scope.function is not None:
            bindings = function_scope.module.function_locals(function_scope.function).get(name)
            if bindings:
                return self._eval_bindings(bindings, function_scope, use)
            function_scope = function_scope.parent
        module = scope.module
        if name not in module.bindings and not module.star_imports:
            return ExternalSym(name) if name in _BUILTIN_NAMES else None
        found = self._module_member(module, name)
        if isinstance(found, Missing):
            return ExternalSym(name) if name in _BUILTIN_NAMES else None
        return found

    def _eval_bindings(self, bindings: list[Binding], scope: Scope, use: ast.AST | None,
                       owner: ClassInfo | None = None) -> Symbol | None:
        if len(bindings) == 1:
            return self._eval_binding(bindings[0], scope, owner)  # what the general case below gives
        candidates = bindings
        if use is not None and scope.function is not None and hasattr(use, "lineno"):
            where = (use.lineno, use.col_offset)  # type: ignore[attr-defined]
            before = [b for b in bindings if b.kind == "param" or b.position < where]
            candidates = before or bindings
        ordered = sorted(candidates, key=lambda b: (b.kind != "param", b.position))
        chosen = ordered[-1:] if not ordered[-1].conditional else ordered
        values = [self._eval_binding(b, scope, owner) for b in chosen]
        first = values[0]
        if len(values) == 1:
            return first
        if first is not None and all(same(first, v) for v in values[1:]):
            return first
        # `x = None` on some paths and one kind of object on the others: that object
        known = [v for v in values if not (isinstance(v, ConstSym) and v.value is None)]
        if known and known[0] is not None and all(same(known[0], v) for v in known[1:]):
            return known[0]
        return EXISTS  # bound, to something we cannot pin down

    def _eval_binding(self, binding: Binding, scope: Scope, owner: ClassInfo | None) -> Symbol | None:
        kind = binding.kind
        if kind == "def":
            func = FunctionInfo(scope.module, binding.node, owner)  # type: ignore[arg-type]
            if owner is not None and self._is_property(func):
                return PropertySym(func)
            return FunctionSym(func)
        if kind == "class":
            node = binding.node
            assert isinstance(node, ast.ClassDef)
            qualname = f"{owner.qualname}.{node.name}" if owner is not None else node.name
            return ClassSym(scope.module.class_info(node, qualname))
        if kind == "value":
            return self.eval(binding.value, scope if owner is None else scope.module_scope)
        if kind == "import":
            found = self.resolve_qualified(binding.target or "")
            return None if isinstance(found, Missing) else found
        if kind == "param":
            return self._eval_param(binding, scope)
        if kind == "with":
            manager = self.eval(binding.value, scope)
            if isinstance(manager, PatcherSym):
                return self.patch_mock(manager.patch, manager.scope)
            return None
        return EXISTS

    def _eval_param(self, binding: Binding, scope: Scope) -> Symbol | None:
        function = scope.function
        arg = binding.node
        assert isinstance(arg, ast.arg)
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        method = scope.cls is not None and not self._has_decorator(function, scope, "staticmethod")
        if scope.arguments is not None and (binding.index != 0 or not method):
            arguments = scope.arguments
            passed = arguments.keywords.get(arg.arg)
            position = binding.index - (1 if method else 0)
            if passed is None and binding.index >= 0 and position < len(arguments.positional):
                passed = arguments.positional[position]
            if passed is not None:
                value = self.eval(passed.expr, passed.scope)
                if value is None and arg.annotation is not None:
                    return self.eval_annotation(arg.annotation, scope.module_scope, scope.cls)
                return value
            if not arguments.complete or binding.value is None:
                return None
            return self.eval(binding.value, scope.module_scope)
        if method and binding.index == 0 and scope.cls is not None:
            if self._has_decorator(function, scope, "classmethod"):
                return ClassSym(scope.cls)
            return InstanceSym(scope.cls)
        patched = self._patch_decorator_argument(function, scope, binding.index - (1 if method else 0))
        if patched is not None:
            return patched
        if arg.annotation is not None:
            annotated = self.eval_annotation(arg.annotation, scope.module_scope, scope.cls)
            if annotated is not None:
                return annotated
        if self.is_test_or_fixture(function, scope.module) and not self._parametrized(arg.arg, function, scope):
            return self.fixture_value(arg.arg, scope)
        return None

    def _parametrized(self, name: str, function: FunctionNode, scope: Scope) -> bool:
        """Whether ``@pytest.mark.parametrize`` (on the test or its class) gives the argument its values."""
        decorators = [*function.decorator_list, *(scope.cls.node.decorator_list if scope.cls else [])]
        for decorator in decorators:
            if not isinstance(decorator, ast.Call) or not decorator.args:
                continue
            if not (self.qualname(decorator.func, scope.module_scope) or "").endswith("mark.parametrize"):
                continue
            names = decorator.args[0]
            if isinstance(names, ast.Constant) and isinstance(names.value, str):
                if name in {n.strip() for n in names.value.split(",")}:
                    return True
            elif isinstance(names, (ast.List, ast.Tuple)) and any(
                    isinstance(e, ast.Constant) and e.value == name for e in names.elts):
                return True
        return False

    def _has_decorator(self, function: FunctionNode, scope: Scope, name: str) -> bool:
        for decorator in function.decorator_list:
            if isinstance(decorator, ast.Name) and decorator.id == name:
                return True
        return False

    def eval_annotation(self, annotation: ast.expr, scope: Scope, cls: ClassInfo | None = None) -> Symbol | None:
        """The instance an annotation describes (``X``, ``X | None``, ``Optional[X]``, ``"X"``)."""
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                parsed = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
            return self.eval_annotation(parsed, scope, cls)
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            sides = [annotation.left, annotation.right]
            rest = [s for s in sides if not (isinstance(s, ast.Constant) and s.value is None)]
            return self.eval_annotation(rest[0], scope, cls) if len(rest) == 1 else None
        if isinstance(annotation, ast.Subscript):
            name = self.qualname(annotation.value, scope) or ""
            if name.rsplit(".", 1)[-1] in {"Optional", "Annotated"}:
                inner = annotation.slice
                if isinstance(inner, ast.Tuple) and inner.elts:
                    inner = inner.elts[0]
                return self.eval_annotation(inner, scope, cls)
            return None
        if isinstance(annotation, (ast.Name, ast.Attribute)):
            name = self.qualname(annotation, scope) or ""
            if name in {"typing.Self", "typing_extensions.Self"} and cls is not None:
                return InstanceSym(cls)
            found = self.eval(annotation, scope)
            if isinstance(found, ClassSym):
                return InstanceSym(found.cls)
        return None

    # -- calls ---------------------------------------------------------------------
    def _eval_call(self, call: ast.Call, scope: Scope) -> Symbol | None:
        api = self.api(call.func, scope)
        if api is not None:
            return self._eval_api_call(call, api, scope)
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "start" and not call.args and not call.keywords:
            patcher = self.eval(func.value, scope)
            if isinstance(patcher, PatcherSym):
                return self.patch_mock(patcher.patch, patcher.scope)
            return None
        callee = self.eval(func, scope)
        if isinstance(callee, ClassSym):
            return InstanceSym(callee.cls, self._arguments(call, scope))
        if isinstance(callee, FunctionSym):
            returns = callee.func.node.returns
            if returns is not None and isinstance(callee.func.node, ast.FunctionDef):
                return self.eval_annotation(returns, Scope(callee.func.module), callee.func.owner)
            return None
        if isinstance(callee, MockSym) and callee.kind == SYNC:
            return MockSym(SYNC, callee.api)
        return None

    def _arguments(self, call: ast.Call, scope: Scope) -> Arguments:
        positional: list[Argument] = []
        complete = True
        for arg in call.args:
            if isinstance(arg, ast.Starred):
                complete = False
                break
            positional.append(Argument(arg, scope))
        keywords: dict[str, Argument] = {}
        for keyword in call.keywords:
            if keyword.arg is None:
                complete = False
            else:
                keywords[keyword.arg] = Argument(keyword.value, scope)
        return Arguments(tuple(positional), keywords, complete)

    def kind(self, func: FunctionInfo) -> Kind | None:
        """Whether calling ``func`` gives a coroutine (after its decorators); None when unsure."""
        key = id(func.node)
        if key in self._kinds:
            guard = ("kind", key)
            if guard in self._active:
                self._recursion.touch(guard)  # the recursion guard below answers
            return self._kinds[key]
        self._recursion.check_depth(self._depth)
        if self._depth > MAX_DEPTH:
            return None  # a chain of defs returning each other's calls: too deep to follow
        self._kinds[key] = None  # recursion guard: unsure while being computed
        self._active.add(("kind", key))
        from suitelint.mocks_model.coroutines import function_kind

        self._depth += 1
        try:
            result: Kind | None = function_kind(self, func)
        except RecursionError:  # pragma: no cover - pathological nesting
            self._recursion.broken()
            result = None
        finally:
            self._depth -= 1
            self._active.discard(("kind", key))
        if result is not None and result.value == UNKNOWN:
            result = None
        self._kinds[key] = result
        return result

    def _is_property(self, func: FunctionInfo) -> bool:
        scope = Scope(func.module)
        for decorator in func.node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(target, ast.Name) and target.id == "property":
                return True
            if isinstance(target, ast.Attribute) and target.attr in {"setter", "getter", "deleter"}:
                return True
            if (self.qualname(target, scope) or "") in PROPERTY_DECORATORS:
                return True
        return False

    def _chain_override(self, expr: ast.Attribute, scope: Scope) -> tuple[bool, Symbol | None]:
        """Whether ``a.b.c`` was assigned (or patched) earlier in the function, and to what."""
        if scope.function is None or isinstance(scope.function, ast.Lambda):
            return False, None
        chain = dotted_chain(expr)
        if chain is None:
            return False, None
        text = ".".join(chain)
        where = (expr.lineno, expr.col_offset)
        entries = [e for e in self._assigned_chains(scope).get(text, []) if e[0] < where]
        if entries:
            _, kind, payload = max(entries, key=lambda e: e[0])
            if kind == "value":
                return True, self.eval(payload, scope)
            if kind == "patch":
                return True, self.patch_mock(payload, scope)  # type: ignore[arg-type]
            return True, None
        cls = scope.cls
        function = scope.function
        args = [*function.args.posonlyargs, *function.args.args]
        if cls is not None and len(chain) > 2 and args and chain[0] == args[0].arg:
            values = cls.instance.chains.get(".".join(chain[1:]))
            if values:
                results = [self.eval(value, Scope(cls.module, method, cls, parent=Scope(cls.module)))
                           for value, method in values]
                first = results[0]
                return True, first if first is not None and all(same(first, r) for r in results[1:]) else None
        return False, None

    def _assigned_chains(self, scope: Scope) -> dict[str, list[tuple[tuple[int, int], str, ast.AST]]]:
        function = scope.function
        assert function is not None and not isinstance(function, ast.Lambda)
        found = self._chains.get(id(function))
        if found is not None:
            return found
        found = {}

        def add(target: ast.AST, kind: str, payload: ast.AST, at: ast.AST) -> None:
            chain = dotted_chain(target)
            if chain is not None and len(chain) >= 2:
                found.setdefault(".".join(chain), []).append(((at.lineno, at.col_offset), kind, payload))  # type: ignore[attr-defined]

        for node, _ in iter_statements(function.body):
            calls: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    add(target, "value", node.value, node)
                calls.append(node.value)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                add(node.target, "value", node.value, node)
                calls.append(node.value)
            elif isinstance(node, (ast.AugAssign, ast.Delete)):
                for target in (node.targets if isinstance(node, ast.Delete) else [node.target]):
                    add(target, "unknown", target, node)
            elif isinstance(node, ast.Expr):
                calls.append(node.value)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                calls.extend(item.context_expr for item in node.items)
            for call in calls:
                if isinstance(call, ast.Call) and isinstance(call.func, (ast.Name, ast.Attribute)) and (
                        (call.func.id if isinstance(call.func, ast.Name) else call.func.attr) in _SETTERS):
                    self._record_setattr_call(call, scope, add)
        self._chains[id(function)] = found
        return found

    def _record_setattr_call(self, node: ast.Call, scope: Scope,
                             add: Callable[[ast.AST, str, ast.AST, ast.AST], None]) -> None:
        """``patch.object(obj, "a")``, ``monkeypatch.setattr(obj, "a", v)``, ``setattr(obj, "a", v)``."""
        func = node.func
        target: ast.expr | None = None
        attribute: ast.expr | None = None
        if isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) == 3:
            target, attribute = node.args[0], node.args[1]
            kind, payload = "value", node.args[2]
        elif isinstance(func, ast.Attribute) and func.attr == "setattr" and self.is_monkeypatch(func.value, scope) \
                and len(node.args) >= 3:
            target, attribute = node.args[0], node.args[1]
            kind, payload = "value", node.args[2]
        else:
            api = self.api(func, scope)
            if api is None or api.name != "patch.object":
                return
            patch = parse_patch(node, api)
            if patch is None:
                return
            target, attribute = patch.target, patch.get("attribute")
            kind, payload = "patch", patch  # type: ignore[assignment]
        if target is None or not (isinstance(attribute, ast.Constant) and isinstance(attribute.value, str)):
            return
        chain = dotted_chain(target)
        if chain is None:
            return
        synthetic = ast.Attribute(value=target, attr=attribute.value, ctx=ast.Load())
        add(synthetic, kind, payload, node)
