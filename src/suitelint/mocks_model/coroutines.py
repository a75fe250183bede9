"""Is calling this def a coroutine call?  A def's kind after its decorators.

``async def`` gives a coroutine function (an ``async def`` with ``yield`` is
an async generator: neither).  A plain ``def`` is sync unless its return
annotation or its returns say it hands back an awaitable.  Decorators are
followed one by one, innermost first:

- known to keep the function as is: ``staticmethod``, ``classmethod``,
  ``abc.abstractmethod``, ``typing.override``/``final``, ``pytest.mark.*``,
  and well-known coroutine-preserving libraries (``tenacity.retry``,
  ``backoff.on_exception``, ``warnings.deprecated``);
- ``contextlib.contextmanager`` makes a sync function;
- project decorators are read: one that returns the function itself keeps
  it; one returning an ``async def`` wrapper makes a coroutine function; a
  sync wrapper that returns ``func(...)`` keeps coroutine-ness but hides it
  from ``unittest.mock`` (``detected`` false); a decorator that picks its
  wrapper with ``iscoroutinefunction(func)`` keeps both;
- anything else (unresolvable or not understood): unknown, and the rules
  stay silent.
"""

from __future__ import annotations

import ast
import builtins
import sys
from typing import TYPE_CHECKING

from suitelint.mocks_model.project import FunctionNode, walk_body
from suitelint.mocks_model.scope import Scope
from suitelint.mocks_model.symbols import (
    ASYNC,
    SYNC,
    UNKNOWN,
    ClassSym,
    ExternalSym,
    FunctionInfo,
    FunctionSym,
    Kind,
)
from suitelint.mocks_model.text import unparsed

if TYPE_CHECKING:
    from suitelint.mocks_model.evaluate import Analysis

KEEPING_DECORATORS = frozenset({
    "staticmethod", "classmethod", "abc.abstractmethod", "typing.override", "typing_extensions.override",
    "typing.final", "typing_extensions.final", "typing.overload", "typing_extensions.overload",
    "typing.no_type_check", "warnings.deprecated", "typing_extensions.deprecated", "tenacity.retry",
    "backoff.on_exception", "backoff.on_predicate", "functools.wraps",
})
SYNC_DECORATORS = frozenset({"contextlib.contextmanager"})
AWAITABLE_ANNOTATIONS = ("Awaitable", "Coroutine", "Future", "Task", "Deferred")
AWAITABLE_RETURN_WORDS = ("future", "task", "coro", "gather", "run_in_executor", "to_thread", "wait_for")
_COROUTINE_CHECKS = ("iscoroutinefunction",)
_BUILTIN_NAMES = frozenset(dir(builtins))
_ASYNC_STDLIB = frozenset({"asyncio", "concurrent"})
_KEEP = "keep"
_ASYNC = "async"
_CALL_THROUGH = "call-through"
_SYNC = "sync"
_UNKNOWN = "unknown"
_MAX_DECORATOR_DEPTH = 3


def function_kind(analysis: Analysis, func: FunctionInfo) -> Kind:
    node = func.node
    if isinstance(node, ast.AsyncFunctionDef):
        kind = Kind(UNKNOWN) if _has_yield(node) else Kind(ASYNC, detected=True)
    elif _has_yield(node):
        kind = Kind(SYNC)
    else:
        kind = Kind(UNKNOWN) if _returns_awaitable(analysis, func) else Kind(SYNC)
    for decorator in reversed(node.decorator_list):
        effect = decorator_effect(analysis, func, decorator)
        if effect == _KEEP:
            continue
        if effect == _ASYNC:
            kind = Kind(ASYNC, detected=True)
        elif effect == _CALL_THROUGH:
            kind = Kind(kind.value, detected=False)
        elif effect == _SYNC:
            kind = Kind(SYNC)
        else:
            return Kind(UNKNOWN)
    return kind


