"""What a project file can contain, decided from its text without parsing it.

The project-wide indexes of TST404 and TST408 need a summary (a parse) of
every project file, yet most files cannot contribute anything to them: a
file that never spells the name ``environ`` or ``getenv`` reads no
environment variable, and a file whose import statements never name
``tests.util`` (nor a module below it) cannot import ``tests.util``.
:class:`WordFacts` and :class:`ImportFacts` record such facts from a
file's text; the indexes summarize only the files the facts do not rule
out.

Every fact over-approximates what the summary (stdlib ``ast``) would find:
words are searched in comments and strings too, and identifiers are
compared after NFKC normalization, as Python compares them.  A fact may say
"possible" for nothing; it never says "impossible" for something the parser
would see.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from suitelint.core.source import SourceProblem, decode

if TYPE_CHECKING:
    from suitelint.core.workspace import Workspace
    from suitelint.project.graph import ProjectModel
    from suitelint.project.summary import ModuleSummary

PREFIX = "isolation:"  # the memos of model.memo the isolation rules own
WORDS = f"{PREFIX}word_facts"
IMPORTS = f"{PREFIX}import_facts"
TEXTS = f"{PREFIX}text_hashes"  # hash of the text the facts of a file were read from
F = TypeVar("F")
# names without which a module reads no environment variable (os.environ[...], .get, getenv, in os.environ)
ENV_WORDS = ("environ", "getenv")
_ENV_NAME = re.compile(r"(?<!\w)(?:environ|getenv)(?!\w)")  # as whole names (not `environment`)
# a word every pydantic-settings base spells (`BaseSettings`, or an installed base named `...Settings...`)
SETTINGS_WORD = "Settings"

_WS = r"(?:[ \t\f]|\\\n)"  # whitespace inside a logical line, backslash continuations included
# an identifier other than the keywords of import statements (so that a match in a comment or a
# string never swallows the keyword of a real statement that follows it)
_NAME = r"(?!(?:import|from|as)\b)[^\W\d]\w*"
_DOTTED = rf"{_NAME}(?:{_WS}*\.{_WS}*{_NAME})*"
_ALIASED = rf"{_DOTTED}(?:{_WS}+as{_WS}+{_NAME})?"
# at an `import` keyword: the names of `import a.b as c, d` (or of `from x import y, z`)
_IMPORT_NAMES = re.compile(rf"\bimport\b{_WS}*(?P<names>{_ALIASED}(?:{_WS}*,{_WS}*{_ALIASED})*)?")
_MODULE = re.compile(rf"(?:^|,){_WS}*({_DOTTED})")  # each dotted name of such a list
_SPACES = re.compile(r"[ \t\f\\\n]")
# from a `from` keyword up to the `import` keyword of the same statement
_FROM_HEAD = re.compile(rf"\bfrom\b{_WS}*(?P<dots>(?:\.{_WS}*)*)(?P<module>{_DOTTED})?{_WS}*")
# a character that cannot stand between `from` and `import` (a new line ends the statement)
_NOT_IN_FROM_HEAD = re.compile(r"[^\w.\\ \t\f\n]|(?<!\\)\n")


@dataclass(frozen=True)
class WordFacts:
    """What a file may hold, from words it spells (TST408)."""

    env: bool  # may read an environment variable
    settings: bool  # may define a class whose base is a pydantic-settings base


@dataclass(frozen=True)
class ImportFacts:
    """What a file's import statements may name (TST404)."""

    modules: frozenset[str]  # absolute module names (`a.b` of `import a.b`, of `from a.b import c`)
    bases: frozenset[str]  # of them, those imported from (`a.b` of `from a.b import c`)
    relative: frozenset[tuple[int, str]]  # (level, module) of its relative imports (`from ..a import b`: 2, "a")


def text_of(workspace: Workspace, path: Path) -> str | None:
    """A file's text as the summary builder reads it (an open buffer first); None if unreadable."""
    overlay = workspace.overlays.get(path)
    if overlay is not None:
        return overlay
    try:
        text = decode(path.read_bytes())
    except OSError:
        return None
    return None if isinstance(text, SourceProblem) else text


