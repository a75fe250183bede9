"""The import graph of project modules and symbol resolution across modules.

A :class:`ModuleNode` is a project file reached under a dotted name, with the
root that name is relative to (so relative imports and parent packages
resolve exactly as Python would for that name).  Importing ``a.b.c`` runs
``a/__init__``, ``a/b/__init__`` and ``a/b/c`` in that order; ``from a.b
import c`` runs ``a.b.c`` too when ``c`` is a submodule.  Third-party modules
are never followed; modules that do not exist are left to TST106.

:class:`ProjectModel` is one per workspace, set of roots and side-effect
configuration (``workspace.extensions["project_models"]``).  Queries run
inside ``with model.track(deps):`` record in ``deps`` every file whose
summary the answer depends on, memo hits included, for the per-file results
cache (``ctx.summary_dependencies``); :func:`depend` hands them over.  Memoized
answers live in ``model.memo`` and are dropped by :meth:`ProjectModel.forget_derived`
when a file's summary changes (an edited buffer).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from suitelint.core.diagnostic import Span
from suitelint.project.cache import summary_of_checked_file, summary_of_file
from suitelint.project.modules import ModuleMap, module_map, project_roots
from suitelint.project.side_effects import SideEffectTable
from suitelint.project.summary import AT_IMPORT, ImportSite, Loc, ModuleSummary, absolute, resolve_relative

if TYPE_CHECKING:
    from suitelint.core.context import FileContext
    from suitelint.core.workspace import Workspace

MAX_RESOLVE_DEPTH = 16
MAX_IMPORT_DEPTH = 150  # import chains deeper than this are not followed (no recursion overflow)
NO_CUT = 1 << 30
Events = Callable[["ModuleNode"], "list[tuple[int, Any]]"]
T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class ModuleNode:
    """A project file under a dotted name.  Interned by :meth:`ProjectModel.node`: compare by identity."""

    name: str  # dotted name as reached
    path: Path  # the file (a package's __init__.py)
    root: Path  # the directory the dotted name is relative to

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Symbol:
    """What a qualified name denotes in the project."""

    kind: str  # "module", "class", "function"
    node: ModuleNode
    name: str = ""  # the class or function name in the module ("" for a module)
    method: str = ""  # for a method: its name (``name`` is then the class)


@dataclass(frozen=True)
class MissingImport:
    """An import a project module cannot satisfy (TST106)."""

    site: ImportSite
    module: str  # the module imported from, or the missing module
    name: str  # the missing name ("" when the module itself is missing)
    defined: tuple[str, ...] = ()  # names the module does define (for suggestions)
    path: Path | None = None  # the module's file when it exists
    probed: tuple[Path, ...] = ()  # files whose creation would satisfy the import (cache dependencies)


class ProjectModel:
    def __init__(self, workspace: Workspace, modules: ModuleMap, side_effects: SideEffectTable) -> None:
        self.workspace = workspace
        self.modules = modules
        self.side_effects = side_effects
        self.memo: dict[str, dict[Any, Any]] = {}
        self._tracking: list[set[Path]] = []
        self._nodes: dict[tuple[str, str, str], ModuleNode] = {}
        self._in_progress: set[tuple[str, Any]] = set()

    # -- files and dependency tracking ---------------------------------------------
    def summary(self, node: ModuleNode | Path) -> ModuleSummary:
        path = node.path if isinstance(node, ModuleNode) else node
        for deps in self._tracking:
            deps.add(path)
        return summary_of_file(self.workspace, path)

    @contextmanager
    def track(self, deps: set[Path]) -> Iterator[set[Path]]:
        """Record in ``deps`` every file whose summary the queries inside read (memo hits included)."""
        self._tracking.append(deps)
        try:
            yield deps
        finally:
            self._tracking.pop()

    def cached(self, kind: str, key: Any, compute: Callable[[], T], default: T) -> T:
        """Memoize ``compute()`` with the files it read; ``default`` while it is being computed (cycles)."""
        memo = self.memo.setdefault(kind, {})
        entry = memo.get(key)
        if entry is None:
            marker = (kind, key)
            if marker in self._in_progress:
                return default
            deps: set[Path] = set()
            self._in_progress.add(marker)
            self._tracking.append(deps)
            try:
                value = compute()
            finally:
                self._tracking.pop()
                self._in_progress.discard(marker)
            entry = memo[key] = (value, deps)
        for tracking in self._tracking:
            tracking.update(entry[1])
        return entry[0]

    def forget_derived(self) -> None:
        """Drop everything computed from summaries (a file changed)."""
        self.memo.clear()

    # -- nodes ----------------------------------------------------------------------
    def node(self, name: str, path: Path, root: Path) -> ModuleNode:
        """The one node for a file under a name (nodes are compared and hashed by identity)."""
        key = (name, str(path), str(root))
        found = self._nodes.get(key)
        if found is None:
            found = self._nodes[key] = ModuleNode(name, path, root)
        return found

    def locate(self, dotted: str, extra_roots: tuple[Path, ...] = ()) -> ModuleNode | None:
        found = self.modules.locate(dotted, extra_roots)
        if found is None:
            return None
        return self.node(dotted, found[0], found[1])

    def node_for_file(self, path: Path, name: str) -> ModuleNode:
        """The node of a file under the dotted name pytest (or the caller) gives it."""
        parts = name.split(".")
        depth = len(parts) + (1 if path.name == "__init__.py" else 0)
        try:
            root = path.parents[depth - 1]
        except IndexError:
            root = path.parent
        return self.node(name, path, root)

    def runs(self, node: ModuleNode) -> list[ModuleNode]:
        """The parent packages ``node``'s import runs first (outermost first)."""
        memo = self.memo.setdefault("runs", {})
        found = memo.get(node)
        if found is None:
            parts = node.name.split(".")
            found = []
            for index in range(1, len(parts)):
                init = node.root.joinpath(*parts[:index], "__init__.py")
                if init.is_file():
                    found.append(self.node(".".join(parts[:index]), init, node.root))
            memo[node] = found
        return found

    def _child(self, parent: ModuleNode | None, dotted: str, origin: ModuleNode) -> ModuleNode | None:
        """A module named ``dotted``: under the parent's root first (relative semantics), then the roots."""
        if parent is not None:
            parts = dotted.split(".")
            base = parent.root.joinpath(*parts)
            module = base.with_name(base.name + ".py")
            if module.is_file():
                return self.node(dotted, module, parent.root)
            init = base / "__init__.py"
            if init.is_file():
                return self.node(dotted, init, parent.root)
        return self.locate(dotted, (origin.root,))

    def import_targets(self, node: ModuleNode, site: ImportSite) -> tuple[list[ModuleNode], list[MissingImport]]:
        """Project modules an import statement in ``node`` runs (deepest last), and what is missing."""
        nothing: tuple[list[ModuleNode], list[MissingImport]] = ([], [])
        return self.cached("import_targets", (node, site.loc), lambda: self._import_targets(node, site), nothing)

    def _import_targets(self, node: ModuleNode, site: ImportSite) -> tuple[list[ModuleNode], list[MissingImport]]:
        targets: list[ModuleNode] = []
        missing: list[MissingImport] = []
        if not site.is_from:
            for dotted, _ in site.names:
                if not self.is_project_top(dotted, node):
                    continue
                found = self.locate(dotted, (node.root,))
                if found is not None:
                    targets.append(found)
                else:
                    problem = self._missing_module(dotted, site, node)
                    if problem is not None:
                        missing.append(problem)
            return targets, missing
        base_name = resolve_relative(site.level, site.module, node.name, node.is_package)
        if base_name is None or (site.level == 0 and not self.is_project_top(base_name, node)):
            return targets, missing
        base = self.locate(base_name, (node.root,)) if site.level == 0 else self._child(node, base_name, node)
        namespace = None
        if base is None:
            namespace = self.modules.namespace_dir(base_name, (node.root,))
            if namespace is None:
                problem = self._missing_module(base_name, site, node)
                if problem is not None:
                    missing.append(problem)
                return targets, missing
        else:
            targets.append(base)
        summary = self.summary(base) if base is not None else None
        for name, _ in site.names:
            if name == "*":
                continue
            sub = self._child(base, f"{base_name}.{name}", node) if (base is None or base.is_package) else None
            if sub is None and namespace is not None:
                sub = self.locate(f"{base_name}.{name}", (node.root,))
            if sub is not None:
                targets.append(sub)
            elif base is not None and summary is not None and not self.defines(base, name):
                probed = _candidates(base.root, f"{base_name}.{name}") if base.is_package else ()
                missing.append(MissingImport(site, base_name, name, tuple(sorted(summary.defined)), base.path,
                                             probed))
        return targets, missing

    def is_project_top(self, dotted: str, node: ModuleNode) -> bool:
        """Whether the top-level package of ``dotted`` is the project's (as Python would resolve it).

        A regular module or package under a root wins; a namespace directory
        (no ``__init__.py``) loses to any installed or standard-library module
        of the same name, as in Python's import system.
        """
        top = dotted.split(".", 1)[0]
        memo = self.memo.setdefault("project_top", {})
        key = (top, node.root)
        found = memo.get(key)
        if found is None:
            found = memo[key] = self.locate(top, (node.root,)) is not None or (
                self.modules.namespace_dir(top, (node.root,)) is not None and not _installed(top))
        return found

    def _missing_module(self, dotted: str, site: ImportSite, node: ModuleNode) -> MissingImport | None:
        """A missing module whose parent is a regular project package (else say nothing).

        Namespace packages (directories without ``__init__.py``) are spread
        over several places by design, and a module missing from a package we
        cannot see may live in an installed copy: only a regular package of
        the project vouches for its submodules.
        """
        parts = dotted.split(".")
        for index in range(len(parts) - 1, 0, -1):
            parent = ".".join(parts[:index])
            located = self.locate(parent, (node.root,))
            if located is None:
                continue
            summary = self.summary(located)
            if not located.is_package:
                return None  # `a.b.c` where `a.b` is a plain module: an attribute, not ours to judge
            if not summary.parsed or summary.has_getattr or summary.dynamic_globals:
                return None
            if any(name is None or name == dotted for name, _ in summary.sys_modules_writes):
                return None  # the package registers the submodule itself
            return MissingImport(site, dotted, "", path=None, probed=_candidates(located.root, dotted))
        return None

    # -- names --------------------------------------------------------------------------
    def defines(self, node: ModuleNode, name: str, _seen: frozenset[Path] = frozenset()) -> bool:
        """Whether ``from node import name`` can succeed (definitions, star exports, ``__getattr__``)."""
        summary = self.summary(node)
        if not summary.parsed or summary.has_getattr or summary.dynamic_globals:
            return True
        if name in summary.defined or (name.startswith("__") and name.endswith("__")):
            return True
        if summary.all_names is not None and name in summary.all_names:
            return True
        if node.path in _seen:
            return True
        for level, module in summary.star_imports:
            source = resolve_relative(level, module or None, node.name, node.is_package)
            if source is None:
                return True
            star = self._child(node if level else None, source, node)
            if star is None:
                return True  # a third-party star import: cannot see, assume it does
            star_summary = self.summary(star)
            if star_summary.all_names is not None:
                if name in star_summary.all_names:
                    return True
                continue
            if not name.startswith("_") and self.defines(star, name, _seen | {node.path}):
                return True
        return False

    def resolve_symbol(self, qualified: str, origin: ModuleNode | None = None,
                       _depth: int = 0) -> Symbol | None:
        """The project module, class, function or method an absolute qualified name denotes."""
        if _depth > MAX_RESOLVE_DEPTH:
            return None
        parts = qualified.split(".")
        extra = (origin.root,) if origin is not None else ()
        if self.locate(parts[0], extra) is None and (
                self.modules.namespace_dir(parts[0], extra) is None or _installed(parts[0])):
            return None
        for index in range(len(parts), 0, -1):
            node = self.locate(".".join(parts[:index]), extra)
            if node is not None:
                return self.resolve_in(node, parts[index:], _depth)
        return None

    def resolve_in(self, node: ModuleNode, rest: list[str], _depth: int = 0) -> Symbol | None:
        """What ``rest`` (attribute names) denotes inside module ``node``."""
        if not rest:
            return Symbol("module", node)
        if _depth > MAX_RESOLVE_DEPTH:
            return None
        summary = self.summary(node)
        name, tail = rest[0], rest[1:]
        cls = summary.classes.get(name)
        if cls is not None:
            if not tail:
                return Symbol("class", node, name)
            if len(tail) == 1:
                return self._method(node, name, tail[0], _depth)
            return None
        if name in summary.functions:
            return Symbol("function", node, name) if not tail else None
        binding = summary.bindings.get(name)
        if binding is not None and not binding.startswith(":"):
            target = absolute(binding, node.name, node.is_package)
            if target is None:
                return None
            if binding.startswith("."):
                target_node = self._relative_symbol(node, target, tail, _depth)
                return target_node
            return self.resolve_symbol(".".join([target, *tail]), node, _depth + 1)
        for level, module in summary.star_imports:
            source = resolve_relative(level, module or None, node.name, node.is_package)
            if source is None:
                continue
            star = self._child(node if level else None, source, node)
            if star is not None:
                found = self.resolve_in(star, rest, _depth + 1)
                if found is not None:
                    return found
        if node.is_package:
            sub = self._child(node, f"{node.name}.{name}", node)
            if sub is not None:
                return self.resolve_in(sub, tail, _depth + 1)
        return None

    def _relative_symbol(self, node: ModuleNode, target: str, tail: list[str], depth: int) -> Symbol | None:
        parts = target.split(".")
        for index in range(len(parts), 0, -1):
            module = self._child(node, ".".join(parts[:index]), node)
            if module is not None:
                return self.resolve_in(module, [*parts[index:], *tail], depth + 1)
        return None

    def _method(self, node: ModuleNode, cls_name: str, method: str, depth: int) -> Symbol | None:
        cls = self.summary(node).classes[cls_name]
        if method in cls.methods:
            return Symbol("function", node, cls_name, method)
        for base in cls.bases:
            if base is None or depth > MAX_RESOLVE_DEPTH:
                continue
            qualified = absolute(base, node.name, node.is_package)
            symbol = self.resolve_symbol(qualified, node, depth + 1) if qualified else None
            if symbol is not None and symbol.kind == "class":
                found = self._method(symbol.node, symbol.name, method, depth + 1)
                if found is not None:
                    return found
        return None

    # -- the import graph -------------------------------------------------------------------
    def edges(self, node: ModuleNode) -> list[ModuleNode]:
        """Modules that importing ``node`` runs next: its parent packages, then its imports."""
        def compute() -> list[ModuleNode]:
            found = list(self.runs(node))
            for site in self.summary(node).imports:
                if site.where != AT_IMPORT or site.in_main_guard:
                    continue
                targets, _ = self.import_targets(node, site)
                for target in targets:
                    found.extend(self.runs(target))
                    found.append(target)
            return found

        return self.cached("edges", node, compute, [])

    def closure_paths(self, starts: tuple[ModuleNode, ...]) -> frozenset[Path]:
        """Files of every project module importing ``starts`` runs (what findings about it depend on)."""
        memo = self.memo.setdefault("closure", {})
        paths = memo.get(starts)
        if paths is None:
            saved, self._tracking = self._tracking, []
            try:
                seen: set[ModuleNode] = set()
                stack = [node for start in starts for node in (*self.runs(start), start)]
                while stack:
                    current = stack.pop()
                    if current in seen:
                        continue
                    seen.add(current)
                    stack.extend(target for target in self.edges(current) if target not in seen)
            finally:
                self._tracking = saved
            paths = memo[starts] = frozenset(node.path for node in seen)
        for tracking in self._tracking:
            tracking.update(paths)
        return paths

    def events_in_order(self, starts: tuple[ModuleNode, ...], kind: str, events: Events,
                        ) -> Iterator[tuple[Any, tuple[ModuleNode, ...]]]:
        """What happens, in order, when Python imports ``starts``: ``(event, import stack)`` pairs.

        Follows the import as Python runs it: parent packages first, then
        the module's statements in line order, each import statement running
        the project modules it names before the next line (depth first, each
        module once, cycles cut).  ``events(module)`` gives a module's own
        ``(line, event)`` pairs (its effects, its failing imports...); the
        stack is the chain of imports that led there, e.g.
        ``(src.database.models, src.database, src.config)``.  ``kind`` names
        the events function for memoization.  Every file of the closure is
        recorded as a dependency of the caller.
        """
        self.closure_paths(starts)
        saved, self._tracking = self._tracking, []
        try:
            reported: set[int] = set()
            for start in starts:
                for node in (*self.runs(start), start):
                    prefix = (start,) if node != start else ()
                    for event, chain in self._subtree(kind, events, node, {})[0]:
                        if id(event) not in reported:
                            reported.add(id(event))
                            yield event, (*prefix, *chain)
        finally:
            self._tracking = saved

    def first_executed(self, starts: tuple[ModuleNode, ...], kind: str, events: Events,
                       accept: Callable[[Any], bool] = lambda event: True) -> tuple[Any, tuple[ModuleNode, ...]] | None:
        """The first accepted event of importing ``starts``, with its import stack."""
        for event, stack in self.events_in_order(starts, kind, events):
            if accept(event):
                return event, stack
        return None

    def _subtree(self, kind: str, events: Events, module: ModuleNode,
                 stack: dict[ModuleNode, int]) -> tuple[list[tuple[Any, tuple[ModuleNode, ...]]], int]:
        """Events of running ``module`` (and what it imports), in order, with chains from ``module``.

        Memoized per module; the result of a module whose computation was cut
        short by an import cycle through a module further up the stack is not
        memoized (it depends on where the cycle was entered).  Returns the
        events and the stack depth of the highest cycle cut (``len(stack)`` or
        more: none above this module).
        """
        memo = self.memo.setdefault(f"subtree:{kind}", {})
        found = memo.get(module)
        if found is not None:
            return found, NO_CUT
        if module in stack:
            return [], stack[module]
        depth = len(stack)
        if depth > MAX_IMPORT_DEPTH:
            return [], NO_CUT
        stack[module] = depth
        lowest = NO_CUT
        result: list[tuple[Any, tuple[ModuleNode, ...]]] = []
        seen: set[int] = set()
        steps: list[tuple[int, int, Any]] = [(line, 0, event) for line, event in events(module)]
        steps.extend((site.loc.line, 1, site) for site in self.summary(module).imports if site.runs_at_import)
        steps.sort(key=lambda step: (step[0], step[1]))
        for _, is_import, item in steps:
            if not is_import:
                if id(item) not in seen:
                    seen.add(id(item))
                    result.append((item, (module,)))
                continue
            for target in self.import_targets(module, item)[0]:
                for node in (*self.runs(target), target):
                    sub, cut = self._subtree(kind, events, node, stack)
                    lowest = min(lowest, cut)
                    prefix = (module, target) if node != target else (module,)
                    for event, chain in sub:
                        if id(event) not in seen:
                            seen.add(id(event))
                            result.append((event, (*prefix, *chain)))
        del stack[module]
        if lowest >= depth:
            memo[module] = result
            return result, NO_CUT
        return result, lowest


