from __future__ import annotations

import ast

from suitelint.core.context import FileContext
from suitelint.core.diagnostic import Applicability, Edit, Fix
from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.rules.asyncio.conftest_chain import restored_by_autouse_fixture
from suitelint.rules.isolation.restoration import FunctionNode, GlobalMapping, Restoration

ENVIRON = GlobalMapping(
    names=frozenset({"os.environ", "os.environb"}),
    strings=frozenset({"os.environ", "os.environb"}),
    writer_functions=frozenset({"os.putenv", "os.unsetenv"}),
)
REMOVERS = frozenset({"pop", "popitem", "__delitem__", "os.unsetenv"})
WIDER_SCOPES = frozenset({"class", "module", "package", "session"})


class EnvironMutated(Rule):
    """
    ## What it does
    Flags changes to the process environment (`os.environ[...] = v`,
    `del os.environ[...]`, `os.environ.update/pop/popitem/clear/setdefault`,
    `os.putenv`, `os.unsetenv`) in the functions of test code: tests,
    fixtures and helpers, when nothing undoes them.

    A change is undone, and not flagged, inside `with patch.dict(os.environ, ...)`
    (also `mock.patch.dict`, a string target, or a function or class decorated
    with `@patch.dict(os.environ, ...)`), after `mocker.patch.dict(os.environ, ...)`
    in the same function, or when the same function writes `os.environ` again
    in teardown code: after its `yield`, in a `finally` block, in a callback
    given to `addfinalizer`/`addCleanup`, or in the `tearDown` paired with a
    `setUp`. Any later write counts as the restoration (the usual
    `saved = os.environ.copy()` ... `os.environ.clear(); os.environ.update(saved)`
    does not name the keys). Writes inside the `with` block of a context
    manager that might restore the environment (anything but well-known ones
    such as `pytest.raises`, `open`, `tempfile.*`, `mock.patch`) are given the
    benefit of the doubt, and so is a whole module when an autouse,
    function-scoped fixture in it or in a conftest.py above it snapshots and
    restores `os.environ` around every test (writes in wider-scoped fixtures
    are still reported). `monkeypatch.setenv`/`delenv` never trigger it,
    nor does module-level code (setting variables in conftest.py before the
    imports that read them is the right way, see TST107), nor pytest hook
    functions (`pytest_configure`...).

    ## Why is this bad?
    The environment is process-global: a variable set by one test is still
    set in every test that runs after it in the same worker, so results
    depend on test order (and on `pytest -p xdist` scheduling). The test
    that reads it passes alone and fails in the suite, or the reverse.

    ## Fix
    For `os.environ[KEY] = value`, `del os.environ[KEY]` and a bare
    `os.environ.pop(KEY[, default])` in a test or a function-scoped fixture,
    the fix rewrites the statement with `monkeypatch.setenv(KEY, value)` /
    `monkeypatch.delenv(KEY[, raising=False])` and adds a `monkeypatch`
    parameter when the function lacks it. It is unsafe: later tests no
    longer see the variable (which is the point, but a suite may depend on
    the leak), and `setenv` converts non-string values with `str()` where
    `os.environ` raised `TypeError`. No fix is offered in helpers, `unittest`
    methods, fixtures of a wider scope, or functions whose signature cannot
    take one more parameter mechanically (`*args`, keyword-only or defaulted
    parameters).
    """

    code = "TST401"
    name = "environ-mutated"
    message = (
        "`{what}` changes the process environment in {where} `{function}` and nothing restores it; "
        "use {instead}"
    )
    fix = "unsafe"
    examples = (
        Invalid(
            """
            import os
            import pytest

            def test_reads_api_key(client):
                os.environ["API_KEY"] = "secret"  # [TST401]
                assert client.get("/").status_code == 200

            @pytest.fixture
            def without_proxy():
                del os.environ["HTTP_PROXY"]  # [TST401]
                os.environ.pop("HTTPS_PROXY", None)  # [TST401]
            """,
            fixed="""
            import os
            import pytest

            def test_reads_api_key(client, monkeypatch):
                monkeypatch.setenv("API_KEY", "secret")
                assert client.get("/").status_code == 200

            @pytest.fixture
            def without_proxy(monkeypatch):
                monkeypatch.delenv("HTTP_PROXY")
                monkeypatch.delenv("HTTPS_PROXY", raising=False)
            """,
        ),
        Invalid(
            """
            import os
            import unittest
            from os import environ

            import pytest

            def set_env(**values):
                os.environ.update(values)  # [TST401]

            class TestSettings(unittest.TestCase):
                def setUp(self):
                    environ["DEBUG"] = "1"  # [TST401]

            @pytest.fixture(scope="session")
            def production_env():
                os.environ.setdefault("ENV", "production")  # [TST401]
                return "production"

            def test_reset(monkeypatch):
                os.environ.clear()  # [TST401]
                os.putenv("TZ", "UTC")  # [TST401]
            """,
            title="helpers, unittest methods, wider-scoped fixtures and other mutations (no fix)",
        ),
        Valid(
            """
            import os
            from unittest import mock

            import pytest

            def test_reads_api_key(client, monkeypatch):
                monkeypatch.setenv("API_KEY", "secret")
                monkeypatch.delenv("HTTP_PROXY", raising=False)
                assert client.get("/").status_code == 200

            def test_patched_block(client):
                with mock.patch.dict(os.environ, {"API_KEY": "secret"}):
                    os.environ["DEBUG"] = "1"
                    assert client.get("/").status_code == 200

            @mock.patch.dict("os.environ", {"API_KEY": "secret"})
            def test_patched_function(client):
                os.environ["DEBUG"] = "1"
                assert client.get("/").status_code == 200

            def test_mocker(mocker, client):
                mocker.patch.dict(os.environ, clear=True)
                os.environ["API_KEY"] = "secret"
                assert client.get("/").status_code == 200
            """,
            title="monkeypatch and patch.dict",
        ),
        Valid(
            """
            import os
            import unittest

            import pytest

            @pytest.fixture(scope="session")
            def api_key():
                saved = os.environ.copy()
                os.environ["API_KEY"] = "secret"
                yield "secret"
                os.environ.clear()
                os.environ.update(saved)

            @pytest.fixture
            def debug(request):
                os.environ["DEBUG"] = "1"
                request.addfinalizer(lambda: os.environ.pop("DEBUG", None))

            def test_finally():
                os.environ["MODE"] = "test"
                try:
                    assert os.environ["MODE"] == "test"
                finally:
                    del os.environ["MODE"]

            class TestSettings(unittest.TestCase):
                def setUp(self):
                    os.environ["DEBUG"] = "1"

                def tearDown(self):
                    os.environ.pop("DEBUG", None)

                def test_cleanup(self):
                    os.environ["X"] = "1"
                    self.addCleanup(os.environ.pop, "X")
            """,
            title="restored in teardown",
        ),
        Valid(
            """
            import os
            import subprocess

            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")

            def pytest_configure(config):
                os.environ["TESTING"] = "1"

            def test_subprocess_env():
                env = os.environ.copy()
                env["DEBUG"] = "1"
                assert subprocess.run(["true"], env={**os.environ, "X": "1"}, check=False) is not None
            """,
            filename="tests/conftest.py",
            title="conftest module level, pytest hooks, copies of the environment",
            in_docs=False,
        ),
        Valid(
            """
            import os

            from helpers import restore_env

            def test_proxies():
                os.environ.update({"HTTP_PROXY": "http://proxy"})
                assert os.environ["HTTP_PROXY"]

            def test_custom_context_manager():
                with restore_env():
                    os.environ["MODE"] = "test"
                    assert os.environ["MODE"] == "test"
            """,
            files={
                "tests/conftest.py": """
                    import os

                    import pytest

                    @pytest.fixture(autouse=True)
                    def clean_environ():
                        saved = os.environ.copy()
                        yield
                        os.environ.clear()
                        os.environ.update(saved)
                    """,
            },
            title="an autouse fixture restores the environment around every test; project context managers",
            in_docs=False,
        ),
    )

    def begin(self) -> None:
        self._restoration = Restoration(self.ctx, ENVIRON)
        self._autouse_restores: bool | None = None
        source = self.ctx.source
        self._possible = "environ" in source or "putenv" in source or "unsetenv" in source

    def visit_Assign(self, node: ast.stmt) -> None:
        if self._possible and self._restoration.is_write(node):
            self._check(node)

    visit_AugAssign = visit_Assign
    visit_AnnAssign = visit_Assign
    visit_Delete = visit_Assign

    def visit_Call(self, node: ast.Call) -> None:
        if self._possible and self._restoration.is_write(node):
            self._check(node)

    def _check(self, node: ast.AST) -> None:
        ctx = self.ctx
        restoration = self._restoration
        function = restoration.function_of(node)
        if function is None or function.name.startswith("pytest_"):
            return
        if restoration.is_teardown(node) or restoration.is_undone(node):
            return
        cls = ctx.enclosing_class(function)
        in_unittest = cls is not None and ctx.is_unittest_class(cls)
        is_test = ctx.is_test_function(function) and not in_unittest
        scope = _fixture_scope(ctx, function)
        if scope not in WIDER_SCOPES and self._restored_around_every_test():
            return
        where = "test" if is_test else "fixture" if scope is not None else "function"
        operation = _operation(ctx, node)
        if in_unittest:
            instead = "`mock.patch.dict(os.environ, ...)`"
        elif scope in WIDER_SCOPES:
            instead = "`pytest.MonkeyPatch.context()` and `yield` inside it"
        elif operation == "clear":
            instead = "`patch.dict(os.environ, clear=True)`"
        elif operation in REMOVERS or isinstance(node, ast.Delete):
            instead = "`monkeypatch.delenv`"
        else:
            instead = "`monkeypatch.setenv`"
        fix = None
        if (is_test or scope == "function") and ctx.enclosing_function(node) is function:
            fix = self._fix(node, function)
        self.report(node, fix=fix, what=_what(ctx, node), where=where, function=function.name, instead=instead)

    def _restored_around_every_test(self) -> bool:
        """An autouse fixture (here or in a conftest.py) snapshots and restores ``os.environ``."""
        if self._autouse_restores is None:
            self._autouse_restores = restored_by_autouse_fixture(self.ctx, "os.environ")
        return self._autouse_restores

    # -- the fix -------------------------------------------------------------------
    def _fix(self, node: ast.AST, function: FunctionNode) -> Fix | None:
        ctx = self.ctx
        statement = ctx.parent(node) if isinstance(node, ast.Call) else node
        replacement = _replacement(ctx, node, statement)
        if replacement is None or not isinstance(statement, ast.stmt):
            return None
        edits = [Edit(ctx.span(statement), replacement)]
        mechanical, parameter = self._parameter_edit(function)
        if not mechanical:
            return None
        if parameter is not None:
            edits.insert(0, parameter)
        return Fix(tuple(edits), Applicability.UNSAFE, title="Use `monkeypatch`")

    def _parameter_edit(self, function: FunctionNode) -> tuple[bool, Edit | None]:
        """Whether ``monkeypatch`` can be had mechanically, and the edit adding the parameter if needed."""
        ctx = self.ctx
        args = function.args
        names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
        if "monkeypatch" in names:
            return True, None
        if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs or args.defaults:
            return False, None
        if any(isinstance(n, ast.Name) and n.id == "monkeypatch" for n in ast.walk(function)):
            return False, None  # the name means something else here
        if args.args:
            last = args.args[-1]
            end_line = last.end_lineno or last.lineno
            return True, Edit.insert(end_line, ctx.column(end_line, last.end_col_offset or 0), ", monkeypatch")
        line = ctx.lines[function.lineno - 1]
        index = line.find(function.name, ctx.column(function.lineno, function.col_offset) - 1)
        if index < 0:
            return False, None
        after = index + len(function.name)
        rest = line[after:]
        if not rest.lstrip().startswith("("):
            return False, None
        paren = after + (len(rest) - len(rest.lstrip()))
        return True, Edit.insert(function.lineno, paren + 2, "monkeypatch")


