"""Suite-wide views built lazily from every module's summary (cached on disk).

- :func:`project_files`: every ``.py`` file under the project roots, minus
  excluded directories (suitelint's ``exclude``/``extend-exclude``, hidden
  directories, virtual environments, caches);
- :class:`EnvRead`: an environment variable read somewhere in the project
  (the index of every one, for TST408, is built by
  :mod:`suitelint.rules.isolation.env_reads`, which parses only the files
  that can read one);
- :func:`module_names`: under which dotted names test code (and the project
  modules it imports) imports each project file: TST404; :func:`nested_roots`
  tells, from the file system alone, whether any file can have two names.

Each is built once per project model (one walk of the tree; summaries come
from the cache) and reports the files it read, so findings that depend on it
are invalidated when any of them changes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from suitelint.core.deferral import check_ready
from suitelint.core.rule import TEST_CODE
from suitelint.project.graph import ModuleNode, ProjectModel

PRUNED = frozenset({"__pycache__", "node_modules", "site-packages", ".suitelint_cache"})


@dataclass(frozen=True)
class EnvRead:
    name: str  # as read (original case)
    path: Path
    line: int
    via: str  # "" for a direct read, else "field `x` of `Settings`"


def project_files(model: ProjectModel) -> list[Path]:
    """Every Python file under the project's roots, sorted (excluded directories pruned)."""
    memo = model.memo.setdefault("suite", {})
    found = memo.get("files")
    if found is None:
        found = memo["files"] = _walk_roots(model)
    return found


def _walk_roots(model: ProjectModel) -> list[Path]:
    roots = sorted(set(model.modules.roots), key=lambda p: len(p.parts))
    walked: list[Path] = []
    files: set[Path] = set()
    for root in roots:
        if any(root == w or w in root.parents for w in walked) or not root.is_dir():
            continue
        walked.append(root)
        settings = model.workspace.settings_for(root)
        for directory, dirnames, filenames in os.walk(root):
            current = Path(directory)
            kept = []
            for name in sorted(dirnames):
                if name.startswith(".") or name in PRUNED:
                    continue
                if settings.is_excluded(_relative(current / name, settings.root)):
                    continue
                kept.append(name)
            dirnames[:] = kept
            for name in filenames:
                if name.endswith(".py"):
                    path = current / name
                    if not settings.is_excluded(_relative(path, settings.root)):
                        files.add(path)
    return sorted(files)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def node_of(model: ProjectModel, path: Path) -> ModuleNode:
    """A project file's node under its first name from the roots (else pytest's name)."""
    names = model.modules.names_for(path)
    if names:
        located = model.locate(names[0])
        if located is not None and located.path == path:
            return located
    return model.node_for_file(path, model.workspace.module_name(path))


def is_test_code(model: ProjectModel, path: Path) -> bool:
    return model.workspace.role_of(path) in TEST_CODE


def name_roots(model: ProjectModel) -> frozenset[Path]:
    """Every directory a dotted name of a project file can be relative to (no parsing).

    The project roots, and the root of each test file's own name (pytest's
    base directory for it).  Every module node of the import graph has one
    of these as its root: nodes are reached from test files, through the
    roots, or relative to the root of the importing node.
    """
    memo = model.memo.setdefault("suite", {})
    found = memo.get("name_roots")
    if found is None:
        roots = set(model.modules.roots)
        for path in project_files(model):
            if is_test_code(model, path):
                roots.add(model.node_for_file(path, model.workspace.module_name(path)).root)
        found = memo["name_roots"] = frozenset(roots)
    return found


def nested_roots(model: ProjectModel, extra: Path) -> bool:
    """Whether any file can be importable under two dotted names: one name root inside another.

    A file's dotted name is its path relative to the root it is reached
    from, so two names for one file need two roots, one inside the other.
    ``extra`` is the root of the checked file's own node.
    """
    roots = name_roots(model) | {extra}
    return any(parent in roots for root in roots for parent in root.parents)


@dataclass(frozen=True)
class ImportedAs:
    name: str  # the dotted name
    path: Path  # the importing file
    line: int


def module_names(model: ProjectModel, deps: set[Path]) -> dict[Path, dict[str, ImportedAs]]:
    """For each project file, the dotted names test code imports it under (with one place each).

    Test code's own imports (module level and inside functions), then, through
    the import graph, the imports of every project module they run.
    """
    memo = model.memo.setdefault("suite", {})
    entry = memo.get("module_names")
    if entry is None:
        check_ready(model.workspace)  # (reads the summary of every test module)
        names: dict[Path, dict[str, ImportedAs]] = {}
        read_deps: set[Path] = set()
        with model.track(read_deps):
            queue: list[ModuleNode] = []
            seen: set[ModuleNode] = set()

            def record(target: ModuleNode, where: Path, line: int) -> None:
                for module in (*model.runs(target), target):
                    names.setdefault(module.path, {}).setdefault(module.name, ImportedAs(module.name, where, line))
                    if module not in seen:
                        seen.add(module)
                        queue.append(module)

            for path in project_files(model):
                if not is_test_code(model, path):
                    continue
                origin = model.node_for_file(path, model.workspace.module_name(path))
                for site in model.summary(path).imports:
                    if site.where == "type_checking":
                        continue
                    targets, _ = model.import_targets(origin, site)
                    for target in targets:
                        record(target, path, site.loc.line)
            while queue:
                module = queue.pop()
                for site in model.summary(module).imports:
                    if not site.runs_at_import:
                        continue
                    targets, _ = model.import_targets(module, site)
                    for target in targets:
                        record(target, module.path, site.loc.line)
        entry = memo["module_names"] = (names, read_deps)
    deps.update(entry[1])
    return entry[0]
