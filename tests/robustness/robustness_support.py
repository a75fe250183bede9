"""Helpers for the robustness tests: scratch projects, linting them, and generated test code.

:func:`modules_like_test_code` draws syntactically valid modules that look like test
code (imports of pytest/unittest.mock/asyncio/os, fixtures, async tests,
patch calls, environment writes, nested functions and classes, decorators,
TODO comments), so that the property tests exercise the rules' code paths
rather than only the parser.  Names come from small pools, so fixtures are
requested, patched targets exist or not, and tests collide.
"""

from __future__ import annotations

import os
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from suitelint import inference
from suitelint.core.diagnostic import Diagnostic
from suitelint.core.engine import lint_file
from suitelint.core.runner import WorkspaceSpec

# a generated file must be linted well within the engine's default budget
PER_FILE_SECONDS = 10.0
LONG_ENV = "SUITELINT_LONG_FUZZ"

# the modules of a scratch project: role -> path
MODULES = {
    "test": "tests/test_generated.py",
    "conftest": "tests/conftest.py",
    "other": "pkg/other.py",
}
MODULE_NAMES = ("test_generated", "conftest", "pkg", "pkg.other", "other", "helpers", "tests")


def long_run() -> bool:
    """``--hypothesis-profile=long`` or ``SUITELINT_LONG_FUZZ=1``."""
    return os.environ.get(LONG_ENV) == "1" or getattr(settings, "_current_profile", None) == "long"


def fuzz_settings(examples: int) -> settings:
    """Bounded and derandomized for CI; the ``long`` profile (random, many examples) when asked."""
    if long_run():
        return settings(settings.get_profile("long"))
    return settings(settings.get_profile("robustness-ci"), max_examples=examples)


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def scratch_project(root: Path, modules: dict[str, str], pytest_ini: str = "[pytest]\n") -> Path:
    """A project: pytest.ini, ``pkg/__init__.py`` and the given role -> source modules."""
    files = {"pytest.ini": pytest_ini, "pkg/__init__.py": ""}
    files.update({MODULES[role]: text for role, text in modules.items()})
    return write_tree(root, files)


def forget_astroid() -> None:
    """Drop the scratch modules from astroid's process-wide cache (every example reuses their names)."""
    for name in MODULE_NAMES:
        inference.evict(name)
    inference.clear_inference_cache()


def workspace_for(root: Path):  # noqa: ANN201 - a RunWorkspace
    """A fresh workspace for ``root`` with every rule selected and no disk cache."""
    return WorkspaceSpec(cwd=root.resolve(), select=("ALL",), no_cache=True).build()


@dataclass
class Linted:
    path: str
    diagnostics: list[Diagnostic]
    seconds: float


def lint_all(root: Path, relpaths: Sequence[str]) -> dict[str, Linted]:
    """Lint ``relpaths`` in this order in one fresh workspace; timings per file."""
    import time

    forget_astroid()
    workspace = workspace_for(root)
    found: dict[str, Linted] = {}
    for relpath in relpaths:
        started = time.perf_counter()
        result = lint_file((root / relpath).resolve(), workspace)
        found[relpath] = Linted(relpath, result.diagnostics, time.perf_counter() - started)
    return found


def internal_errors(linted: dict[str, Linted]) -> list[str]:
    return [f"{item.path}:{d.span.start.line}: {d.message}" for item in linted.values()
            for d in item.diagnostics if d.code == "TST002"]


# -- generated test code ------------------------------------------------------------------
IMPORTS = (
    "import os", "import sys", "import time", "import asyncio", "import unittest", "import pytest",
    "import pytest_asyncio", "from unittest import mock", "from unittest.mock import AsyncMock, MagicMock, patch",
    "import unittest.mock as um", "from pkg import other", "import pkg.other", "from pkg.other import helper",
    "from . import helpers", "from .helpers import thing", "import requests", "import pkg",
)
FIXTURES = ("client", "db", "event_loop", "tmp_path", "monkeypatch", "settings", "loop", "capsys", "app")
TARGETS = ("os.getcwd", "pkg.other.helper", "pkg.other.fetch", "time.sleep", "asyncio.sleep",
           "requests.get", "nowhere.at_all", "pkg.other.Client.get")
ENV_KEYS = ("HOME", "APP_ENV", "DATABASE_URL", "TZ")

names = st.sampled_from(("alpha", "beta", "gamma", "delta", "value", "result", "item", "data"))
fixture_names = st.sampled_from(FIXTURES)
targets = st.sampled_from(TARGETS)
env_keys = st.sampled_from(ENV_KEYS)
literals = st.sampled_from(("1", "'x'", "None", "[]", "{}", "(1, 2)", "b'raw'", "3.5", "True"))


