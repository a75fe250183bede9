"""The rule base class and the examples that are its tests and its docs.

A rule is one class in one module.  Its metadata is declarative and checked
when the class is created (Fixit/flake8-pytest-style style), so a rule with a
malformed code, a missing docs section or no examples fails at import time and
the meta-tests never have to chase it.

Rules walk the stdlib ``ast`` tree: one walk per file dispatches each node to
the ``visit_<NodeType>`` methods of the selected rules.  Rules that need
inference ask the :class:`~suitelint.core.context.FileContext`, which builds
astroid lazily for that module only.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Mapping, NoReturn

from suitelint.core.diagnostic import Applicability, Diagnostic, Fix, Span

if TYPE_CHECKING:
    from suitelint.core.context import FileContext

CODE_RE = re.compile(r"^TST\d{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
MARKER_RE = re.compile(r"\s*#\s*\[(TST\d{3}(?:\s*,\s*TST\d{3})*)\]\s*$")
REQUIRED_SECTIONS = ("## What it does", "## Why is this bad?")
FIELD_RE = re.compile(r"{(\w+)")


class FileRole:
    """What pytest would make of a file."""

    TEST = "test"  # a test module (matches python_files)
    CONFTEST = "conftest"  # a conftest.py
    PLUGIN = "plugin"  # a module named in pytest_plugins
    OTHER = "other"  # anything else (project source, scripts)


TEST_CODE = frozenset({FileRole.TEST, FileRole.CONFTEST, FileRole.PLUGIN})
ALL_FILES = frozenset({FileRole.TEST, FileRole.CONFTEST, FileRole.PLUGIN, FileRole.OTHER})


@dataclass(frozen=True)
class Example:
    """A source snippet a rule must (Invalid) or must not (Valid) flag.

    ``code`` is dedented.  In an Invalid example, every line that must be
    flagged ends with a marker comment ``# [TST201]`` (several: ``# [TST201, TST206]``).
    ``filename`` is the example's path inside a scratch project; ``files``
    adds other files to that project (conftest.py, source modules);
    ``pytest_ini`` becomes the project's ``pytest.ini`` options and
    ``settings`` its ``[tool.suitelint]`` table.  ``fixed`` is the text after
    applying the rule's fixes (safe and unsafe).
    """

    code: str
    filename: str = "tests/test_example.py"
    files: Mapping[str, str] = field(default_factory=dict)
    pytest_ini: Mapping[str, str] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)
    fixed: str | None = None
    title: str = ""
    in_docs: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", _dedent(self.code))
        if self.fixed is not None:
            object.__setattr__(self, "fixed", _dedent(self.fixed))
        object.__setattr__(self, "files", {k: _dedent(v) for k, v in self.files.items()})

    @property
    def source(self) -> str:
        """The example without its marker comments."""
        return "".join(MARKER_RE.sub("", line) + "\n" if MARKER_RE.search(line) else line + "\n"
                       for line in self.code.splitlines())

    def expected(self) -> list[tuple[int, str]]:
        """(line, code) pairs the markers ask for, sorted."""
        found: list[tuple[int, str]] = []
        for lineno, line in enumerate(self.code.splitlines(), start=1):
            match = MARKER_RE.search(line)
            if match:
                for code in match.group(1).split(","):
                    found.append((lineno, code.strip()))
        return sorted(found)


class Valid(Example):
    """Code the rule must not flag."""


class Invalid(Example):
    """Code the rule must flag on exactly the marked lines."""


def _dedent(text: str) -> str:
    text = textwrap.dedent(text)
    if text.startswith("\n"):
        text = text[1:]
    return text


class RuleDefinitionError(TypeError):
    """A rule class whose metadata is malformed."""


class Rule:
    """Base class of every rule.

    Subclasses set the class attributes below and implement ``visit_<Node>``
    methods (``visit_Call``, ``visit_AsyncFunctionDef``...), plus optionally
    :meth:`begin` and :meth:`end`, called before and after the walk.  One
    instance is created per checked file, so instance state is per file.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]  # a str.format template with named fields
    # None: no fix; "safe"/"unsafe": the applicability of the fixes it offers
    fix: ClassVar[str | None] = None
    default_enabled: ClassVar[bool] = True
    applies_to: ClassVar[frozenset[str]] = TEST_CODE
    examples: ClassVar[tuple[Example, ...]] = ()
    # rules of the engine itself (TST001/TST002) are produced by the engine
    engine_rule: ClassVar[bool] = False

    handlers: ClassVar[dict[str, str]]  # ast class name -> method name

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:
            return  # an intermediate base class
        _validate(cls)
        cls.handlers = {
            attr[len("visit_"):]: attr for attr in dir(cls) if attr.startswith("visit_")
        }
        from suitelint.core.registry import REGISTRY

        REGISTRY.register(cls)

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx

    # -- hooks -------------------------------------------------------------
    def begin(self) -> None:
        """Called once before the walk."""

    def end(self) -> None:
        """Called once after the walk."""

    # -- suite-wide views ----------------------------------------------------
    def later(self, payload: Any) -> None:
        """Finish with the suite-wide views: :meth:`finish` now, or after every file is summarised.

        For a rule whose last step needs a suite-wide view but not the tree:
        ``payload`` (picklable: spans, names, summaries) is what that step
        needs of this file.  While the run defers the views
        (:mod:`suitelint.core.deferral`), the payload waits for the end of
        the run, where :meth:`finish` runs without parsing the file again.
        """
        from suitelint.core.deferral import deferring

        if deferring(self.ctx.workspace):
            self.ctx.pending.append((self.code, payload))
        else:
            self.finish(payload)

    def finish(self, payload: Any) -> None:
        """The step :meth:`later` put off (the context has the file's text, not always its tree)."""
        raise NotImplementedError(f"{type(self).__name__} defers work but has no finish()")

    # -- reporting ---------------------------------------------------------
    def report(
        self,
        location: ast.AST | Span,
        /,
        *,
        fix: Fix | None = None,
        **fields: Any,
    ) -> None:
        """Report a finding at ``location`` (a node or a span) with the message fields."""
        self.ctx.report(self, location, self.message.format(**fields), fix)

    # -- metadata helpers --------------------------------------------------
    @classmethod
    def docs(cls) -> str:
        return textwrap.dedent(cls.__doc__ or "").strip()

    @classmethod
    def summary(cls) -> str:
        """The first sentence of 'What it does', one line."""
        text = cls.docs().split("## What it does", 1)[-1].split("##", 1)[0]
        first = " ".join(text.strip().split("\n\n", 1)[0].split())
        match = re.search(r"(?<![.e][.g])[.:](\s|$)", first)
        sentence = first[: match.start()] if match else first
        return sentence.rstrip(" :") + "."

    @classmethod
    def make_diagnostic(cls, path: str, span: Span, message: str, fix: Fix | None = None,
                        source_line: str = "") -> Diagnostic:
        return Diagnostic(path=path, span=span, code=cls.code, rule=cls.name, message=message,
                          fix=fix, source_line=source_line)


