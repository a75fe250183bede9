"""Mock values: what ``Mock(...)``, ``create_autospec``, pytest-mock and ``patch`` put in place.

A :class:`~.symbols.MockSym` records whether the mock behaves as an
``AsyncMock`` (constructed as one, specced on a coroutine function, or made
by ``patch`` over a coroutine function), and whether its calls can still give
an awaitable (``wraps=``, an async ``side_effect``, a future as
``return_value``), which keeps TST301 silent.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from suitelint.mocks_model.api import (
    MOCK_CLASSES,
    PATCHERS,
    ApiName,
    PatchCall,
    is_default_sentinel,
    parse_patch,
)
from suitelint.mocks_model.project import FunctionNode
from suitelint.mocks_model.scope import Scope
from suitelint.mocks_model.symbols import (
    ASYNC,
    SYNC,
    UNKNOWN,
    ClassSym,
    ConstSym,
    ExternalSym,
    FunctionSym,
    InstanceSym,
    Missing,
    MockSym,
    ModuleSym,
    PatcherSym,
    Symbol,
)
from suitelint.mocks_model.text import unparsed

if TYPE_CHECKING:
    from suitelint.mocks_model.symbols import FunctionInfo, Kind

AWAITABLE_WORDS = ("future", "task", "coro", "await", "async", "gather", "run_in_executor", "to_thread")


class MockValues:
    """Mixin of :class:`~.evaluate.Analysis`: the mocks calls and patches make."""

    if TYPE_CHECKING:
        def eval(self, expr: ast.AST | None, scope: Scope) -> Symbol | None: ...
        def qualname(self, expr: ast.AST, scope: Scope) -> str | None: ...
        def api(self, expr: ast.AST, scope: Scope) -> ApiName | None: ...
        def kind(self, func: FunctionInfo) -> Kind | None: ...
        def member(self, owner: Symbol, name: str) -> Symbol | Missing | None: ...
        def resolve_qualified(self, dotted: str) -> Symbol | Missing | None: ...
        def _assigned_chains(self, scope: Scope) -> dict[str, list[tuple[tuple[int, int], str, ast.AST]]]: ...

    def _eval_api_call(self, call: ast.Call, api: ApiName, scope: Scope) -> Symbol | None:
        name = api.name
        if name in MOCK_CLASSES:
            return self.mock_from_constructor(call, name, scope)
        if name == "create_autospec":
            spec = self._argument(call, 0, "spec")
            kind = self._kind_of_spec(spec, scope)
            return MockSym(kind, name, origin=call, configured=True, specced=True, spec=self._spec_symbol(spec, scope))
        if api.via_mocker and name == "stub":
            return MockSym(SYNC, name, origin=call)
        if api.via_mocker and name == "async_stub":
            return MockSym(ASYNC, name, origin=call)
        if api.via_mocker and name == "spy":
            target = self.eval(self._argument(call, 0, "obj"), scope)
            attribute = self._argument(call, 1, "name")
            kind = UNKNOWN
            if target is not None and isinstance(attribute, ast.Constant) and isinstance(attribute.value, str):
                spied = self.member(target, attribute.value)
                if isinstance(spied, FunctionSym):
                    spied_kind = self.kind(spied.func)
                    kind = ASYNC if spied_kind is not None and spied_kind.detected else UNKNOWN
            return MockSym(kind, name, origin=call, configured=True)
        if name in PATCHERS:
            patch = parse_patch(call, api)
            if patch is None:
                return None
            if api.via_mocker:
                return self.patch_mock(patch, scope)
            return PatcherSym(patch, scope)
        return None

    @staticmethod
    def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
        for item in call.keywords:
            if item.arg == keyword:
                return item.value
        if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
            return call.args[position]
        return None

    def mock_from_constructor(self, call: ast.Call, name: str, scope: Scope) -> MockSym:
        """The mock a ``Mock(...)``/``MagicMock(...)``/``AsyncMock(...)`` call makes."""
        keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
        splat = any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args)
        configured = bool(call.args) or splat or any(k != "name" for k in keywords)
        spec = keywords.get("spec_set") or keywords.get("spec") or (call.args[0] if call.args else None)
        if name == "AsyncMock":
            kind = ASYNC
        elif splat:
            kind = UNKNOWN
        else:
            kind = SYNC if spec is None else self._kind_of_spec(spec, scope)
        awaitable = name != "AsyncMock" and self.may_return_awaitable(keywords, scope)
        return MockSym(kind, name, origin=call, may_return_awaitable=awaitable, configured=configured,
                       specced=spec is not None or splat, spec=self._spec_symbol(spec, scope))

    def _spec_symbol(self, spec: ast.expr | None, scope: Scope) -> Symbol | None:
        if spec is None or isinstance(spec, (ast.List, ast.Tuple)):
            return None
        return self.eval(spec, scope)

    def mock_child(self, owner: MockSym, name: str) -> MockSym | None:
        """``mock.name``: a child mock of the same kind, or what a spec says it is."""
        if not owner.specced:
            return MockSym(owner.kind, "child")
        spec = owner.spec
        if not isinstance(spec, (ClassSym, InstanceSym, ModuleSym)):
            return MockSym(UNKNOWN, "child")
        attribute = self.member(spec, name)
        if isinstance(attribute, FunctionSym):
            kind = self.kind(attribute.func)
            if kind is not None and (kind.detected or kind.value == SYNC):
                return MockSym(ASYNC if kind.detected else SYNC, "child")
        if isinstance(attribute, Missing):
            return None  # a specced mock has no such attribute
        return MockSym(UNKNOWN, "child")

    def _kind_of_spec(self, spec: ast.expr | None, scope: Scope) -> str:
        """``async`` when a mock specced on this is an AsyncMock, ``sync`` when not, else unknown."""
        if spec is None:
            return UNKNOWN
        if isinstance(spec, (ast.List, ast.Tuple)):
            return SYNC
        value = self.eval(spec, scope)
        if isinstance(value, FunctionSym):
            kind = self.kind(value.func)
            if kind is None:
                return UNKNOWN
            return ASYNC if kind.detected else (SYNC if kind.value == SYNC else UNKNOWN)
        if isinstance(value, (ClassSym, InstanceSym, ModuleSym)):
            return SYNC
        if isinstance(value, MockSym):
            return value.kind
        return UNKNOWN

    def may_return_awaitable(self, keywords: dict[str, ast.expr], scope: Scope) -> bool:
        """Whether awaiting the calls of a sync mock configured with these keywords can still work.

        True with ``wraps=``, a ``side_effect`` that raises or returns awaitables,
        or an awaitable ``return_value``: such a sync mock is not a bug to report.
        """
        if "wraps" in keywords:
            return True
        side_effect = keywords.get("side_effect")
        if side_effect is not None and self.side_effect_works_awaited(side_effect, scope):
            return True
        return_value = keywords.get("return_value")
        return return_value is not None and self.maybe_awaitable(return_value, scope)

    def configured_awaitable(self, handles: tuple[str, ...], scope: Scope) -> bool:
        """Whether the function configures the mock reached by one of ``handles`` to work when awaited.

        ``conn.connect = Mock()`` followed by ``conn.connect.return_value =
        loop.create_future()`` returns an awaitable after all.
        """
        if scope.function is None or isinstance(scope.function, ast.Lambda) or not handles:
            return False
        chains = self._assigned_chains(scope)
        for handle in handles:
            for _, kind, value in chains.get(f"{handle}.return_value", []):
                if kind == "value" and isinstance(value, ast.expr) and self.maybe_awaitable(value, scope):
                    return True
            for _, kind, value in chains.get(f"{handle}.side_effect", []):
                if kind == "value" and isinstance(value, ast.expr) and self.side_effect_works_awaited(value, scope):
                    return True
        return False

    def side_effect_works_awaited(self, expr: ast.expr, scope: Scope) -> bool:
        """A side effect that raises (the same exception surfaces at the ``await``) or returns awaitables."""
        if isinstance(expr, ast.Lambda):
            return self.maybe_awaitable(expr.body, scope)
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            return all(self._raises(e, scope) or self.maybe_awaitable(e, scope) for e in expr.elts)
        if isinstance(expr, ast.Constant):
            return False
        if self._raises(expr, scope):
            return True
        if isinstance(expr, ast.Call):
            return self.maybe_awaitable(expr, scope)
        value = self.eval(expr, scope)
        if isinstance(value, FunctionSym):
            kind = self.kind(value.func)
            return kind is None or kind.value != SYNC
        if isinstance(value, (ConstSym, InstanceSym)):
            return False
        if isinstance(value, MockSym):
            return value.kind != SYNC
        return True

    def _raises(self, expr: ast.expr, scope: Scope) -> bool:
        """An exception class or instance (``ValueError``, ``TimeoutError("x")``, a project error class)."""
        target = expr.func if isinstance(expr, ast.Call) else expr
        value = self.eval(target, scope)
        if isinstance(value, ClassSym):
            return True
        return isinstance(value, ExternalSym) and value.name.rsplit(".", 1)[-1][:1].isupper()

    def maybe_awaitable(self, expr: ast.expr, scope: Scope) -> bool:
        """Whether a value might be awaitable (a coroutine, future or task)."""
        literal = (ast.Constant, ast.JoinedStr, ast.List, ast.Tuple, ast.Dict, ast.Set, ast.ListComp, ast.DictComp,
                   ast.SetComp, ast.GeneratorExp, ast.BinOp, ast.UnaryOp, ast.Compare, ast.Lambda, ast.Await)
        if isinstance(expr, literal):
            return False
        if isinstance(expr, ast.Call):
            api = self.api(expr.func, scope)
            if api is not None and api.name in MOCK_CLASSES:
                return False
            callee = self.eval(expr.func, scope)
            if isinstance(callee, FunctionSym):
                kind = self.kind(callee.func)
                return kind is None or kind.value != SYNC
            if isinstance(callee, ClassSym):
                return "__await__" in callee.cls.bindings
            if isinstance(callee, ExternalSym):
                return callee.name.startswith("asyncio.") or mentions_awaitable(callee.name)
            if isinstance(callee, MockSym):
                return callee.kind != SYNC
            return mentions_awaitable(unparsed(expr.func))
        if isinstance(expr, (ast.Name, ast.Attribute)):
            value = self.eval(expr, scope)
            if isinstance(value, (ConstSym, ClassSym, FunctionSym, ModuleSym, MockSym, ExternalSym)):
                return False
            if isinstance(value, InstanceSym):
                return "__await__" in value.cls.bindings
            if isinstance(expr, ast.Name):
                assigned = self._local_values(expr.id, scope)
                if assigned:  # `fut = loop.create_future()`: judge the assigned values
                    return any(self.maybe_awaitable(v, scope) for v in assigned if v is not expr)
            return mentions_awaitable(unparsed(expr))
        return mentions_awaitable(unparsed(expr))

    def _local_values(self, name: str, scope: Scope) -> list[ast.expr]:
        for function_scope in scope.functions():
            bindings = function_scope.module.function_locals(function_scope.function).get(name)  # type: ignore[arg-type]
            if bindings:
                return [b.value for b in bindings if b.kind == "value" and b.value is not None]
        return []

    def patch_target(self, patch: PatchCall, scope: Scope) -> Symbol | Missing | None:
        """What a ``patch``/``patch.object`` call replaces."""
        if patch.api == "patch":
            target = patch.target_string
            return self.resolve_qualified(target) if target else None
        if patch.api == "patch.object":
            owner = self.eval(patch.target, scope)
            attribute = patch.attribute
            if owner is None or attribute is None:
                return None
            return self.member(owner, attribute)
        return None

    def patch_mock(self, patch: PatchCall, scope: Scope) -> MockSym | None:
        """The mock a patch puts in place (None when ``new`` is not a mock or we cannot tell)."""
        if patch.api not in {"patch", "patch.object"} or not patch.certain:
            return None
        new = patch.get("new")
        if new is not None and not is_default_sentinel(new, lambda e: self.qualname(e, scope)):
            value = self.eval(new, scope)
            return value if isinstance(value, MockSym) else None
        awaitable = self.may_return_awaitable(patch.extra, scope)
        configured = bool(patch.extra)
        new_callable = patch.get("new_callable")
        specced = any(patch.get(k) is not None and not is_false(patch.get(k))
                      for k in ("spec", "spec_set", "autospec"))
        if new_callable is not None:
            api = self.api(new_callable, scope)
            if api is None or api.name not in MOCK_CLASSES:
                return None
            kind = ASYNC if api.name == "AsyncMock" else (UNKNOWN if specced else SYNC)
            return MockSym(kind, api.name, may_return_awaitable=awaitable, configured=configured, specced=specced)
        spec = patch.get("spec") or patch.get("spec_set")
        if spec is not None and not is_false(spec) and not (isinstance(spec, ast.Constant) and spec.value is True):
            return MockSym(self._kind_of_spec(spec, scope), "patch", may_return_awaitable=awaitable, configured=True,
                           specced=True, spec=self._spec_symbol(spec, scope))
        target = self.patch_target(patch, scope)
        kind = UNKNOWN
        if isinstance(target, FunctionSym):
            target_kind = self.kind(target.func)
            if target_kind is not None:
                kind = ASYNC if target_kind.detected else (SYNC if target_kind.value == SYNC else UNKNOWN)
        elif isinstance(target, (ClassSym, InstanceSym, ModuleSym, ConstSym)):
            kind = SYNC
        known_target = None if isinstance(target, Missing) else target
        return MockSym(kind, "patch", may_return_awaitable=awaitable, configured=configured or specced,
                       specced=specced, spec=known_target if specced else None)

    def patches_applied_to(self, function: FunctionNode, scope: Scope) -> list[PatchCall]:
        """``@patch``-family decorators of a test (method decorators, then its class's)."""
        found: list[PatchCall] = []
        decorators = list(reversed(function.decorator_list))
        if scope.cls is not None:
            decorators.extend(reversed(scope.cls.node.decorator_list))
        outer = scope.parent or scope.module_scope
        for decorator in decorators:
            if not isinstance(decorator, ast.Call):
                continue
            api = self.api(decorator.func, outer)
            if api is None or api.via_mocker or api.name not in PATCHERS:
                continue
            patch = parse_patch(decorator, api)
            if patch is not None:
                found.append(patch)
        return found

    def _patch_decorator_argument(self, function: FunctionNode, scope: Scope, position: int) -> MockSym | None:
        """The mock a ``@patch`` decorator passes as the ``position``-th positional argument."""
        if position < 0 or not function.decorator_list and (scope.cls is None or not scope.cls.node.decorator_list):
            return None
        outer = scope.parent or scope.module_scope
        passing: list[PatchCall] = []
        for patch in self.patches_applied_to(function, scope):
            new = patch.get("new")
            if patch.api in {"patch", "patch.object"} and (
                    new is None or is_default_sentinel(new, lambda e: self.qualname(e, outer))):
                passing.append(patch)
        if position < len(passing):
            return self.patch_mock(passing[position], outer)
        return None


def is_false(expr: ast.expr | None) -> bool:
    return isinstance(expr, ast.Constant) and expr.value in (False, None)


def mentions_awaitable(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in AWAITABLE_WORDS)
