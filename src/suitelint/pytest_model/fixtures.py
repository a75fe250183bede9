"""The fixture index: which fixtures a test or fixture can see, as pytest would resolve them.

Visible from a location (a file, and a class inside it), innermost first:

1. the class's fixtures, with those it inherits from its bases, then the
   enclosing classes';
2. the module's namespace: its own fixtures and those it imports
   (``from .fixtures import *``, ``from tests.db import db as database``);
3. ``conftest.py`` files from the file's directory up to the pytest rootdir;
4. plugins: ``pytest_plugins`` modules (strings, lists, tuples, nested in
   plugin modules) of the file and its conftest chain, ``-p`` plugins from
   ``addopts``, the ``pytest11`` plugins installed where suitelint runs
   (read statically, see :mod:`suitelint.pytest_model.plugins`), pytest's
   built-in fixtures (minus plugins disabled with ``-p no:NAME``), and
   ``[tool.suitelint] known-fixtures``;
5. a last resort consulted only for names not found above: the known-plugin
   table (:mod:`suitelint.pytest_model.known_fixtures`) and plugins that
   other files of the suite load with ``pytest_plugins`` (pytest registers a
   plugin for the whole session once any module loads it).

Anything we cannot see through (a star import from a module that is not
there, a ``pytest_plugins`` entry that resolves nowhere, run-time fixture
factories such as pytest-factoryboy) makes the lookup answer :data:`UNKNOWN`,
and rules then stay silent: precision first.

Summaries of files are parsed once per process (keyed by modification time)
and kept in the shared on-disk store between runs; the index lives in
``workspace.extensions["fixture_index"]``.  The
suite-wide view (:mod:`suitelint.pytest_model.suite`) is built lazily, once
per rootdir, only when a rule asks for it.  Every file read for a finding is
reported through ``ctx.summary_dependencies`` (it is read only through its
summary; declaration files such as pyproject.toml go to ``ctx.dependencies``).
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from suitelint.core.deferral import check_ready
from suitelint.core.dependencies import SummaryDependencies
from suitelint.core.parsing import parse as parse_cached
from suitelint.core.store import Store, store_for
from suitelint.project.modules import ModuleMap, module_map
from suitelint.pytest_model.dependencies import (
    DeclaredDependencies,
    declared_dependencies,
)
from suitelint.pytest_model.fixture_defs import (
    ClassSummary,
    FixtureDef,
    ModuleSummary,
    SuiteFacts,
    import_table,
    resolved,
    suite_facts,
    summarize,
)
from suitelint.pytest_model.known_fixtures import (
    BUILTIN_FIXTURES,
    ENTRY_POINT_NAMES,
    KNOWN_PLUGINS,
    PYTESTER_FIXTURES,
    PYTESTER_PLUGIN_NAMES,
    KnownPlugin,
    is_fixtureless,
    known_plugin_for_module,
    known_plugin_named,
    normalize,
)
from suitelint.pytest_model.plugins import (
    find_module_file,
    installed_plugins,
    module_name_on_sys_path,
)

if TYPE_CHECKING:
    import ast

    from suitelint.core.context import FileContext
    from suitelint.core.workspace import Workspace
    from suitelint.pytest_model.ini import PytestConfig
    from suitelint.pytest_model.suite import SuiteView


class _Unknown:
    """A name some layer may define without us being able to see it."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()
Lookup = FixtureDef | _Unknown | None

PROJECT, INSTALLED = "project", "installed"
STORE_KIND = "fixtures"
PACK_KIND = "fixture-packs"
PACK_SLACK = 16  # stale entries a suite's pack may hold before it is written again
SUMMARY_SCHEMA = 2  # bump when ModuleSummary/FixtureDef change shape
MAX_DEPTH = 8
HARMLESS_BASES = frozenset({"object", "unittest.TestCase", "unittest.IsolatedAsyncioTestCase", "abc.ABC",
                            "typing.Generic", "typing.Protocol", "ABC", "Generic", "Protocol", "TestCase"})

# -- the per-process cache of parsed files --------------------------------------------------
# a suite pack's entry for a file: its stamp, module name and summary (None: it does not parse)
PackEntry = tuple[tuple[int, int], str, "ModuleSummary | None"]
_SUMMARIES: dict[tuple[Path, str], tuple[tuple[int, int], ModuleSummary | None]] = {}


@dataclass
class Namespace:
    """The fixtures one module's namespace holds, its imports followed."""

    attrs: dict[str, FixtureDef] = field(default_factory=dict)  # attribute -> definition
    opaque_names: set[str] = field(default_factory=set)
    opaque: bool = False
    files: set[Path] = field(default_factory=set)

    def by_name(self) -> dict[str, FixtureDef]:
        found: dict[str, FixtureDef] = {}
        for fixture in self.attrs.values():
            found.setdefault(fixture.name, fixture)
        return found