def _candidates(root: Path, dotted: str) -> tuple[Path, Path]:
    """The two files that would make ``dotted`` a module under ``root``."""
    base = root.joinpath(*dotted.split("."))
    return base.with_name(base.name + ".py"), base / "__init__.py"


@lru_cache(maxsize=4096)
def _installed(top: str) -> bool:
    """Whether a top-level name is a standard-library module or installed in site-packages.

    Checked on disk, never imported.  Only ``site-packages``/``dist-packages``
    entries of ``sys.path`` count: the working directory and source trees on
    the path (the checked project itself, an editable install) do not.
    """
    if top in sys.builtin_module_names or top in getattr(sys, "stdlib_module_names", ()):
        return True
    for entry in sys.path:
        if not entry or not entry.rstrip("/\\").endswith(("site-packages", "dist-packages")):
            continue
        base = Path(entry) / top
        if base.is_dir() or base.with_name(top + ".py").is_file():
            return True
    return False


def project_model(workspace: Workspace, path: Path,
                  extra_side_effects: tuple[tuple[str, str], ...] = ()) -> ProjectModel:
    """The project model governing ``path`` (one per roots and side-effect configuration)."""
    roots = project_roots(workspace, path)
    models: dict[Any, ProjectModel] = workspace.extensions.setdefault("project_models", {})
    key = (roots, extra_side_effects)
    found = models.get(key)
    if found is None:
        found = models[key] = ProjectModel(workspace, module_map(workspace, path), SideEffectTable(extra_side_effects))
    return found