def _fixture_scope(ctx: FileContext, function: FunctionNode) -> str | None:
    """"function", a wider scope, "dynamic" (not a literal), or None when not a fixture."""
    decorator = ctx.fixture_decorator(function)
    if decorator is None:
        return None
    if not isinstance(decorator, ast.Call):
        return "function"
    if decorator.args:
        return "dynamic"
    for keyword in decorator.keywords:
        if keyword.arg == "scope":
            value = keyword.value
            return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else "dynamic"
    return "function"


def _operation(ctx: FileContext, node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and ctx.qualname(node.func.value) in ENVIRON.names:
            return node.func.attr
        return ctx.qualname(node.func) or ""
    return "del" if isinstance(node, ast.Delete) else "set"


def _what(ctx: FileContext, node: ast.AST) -> str:
    """The change, shortly: ``os.environ["X"] = ...``, ``del os.environ["X"]``, ``os.environ.update(...)``."""
    if isinstance(node, ast.Call):
        text = ctx.text(node)
        return text if len(text) <= 40 and "\n" not in text else f"{ctx.text(node.func)}(...)"
    if isinstance(node, ast.Delete):
        return "del " + ", ".join(ctx.text(t) for t in node.targets)
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]  # type: ignore[attr-defined]
    written = " = ".join(ctx.text(t) for t in targets)
    if isinstance(node, ast.AugAssign):
        return f"{written} {_OPERATORS.get(type(node.op), '')}= ..."
    return f"{written} = ..."