def normalized(text: str) -> str:
    """The text with identifiers as Python compares them (NFKC), for non-ASCII sources."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def words_of_text(text: str) -> WordFacts:
    text = normalized(text)
    env = any(word in text for word in ENV_WORDS) and _ENV_NAME.search(text) is not None
    return WordFacts(env=env, settings=SETTINGS_WORD in text)


def imports_of_text(text: str) -> ImportFacts:
    text = normalized(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    modules: set[str] = set()
    bases: set[str] = set()
    relative: set[tuple[int, str]] = set()
    # every import statement the parser sees has an `import` keyword: visit each occurrence (a
    # plain substring search, much faster than a regular expression searching the whole text)
    position = text.find("import")
    while position != -1:
        match = _IMPORT_NAMES.match(text, position)
        if match is not None:
            names = match.group("names")
            if names is not None:
                modules.update(_SPACES.sub("", name) for name in _MODULE.findall(names))
            head = _from_head(text, position)
            if head is not None:
                dots, module = head
                module = "" if module is None else _SPACES.sub("", module)
                if dots:
                    relative.add((dots.count("."), module))
                elif module:
                    bases.add(module)
        position = text.find("import", position + 6)
    return ImportFacts(frozenset(modules | bases), frozenset(bases), frozenset(relative))


def _from_head(text: str, end: int) -> tuple[str, str | None] | None:
    """``(dots, module)`` of the ``from ... `` that the ``import`` keyword at ``end`` completes, if any."""
    start = end
    while True:
        start = text.rfind("from", 0, start)
        if start == -1:
            return None
        match = _FROM_HEAD.fullmatch(text, start, end)
        if match is not None:
            return match.group("dots").strip(" \t\f\\\n"), match.group("module")
        if _NOT_IN_FROM_HEAD.search(text, start + 4, end):
            return None  # no earlier `from` can reach this `import` either


def words_of_summary(summary: ModuleSummary) -> WordFacts:
    """The exact word facts of a file already summarized (its summary is what the index reads)."""
    return WordFacts(
        env=bool(summary.env_reads),
        settings=any(base is not None and SETTINGS_WORD in base.rsplit(".", 1)[-1]
                     for cls in summary.classes.values() for base in cls.bases),
    )


def imports_of_summary(summary: ModuleSummary) -> ImportFacts:
    """The exact import facts of a file already summarized (its summary is what the index reads)."""
    bases = {site.module for site in summary.imports if site.is_from and not site.level and site.module}
    modules = {name for site in summary.imports if not site.is_from for name, _ in site.names}
    relative = {(site.level, site.module or "") for site in summary.imports if site.level}
    return ImportFacts(frozenset(modules | bases), frozenset(bases), frozenset(relative))


def word_facts(model: ProjectModel, path: Path) -> WordFacts | None:
    """The word facts of a project file (from its summary when it is built), None if unreadable."""
    return _facts(model, path, WORDS, words_of_summary, words_of_text)


def import_facts(model: ProjectModel, path: Path) -> ImportFacts | None:
    """The import facts of a project file (from its summary when it is built), None if unreadable."""
    return _facts(model, path, IMPORTS, imports_of_summary, imports_of_text)


def _facts(model: ProjectModel, path: Path, kind: str, of_summary: Callable[[ModuleSummary], F],
           of_text: Callable[[str], F]) -> F | None:
    """Facts of one kind, memoized on the model.

    Dropped with everything else derived from summaries when a file changes
    (and by :func:`confirm_facts`).  A file already summarized is judged by
    its summary: exact, and what the indexes will read.
    """
    from suitelint.project.cache import summary_memory

    memo: dict[Path, F | None] = model.memo.setdefault(kind, {})
    if path in memo:
        return memo[path]
    summary = summary_memory(model.workspace).get(path)
    if summary is not None:
        found: F | None = of_summary(summary)
    else:
        text = text_of(model.workspace, path)
        found = None if text is None else of_text(text)
        model.memo.setdefault(TEXTS, {})[path] = hash(text)
    memo[path] = found
    return found


def confirm_facts(model: ProjectModel, path: Path, text: str) -> None:
    """Forget what the isolation rules derived from facts when ``path`` now has another text.

    The checked file's own text wins (a text handed to ``lint_file``): when
    its facts were read from a different text, every ``isolation:`` memo of
    the model is dropped and rebuilt on demand, from its summary.
    """
    texts = model.memo.get(TEXTS)
    if texts is not None and path in texts and texts[path] != hash(text):
        for key in [key for key in model.memo if key.startswith(PREFIX)]:
            del model.memo[key]


def spelled(text: str, words: set[str]) -> set[str]:
    """Which of ``words`` a (normalized) text spells as a whole word, comments and strings included."""
    return {word for word in words if word in text and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)}


def mentioned(model: ProjectModel, paths: list[Path], words: set[str]) -> set[str]:
    """Which of ``words`` the files spell as a whole word (comments and strings included)."""
    found: set[str] = set()
    for path in paths:
        if len(found) == len(words):
            break
        text = text_of(model.workspace, path)
        if text is not None:
            found |= spelled(normalized(text), words - found)
    return found
