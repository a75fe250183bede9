from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass

from suitelint.core.astwalk import CHILD_FIELDS, child_fields
from suitelint.core.context import SCOPE_NODES
from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.mocks_model import Analysis, Scope, analysis_for
from suitelint.mocks_model.api import PATCHERS, parse_patch
from suitelint.mocks_model.project import FunctionNode, walk_body
from suitelint.mocks_model.symbols import ASYNC, FunctionInfo, FunctionSym
from suitelint.mocks_model.text import source_of

SERVICE = """
class Service:
    async def refresh(self):
        ...

    async def is_ready(self):
        return True

    def name(self):
        return "service"


async def fetch_user(user_id):
    return {"id": user_id}
"""
DISCARDED = "is discarded and never runs"
ASSERTED = "is asserted on, and a coroutine is always true"
COMPARED = "is compared instead of its result"
TESTED = "is tested for truth, and a coroutine is always true"
REBOUND = "rebound"
USES = {ASSERTED: "asserted on", COMPARED: "compared", TESTED: "tested for truth"}


# the parents under which a call's value is discarded, asserted on, compared, tested or assigned
# (``not``/``and``/``or`` pass it on to theirs): any other parent hands the value on
_USING_PARENTS = frozenset({ast.Expr, ast.Compare, ast.Assert, ast.If, ast.While, ast.IfExp, ast.BoolOp,
                            ast.UnaryOp, ast.Assign})


@dataclass(frozen=True)
class _Assigned:
    call: ast.Call
    name: str
    function: FunctionNode


