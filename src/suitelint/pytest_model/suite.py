"""The suite-wide view: every conftest.py, test module and fixture module under a rootdir.

Built lazily, once per rootdir and process, only when a rule needs it
(unused and duplicate fixtures, and the "defined elsewhere" part of an
unknown-fixture message).  It always reads from disk, whatever files were
named on the command line, so that ``suitelint check tests/x/test_y.py``
reports for that file what a full run reports.

Directories are walked the way pytest recurses: hidden directories,
``norecursedirs`` (pytest's defaults when unset), virtual environments and
the usual build/cache directories are skipped.  Files read: every
``conftest.py``, every file matching ``python_files``, every other ``.py``
file inside a ``tests``/``test``/``testing`` directory, a ``testpaths``
directory or a directory with its own ``conftest.py`` (fixture modules,
benchmarks run by path), and the project modules named by
``pytest_plugins`` or star-imported by a conftest.  A suite larger than
:data:`MAX_FILES` files or :data:`MAX_DIRECTORIES` directories is marked
incomplete, and rules that need completeness stay silent.
"""

from __future__ import annotations

import fnmatch
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from suitelint.pytest_model.fixture_defs import FixtureDef, ModuleSummary, resolved

if TYPE_CHECKING:
    from suitelint.pytest_model.fixtures import FixtureIndex
    from suitelint.pytest_model.ini import PytestConfig

MAX_FILES = 20_000
MAX_DIRECTORIES = 20_000
DEFAULT_NORECURSEDIRS = ("*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}")
ALWAYS_SKIPPED = frozenset({"__pycache__", "site-packages", "dist-packages", "node_modules", ".git", ".tox",
                            ".nox", ".venv", "venv", ".mypy_cache", ".pytest_cache", ".ruff_cache",
                            "__pypackages__", ".eggs"})
TEST_DIR_NAMES = frozenset({"tests", "test", "testing"})


@dataclass
class SuiteView:
    rootdir: Path
    complete: bool
    summaries: dict[Path, ModuleSummary] = field(default_factory=dict)
    roles: dict[Path, str] = field(default_factory=dict)  # conftest | test | fixtures
    definitions: dict[str, list[FixtureDef]] = field(default_factory=dict)
    requested: set[str] = field(default_factory=set)
    dynamic_lookup: bool = False
    plugin_entries: list[tuple[str, Path]] = field(default_factory=list)
    plugin_files: set[Path] = field(default_factory=set)
    imported_modules: set[str] = field(default_factory=set)
    base_names: set[str] = field(default_factory=set)
    _by_body: dict[str, list[FixtureDef]] | None = field(default=None, repr=False, compare=False)
    _files: frozenset[Path] | None = field(default=None, repr=False, compare=False)

    @property
    def files(self) -> frozenset[Path]:
        """Every file summarised (one object per view: a dependency group shared by every checked file)."""
        if self._files is None or len(self._files) != len(self.summaries):
            self._files = frozenset(self.summaries)
        return self._files

    def definitions_of(self, name: str) -> list[FixtureDef]:
        return self.definitions.get(name, [])

    def definitions_with_body(self, body_key: str) -> list[FixtureDef]:
        """Definitions whose normalised body is ``body_key``, in the order of :attr:`definitions`."""
        if self._by_body is None:
            by_body: dict[str, list[FixtureDef]] = {}
            for definitions in self.definitions.values():
                for fixture in definitions:
                    if fixture.body_key is not None:
                        by_body.setdefault(fixture.body_key, []).append(fixture)
            self._by_body = by_body
        return self._by_body.get(body_key, [])

    def _under(self, directory: Path) -> list[tuple[Path, ModuleSummary]]:
        return [(p, s) for p, s in self.summaries.items() if directory == p.parent or directory in p.parents]

    def defined_under(self, name: str, directory: Path) -> bool:
        return any(
            (d.path is not None and (directory == d.path.parent or directory in d.path.parents))
            for d in self.definitions_of(name)
        )

    def parametrized_under(self, name: str, directory: Path) -> bool:
        return any(s.facts is not None and name in s.facts.parametrized for _, s in self._under(directory))

    def generated_under(self, directory: Path) -> tuple[set[str], bool]:
        """Argnames ``pytest_generate_tests`` hooks under ``directory`` provide, and whether any is dynamic."""
        names: set[str] = set()
        dynamic = False
        for _, summary in self._under(directory):
            if summary.generate_tests is not None:
                names |= summary.generate_tests.argnames
                dynamic = dynamic or summary.generate_tests.dynamic
        return names, dynamic


