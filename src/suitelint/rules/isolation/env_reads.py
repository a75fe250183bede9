"""Every environment variable project code reads (TST408), summarizing only the files that can add one.

The index: the reads of every project file (``os.environ[...]``, ``.get``,
``getenv``, ``in os.environ``), and the names every pydantic-settings class
reads (env prefix + field name, or ``validation_alias``/``alias``/``env=``).  But
a file that never spells the name ``environ`` or ``getenv`` reads nothing, and only
the files that can hold a settings class need their classes looked at (see
:func:`_settings_files`).  The other files are never parsed: in a suite of
a thousand test files, a dozen may touch the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from suitelint.core.deferral import check_ready
from suitelint.project.cache import summary_memory
from suitelint.project.settings_classes import settings_class
from suitelint.project.suite import EnvRead, node_of, project_files
from suitelint.rules.isolation.source_text import (
    PREFIX,
    normalized,
    spelled,
    text_of,
    word_facts,
)

if TYPE_CHECKING:
    from suitelint.project.graph import ProjectModel

MEMO = f"{PREFIX}env_reads"


def env_reads(model: ProjectModel, deps: set[Path]) -> dict[str, list[EnvRead]]:
    """Environment variables read anywhere in the project, by upper-cased name (memoized)."""
    memo = model.memo.setdefault(MEMO, {})
    entry = memo.get("index")
    if entry is None:
        check_ready(model.workspace)  # (reads every project file; a run that defers builds it at the end)
        files = project_files(model)
        read_deps: set[Path] = set(files)  # any of them may start reading a variable
        with model.track(read_deps):
            entry = memo["index"] = (_index(model, files), read_deps)
    deps.update(entry[1])
    return entry[0]


def _index(model: ProjectModel, files: list[Path]) -> dict[str, list[EnvRead]]:
    holders = _settings_files(model, files)
    index: dict[str, list[EnvRead]] = {}
    for path in files:
        facts = word_facts(model, path)
        if facts is None or not (facts.env or path in holders):
            continue  # unreadable (no summary either), or reads nothing and holds no settings class
        summary = model.summary(path)
        for read in summary.env_reads:
            if read.name:
                index.setdefault(read.name.upper(), []).append(EnvRead(read.name, path, read.loc.line, ""))
        if path not in holders:
            continue
        node = node_of(model, path)
        for cls in summary.classes.values():
            settings = settings_class(model, node, cls.name) if any(b for b in cls.bases) else None
            if settings is None:
                continue
            own = {f.name for f in cls.fields}
            for name, field in settings.all_env_names():
                via = f"field `{field.name}` of `{cls.name}`"
                line = field.line if field.name in own else cls.loc.line
                index.setdefault(name.upper(), []).append(EnvRead(name, path, line, via))
    return index


def _settings_files(model: ProjectModel, files: list[Path]) -> set[Path]:
    """The files that define a pydantic-settings class.

    A settings class inherits from a pydantic-settings base, directly (its
    file spells ``Settings``) or through project classes.  A base written
    ``b`` or ``x.b`` denotes a project class named ``b``, or one imported
    under the alias ``b`` (``from m import Settings as b``, maybe through
    re-exports).  So starting from the files spelling ``Settings``, the
    files worth a look are those spelling the name of a settings class
    found so far, or an alias of one, until no new name turns up.
    """
    holders: set[Path] = set()
    names: set[str] = set()
    searched: set[str] = set()
    pending = [path for path in files if (facts := word_facts(model, path)) is not None and facts.settings]
    while pending:
        for path in pending:
            _examine(model, path, names, holders)
        words = names - searched
        searched |= words
        pending = [path for path in files if words and _spells_any(model, path, words)]
    return holders


def _examine(model: ProjectModel, path: Path, names: set[str], holders: set[Path]) -> None:
    """Note the settings classes of a file, and the names it binds to one."""
    summary = model.summary(path)
    node = node_of(model, path)
    for cls in summary.classes.values():
        if any(b for b in cls.bases) and settings_class(model, node, cls.name) is not None:
            names.add(cls.name)
            holders.add(path)
    for bound, target in summary.bindings.items():
        if _last(target) in names:
            names.add(bound)


def _spells_any(model: ProjectModel, path: Path, words: set[str]) -> bool:
    """Whether a file may name one of ``words`` in a class base or an import (its text, or its summary)."""
    summary = summary_memory(model.workspace).get(path)
    if summary is not None:
        return any(_last(target) in words for target in summary.bindings.values()) or any(
            base is not None and _last(base) in words for cls in summary.classes.values() for base in cls.bases)
    text = text_of(model.workspace, path)
    return text is not None and bool(spelled(normalized(text), words))


def _last(encoded: str) -> str:
    """The last name of an encoded qualified name (``":Local"``, ``".base.AppSettings"``, ``"m.Settings"``)."""
    return encoded.rsplit(".", 1)[-1].lstrip(":")
