"""Can test code import a project file under a given dotted name?  Decided from the text (TST404).

TST404 compares the names a file is imported under with every name test
code (and the project modules it runs) imports it under:
:func:`suitelint.project.suite.module_names`, which summarizes every test
file and every module they reach.  Most projects never import a file under
a second name, and this module proves it without parsing anything.

A file ``root/a/b/c.py`` can only be reached as ``a.b.c``, ``b.c``... (its
path relative to one of the roots dotted names are relative to, see
:func:`suitelint.project.suite.name_roots`).  The import graph creates a
module named ``a.b.c`` only through

- an absolute import naming ``a.b.c`` or a module below it (``import
  a.b.c.d``: importing a module runs its parent packages), or importing from
  its parent package (``from a.b import c``);
- the same through a relative import, resolved against the name of its
  module under each root.

So when no module the graph can reach has such an import, the name is never
recorded.  The modules the graph can reach are the project's files
(:func:`~suitelint.project.suite.project_files`) and files below
directories the project walk skips (excluded ones such as ``build``,
symbolic links); those are reachable only through an import spelling the
directory's name, so the proof gives up when any project file spells it.
It also gives up when a root lies outside the walked tree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from suitelint.project.cache import summary_memory
from suitelint.project.suite import PRUNED, is_test_code, name_roots, project_files
from suitelint.project.summary import resolve_relative
from suitelint.rules.isolation.source_text import PREFIX, TEXTS, import_facts, mentioned

if TYPE_CHECKING:
    from suitelint.project.graph import ModuleNode, ProjectModel

MEMO = f"{PREFIX}imported_names"


@dataclass(frozen=True)
class ImportedNames:
    modules: frozenset[str]  # every module name an absolute import of a reachable file may run (parents too)
    bases: frozenset[str]  # modules a reachable file may import from (`from a.b import c` may run `a.b.c`)
    files: frozenset[Path]  # the files read (what the answer depends on)
    complete: bool  # False: some reachable file may have been missed, nothing can be ruled out


def other_names(target: ModuleNode, roots: frozenset[Path]) -> set[str]:
    """The dotted names other than ``target.name`` the target's file can have under ``roots``."""
    return set(_names_of(target.path, roots)) - {target.name}


def may_be_imported_as(model: ProjectModel, name: str) -> bool:
    """Whether the import graph may create a module named ``name``."""
    scan = imported_names(model)
    parent, _, _ = name.rpartition(".")
    return not scan.complete or name in scan.modules or parent in scan.bases


def imports_one_name_only(model: ProjectModel, path: Path, text: str) -> bool:
    """Whether test file ``path`` (checked with ``text``) cannot import any file under a second name.

    Decided without the file's own summary: when no project file can be
    reached under two possible names at all, a test file (whose own imports
    are among those recorded) imports each file under the one name it has.
    False ("cannot tell") when the file's summary is already built (the
    rule's own check is then as cheap), when it is not one of the test
    files the index starts from, or when its facts were read from another
    text.
    """
    if path in summary_memory(model.workspace):
        return False
    memo = model.memo.setdefault(MEMO, {})
    seeds: frozenset[Path] | None = memo.get("seeds")
    if seeds is None:
        seeds = memo["seeds"] = frozenset(p for p in project_files(model) if is_test_code(model, p))
    if path not in seeds or not imported_names(model).complete:
        return False
    if model.memo.get(TEXTS, {}).get(path) != hash(text):
        return False
    ambiguous: bool | None = memo.get("ambiguous")
    if ambiguous is None:
        roots = name_roots(model)
        ambiguous = memo["ambiguous"] = any(
            sum(1 for name in _names_of(file, roots) if may_be_imported_as(model, name)) > 1
            for file in imported_names(model).files)
    return not ambiguous


def imported_names(model: ProjectModel) -> ImportedNames:
    """What the import statements of every file the import graph can reach may name (memoized)."""
    memo = model.memo.setdefault(MEMO, {})
    found: ImportedNames | None = memo.get("scan")
    if found is None:
        found = memo["scan"] = _scan(model)
    return found


def _scan(model: ProjectModel) -> ImportedNames:
    roots = name_roots(model)
    walked: list[Path] = []  # the outermost project roots (as the project walk goes)
    for root in sorted(set(model.modules.roots), key=lambda p: len(p.parts)):
        if root.is_dir() and not any(top in root.parents for top in walked):
            walked.append(root)
    complete = all(any(root == top or top in root.parents for top in walked) for root in roots)
    files: dict[Path, None] = dict.fromkeys(project_files(model))
    skipped: dict[str, list[Path]] = {}
    for top in walked:
        _walk(model, top, files, skipped)
    paths = list(files)
    if complete and skipped:
        for name in mentioned(model, paths, set(skipped)):
            if any(_holds_python(directory) for directory in skipped[name]):
                complete = False
    named: set[str] = set()
    bases: set[str] = set()
    for path in paths:
        facts = import_facts(model, path)
        if facts is None:
            continue
        named |= facts.modules
        bases |= facts.bases
        for level, module in facts.relative:
            for name in _names_of(path, roots):
                absolute = resolve_relative(level, module or None, name, path.name == "__init__.py")
                if absolute is not None:
                    named.add(absolute)
                    bases.add(absolute)
    modules: set[str] = set()
    for module in named:
        parts = module.split(".")
        modules.update(".".join(parts[:index]) for index in range(1, len(parts) + 1))
    return ImportedNames(frozenset(modules), frozenset(bases), frozenset(paths), complete)


def _names_of(path: Path, roots: frozenset[Path]) -> list[str]:
    """The dotted names of a file under each root that holds it."""
    names: list[str] = []
    for root in roots:
        try:
            parts = list(path.relative_to(root).with_suffix("").parts)
        except ValueError:
            continue
        if parts and parts[-1] == "__init__":
            parts.pop()
        if parts:
            names.append(".".join(parts))
    return names


def _walk(model: ProjectModel, top: Path, files: dict[Path, None], skipped: dict[str, list[Path]]) -> None:
    """Add the ``.py`` files below ``top`` (as the project walk does); note the directories not entered.

    Like :func:`~suitelint.project.suite.project_files`, hidden, pruned and
    excluded directories and symbolic links are not entered; the names of
    those that can be part of a dotted name are noted in ``skipped``.
    """
    settings = model.workspace.settings_for(top)
    for directory, dirnames, filenames in os.walk(top):
        current = Path(directory)
        kept = []
        for name in dirnames:
            path = current / name
            if name.startswith(".") or name in PRUNED or path.is_symlink() \
                    or settings.is_excluded(_relative(path, settings.root)):
                if name.isidentifier():
                    skipped.setdefault(name, []).append(path)
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            if name.endswith(".py"):
                files.setdefault(current / name)


def _holds_python(directory: Path) -> bool:
    """Whether a directory not walked holds a ``.py`` file (a symbolic link inside: assume it does)."""
    for current, dirnames, filenames in os.walk(directory):
        if any(name.endswith(".py") for name in filenames):
            return True
        if any(os.path.islink(os.path.join(current, name)) for name in dirnames):
            return True
    return False


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