def candidate_files(pytest: PytestConfig) -> tuple[list[Path], bool]:
    """Test-related Python files under the rootdir (and whether the walk finished)."""
    rootdir = resolved(pytest.rootdir)
    norecurse = tuple(pytest.get_list("norecursedirs") or DEFAULT_NORECURSEDIRS)
    testpaths = [(rootdir / p).resolve() for p in pytest.testpaths]
    found: list[Path] = []
    complete = True
    conftest_dirs: list[Path] = []
    for visited, (current, dirnames, filenames) in enumerate(os.walk(rootdir)):
        if visited >= MAX_DIRECTORIES:
            return found, False
        directory = Path(current)
        kept = []
        for name in sorted(dirnames):
            if name in ALWAYS_SKIPPED or any(_norecurse(directory / name, pattern) for pattern in norecurse):
                continue
            if (directory / name / "pyvenv.cfg").exists():
                continue
            kept.append(name)
        dirnames[:] = kept
        relative_parts = directory.relative_to(rootdir).parts
        if "conftest.py" in filenames and directory != rootdir:
            conftest_dirs.append(directory)
        in_test_dir = bool(TEST_DIR_NAMES & set(relative_parts)) or any(
            directory == t or t in directory.parents for t in (*testpaths, *conftest_dirs)
        )
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            path = directory / name
            if name == "conftest.py" or in_test_dir or pytest.matches_python_files(path):
                found.append(path)
                if len(found) >= MAX_FILES:
                    return found, False
    return found, complete


def _norecurse(path: Path, pattern: str) -> bool:
    """pytest's ``fnmatch_ex``: a pattern with a slash matches the end of the full path."""
    if "/" not in pattern and os.sep not in pattern:
        return fnmatch.fnmatch(path.name, pattern)
    return fnmatch.fnmatch(path.as_posix(), pattern if pattern.startswith("/") else "*/" + pattern)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a while (as it was before, after).

    Summarising a suite parses every file of it: millions of short-lived,
    acyclic syntax-tree nodes that reference counting frees; the collector's
    passes over them are pure cost (about a tenth of the build).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_suite(index: FixtureIndex, pytest: PytestConfig) -> SuiteView:
    with _collector_paused():
        return _build_suite(index, pytest)


def _build_suite(index: FixtureIndex, pytest: PytestConfig) -> SuiteView:
    files, complete = candidate_files(pytest)
    view = SuiteView(rootdir=resolved(pytest.rootdir), complete=complete)
    for path, summary in zip(files, index.summaries(files, view.rootdir)):
        if summary is None:
            continue
        role = "conftest" if path.name == "conftest.py" else "test" if pytest.matches_python_files(path) else "fixtures"
        _add(view, path, summary, role)
    # project modules reached through pytest_plugins and conftest star imports
    queue: list[tuple[str, Path]] = []
    for path, summary in list(view.summaries.items()):
        queue.extend((entry, path) for entry in summary.plugins)
        if view.roles.get(path) == "conftest":
            for module in summary.star_imports:
                target = index.resolve_module(module, path, "project")
                if target is not None and target not in view.summaries:
                    other = index.summary(target)
                    if other is not None:
                        _add(view, target, other, "fixtures")
    seen: set[str] = set()
    while queue:
        entry, importer = queue.pop(0)
        view.plugin_entries.append((entry, importer))
        if entry in seen:
            continue
        seen.add(entry)
        target = index.resolve_module(entry, importer, "project")
        if target is None:
            continue
        view.plugin_files.add(target)
        summary = index.summary(target)
        if summary is None:
            continue
        if target not in view.summaries:
            _add(view, target, summary, "plugin")
        else:
            view.roles[target] = "plugin"
        queue.extend((nested, target) for nested in summary.plugins)
    view.requested.update(pytest.get_list("usefixtures") or ())
    return view


def _add(view: SuiteView, path: Path, summary: ModuleSummary, role: str) -> None:
    view.summaries[path] = summary
    view.roles[path] = role
    for fixture in summary.fixtures.values():
        view.definitions.setdefault(fixture.name, []).append(fixture)
    for cls in summary.classes.values():
        for fixture in cls.fixtures.values():
            view.definitions.setdefault(fixture.name, []).append(fixture)
    facts = summary.facts
    if facts is None:
        return
    view.requested |= facts.used_names
    view.dynamic_lookup = view.dynamic_lookup or facts.dynamic_fixture_lookup
    view.imported_modules |= facts.imported_modules
    view.base_names |= facts.base_names


def plugin_module_files(index: FixtureIndex, path: Path) -> set[Path]:
    """Project files named by ``pytest_plugins`` in conftests (or ``-p``), for the role of ``path``."""
    pytest = index.workspace.pytest_for(path)
    rootdir = resolved(pytest.rootdir)
    cache: dict[Path, set[Path]] = index.workspace.extensions.setdefault("plugin_files_by_rootdir", {})
    found = cache.get(rootdir)
    if found is not None:
        return found
    files, _ = candidate_files(pytest)
    conftests = [f for f in files if f.name == "conftest.py"]
    found = set()
    queue: list[tuple[str, Path]] = []
    for conftest in conftests:
        summary = index.summary(conftest)
        if summary is not None:
            queue.extend((entry, conftest) for entry in summary.plugins)
    anchor = pytest.inifile or rootdir
    queue.extend((name, anchor) for name in pytest.plugins if not name.startswith("no:"))
    seen: set[str] = set()
    while queue:
        entry, importer = queue.pop(0)
        if entry in seen:
            continue
        seen.add(entry)
        target = index.resolve_module(entry, importer, "project")
        if target is None:
            continue
        found.add(target)
        summary = index.summary(target)
        if summary is not None:
            queue.extend((nested, target) for nested in summary.plugins)
    cache[rootdir] = found
    return found