_OPERATORS = {ast.Add: "+", ast.BitOr: "|", ast.Sub: "-"}


def _environ_key(ctx: FileContext, target: ast.AST) -> str | None:
    """The key text of ``os.environ[key]`` (not ``os.environb``, not a slice)."""
    if (
        isinstance(target, ast.Subscript)
        and ctx.qualname(target.value) == "os.environ"
        and not isinstance(target.slice, (ast.Slice, ast.Tuple))
    ):
        return ctx.text(target.slice) or None
    return None


def _replacement(ctx: FileContext, node: ast.AST, statement: ast.AST | None) -> str | None:
    """The ``monkeypatch`` statement equivalent to ``statement``, when there is a mechanical one."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        key = _environ_key(ctx, node.targets[0])
        value = ctx.text(node.value)
        if key is not None and value:
            return f"monkeypatch.setenv({key}, {value})"
    elif isinstance(node, ast.Delete) and len(node.targets) == 1:
        key = _environ_key(ctx, node.targets[0])
        if key is not None:
            return f"monkeypatch.delenv({key})"
    elif (
        isinstance(node, ast.Call)
        and isinstance(statement, ast.Expr)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "pop"
        and ctx.qualname(node.func.value) == "os.environ"
        and not node.keywords
        and 1 <= len(node.args) <= 2
        and not any(isinstance(a, ast.Starred) for a in node.args)
    ):
        key = ctx.text(node.args[0])
        if key:
            return f"monkeypatch.delenv({key}, raising=False)" if len(node.args) == 2 else f"monkeypatch.delenv({key})"
    return None