def _validate(cls: type[Rule]) -> None:
    where = f"{cls.__module__}.{cls.__qualname__}"

    def fail(reason: str) -> NoReturn:
        raise RuleDefinitionError(f"{where}: {reason}")

    code = cls.__dict__.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        fail(f"code {code!r} is not of the form TSTnnn")
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not NAME_RE.match(name):
        fail(f"name {name!r} is not kebab-case")
    message = getattr(cls, "message", None)
    if not isinstance(message, str) or not message.strip():
        fail("message template is missing")
    try:
        message.format(**{f: f for f in FIELD_RE.findall(message)})
    except (KeyError, IndexError, ValueError) as exc:
        fail(f"message template is malformed: {exc}")
    docs = textwrap.dedent(cls.__doc__ or "")
    for section in REQUIRED_SECTIONS:
        if section not in docs:
            fail(f"docstring lacks the section {section!r}")
    if cls.fix not in (None, Applicability.SAFE.value, Applicability.UNSAFE.value):
        fail(f"fix must be None, 'safe' or 'unsafe', not {cls.fix!r}")
    if cls.fix is not None and "## Fix" not in docs:
        fail("a fixable rule documents its fix in a '## Fix' section")
    if not cls.applies_to or not cls.applies_to <= ALL_FILES:
        fail(f"applies_to {cls.applies_to!r} names unknown file roles")
    if not cls.engine_rule:
        if not any(isinstance(e, Invalid) for e in cls.examples):
            fail("needs at least one Invalid example")
        if not any(isinstance(e, Valid) for e in cls.examples):
            fail("needs at least one Valid example")
        for example in cls.examples:
            if isinstance(example, Invalid) and not example.expected():
                fail("an Invalid example has no '# [TSTnnn]' marker")
            if isinstance(example, Valid) and example.expected():
                fail("a Valid example carries a marker")
            if example.fixed is not None and cls.fix is None:
                fail("an example has 'fixed' text but the rule declares no fix")