class CoroutineNeverAwaited(Rule):
    """
    ## What it does
    Flags a call to a coroutine function in test code whose result is
    discarded, asserted on, compared or tested for truth without `await`
    (directly, or through a variable that is then only asserted on or
    compared). Coroutine functions are the project's `async def`s (resolved
    across modules: functions, methods of instances and classes, methods of
    the test class through `self`) and `async def` helpers of the test file.

    Calls handed to something else are not flagged: `asyncio.run(...)`,
    `loop.run_until_complete(...)` (TST204 covers those), `create_task`,
    `gather`, or a `return` from a sync helper to an awaiting caller.

    ## Why is this bad?
    Calling a coroutine function only creates a coroutine object; its body
    runs when it is awaited. A discarded call does nothing (Python warns
    "coroutine ... was never awaited" when it is garbage collected), and a
    coroutine object is always truthy and equal only to itself, so
    `assert service.is_ready()` passes whatever `is_ready` would return.
    """

    code = "TST205"
    name = "coroutine-never-awaited"
    message = "`{call}` calls coroutine function `{function}` ({location}) without `await`: the coroutine {how}"
    examples = (
        Invalid(
            """
            from app.service import Service, fetch_user


            def test_refresh():
                service = Service()
                service.refresh()  # [TST205]
                assert service.is_ready()  # [TST205]
                assert fetch_user(1) == {"id": 1}  # [TST205]


            async def test_forgot_await():
                user = fetch_user(1)  # [TST205]
                assert user == {"id": 1}


            class TestHelpers:
                async def _login(self):
                    ...

                def test_login(self):
                    self._login()  # [TST205]
            """,
            files={"app/__init__.py": "", "app/service.py": SERVICE},
        ),
        Valid(
            """
            import asyncio

            from app.service import Service, fetch_user


            async def test_awaited():
                assert await fetch_user(1) == {"id": 1}
                user = fetch_user(2)
                assert await user == {"id": 2}


            def test_runners():
                asyncio.run(fetch_user(1))
                loop = asyncio.new_event_loop()
                loop.run_until_complete(fetch_user(1))


            async def test_tasks():
                task = asyncio.create_task(fetch_user(1))
                results = await asyncio.gather(fetch_user(1), fetch_user(2))
                await task


            def make_call():
                return fetch_user(1)  # the caller awaits


            def test_sync_and_mocked(mocker):
                assert Service().name() == "service"
                service = Service()
                service.refresh = mocker.Mock()
                service.refresh()
            """,
            files={"app/__init__.py": "", "app/service.py": SERVICE},
        ),
    )

    def begin(self) -> None:
        # `x = coroutine_function()`: decided at the end, from how `x` is used afterwards
        self._assigned: list[_Assigned] = []
        self._analysis: Analysis | None = None  # made on first need
        self._names: frozenset[str] | None = None  # the analysis's coroutine-name filter (None: no filter)
        self._names_known = False

    def visit_Call(self, node: ast.Call) -> None:
        parent = self.ctx.parents.get(id(node))
        kind = parent.__class__
        if kind not in _USING_PARENTS:
            return  # an argument, a receiver, a returned value...: handed on
        if kind is ast.Expr:
            how: str | None = DISCARDED
            name = None
        else:
            how = self._context(node, parent)
            name = self._assignment_target(node, parent) if how is None else None
            if how is None and name is None:
                return
        if self._names_known:  # the cheap filter first once it is known
            names = self._names
            called = node.func
            callee = called.attr if isinstance(called, ast.Attribute) else called.id if isinstance(called, ast.Name) \
                else None
            if callee is None or (names is not None and callee not in names):
                return
        function = self.ctx.enclosing_function(node)
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        analysis = self._analysis
        if analysis is None:
            analysis = self._analysis = analysis_for(self.ctx)
        # computed here the first time, as it always was: what it finds depends on the modules read so far
        passes = self._may_be_coroutine_call(node, analysis)
        self._names, self._names_known = analysis.maybe_coroutine_names(), True
        if not passes:
            return
        if name is not None:
            self._assigned.append(_Assigned(node, name, function))
            return
        func = self._coroutine_function(node, analysis, analysis.scope_at(node))
        if func is not None and how is not None:
            self._report(node, func, analysis, how)

    def end(self) -> None:
        wanted: dict[int, set[str]] = {}
        for assigned in self._assigned:
            wanted.setdefault(id(assigned.function), set()).add(assigned.name)
        uses_by_function: dict[int, dict[str, list[tuple[tuple[int, int], str | None]]]] = {}
        for assigned in self._assigned:
            uses = uses_by_function.get(id(assigned.function))
            if uses is None:
                uses = uses_by_function[id(assigned.function)] = self._name_uses(
                    assigned.function, wanted[id(assigned.function)])
            how = self._later_use(assigned, uses.get(assigned.name, []))
            if how is None:
                continue
            analysis = analysis_for(self.ctx)
            func = self._coroutine_function(assigned.call, analysis, analysis.scope_at(assigned.call))
            if func is not None:
                self._report(assigned.call, func, analysis,
                             f"is assigned to `{assigned.name}`, which is then {USES[how]} but never awaited")

    def _name_uses(self, function: FunctionNode,
                   names: set[str]) -> dict[str, list[tuple[tuple[int, int], str | None]]]:
        """Every use of the names in a function: position and how the value is used.

        Uses inside nested functions count as unknown (``None``): anything may happen there.
        """
        found: dict[str, list[tuple[tuple[int, int], str | None]]] = {}
        # breadth first, as ast.walk (the context and operator singletons skipped: they hold no name);
        # `nested`: below a def or lambda other than `function`
        queue: deque[tuple[ast.AST, bool]] = deque([(function, False)])
        pop, push = queue.popleft, queue.append
        node_type, name_type, table = ast.AST, ast.Name, CHILD_FIELDS
        while queue:
            node, nested = pop()
            cls = node.__class__
            if cls is name_type:
                if node.id in names:  # type: ignore[attr-defined]
                    self._record_use(node, nested, found)  # type: ignore[arg-type]
                continue
            inside = nested or (node is not function and isinstance(node, SCOPE_NODES))
            for field in table.get(cls) or child_fields(cls):
                value = getattr(node, field, None)
                if value.__class__ is list:
                    for item in value:
                        if isinstance(item, node_type):
                            push((item, inside))
                elif isinstance(value, node_type):
                    push((value, inside))
        return found

    def _record_use(self, node: ast.Name, nested: bool,
                    found: dict[str, list[tuple[tuple[int, int], str | None]]]) -> None:
        if not isinstance(node.ctx, ast.Load):
            how: str | None = REBOUND
        elif nested:
            how = None
        else:
            how = self._context(node, self.ctx.parent(node))
        found.setdefault(node.id, []).append(((node.lineno, node.col_offset), how))

    # -- where the call's value goes -------------------------------------------------
    def _context(self, node: ast.AST, parent: ast.AST | None) -> str | None:
        # `not`/`and`/`or` pass a coroutine's truthiness on: climb them (a loop, they nest deeply)
        while isinstance(parent, ast.BoolOp) or (isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)):
            node, parent = parent, self.ctx.parent(parent)
            outer = self._direct_context(node, parent)
            if outer is not None:
                return TESTED if outer in {ASSERTED, TESTED} else None
        return self._direct_context(node, parent) if not isinstance(node, (ast.BoolOp, ast.UnaryOp)) else None

    @staticmethod
    def _direct_context(node: ast.AST, parent: ast.AST | None) -> str | None:
        if isinstance(parent, ast.Expr):
            return DISCARDED
        if isinstance(parent, ast.Compare):
            return COMPARED
        if isinstance(parent, ast.Assert) and parent.test is node:
            return ASSERTED
        if isinstance(parent, (ast.If, ast.While, ast.IfExp)) and parent.test is node:
            return TESTED
        return None

    @staticmethod
    def _assignment_target(node: ast.Call, parent: ast.AST | None) -> str | None:
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            return parent.targets[0].id
        return None

    @staticmethod
    def _later_use(assigned: _Assigned, uses: list[tuple[tuple[int, int], str | None]]) -> str | None:
        """How the variable is used after the call: None unless only asserted on or compared."""
        found: str | None = None
        start = (assigned.call.lineno, assigned.call.col_offset)
        for position, how in sorted(uses):
            if position <= start:
                continue
            if how == REBOUND:
                break  # a new value: stop looking
            if how is None or how == DISCARDED:
                return None  # awaited, passed on, returned...
            found = found or how
        return found

    # -- the callee ----------------------------------------------------------------
    @staticmethod
    def _may_be_coroutine_call(node: ast.Call, analysis: Analysis) -> bool:
        """A cheap filter: an async (or decorated) def of the callee's name is reachable from this file."""
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        names = analysis.maybe_coroutine_names()
        return name is not None and (names is None or name in names)

    def _coroutine_function(self, node: ast.Call, analysis: Analysis, scope: Scope) -> FunctionInfo | None:
        callee = analysis.eval(node.func, scope)
        if not isinstance(callee, FunctionSym):
            return None
        kind = analysis.kind(callee.func)
        if kind is None or kind.value != ASYNC:
            return None
        if self._patched_in_test(callee.func.node.name, analysis, scope):
            return None
        return callee.func

    def _patched_in_test(self, name: str, analysis: Analysis, scope: Scope) -> bool:
        """A patch in the test (or its decorators) that may replace this name: stay silent."""
        for function_scope in scope.functions():
            function = function_scope.function
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            patches = list(analysis.patches_applied_to(function, function_scope))
            for child in walk_body(function.body):
                if isinstance(child, ast.Call):
                    api = analysis.api(child.func, function_scope)
                    if api is not None and api.name in PATCHERS:
                        patch = parse_patch(child, api)
                        if patch is not None:
                            patches.append(patch)
            for patch in patches:
                target = patch.target_string or ""
                if target == name or target.endswith("." + name) or patch.attribute == name:
                    return True
        return False

    def _report(self, node: ast.Call, func: FunctionInfo, analysis: Analysis, how: str) -> None:
        text = " ".join(source_of(self.ctx, node).split())
        shown = text if len(text) <= 50 else f"{' '.join(source_of(self.ctx, node.func).split())}(...)"
        self.report(node, call=shown, function=func.qualname, location=analysis.function_location(func), how=how)
