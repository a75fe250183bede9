from __future__ import annotations

import ast

from suitelint.core.context import FileContext
from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.rules.asyncio.conftest_chain import restored_by_autouse_fixture
from suitelint.rules.isolation.restoration import FunctionNode, GlobalMapping, Restoration

SYS_MODULES = GlobalMapping(names=frozenset({"sys.modules"}), strings=frozenset({"sys.modules"}))
# values that are real modules being registered, not fakes
REAL_MODULE_FACTORIES = frozenset({"importlib.util.module_from_spec", "importlib.import_module"})
FLAGGED_METHODS = frozenset({"update", "setdefault"})


class SysModulesPatched(Rule):
    """
    ## What it does
    Flags assignments to `sys.modules[...]` and calls of
    `sys.modules.update(...)` / `sys.modules.setdefault(...)` in test code
    (at module level, in conftest.py, in tests, fixtures and helpers) that
    nothing undoes.

    Not flagged: `monkeypatch.setitem(sys.modules, ...)` and
    `patch.dict(sys.modules, ...)` / `patch.dict("sys.modules", ...)` (and
    writes made inside such a `with` block or a function decorated with it),
    writes that the same fixture or function undoes in teardown code (after
    `yield`, in `finally`, in an `addfinalizer`/`addCleanup` callback, in the
    `tearDown` paired with `setUp`), writes inside the `with` block of a
    context manager that might restore it (anything but well-known ones such
    as `pytest.raises` or `open`), writes in tests when an autouse fixture
    (in the module or a conftest.py above it) snapshots and restores
    `sys.modules` around every test, and the registration of a real module
    (`sys.modules[name] = importlib.util.module_from_spec(spec)`, the import
    recipe for loading a file by path). Removing entries
    (`del sys.modules[...]`, `sys.modules.pop(...)`) forces a re-import but
    leaves no fake behind, and is not flagged.

    ## Why is this bad?
    `sys.modules` is the interpreter's import cache. A fake put there stays
    for the rest of the session: every later `import` of that name, in any
    test and in the code under test, gets the fake (a `MagicMock` answers
    every attribute, so nothing fails loudly). Whether a test sees the real
    module then depends on which tests ran before it, and code that was
    imported before the patch keeps the real one, so the same name means two
    things in one process. A stub installed at conftest import time hides the
    real dependency from the whole suite.

    Use `monkeypatch.setitem(sys.modules, "name", fake)` or
    `with patch.dict(sys.modules, {"name": fake}):`, which restore the cache
    after the test.
    """

    code = "TST104"
    name = "sys-modules-patched"
    message = (
        "`{what}` changes `sys.modules` {where} and nothing undoes it; "
        "use `monkeypatch.setitem(sys.modules, ...)` or `patch.dict(sys.modules, ...)`"
    )
    examples = (
        Invalid(
            """
            import sys
            from unittest.mock import MagicMock

            sys.modules["ray"] = MagicMock()  # [TST104]
            """,
            filename="tests/conftest.py",
        ),
        Invalid(
            """
            import sys
            import types
            from unittest.mock import MagicMock

            import pytest

            def test_cluster_name():
                sys.modules.setdefault("boto3", MagicMock())  # [TST104]
                from app.cluster import name
                assert name() == "local"

            @pytest.fixture
            def fake_redis():
                module = types.ModuleType("redis")
                sys.modules["redis"] = module  # [TST104]
                return module

            def install_fakes(**modules):
                sys.modules.update(modules)  # [TST104]
            """,
            title="tests, fixtures without teardown, helpers",
            in_docs=False,
        ),
        Valid(
            """
            import sys
            from unittest.mock import MagicMock, patch

            def test_cluster_name(monkeypatch):
                monkeypatch.setitem(sys.modules, "ray", MagicMock())
                from app.cluster import name
                assert name() == "local"

            def test_with_patch_dict():
                with patch.dict("sys.modules", {"ray": MagicMock()}):
                    sys.modules["boto3"] = MagicMock()
                    from app.cluster import name
                    assert name() == "local"
            """,
        ),
        Valid(
            """
            import importlib.util
            import sys
            import types

            import pytest

            @pytest.fixture
            def fake_redis():
                module = types.ModuleType("redis")
                sys.modules["redis"] = module
                yield module
                del sys.modules["redis"]

            def load_script(path):
                spec = importlib.util.spec_from_file_location("script", path)
                module = importlib.util.module_from_spec(spec)
                sys.modules["script"] = module
                spec.loader.exec_module(module)
                return module

            def test_reimport():
                sys.modules.pop("app.settings", None)
                import app.settings
                assert app.settings
            """,
            title="restored after yield, real modules registered, entries removed",
            in_docs=False,
        ),
    )

    def begin(self) -> None:
        self._restoration = Restoration(self.ctx, SYS_MODULES)
        self._autouse_restores: bool | None = None
        self._possible = "modules" in self.ctx.source

    def visit_Assign(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        if not self._possible:
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        subscripts = [t for t in targets if isinstance(t, ast.Subscript) and self._restoration.refers(t.value)]
        if not subscripts or (node.value is not None and _is_real_module(self.ctx, node.value)):
            return
        self._check(node, " = ".join(self.ctx.text(t) for t in subscripts) + " = ...")

    visit_AnnAssign = visit_Assign
    visit_AugAssign = visit_Assign

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not (self._possible and isinstance(func, ast.Attribute) and func.attr in FLAGGED_METHODS):
            return
        if self._restoration.refers(func.value):
            text = self.ctx.text(node)
            self._check(node, text if len(text) <= 40 and "\n" not in text else f"{self.ctx.text(func)}(...)")

    def _check(self, node: ast.AST, what: str) -> None:
        restoration = self._restoration
        if restoration.is_teardown(node) or restoration.is_undone(node):
            return
        function = restoration.function_of(node)
        if function is not None and not _wider_fixture(self.ctx, function):
            if self._autouse_restores is None:
                self._autouse_restores = restored_by_autouse_fixture(self.ctx, "sys.modules")
            if self._autouse_restores:
                return  # an autouse fixture snapshots and restores sys.modules around every test
        self.report(node, what=what, where=_where(self.ctx, function))


def _where(ctx: FileContext, function: FunctionNode | None) -> str:
    if function is None:
        return "at import time"
    if ctx.is_test_function(function):
        return f"in test `{function.name}`"
    if ctx.is_fixture(function):
        return f"in fixture `{function.name}`"
    return f"in function `{function.name}`"


def _wider_fixture(ctx: FileContext, function: FunctionNode) -> bool:
    decorator = ctx.fixture_decorator(function)
    if not isinstance(decorator, ast.Call):
        return False
    for keyword in decorator.keywords:
        if keyword.arg == "scope":
            return not (isinstance(keyword.value, ast.Constant) and keyword.value.value == "function")
    return False


def _is_real_module(ctx: FileContext, value: ast.expr) -> bool:
    """``module_from_spec(...)``, or a name bound to it in the same scope."""
    if isinstance(value, ast.Call):
        return ctx.qualname(value.func) in REAL_MODULE_FACTORIES
    if not isinstance(value, ast.Name):
        return False
    scope: ast.AST = ctx.enclosing_function(value) or ctx.tree
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and any(
            isinstance(t, ast.Name) and t.id == value.id for t in node.targets
        ):
            if ctx.qualname(node.value.func) in REAL_MODULE_FACTORIES:
                return True
    return False
