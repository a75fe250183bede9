"""Where a test puts a mock in place of something, and what that something is.

Replacement sites: ``obj.attr = <mock>``, ``setattr(obj, "attr", <mock>)``,
``monkeypatch.setattr(obj, "attr", <mock>)`` / ``("pkg.mod.attr", <mock>)``,
and ``patch``/``patch.object``/``patch.multiple`` (also ``mocker.patch*``)
with an explicit ``new``, a ``new_callable`` or ``patch.multiple`` keywords.
``patch()`` without ``new`` is not a replacement site here: ``unittest.mock``
picks ``AsyncMock`` for coroutine functions by itself.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from suitelint.core.context import FileContext
from suitelint.core.diagnostic import Applicability, Edit, Fix, Span
from suitelint.mocks_model.api import MOCK_CLASSES, is_default_sentinel, parse_patch
from suitelint.mocks_model.evaluate import Analysis
from suitelint.mocks_model.project import dotted_chain
from suitelint.mocks_model.scope import Scope
from suitelint.mocks_model.symbols import Missing, MockSym, Symbol


@dataclass(frozen=True)
class Replacement:
    mock: MockSym
    node: ast.expr  # the replacing expression, where findings are reported
    target: Symbol | Missing | None  # what is replaced
    mock_class: ast.expr | None  # the `Mock`/`MagicMock` class expression written at the site
    # names the test reaches the mock by (`obj.method`, `m`, `with patch(...) as m`), to see it configured
    handles: tuple[str, ...] = ()


def replacements_at(analysis: Analysis, node: ast.AST) -> tuple[Scope, list[Replacement]] | None:
    """The scope of a statement or call of the checked file and the replacements it makes.

    None when it cannot replace anything (:func:`may_replace`).  Computed once
    per node: the rules judging replacements (TST301, TST302) share the answer,
    which is what computing it again would give (nothing is under way between
    two rules' visits).
    """
    cache = analysis.replacements
    found = cache.get(id(node))
    if found is None:
        if may_replace(analysis, node):
            scope = analysis.scope_at(node)
            found = (node, (scope, replacements_in(analysis, node, scope)))
        else:
            found = (node, None)
        cache[id(node)] = found  # the node is kept: its id stays its own
    return found[1]


def replacements_in(analysis: Analysis, node: ast.AST, scope: Scope) -> list[Replacement]:
    """The mock replacements a statement or call makes (empty for anything else)."""
    found: list[Replacement] = []
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if node.value is None or not isinstance(analysis.eval(node.value, scope), MockSym):
            return found  # (what is assigned is no mock: what it replaces does not matter)
        for target in targets:
            if isinstance(target, ast.Attribute):
                handles = tuple(_chain(e) for e in (target, node.value) if _chain(e))
                _add(found, analysis, scope, node.value, _member(analysis, target.value, target.attr, scope), handles)
    elif isinstance(node, ast.Call):
        _from_call(found, analysis, node, scope)
    return found


def _chain(node: ast.AST) -> str:
    chain = dotted_chain(node)
    return ".".join(chain) if chain else ""


def _bound_names(analysis: Analysis, call: ast.Call) -> tuple[str, ...]:
    """The names a call's result is bound to: ``m = mocker.patch(...)``, ``with patch(...) as m``."""
    parent = analysis.ctx.parent(call)
    if isinstance(parent, ast.Assign):
        return tuple(_chain(t) for t in parent.targets if _chain(t))
    if isinstance(parent, ast.withitem) and parent.optional_vars is not None:
        name = _chain(parent.optional_vars)
        return (name,) if name else ()
    return ()


def _from_call(found: list[Replacement], analysis: Analysis, call: ast.Call, scope: Scope) -> None:
    func = call.func
    if isinstance(func, ast.Name) and func.id == "setattr" and len(call.args) == 3 and not call.keywords:
        attribute = _string(call.args[1])
        if attribute is not None:
            _add(found, analysis, scope, call.args[2], _member(analysis, call.args[0], attribute, scope))
        return
    if isinstance(func, ast.Attribute) and func.attr == "setattr" and analysis.is_monkeypatch(func.value, scope):
        args = call.args
        if len(args) >= 3 and _string(args[1]) is not None:
            _add(found, analysis, scope, args[2], _member(analysis, args[0], _string(args[1]) or "", scope))
        elif len(args) == 2 and _string(args[0]) is not None:
            _add(found, analysis, scope, args[1], analysis.resolve_qualified(_string(args[0]) or ""))
        return
    api = analysis.api(func, scope)
    if api is None:
        return
    patch = parse_patch(call, api)
    if patch is None or not patch.certain:
        return
    if patch.api == "patch.multiple":
        owner = _patch_multiple_owner(analysis, patch.target, scope)
        if owner is not None:
            for name, value in patch.extra.items():
                if not is_default_sentinel(value, lambda e: analysis.qualname(e, scope)):
                    _add(found, analysis, scope, value, analysis.member(owner, name))
        return
    if patch.api not in {"patch", "patch.object"}:
        return
    new = patch.get("new")
    if new is not None and not is_default_sentinel(new, lambda e: analysis.qualname(e, scope)):
        handles = (_chain(new),) if _chain(new) else ()
        _add(found, analysis, scope, new, analysis.patch_target(patch, scope), handles)
        return
    new_callable = patch.get("new_callable")
    if new_callable is not None:
        mock = analysis.patch_mock(patch, scope)
        if mock is not None:
            found.append(Replacement(mock, new_callable, analysis.patch_target(patch, scope), new_callable,
                                     _bound_names(analysis, call)))


def _patch_multiple_owner(analysis: Analysis, target: ast.expr | None, scope: Scope) -> Symbol | None:
    text = _string(target)
    value = analysis.resolve_qualified(text) if text is not None else analysis.eval(target, scope)
    return None if isinstance(value, Missing) else value


def _add(found: list[Replacement], analysis: Analysis, scope: Scope, value: ast.expr,
         target: Symbol | Missing | None, handles: tuple[str, ...] = ()) -> None:
    mock = analysis.eval(value, scope)
    if not isinstance(mock, MockSym):
        return
    mock_class = None
    if isinstance(value, ast.Call) and mock.origin is value:
        api = analysis.api(value.func, scope)
        if api is not None and api.name in MOCK_CLASSES:
            mock_class = value.func
    found.append(Replacement(mock, value, target, mock_class, handles))


def _member(analysis: Analysis, owner_expr: ast.expr, name: str, scope: Scope) -> Symbol | Missing | None:
    owner = analysis.eval(owner_expr, scope)
    return analysis.member(owner, name) if owner is not None else None


def _string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def rename_mock_class(ctx: FileContext, analysis: Analysis, expr: ast.expr, new_name: str, scope: Scope) -> Fix | None:
    """Rewrite a mock class expression (``Mock``, ``mock.Mock``, ``mocker.MagicMock``) to ``new_name``.

    A bare name gets the import it needs: an existing alias of the new class,
    else the new name appended to the ``from ... import`` that brought the old
    one in.  None when that import cannot be found or the name is taken.
    """
    title = f"Use `{new_name}`"
    if isinstance(expr, ast.Attribute) and expr.end_lineno is not None and expr.end_col_offset is not None:
        end = ctx.position(expr.end_lineno, expr.end_col_offset)
        start = ctx.position(expr.end_lineno, expr.end_col_offset - len(expr.attr))
        return Fix((Edit(Span(start, end), new_name),), Applicability.SAFE, title=title)
    if not isinstance(expr, ast.Name):
        return None
    qualified = analysis.qualname(expr, scope)
    if qualified is None or "." not in qualified:
        return None
    module = qualified.rsplit(".", 1)[0]
    wanted = f"{module}.{new_name}"
    current = analysis.current
    alias = next((name for name, target in current.imports.items() if target == wanted), None)
    edits: list[Edit] = []
    if alias is None:
        if new_name in current.bindings or new_name in ctx.imports:
            return None
        statement = _import_of(current.bindings.get(expr.id, []), qualified)
        if statement is None:
            return None
        last = statement.names[-1]
        if last.end_lineno is None or last.end_col_offset is None:
            return None
        edits.append(Edit.insert(last.end_lineno, ctx.column(last.end_lineno, last.end_col_offset), f", {new_name}"))
        alias = new_name
    edits.append(Edit(ctx.span(expr), alias))
    return Fix(tuple(edits), Applicability.SAFE, title=title)


def _import_of(bindings: list, qualified: str) -> ast.ImportFrom | None:
    for binding in bindings:
        if binding.kind == "import" and binding.target == qualified and isinstance(binding.node, ast.ImportFrom):
            return binding.node
    return None


_PATCH_CALLS = frozenset({"patch", "object", "multiple", "setattr"})


def may_replace_syntactically(node: ast.AST) -> bool:
    """The part of :func:`may_replace` that needs nothing but the node."""
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Attribute) for t in node.targets)
    if isinstance(node, ast.AnnAssign):
        return isinstance(node.target, ast.Attribute) and node.value is not None
    if isinstance(node, ast.Call):
        return may_call_replace(node)
    return False


def may_call_replace(node: ast.Call) -> bool:
    """:func:`may_replace_syntactically` for a call (``setattr(...)``, ``x.patch(...)``, ``name(...)``)."""
    func = node.func
    kind = func.__class__
    return kind is ast.Name or (kind is ast.Attribute and func.attr in _PATCH_CALLS)  # type: ignore[attr-defined]


def may_replace(analysis: Analysis, node: ast.AST) -> bool:
    """A cheap test before :func:`replacements_in`: could this statement or call replace something?"""
    if not may_replace_syntactically(node):
        return False
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id != "setattr":
        target = analysis.current.imports.get(node.func.id, "")
        return target.startswith(("unittest.mock.", "mock."))
    return True
