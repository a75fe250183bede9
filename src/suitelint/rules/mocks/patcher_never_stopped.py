from __future__ import annotations

import ast
from dataclasses import dataclass

from suitelint.core.rule import FileRole, Invalid, Rule, Valid
from suitelint.mocks_model import Scope, analysis_for
from suitelint.mocks_model.api import MOCKER_FIXTURES, PATCHERS, PatchCall, parse_patch
from suitelint.mocks_model.project import dotted_chain
from suitelint.mocks_model.symbols import PatcherSym
from suitelint.mocks_model.text import source_of

PLAIN_TEST_BASES = frozenset({"unittest.TestCase", "unittest.IsolatedAsyncioTestCase", "unittest.case.TestCase",
                              "object"})


@dataclass(frozen=True)
class _Started:
    call: ast.Call  # the `.start()` call
    patch: PatchCall
    chain: tuple[str, ...]  # () for `patch(...).start()`
    scope: Scope


class PatcherNeverStopped(Rule):
    """
    ## What it does
    Flags `p.start()` on a patcher (`p = patch(...)`, `patch.object`,
    `patch.dict`, `patch.multiple`, also `self.p = patch(...)` and
    `patch(...).start()`) in test code when nothing stops it: no `p.stop`
    (called, or registered with `addCleanup(p.stop)`/`addfinalizer`), no
    `patch.stopall()` in the module or a conftest.py, no `yield` fixture
    teardown that stops it.

    Patchers handed elsewhere (returned, stored in a list, passed to a helper)
    and test classes whose base classes are outside `unittest` are not
    flagged: the stop may happen there. Nor are patches meant to last the
    whole session: started in a pytest hook (`pytest_configure`...), a
    session-scoped fixture, or at the top level of a conftest.py.

    ## Why is this bad?
    A started patcher stays active until stopped: the mock leaks into every
    test that runs afterwards in the same process, which then pass or fail
    depending on test order (and under `pytest-xdist` on the worker).
    """

    code = "TST307"
    name = "patcher-never-stopped"
    message = "`{patcher}.start()` is never stopped: the patch of `{target}` outlives the test; {advice}"
    examples = (
        Invalid(
            """
            import unittest
            from unittest import mock

            import pytest


            class TestClient(unittest.TestCase):
                def setUp(self):
                    self.patcher = mock.patch("app.client.requests")
                    self.requests = self.patcher.start()  # [TST307]
                    mock.patch.dict("os.environ", {"MODE": "test"}).start()  # [TST307]


            @pytest.fixture
            def fake_clock():
                patcher = mock.patch("time.time", return_value=0)
                yield patcher.start()  # [TST307]
            """,
        ),
        Valid(
            """
            import unittest
            from unittest import mock

            import pytest


            class TestClient(unittest.TestCase):
                def setUp(self):
                    self.patcher = mock.patch("app.client.requests")
                    self.requests = self.patcher.start()
                    self.addCleanup(self.patcher.stop)

                def test_get(self):
                    env = mock.patch.dict("os.environ", {"MODE": "test"})
                    env.start()
                    try:
                        ...
                    finally:
                        env.stop()


            @pytest.fixture
            def fake_clock():
                patcher = mock.patch("time.time", return_value=0)
                yield patcher.start()
                patcher.stop()


            def start_all(*targets):
                patchers = [mock.patch(t) for t in targets]
                for patcher in patchers:
                    patcher.start()
                return patchers


            def make_patcher(target):
                patcher = mock.patch(target)
                patcher.start()
                return patcher
            """,
        ),
        Valid(
            """
            from unittest import mock


            def setup_module():
                mock.patch("app.client.requests").start()


            def teardown_module():
                mock.patch.stopall()
            """,
            title="`patch.stopall()`",
        ),
        Valid(
            """
            from unittest import mock

            import pytest

            mock.patch("app.settings.load_secrets", return_value={}).start()


            def pytest_configure(config):
                mock.patch("app.telemetry.enabled", False).start()


            @pytest.fixture(scope="session", autouse=True)
            def no_network():
                mock.patch("socket.create_connection").start()
                yield
            """,
            filename="tests/conftest.py",
            title="session-wide patches in a conftest.py",
        ),
    )

    def begin(self) -> None:
        self._started: list[_Started] = []

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr != "start" or node.args or node.keywords:
            return
        if self._session_wide(node):
            return
        analysis = analysis_for(self.ctx)
        scope = analysis.scope_at(node)
        receiver = func.value
        if isinstance(receiver, ast.Call):
            api = analysis.api(receiver.func, scope)
            if api is not None and not api.via_mocker and api.name in PATCHERS:
                patch = parse_patch(receiver, api)
                if patch is not None:
                    self._started.append(_Started(node, patch, (), scope))
            return
        chain = dotted_chain(receiver)
        if chain is None or len(chain) > 2:
            return
        patcher = analysis.eval(receiver, scope)
        if isinstance(patcher, PatcherSym):
            self._started.append(_Started(node, patcher.patch, tuple(chain), scope))

    def end(self) -> None:
        if not self._started or self._stopall_anywhere():
            return
        for started in self._started:
            if self._stopped(started):
                continue
            self.report(started.call, patcher=self._shown(started), target=self._target(started.patch),
                        advice=self._advice(started))

    def _session_wide(self, node: ast.AST) -> bool:
        """A patch meant to last the whole session: a pytest hook, a session fixture, a conftest's top level."""
        functions = [a for a in self.ctx.ancestors(node) if isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef))]
        if not functions:
            return self.ctx.role != FileRole.TEST
        for function in functions:
            if function.name.startswith("pytest_"):
                return True
            decorator = self.ctx.fixture_decorator(function)
            if isinstance(decorator, ast.Call) and any(
                    k.arg == "scope" and isinstance(k.value, ast.Constant) and k.value.value == "session"
                    for k in decorator.keywords):
                return True
        return False

    # -- is it stopped? -------------------------------------------------------------
    def _stopped(self, started: _Started) -> bool:
        """Stopped, or possibly stopped somewhere we cannot see."""
        chain = started.chain
        cls = next((s.cls for s in started.scope.functions() if s.cls is not None), None)
        if not chain:
            return cls is not None and not self._plain_test_class(cls.node, started.scope)
        if len(chain) == 1:
            region = self._binding_region(chain[0], started.scope)
            return self._references_stop(region, chain)
        if cls is None or not self._plain_test_class(cls.node, started.scope):
            return True
        method = started.scope.function
        args = [*method.args.posonlyargs, *method.args.args] if isinstance(
            method, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
        if not args or args[0].arg != chain[0]:
            return True
        return self._references_stop(cls.node, chain)

    def _binding_region(self, name: str, scope: Scope) -> ast.AST:
        for function_scope in scope.functions():
            assert function_scope.function is not None
            if name in function_scope.module.function_locals(function_scope.function):
                return function_scope.function
        return self.ctx.tree

    def _references_stop(self, region: ast.AST, chain: tuple[str, ...]) -> bool:
        """``<chain>.stop`` is referenced in ``region``, or the patcher escapes it."""
        for node in ast.walk(region):
            if dotted_chain(node) != list(chain) or (len(chain) > 1 and not isinstance(node, ast.Attribute)):
                continue
            if len(chain) == 1 and not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)):
                continue
            parent = self.ctx.parent(node)
            if isinstance(parent, ast.Attribute) and parent.value is node:
                if parent.attr == "stop":
                    return True
                continue
            if isinstance(parent, ast.Assign) and node in parent.targets:
                continue
            if isinstance(parent, ast.AnnAssign) and node is parent.target:
                continue
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                continue
            return True  # handed elsewhere: returned, stored, passed on
        return False

    def _plain_test_class(self, cls: ast.ClassDef, scope: Scope) -> bool:
        """A class whose bases cannot stop patchers behind our back."""
        for base in cls.bases:
            name = self.ctx.qualname(base)
            if name not in PLAIN_TEST_BASES:
                return False
        return True

    def _stopall_anywhere(self) -> bool:
        analysis = analysis_for(self.ctx)
        scope = Scope(analysis.current)
        for node in ast.walk(self.ctx.tree):
            if isinstance(node, ast.Attribute) and node.attr == "stopall":
                api = analysis.api(node, scope)
                chain = dotted_chain(node)
                if api is not None or (chain is not None and chain[0] in MOCKER_FIXTURES):
                    return True
        for conftest in analysis.conftests(analysis.current):
            if any(isinstance(node, ast.Attribute) and node.attr == "stopall" for node in ast.walk(conftest.tree)):
                return True
        return False

    # -- message ---------------------------------------------------------------------
    def _shown(self, started: _Started) -> str:
        if started.chain:
            return ".".join(started.chain)
        call = started.patch.node
        target = started.patch.target_string
        if target is not None and len(call.args) == 1 and not call.keywords:
            return f'{source_of(self.ctx, call.func)}("{target}")'
        return f"{source_of(self.ctx, call.func)}(...)"

    def _target(self, patch: PatchCall) -> str:
        if patch.target_string:
            return patch.target_string
        target = patch.target if patch.api != "patch.dict" else patch.get("in_dict")
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            return target.value
        shown = " ".join(source_of(self.ctx, target).split()) if target is not None else "..."
        return f"{shown}.{patch.attribute}" if patch.api == "patch.object" and patch.attribute else shown

    @staticmethod
    def _advice(started: _Started) -> str:
        if not started.chain:
            return "keep the patcher and stop it in teardown, or use `with`/`mocker.patch`"
        name = ".".join(started.chain)
        return (f"stop it in teardown (`addCleanup({name}.stop)`, after a fixture's `yield`) "
                "or use `with`/`mocker.patch`")