@dataclass
class Layer:
    """One level of pytest's fixture lookup."""

    kind: str  # class | module | conftest | plugin | builtin | config
    fixtures: dict[str, FixtureDef]
    path: Path | None = None
    owner: str | None = None
    opaque_names: frozenset[str] = frozenset()
    opaque: bool = False

    def lookup(self, name: str) -> Lookup:
        found = self.fixtures.get(name)
        if found is not None:
            return found
        if self.opaque or name in self.opaque_names:
            return UNKNOWN
        return None


@dataclass
class Visibility:
    """The fixtures visible from one location, innermost layer first."""

    index: FixtureIndex
    ctx: FileContext
    layers: list[Layer]
    _names: tuple[tuple[str, ...], tuple[str, ...]] | None = field(default=None, repr=False, compare=False)

    def lookup(self, name: str, *, after: FixtureDef | None = None) -> Lookup:
        """The definition a request for ``name`` gets; with ``after``, the one ``after`` overrides."""
        found = self.lookup_layers(name, after=after)
        return found if found is not None else self.index.last_resort(self.ctx, name)

    def lookup_layers(self, name: str, *, after: FixtureDef | None = None) -> Lookup:
        """:meth:`lookup` without the last resort (which reads the whole suite): the visible layers only."""
        start = 0
        if after is not None:
            start = len(self.layers)
            for position, layer in enumerate(self.layers):
                if layer.fixtures.get(after.name) is after or any(f is after for f in layer.fixtures.values()):
                    start = position + 1
                    break
        for layer in self.layers[start:]:
            found = layer.lookup(name)
            if found is not None:
                return found
        return None

    def layer_of(self, fixture: FixtureDef) -> Layer | None:
        for layer in self.layers:
            if any(f is fixture for f in layer.fixtures.values()):
                return layer
        return None

    def names(self) -> set[str]:
        found: set[str] = set()
        for layer in self.layers:
            found.update(layer.fixtures)
        return found

    def suggestion(self, name: str) -> str | None:
        """The visible fixture most likely meant instead of ``name``."""
        project, others = self.names_by_origin()
        return suggestion(name, project, others, self.index.known_names(self.ctx))

    def names_by_origin(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The visible names :meth:`suggestion` chooses from: the project's layers', then the plugins'.

        (Then the known plugins' fixtures the suite shows it uses, which take the suite-wide view.)
        """
        if self._names is None:
            project: list[str] = []
            others: list[str] = []
            for layer in self.layers:
                (project if layer.kind in ("class", "module", "conftest") else others).extend(layer.fixtures)
            self._names = (tuple(project), tuple(others))
        return self._names


def suggestion(name: str, project: Iterable[str], others: Iterable[str], known: Iterable[str]) -> str | None:
    """The fixture most likely meant instead of ``name``: the project's first, then plugins' and ``known``."""
    def keep(candidate: str) -> bool:
        return candidate != name and (name.startswith("_") or not candidate.startswith("_"))

    return closest(name, [n for n in project if keep(n)]) or closest(name, [*(n for n in others if keep(n)), *known])


def closest(name: str, candidates: Iterable[str]) -> str | None:
    pool = sorted(set(candidates))
    if not pool:
        return None
    match = difflib.get_close_matches(name, pool, n=1, cutoff=0.75)
    if match:
        return match[0]
    lowered = name.lower()
    related = [c for c in pool if c.lower().startswith(lowered + "_") or c.lower().endswith("_" + lowered)
               or lowered.startswith(c.lower() + "_") or lowered.endswith("_" + c.lower())]
    if related:
        return min(related, key=lambda c: (abs(len(c) - len(name)), c))
    return None


def fixture_index(workspace: Workspace) -> FixtureIndex:
    index = workspace.extensions.get("fixture_index")
    if index is None:
        index = workspace.extensions["fixture_index"] = FixtureIndex(workspace)
    return index


class FixtureIndex:
    """Fixture knowledge of one workspace (one per process)."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._namespaces: dict[tuple[Path, str], Namespace] = {}
        # plugin layers by what decides them (see plugin_layers): (config, layers, files read)
        self._plugin_layers: dict[tuple[object, ...], tuple[PytestConfig, list[Layer], frozenset[Path]]] = {}
        self._installed: list[Layer] | None = None
        self._suites: dict[Path, SuiteView] = {}
        self._declared: dict[Path, DeclaredDependencies] = {}
        self._known: dict[Path, dict[str, FixtureDef]] = {}
        self._suite_plugins: dict[Path, dict[str, FixtureDef] | None] = {}
        self._evidenced: dict[Path, list[KnownPlugin]] = {}
        self._maps: dict[Path, ModuleMap] = {}
        self._chains: dict[tuple[Path, Path], list[Path]] = {}

    # -- reading files -------------------------------------------------------------------
    def summary(self, path: Path, realm: str = PROJECT) -> ModuleSummary | None:
        """The summary of a file (its open editor buffer if any), parsed once per process.

        Project files also go through the shared on-disk store (kind
        ``"fixtures"``), so a later run, another worker process or flake8
        ``-j`` reuse them while the file is unchanged.
        """
        path = resolved(path)
        overlay = self.workspace.overlays.get(path)
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size) if overlay is None else (hash(overlay), -1)
        except OSError:
            return None
        key = (path, realm)
        cached = _SUMMARIES.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        module = self.module_name(path, realm)
        store = self._store() if overlay is None else None
        salt = f"{SUMMARY_SCHEMA}:{module}" if realm == PROJECT else f"{SUMMARY_SCHEMA}:{realm}:{module}"
        summary: ModuleSummary | None = None
        stored = self._stored(store, path, salt)
        if isinstance(stored, ModuleSummary):
            summary = stored
        else:
            text = self.workspace.read_text(path)
            if text is not None:
                try:
                    tree = parse_cached(text, str(path))
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    tree = None
                if tree is not None:
                    summary = summarize(tree, path, module, full=realm == PROJECT)
                    if store is not None:
                        self._keep(store, path, summary, salt)
        _SUMMARIES[key] = (stamp, summary)
        return summary

    def adopt_tree(self, path: Path, tree: ast.Module) -> None:
        """Make ``tree`` (the file on disk, parsed already) the source of its summary, unless known.

        What :meth:`summary` would compute after parsing the file again.
        """
        path = resolved(path)
        if path in self.workspace.overlays:
            return
        try:
            stat = path.stat()
        except OSError:
            return
        stamp = (stat.st_mtime_ns, stat.st_size)
        key = (path, PROJECT)
        cached = _SUMMARIES.get(key)
        if cached is not None and cached[0] == stamp:
            return
        module = self.module_name(path, PROJECT)
        store = self._store()
        salt = f"{SUMMARY_SCHEMA}:{module}"
        stored = self._stored(store, path, salt)
        if isinstance(stored, ModuleSummary):
            summary = stored
        else:
            summary = summarize(tree, path, module, full=True)
            if store is not None:
                self._keep(store, path, summary, salt)
        _SUMMARIES[key] = (stamp, summary)

    def summaries(self, paths: list[Path], pack: Path) -> list[ModuleSummary | None]:
        """The summaries of many project files (a suite's), read from one pack while they are unchanged.

        The pack (kind ``"fixture-packs"``, named after ``pack``: the suite's
        rootdir) holds each file's stamp, module name and summary; a file whose
        stamp or module name differs is read the usual way (:meth:`summary`).
        Loading one pack is several times cheaper than a thousand entries.
        The pack is written again when it was missing or many entries were stale.
        """
        store = self._store()
        if store is None or self.workspace.overlays:
            return [self.summary(path) for path in paths]
        name = f"{SUMMARY_SCHEMA}:{resolved(pack)}"
        packed = store.get_named(PACK_KIND, name)
        entries: dict[str, PackEntry] = packed if isinstance(packed, dict) else {}
        found: list[ModuleSummary | None] = []
        fresh: dict[str, PackEntry] = {}
        stale = 0
        for path in paths:
            path = resolved(path)
            try:
                stat = os.stat(path)
            except OSError:
                found.append(None)
                continue
            stamp = (stat.st_mtime_ns, stat.st_size)
            module = self.module_name(path, PROJECT)
            entry = entries.get(str(path))
            cached = _SUMMARIES.get((path, PROJECT))
            if cached is not None and cached[0] == stamp:
                summary = cached[1]
            elif entry is not None and entry[0] == stamp and entry[1] == module:
                summary = entry[2]
                _SUMMARIES[(path, PROJECT)] = (stamp, summary)
            else:
                stale += 1
                summary = self.summary(path)
            found.append(summary)
            fresh[str(path)] = (stamp, module, summary)
        if stale > max(PACK_SLACK, len(paths) // 10) or (not entries and fresh):
            store.put_named(PACK_KIND, name, fresh)
        return found

    def _store(self) -> Store | None:
        try:
            return store_for(self.workspace)
        except Exception:  # noqa: BLE001 - a broken cache must not break linting
            return None

    @staticmethod
    def _stored(store: Store | None, path: Path, salt: str) -> object:
        if store is None:
            return None
        try:
            return store.get(STORE_KIND, path, salt)
        except Exception:  # noqa: BLE001 - a cache that cannot answer is a miss
            return None

    @staticmethod
    def _keep(store: Store, path: Path, summary: ModuleSummary, salt: str) -> None:
        try:
            store.put(STORE_KIND, path, summary, salt)
        except Exception:  # noqa: BLE001 - a cache that cannot keep is no cache
            pass

    def module_name(self, path: Path, realm: str) -> str:
        if realm == INSTALLED:
            return module_name_on_sys_path(path) or path.stem
        return self.workspace.module_name(path)

    def context_summary(self, ctx: FileContext) -> ModuleSummary:
        """The summary of the file being checked, from its (possibly unsaved) tree."""
        cached = ctx.__dict__.get("_sl_fixture_summary")
        if cached is None:
            cached = summarize(ctx.tree, resolved(ctx.path), ctx.module_name, full=False)
            ctx.__dict__["_sl_fixture_summary"] = cached
        return cached

    def context_facts(self, ctx: FileContext) -> SuiteFacts:
        """What the checked file requests (parameters, strings, parametrize names), computed on demand."""
        cached = ctx.__dict__.get("_sl_fixture_facts")
        if cached is None:
            cached = suite_facts(ctx.tree, name_table=import_table(ctx.tree, "", False)[0])
            ctx.__dict__["_sl_fixture_facts"] = cached
        return cached

    def resolve_module(self, dotted: str, importer: Path, realm: str) -> Path | None:
        if not dotted:
            return None
        if realm == INSTALLED:
            top = (module_name_on_sys_path(importer) or "").split(".", 1)[0]
            if top and dotted.split(".", 1)[0] != top:
                return None
            return find_module_file(dotted)
        directory = importer.parent
        maps = self._maps.get(directory)
        if maps is None:
            maps = self._maps[directory] = module_map(self.workspace, importer)
        found = maps.resolve(dotted)
        return resolved(found) if found is not None else None

    # -- module namespaces ---------------------------------------------------------------
    def namespace(self, path: Path, realm: str = PROJECT, summary: ModuleSummary | None = None,
                  _stack: frozenset[Path] = frozenset()) -> Namespace:
        """Fixtures held by a module's namespace: its own and the ones it imports."""
        path = resolved(path)
        key = (path, realm)
        if summary is None and key in self._namespaces:
            return self._namespaces[key]
        if path in _stack or len(_stack) > MAX_DEPTH:
            return Namespace(files={path})
        own = summary if summary is not None else self.summary(path, realm)
        if own is None:
            return Namespace(files={path})
        result = Namespace(attrs=dict(own.fixtures), opaque_names=set(own.opaque_names), opaque=own.dynamic,
                           files={path})
        stack = _stack | {path}
        for module in own.star_imports:
            target = self.resolve_module(module, path, realm)
            if target is None:
                if not _harmless_star(module):
                    result.opaque = True
                continue
            imported = self.namespace(target, realm, _stack=stack)
            target_summary = self.summary(target, realm)
            exported = target_summary.exported if target_summary is not None else None

            def brought(attribute: str, exported: frozenset[str] | None = exported) -> bool:
                return attribute in exported if exported is not None else not attribute.startswith("_")

            result.files |= imported.files
            result.opaque = result.opaque or imported.opaque
            for attribute, fixture in imported.attrs.items():
                if brought(attribute):
                    result.attrs.setdefault(attribute, fixture)
            result.opaque_names |= {n for n in imported.opaque_names if brought(n)}
        for local, (module, name) in own.name_imports.items():
            if local in result.attrs:
                continue
            target = self.resolve_module(module, path, realm)
            if target is not None:
                imported = self.namespace(target, realm, _stack=stack)
                result.files |= imported.files
                if name in imported.attrs:
                    result.attrs[local] = imported.attrs[name].renamed(local)
                elif name in imported.opaque_names or imported.opaque:
                    result.opaque_names.add(local)
                continue
            if self.resolve_module(f"{module}.{name}", path, realm) is not None:
                continue  # a submodule, not a fixture
            result.opaque_names.add(local)
        if summary is None:
            self._namespaces[key] = result
        return result

    # -- visibility ----------------------------------------------------------------------
    def conftest_chain(self, path: Path, pytest: PytestConfig) -> list[Path]:
        """conftest.py files governing ``path``, closest first, up to the rootdir (once per directory)."""
        directory = resolved(path).parent
        rootdir = resolved(pytest.rootdir)
        key = (directory, rootdir)
        chain = self._chains.get(key)
        if chain is None:
            chain = self._chains[key] = self._conftest_chain(directory, rootdir)
        return list(chain)

    @staticmethod
    def _conftest_chain(directory: Path, rootdir: Path) -> list[Path]:
        chain: list[Path] = []
        for candidate in (directory, *directory.parents):
            conftest = candidate / "conftest.py"
            if conftest.is_file():
                chain.append(conftest)
            if candidate == rootdir:
                break
            if rootdir not in candidate.parents:
                break
        return chain

    def context_namespace(self, ctx: FileContext) -> Namespace:
        """The checked file's module namespace (from its own tree), computed once per file."""
        cached = ctx.__dict__.get("_sl_fixture_namespace")
        if cached is None:
            cached = self.namespace(ctx.path, PROJECT, summary=self.context_summary(ctx))
            ctx.__dict__["_sl_fixture_namespace"] = cached
        return cached

    def visibility(self, ctx: FileContext, owner: str | None = None) -> Visibility:
        """What a test or fixture in class ``owner`` (qualname) of the checked file can request.

        Computed once per file and owner (rules ask for every test and fixture).
        """
        cache: dict[str | None, Visibility] = ctx.__dict__.setdefault("_sl_fixture_visibility", {})
        found = cache.get(owner)
        if found is None:
            found = cache[owner] = self._visibility(ctx, owner)
        return found

    def _visibility(self, ctx: FileContext, owner: str | None) -> Visibility:
        summary = self.context_summary(ctx)
        path = resolved(ctx.path)
        deps = _summary_dependencies(ctx)
        layers: list[Layer] = []
        if owner:
            parts = owner.split(".")
            for depth in range(len(parts), 0, -1):
                qualname = ".".join(parts[:depth])
                layers.append(self.class_layer(summary, qualname, path, deps))
        namespace = self.context_namespace(ctx)
        deps.update(namespace.files)  # itself included: one shared group per directory
        layers.append(Layer("module", namespace.by_name(), path, None, frozenset(namespace.opaque_names),
                            namespace.opaque))
        chain_summaries: list[ModuleSummary] = [summary]
        for conftest in self.conftest_chain(path, ctx.pytest):
            if conftest == path:
                continue
            deps.add(conftest)
            conftest_ns = self.namespace(conftest)
            deps.update(conftest_ns.files)
            layers.append(Layer("conftest", conftest_ns.by_name(), conftest, None,
                                frozenset(conftest_ns.opaque_names), conftest_ns.opaque))
            conftest_summary = self.summary(conftest)
            if conftest_summary is not None:
                chain_summaries.append(conftest_summary)
        layers.extend(self.plugin_layers(ctx, chain_summaries))
        return Visibility(self, ctx, layers)

    def class_layer(self, summary: ModuleSummary, qualname: str, path: Path,
                    deps: SummaryDependencies | set[Path]) -> Layer:
        fixtures: dict[str, FixtureDef] = {}
        opaque = False
        for cls, _ in self.class_lineage(summary, qualname, path, deps):
            if cls is None:
                opaque = True
                continue
            for fixture in cls.fixtures.values():
                fixtures.setdefault(fixture.name, fixture)
        return Layer("class", fixtures, path, qualname, opaque=opaque)

    def class_lineage(self, summary: ModuleSummary, qualname: str, path: Path, deps: SummaryDependencies | set[Path],
                      depth: int = 0) -> Iterator[tuple[ClassSummary | None, Path]]:
        """A class and its bases (None for a base we cannot read)."""
        cls = summary.classes.get(qualname)
        if cls is None or depth > MAX_DEPTH:
            yield None, path
            return
        yield cls, path
        for base in cls.bases:
            if base in HARMLESS_BASES:
                continue
            found = self._find_class(summary, base, path, qualname)
            if found is None:
                head = base.split(".", 1)[0]
                qualified = summary.name_imports.get(head)
                module = qualified[0] if qualified else summary.module_imports.get(head, "")
                qualified_base = f"{module}.{base.split('.')[-1]}"
                if qualified_base in HARMLESS_BASES or module.split(".", 1)[0] in ("unittest", "abc", "typing"):
                    continue
                yield None, path
                continue
            base_summary, base_qualname, base_path = found
            if base_path != path:
                deps.add(base_path)
            yield from self.class_lineage(base_summary, base_qualname, base_path, deps, depth + 1)

    def _find_class(self, summary: ModuleSummary, base: str, path: Path, within: str,
                    depth: int = 0) -> tuple[ModuleSummary, str, Path] | None:
        """Where the class a base expression names is defined (following imports and re-exports)."""
        if base in summary.classes and base != within:
            return summary, base, path
        if depth > MAX_DEPTH:
            return None
        head, _, rest = base.partition(".")
        parts = rest.split(".") if rest else []
        if head in summary.name_imports:
            module, name = summary.name_imports[head]
            if not parts:  # from pkg.mod import Base
                return self._class_in_module(module, name, path, depth)
            # from pkg import mod; class T(mod.Base)
            return self._class_in_module(".".join([module, name, *parts[:-1]]), parts[-1], path, depth)
        if head in summary.module_imports and parts:  # import pkg.mod; class T(pkg.mod.Base)
            return self._class_in_module(".".join([summary.module_imports[head], *parts[:-1]]), parts[-1], path,
                                         depth)
        return None

    def _class_in_module(self, module: str, name: str, importer: Path,
                         depth: int) -> tuple[ModuleSummary, str, Path] | None:
        target = self.resolve_module(module, importer, PROJECT)
        if target is None:
            return None
        other = self.summary(target)
        if other is None:
            return None
        if name in other.classes:
            return other, name, target
        if name in other.name_imports:  # re-exported: from .base import Base
            return self._find_class(other, name, target, "", depth + 1)
        return None

    # -- plugins -------------------------------------------------------------------------
    def plugin_layers(self, ctx: FileContext, chain: list[ModuleSummary]) -> list[Layer]:
        """Plugin, installed, built-in and configured layers for a file whose conftest chain is ``chain``.

        Computed once per distinct input (the chain's ``pytest_plugins``, the
        pytest configuration, ``known-fixtures``): files of one directory share it.
        """
        pytest = ctx.pytest
        options = tuple(name for name in pytest.plugins if not name.startswith("no:"))
        # ``-p`` entries resolve from the ini file's directory, or the checked file's without one
        anchor = pytest.inifile or ctx.path
        known = tuple(ctx.settings.known_fixtures)
        # an entry resolves from its importer's directory: only that part of a path decides
        key = (tuple((s.path.parent if s.plugins else None, s.plugins, s.plugins_dynamic) for s in chain),
               id(pytest), anchor.parent if options else None, known)
        cached = self._plugin_layers.get(key)
        if cached is None or cached[0] is not pytest:
            files: set[Path] = set()
            layers = self._plugin_layers_for(pytest, chain, anchor, options, known, files)
            cached = self._plugin_layers[key] = (pytest, layers, frozenset(files))
        _summary_dependencies(ctx).update(cached[2])
        return list(cached[1])

    def _plugin_layers_for(self, pytest: PytestConfig, chain: list[ModuleSummary], anchor: Path,
                           options: tuple[str, ...], known: tuple[str, ...], deps: set[Path]) -> list[Layer]:
        entries: list[tuple[str, Path, bool]] = []
        opaque = False
        for summary in chain:
            entries.extend((entry, summary.path, False) for entry in summary.plugins)
            opaque = opaque or summary.plugins_dynamic
        entries.extend((name, anchor, True) for name in options)
        layers: list[Layer] = []
        seen: set[str] = set()
        queue = list(entries)
        while queue:
            entry, importer, via_option = queue.pop(0)
            entry = entry.strip()
            if not entry or entry in seen or len(seen) > 200:
                continue
            seen.add(entry)
            layer, nested, files = self.plugin_layer(entry, importer, via_option=via_option)
            deps.update(f for f in files if _is_project_file(f))
            if layer is not None:
                layers.append(layer)
            queue.extend(nested)
        if opaque:
            layers.append(Layer("plugin", {}, None, opaque=True))
        layers.extend(self.installed_layers(pytest))
        layers.append(self.builtin_layer(pytest, "pytester" in seen or "_pytest.pytester" in seen))
        if known:
            layers.append(Layer("config", {name: FixtureDef(name, name, name, None, 0, scope=None, origin="config")
                                           for name in known}))
        return layers

    def plugin_layer(self, entry: str, importer: Path, *,
                     via_option: bool = False) -> tuple[Layer | None, list[tuple[str, Path, bool]], set[Path]]:
        """The fixtures of one ``pytest_plugins``/``-p`` entry, its nested entries, the files read.

        ``-p NAME`` tries installed entry-point names before modules, as pytest does.
        """
        if entry in PYTESTER_PLUGIN_NAMES:
            return None, [], set()  # the builtin layer adds pytester's fixtures
        if via_option:
            for plugin in installed_plugins():
                if entry == plugin.entry_point and plugin.path is not None:
                    namespace = self.namespace(plugin.path, INSTALLED)
                    return Layer("plugin", namespace.by_name(), plugin.path), [], set()
            if entry in ENTRY_POINT_NAMES:
                known = known_plugin_named(ENTRY_POINT_NAMES[entry])
                if known is not None:
                    return Layer("plugin", _known_fixtures(known, include_generic=True)), [], set()
            if is_fixtureless(entry):
                return None, [], set()
        for realm, target in ((PROJECT, self.resolve_module(entry, importer, PROJECT)),
                              (INSTALLED, find_module_file(entry))):
            if target is None:
                continue
            namespace = self.namespace(target, realm)
            summary = self.summary(target, realm)
            nested = [(e, target, False) for e in summary.plugins] if summary else []
            layer = Layer("plugin", namespace.by_name(), target, None, frozenset(namespace.opaque_names),
                          namespace.opaque and realm == PROJECT)
            if summary is not None and summary.plugins_dynamic and realm == PROJECT:
                layer.opaque = True
            return layer, nested, namespace.files
        known = known_plugin_for_module(entry)
        if known is not None:
            return Layer("plugin", _known_fixtures(known, include_generic=True)), [], set()
        if is_fixtureless(entry) or is_fixtureless(entry.split(".", 1)[0]):
            return None, [], set()
        return Layer("plugin", {}, None, opaque=True), [], set()

    def installed_layers(self, pytest: PytestConfig) -> list[Layer]:
        if self._installed is None:
            layers: list[Layer] = []
            for plugin in installed_plugins():
                if plugin.path is None:
                    continue
                namespace = self.namespace(plugin.path, INSTALLED)
                fixtures = {name: _as_installed(f, plugin.entry_point) for name, f in namespace.by_name().items()}
                summary = self.summary(plugin.path, INSTALLED)
                if summary is not None:
                    for entry in summary.plugins:
                        target = find_module_file(entry)
                        if target is not None:
                            for name, f in self.namespace(target, INSTALLED).by_name().items():
                                fixtures.setdefault(name, _as_installed(f, plugin.entry_point))
                layers.append(Layer("installed", fixtures, plugin.path, plugin.entry_point))
            self._installed = layers
        disabled = {name[3:] for name in pytest.plugins if name.startswith("no:")}
        if not disabled:
            return self._installed
        modules = {p.entry_point: p.module for p in installed_plugins()}
        return [layer for layer in self._installed
                if layer.owner not in disabled and modules.get(layer.owner or "") not in disabled]

    def builtin_layer(self, pytest: PytestConfig, pytester: bool) -> Layer:
        disabled = {name[3:] for name in pytest.plugins if name.startswith("no:")}
        fixtures = {
            name: FixtureDef(name, name, name, None, 0, scope=scope, origin="builtin", plugin=plugin or "pytest")
            for name, (scope, plugin) in BUILTIN_FIXTURES.items()
            if not plugin or plugin not in disabled
        }
        if pytester or any(p in PYTESTER_PLUGIN_NAMES for p in pytest.plugins):
            for name, scope in PYTESTER_FIXTURES.items():
                fixtures[name] = FixtureDef(name, name, name, None, 0, scope=scope, origin="builtin", plugin="pytester")
        return Layer("builtin", fixtures)

    # -- the last resort: known plugins and plugins loaded elsewhere in the suite ------------
    def last_resort(self, ctx: FileContext, name: str) -> Lookup:
        found = self.known_fixtures(ctx).get(name)
        if found is not None:
            return found
        suite_plugins = self.suite_plugin_fixtures(ctx)
        if suite_plugins is None:
            return UNKNOWN
        found = suite_plugins.get(name)
        if found is not None:
            return found
        if self.unknown_plugins(ctx) and not self.suite(ctx).definitions_of(name):
            return UNKNOWN  # a declared plugin we know nothing about may provide it
        return None

    def unknown_plugins(self, ctx: FileContext) -> set[str]:
        """Declared ``pytest-*`` distributions that are neither installed nor known."""
        installed = {normalize(p.distribution) for p in installed_plugins()}
        return {
            name for name in self.declared(ctx).plugin_distributions()
            if name not in installed and known_plugin_named(name) is None and not is_fixtureless(name)
        }

    def known_names(self, ctx: FileContext) -> set[str]:
        """Known-plugin fixtures worth suggesting: those of plugins the project shows it uses."""
        names: set[str] = set()
        for plugin in self.evidenced_plugins(ctx):
            names |= set(plugin.all_fixtures)
        return names

    def declared(self, ctx: FileContext) -> DeclaredDependencies:
        rootdir = resolved(ctx.pytest.rootdir)
        found = self._declared.get(rootdir)
        if found is None:
            found = self._declared[rootdir] = declared_dependencies(rootdir)
        return found

    def known_fixtures(self, ctx: FileContext) -> dict[str, FixtureDef]:
        """Fixtures of the known-plugin table this project can use (see known_fixtures.py)."""
        rootdir = resolved(ctx.pytest.rootdir)
        cached = self._known.get(rootdir)
        if cached is not None:
            return cached
        evidenced = self.evidenced_plugins(ctx)
        result: dict[str, FixtureDef] = {}
        for plugin in KNOWN_PLUGINS:
            for name, fixture in _known_fixtures(plugin, include_generic=plugin in evidenced).items():
                result.setdefault(name, fixture)
        self._known[rootdir] = result
        return result

    def evidenced_plugins(self, ctx: FileContext) -> list[KnownPlugin]:
        """Known plugins the project shows it uses (declared, configured, imported)."""
        rootdir = resolved(ctx.pytest.rootdir)
        cached = self._evidenced.get(rootdir)
        if cached is not None:
            return cached
        declared = self.declared(ctx)
        _dependencies(ctx).update(declared.files)
        found: list[KnownPlugin] = []
        suite: SuiteView | None = None
        for plugin in KNOWN_PLUGINS:
            if self._plugin_evidenced(plugin, ctx, declared):
                found.append(plugin)
                continue
            if suite is None:
                suite = self.suite(ctx)
            imports = {m.split(".", 1)[0] for m in plugin.modules} | set(plugin.frameworks)
            if suite.imported_modules & imports:
                found.append(plugin)
        self._evidenced[rootdir] = found
        return found

    def _plugin_evidenced(self, plugin: KnownPlugin, ctx: FileContext, declared: DeclaredDependencies) -> bool:
        if any(declared.declares(name) for name in (plugin.name, *plugin.other_names)):
            return True
        if any(key in ctx.pytest.ini for key in plugin.ini_keys):
            return True
        required = " ".join(ctx.pytest.get_list("required_plugins") or ())
        if plugin.name in required:
            return True
        return any(p in plugin.modules for p in ctx.pytest.plugins)

    def suite(self, ctx: FileContext) -> SuiteView:
        from suitelint.pytest_model.suite import build_suite

        rootdir = resolved(ctx.pytest.rootdir)
        view = self._suites.get(rootdir)
        if view is None:
            check_ready(self.workspace)  # (a run that defers builds the view once every file is summarised)
            view = self._suites[rootdir] = build_suite(self, ctx.pytest)
        _summary_dependencies(ctx).update(view.files)
        return view

    def suite_plugin_fixtures(self, ctx: FileContext) -> dict[str, FixtureDef] | None:
        """Fixtures of plugins any file of the suite loads (None: some cannot be seen)."""
        rootdir = resolved(ctx.pytest.rootdir)
        if rootdir in self._suite_plugins:
            return self._suite_plugins[rootdir]
        suite = self.suite(ctx)
        result: dict[str, FixtureDef] | None = None
        if suite.complete:
            found: dict[str, FixtureDef] = {}
            queue = [(entry, importer, False) for entry, importer in suite.plugin_entries]
            seen: set[str] = set()
            opaque = False
            while queue and not opaque:
                entry, importer, _ = queue.pop(0)
                if entry in seen:
                    continue
                seen.add(entry)
                layer, nested, _files = self.plugin_layer(entry, importer)
                if layer is None:
                    continue
                opaque = layer.opaque
                for name, fixture in layer.fixtures.items():
                    found.setdefault(name, fixture)
                queue.extend(nested)
            result = None if opaque else found
        self._suite_plugins[rootdir] = result
        return result

    # -- roles -----------------------------------------------------------------------------
    def plugin_files(self, path: Path) -> set[Path]:
        """Project files that ``pytest_plugins`` or ``-p`` name, for the rootdir governing ``path``."""
        from suitelint.pytest_model.suite import plugin_module_files

        return plugin_module_files(self, path)


def _known_fixtures(plugin: KnownPlugin, *, include_generic: bool) -> dict[str, FixtureDef]:
    table = plugin.all_fixtures if include_generic else plugin.fixtures
    return {name: FixtureDef(name, name, name, None, 0, scope=scope, origin="known", plugin=plugin.name)
            for name, scope in table.items()}


def _as_installed(fixture: FixtureDef, plugin: str) -> FixtureDef:
    from dataclasses import replace

    return replace(fixture, origin="installed", plugin=plugin)


def _harmless_star(module: str) -> bool:
    """Star imports that cannot bring fixtures (stdlib-ish names)."""
    return module.split(".", 1)[0] in {"typing", "os", "math", "enum", "dataclasses", "collections",
                                        "itertools", "functools", "re", "json"}


def _is_project_file(path: Path) -> bool:
    return "site-packages" not in path.parts and "dist-packages" not in path.parts


def _dependencies(ctx: FileContext) -> set[Path]:
    """Files whose whole content the findings of ``ctx`` depend on."""
    deps = getattr(ctx, "dependencies", None)
    if deps is None:
        deps = set()
        ctx.dependencies = deps  # type: ignore[attr-defined]
    return deps


def _summary_dependencies(ctx: FileContext) -> SummaryDependencies:
    """Files the findings of ``ctx`` depend on only through their fixture summaries."""
    deps = getattr(ctx, "summary_dependencies", None)
    if deps is None:
        deps = SummaryDependencies()
        ctx.summary_dependencies = deps  # type: ignore[attr-defined]
    return deps


def definition_of(summary: ModuleSummary, function: str, owner: str | None) -> FixtureDef | None:
    """The definition a fixture function of the summarised module gives (class ``owner`` or module level)."""
    if owner:
        cls = summary.classes.get(owner)
        return cls.fixtures.get(function) if cls is not None else None
    return summary.fixtures.get(function)


def rootdir_relative(path: Path, rootdir: Path) -> str:
    """A path for messages: relative to the pytest rootdir, POSIX (the same from every front end)."""
    try:
        return path.relative_to(rootdir).as_posix()
    except ValueError:
        return path.as_posix()


def plugin_files_hook(workspace: Workspace) -> Callable[[Path], set[Path]]:
    """What ``Workspace.role_of`` asks to tell pytest plugin modules (``pytest_plugins``, ``-p``) apart."""

    def plugin_files(path: Path) -> set[Path]:
        return fixture_index(workspace).plugin_files(path)

    return plugin_files