@st.composite
def expressions(draw: st.DrawFn, *, in_async: bool = False) -> str:
    kind = draw(st.integers(0, 11))
    if kind == 0:
        return draw(literals)
    if kind == 1:
        return draw(names)
    if kind == 2:
        return f"os.environ.get({draw(env_keys)!r})"
    if kind == 3:
        return f"os.getenv({draw(env_keys)!r}, 'dflt')"
    if kind == 4:
        return f"mock.patch({draw(targets)!r})"
    if kind == 5:
        return f"MagicMock(return_value={draw(literals)})"
    if kind == 6:
        return "AsyncMock()"
    if kind == 7:
        return f"other.helper({draw(literals)})"
    if kind == 8:
        return f"[{draw(names)} for {draw(names)} in range(3)]"
    if kind == 9:
        return f"lambda: {draw(literals)}"
    if kind == 10 and in_async:
        return f"await asyncio.sleep({draw(st.sampled_from(('0', '0.1', '1')))})"
    return f"f'{{{draw(names)}}}'"


@st.composite
def simple_statements(draw: st.DrawFn, *, in_function: bool, in_async: bool, generator_ok: bool) -> list[str]:
    expr = draw(expressions(in_async=in_async))
    kind = draw(st.integers(0, 17))
    if kind == 0:
        return [f"assert {expr}"]
    if kind == 1:
        return [f"{draw(names)} = {expr}"]
    if kind == 2:
        return [f"os.environ[{draw(env_keys)!r}] = 'value'"]
    if kind == 3:
        return [f"time.sleep({draw(st.sampled_from(('0', '0.5', '2')))})"]
    if kind == 4:
        return [f"patcher = mock.patch({draw(targets)!r})", "patcher.start()"]
    if kind == 5:
        return ["loop = asyncio.get_event_loop()", f"loop.run_until_complete(other.fetch({draw(literals)}))"]
    if kind == 6:
        return [f"asyncio.run(other.fetch({draw(literals)}))"]
    if kind == 7:
        return [f"sys.modules[{draw(names)!r}] = MagicMock()"]
    if kind == 8:
        return [f"# TODO: {draw(names)} later", "pass"]
    if kind == 9:
        return [f"# TODO(#12): {draw(names)}", f"# FIXME {draw(names)}", f"{draw(names)} = {expr}"]
    if kind == 10:
        return [f"pytest.skip({draw(st.sampled_from(('', repr('slow'))))})"]
    if kind == 11 and in_function:
        return [f"return {expr}"] if not generator_ok else ["return"]
    if kind == 12 and in_function and generator_ok:
        return [f"yield {expr}"]
    if kind == 13:
        return [f"other.fetch({draw(literals)})"]
    if kind == 14:
        return [f"del {draw(names)}"]
    if kind == 15:
        return ["mock_obj = MagicMock()", f"mock_obj.assert_called_once_with({draw(literals)})"]
    if kind == 16:
        return [f"print({expr})"]
    return [expr]


def _indent(lines: list[str], prefix: str = "    ") -> list[str]:
    return [prefix + line if line else line for line in lines]


@st.composite
def blocks(draw: st.DrawFn, depth: int, *, in_function: bool, in_async: bool, generator_ok: bool) -> list[str]:
    """One statement, possibly compound (if/for/with/try/match/nested def or class)."""
    if depth <= 0:
        return draw(simple_statements(in_function=in_function, in_async=in_async, generator_ok=generator_ok))
    kind = draw(st.integers(0, 9))

    def body() -> list[str]:
        return _indent(draw(bodies(depth - 1, in_function=in_function, in_async=in_async,
                                   generator_ok=generator_ok)))

    if kind == 0:
        return [f"if {draw(expressions())}:", *body(), "else:", *body()]
    if kind == 1:
        head = "async for" if in_async and draw(st.booleans()) else "for"
        iterable = "other.stream()" if head == "async for" else "range(2)"
        return [f"{head} {draw(names)} in {iterable}:", *body()]
    if kind == 2:
        manager = draw(st.sampled_from((
            f"mock.patch({draw(targets)!r})", "patch.object(other, 'helper')", "pytest.raises(ValueError)",
            "mock.patch.dict(os.environ, {'K': 'v'})", "open('f')")))
        return [f"with {manager} as {draw(names)}:", *body()]
    if kind == 3:
        handler = draw(st.sampled_from(("except:", "except Exception:", "except ValueError as exc:",
                                        "except (KeyError, OSError):")))
        tail = ["finally:", *body()] if draw(st.booleans()) else []
        return ["try:", *body(), handler, *body(), *tail]
    if kind == 4:
        return [f"match {draw(names)}:", "    case [1, *rest]:", *_indent(body()), "    case _:", *_indent(body())]
    if kind == 5:
        return draw(functions(depth - 1, nested=True))
    if kind == 6:
        return draw(classes(depth - 1))
    if kind == 7:
        return [f"while {draw(expressions())}:", *body(), "    break"]
    return draw(simple_statements(in_function=in_function, in_async=in_async, generator_ok=generator_ok))