def decorator_effect(analysis: Analysis, func: FunctionInfo, decorator: ast.expr) -> str:
    """What a decorator does to coroutine-ness: keep, async, call-through, sync or unknown."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    scope = Scope(func.module)
    name = analysis.qualname(target, scope) or ""
    if name in KEEPING_DECORATORS or name.startswith("pytest.mark."):
        return _KEEP
    if name in SYNC_DECORATORS:
        return _SYNC
    value = analysis.eval(target, scope)
    if isinstance(value, FunctionSym):
        return _project_decorator(analysis, value.func, isinstance(decorator, ast.Call), 0)
    if isinstance(value, ExternalSym) and value.name in KEEPING_DECORATORS:
        return _KEEP
    return _UNKNOWN


def _project_decorator(analysis: Analysis, decorator: FunctionInfo, factory: bool, depth: int) -> str:
    if depth > _MAX_DECORATOR_DEPTH:
        return _UNKNOWN
    node = decorator.node
    local_defs = _local_defs(node)
    if factory:
        returned = _returned_names(node)
        if len(returned) != 1 or returned[0] not in local_defs:
            return _UNKNOWN
        inner = FunctionInfo(decorator.module, local_defs[returned[0]])
        return _project_decorator(analysis, inner, False, depth + 1)
    params = [*node.args.posonlyargs, *node.args.args]
    if not params or isinstance(node, ast.AsyncFunctionDef):
        return _UNKNOWN
    wrapped = params[0].arg
    effects: set[str] = set()
    for value in _return_values(node):
        effects.add(_returned_effect(_unwrap_wraps(value, wrapped, analysis, decorator), wrapped, local_defs))
    if not effects or _UNKNOWN in effects:
        return _UNKNOWN
    if len(effects) == 1:
        return effects.pop()
    if effects == {_ASYNC, _CALL_THROUGH} and _checks_coroutine(node, wrapped):
        return _KEEP  # picks an async wrapper for coroutine functions, a sync one otherwise
    return _UNKNOWN


def _returned_effect(value: ast.expr, wrapped: str, local_defs: dict[str, FunctionNode]) -> str:
    if isinstance(value, ast.Name) and value.id == wrapped:
        return _KEEP
    if isinstance(value, ast.Name) and value.id in local_defs:
        wrapper = local_defs[value.id]
        if isinstance(wrapper, ast.AsyncFunctionDef):
            return _UNKNOWN if _has_yield(wrapper) else _ASYNC
        returns = _return_values(wrapper)
        if returns and all(isinstance(r, ast.Call) and isinstance(r.func, ast.Name) and r.func.id == wrapped
                           for r in returns):
            return _CALL_THROUGH
    return _UNKNOWN


def _unwrap_wraps(value: ast.expr, wrapped: str, analysis: Analysis, decorator: FunctionInfo) -> ast.expr:
    """``functools.wraps(f)(w)`` and ``functools.update_wrapper(w, f)`` stand for ``w``."""
    scope = Scope(decorator.module)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Call) and len(value.args) == 1:
        if analysis.qualname(value.func.func, scope) == "functools.wraps":
            return value.args[0]
    if isinstance(value, ast.Call) and analysis.qualname(value.func, scope) == "functools.update_wrapper" \
            and value.args:
        return value.args[0]
    return value


def _checks_coroutine(node: FunctionNode, wrapped: str) -> bool:
    for child in ast.walk(node):
        if isinstance(child, ast.If) and isinstance(child.test, ast.Call):
            func = child.test.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in _COROUTINE_CHECKS and any(isinstance(a, ast.Name) and a.id == wrapped for a in child.test.args):
                return True
    return False


def _local_defs(node: FunctionNode) -> dict[str, FunctionNode]:
    return {child.name: child for child in walk_body(node.body)
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _return_values(node: FunctionNode) -> list[ast.expr]:
    values: list[ast.expr] = []
    for child in walk_body(node.body):
        if isinstance(child, ast.Return):
            if child.value is None:
                return []
            values.append(child.value)
    return values


def _returned_names(node: FunctionNode) -> list[str]:
    return [v.id for v in _return_values(node) if isinstance(v, ast.Name)]


def _has_yield(node: FunctionNode) -> bool:
    return any(isinstance(child, (ast.Yield, ast.YieldFrom)) for child in walk_body(node.body))


def _returns_awaitable(analysis: Analysis, func: FunctionInfo) -> bool:
    """Whether a plain def may hand back something awaitable (then it is not plainly sync).

    Only returns that are clearly not awaitable keep it sync: literals, names,
    instances of project classes, calls to project sync defs and builtins.
    ``return self._client.get(url)`` on a third-party client may well be a
    coroutine, so such a def is unknown.
    """
    node = func.node
    if node.returns is not None and any(word in unparsed(node.returns) for word in AWAITABLE_ANNOTATIONS):
        return True
    scope = Scope(func.module, node, func.owner, parent=Scope(func.module))
    return any(_may_be_awaitable(analysis, value, scope) for value in _return_values(node))


def _may_be_awaitable(analysis: Analysis, value: ast.expr, scope: Scope) -> bool:
    text = unparsed(value).lower()
    if any(word in text for word in AWAITABLE_RETURN_WORDS):
        return True
    if isinstance(value, ast.IfExp):
        return _may_be_awaitable(analysis, value.body, scope) or _may_be_awaitable(analysis, value.orelse, scope)
    if not isinstance(value, ast.Call):
        return False
    callee = analysis.eval(value.func, scope)
    if isinstance(callee, FunctionSym):
        kind = analysis.kind(callee.func)
        return kind is None or kind.value != SYNC
    if isinstance(callee, ClassSym):
        return "__await__" in callee.cls.bindings
    if isinstance(callee, ExternalSym):
        return not _plain_external(callee.name)
    return True


def _plain_external(name: str) -> bool:
    """Builtins and the standard library (but asyncio & co.) never hand back coroutines."""
    root = name.split(".", 1)[0]
    if root in _ASYNC_STDLIB:
        return False
    return root in _BUILTIN_NAMES or root in sys.stdlib_module_names