def model_for(ctx: FileContext) -> tuple[ProjectModel, ModuleNode]:
    """The project model of a checked file, and the file's own node (its current text)."""
    found: tuple[ProjectModel, ModuleNode] | None = getattr(ctx, "_suitelint_project", None)
    if found is not None:
        return found
    model = project_model(ctx.workspace, ctx.path, ctx.settings.side_effect_calls)  # type: ignore[arg-type]
    path = ctx.path.resolve()
    node = model.node_for_file(path, ctx.module_name)
    _, changed = summary_of_checked_file(ctx.workspace, path, ctx.source, ctx.tree)  # type: ignore[arg-type]
    if changed:
        for each in ctx.workspace.extensions.get("project_models", {}).values():  # type: ignore[union-attr]
            each.forget_derived()
    ctx._suitelint_project = (model, node)  # type: ignore[attr-defined]
    return model, node


def depend(ctx: FileContext, paths: set[Path] | Path) -> None:
    """Record files the findings of ``ctx`` depend on through their summaries (for the results cache)."""
    dependencies = getattr(ctx, "summary_dependencies", None)
    if dependencies is None:
        return
    if isinstance(paths, Path):
        dependencies.add(paths)
    else:
        # the checked file stays in: the same set of files is then one shared group for every file
        dependencies.update(paths)



def span_of(ctx: FileContext, loc: Loc) -> Span:
    """The span of a summary location in the checked file (ast byte offsets -> codepoint columns)."""
    return Span(ctx.position(loc.line, loc.col), ctx.position(loc.end_line, loc.end_col))