@st.composite
def bodies(draw: st.DrawFn, depth: int, *, in_function: bool, in_async: bool, generator_ok: bool) -> list[str]:
    parts = draw(st.lists(blocks(depth, in_function=in_function, in_async=in_async, generator_ok=generator_ok),
                          min_size=1, max_size=4))
    return [line for part in parts for line in part]


@st.composite
def decorators(draw: st.DrawFn, *, fixture: bool) -> list[str]:
    found: list[str] = []
    if fixture:
        found.append(draw(st.sampled_from((
            "@pytest.fixture", "@pytest.fixture()", "@pytest.fixture(scope='session')",
            "@pytest.fixture(autouse=True)", f"@pytest.fixture(name={draw(fixture_names)!r})",
            "@pytest_asyncio.fixture", "@pytest.fixture(params=[1, 2])"))))
    for _ in range(draw(st.integers(0, 2))):
        found.append(draw(st.sampled_from((
            "@pytest.mark.asyncio", "@pytest.mark.slow", "@pytest.mark.skip", "@pytest.mark.skip(reason='flaky')",
            "@pytest.mark.parametrize('value', [1, 2])", f"@mock.patch({draw(targets)!r})",
            f"@patch({draw(targets)!r}, new_callable=AsyncMock)", "@pytest.mark.usefixtures('db')",
            "@pytest.mark.xfail", "@staticmethod"))))
    return found


@st.composite
def functions(draw: st.DrawFn, depth: int, *, nested: bool = False, method: bool = False) -> list[str]:
    is_async = draw(st.booleans())
    fixture = not nested and draw(st.integers(0, 3)) == 0
    prefix = draw(st.sampled_from(("test_", "test_", "helper_", "_private_", "check_")))
    name = f"{prefix}{draw(names)}{draw(st.integers(0, 3))}"
    if fixture:
        name = draw(fixture_names)
    params = draw(st.lists(fixture_names, max_size=3, unique=True))
    if method:
        params = ["self", *params]
    generator_ok = fixture and draw(st.booleans())
    lines = draw(bodies(depth, in_function=True, in_async=is_async, generator_ok=generator_ok))
    if generator_ok and not any(line.lstrip().startswith("yield") for line in lines):
        lines = [*lines, f"yield {draw(literals)}"]
    docstring = ['"""A docstring."""'] if draw(st.booleans()) else []
    head = f"{'async ' if is_async else ''}def {name}({', '.join(params)}):"
    return [*draw(decorators(fixture=fixture)), head, *_indent([*docstring, *lines])]


@st.composite
def classes(draw: st.DrawFn, depth: int) -> list[str]:
    base = draw(st.sampled_from(("", "(unittest.TestCase)", "(unittest.IsolatedAsyncioTestCase)", "(object)",
                                 "(other.Base)")))
    name = draw(st.sampled_from(("TestThing", "TestOther", "Helper", "TestCaseLike")))
    members: list[str] = []
    if draw(st.booleans()):
        members += ["def setUp(self):", f"    self.{draw(names)} = MagicMock()"]
    if draw(st.booleans()):
        members += [f"attr = {draw(literals)}"]
    for _ in range(draw(st.integers(1, 2))):
        members += draw(functions(max(depth, 0), method=True))
    return [f"class {name}{base}:", *_indent(members)]


@st.composite
def modules_like_test_code(draw: st.DrawFn, max_depth: int = 2) -> str:
    """A syntactically valid module that looks like test code."""
    lines = ["# generated by the robustness property tests"]
    lines += draw(st.lists(st.sampled_from(IMPORTS), min_size=1, max_size=7, unique=True))
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(("pytestmark = pytest.mark.asyncio",
                                           "pytestmark = [pytest.mark.slow, pytest.mark.anyio]",
                                           "pytest_plugins = ['pkg.other']"))))
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.integers(0, 4))
        if kind <= 2:
            item = draw(functions(draw(st.integers(0, max_depth))))
        elif kind == 3:
            item = draw(classes(draw(st.integers(0, max_depth - 1))))
        else:
            item = draw(simple_statements(in_function=False, in_async=False, generator_ok=False))
        lines += ["", "", *item]
    text = "\n".join(lines) + "\n"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<generated>", "exec", dont_inherit=True)
    except SyntaxError:  # a combination the generator does not rule out (e.g. return with a value in async gen)
        text = textwrap.dedent("""\
            import pytest


            def test_fallback():
                assert True
            """)
    return text


HYPOTHESIS_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                     HealthCheck.function_scoped_fixture]
