"""What a test or fixture requests: the names pytest will look up as fixtures.

A test requests its parameters as pytest's ``getfuncargnames`` computes
them (no defaults, no positional-only, ``self``/``cls`` dropped, the
leading mocks of ``mock.patch`` decorators dropped), minus the names that
``@pytest.mark.parametrize`` (function, class or module level, direct or
``indirect``), ``hypothesis.given`` or a ``pytest_generate_tests`` hook
provide; plus every ``@pytest.mark.usefixtures`` name on it, its classes and
its module.  When a decorator we do not know could change the signature
(``@respx.mock``, ``@aioresponses()``, a project decorator...) the
parameters are left alone: :attr:`TestRequests.arguments_known` is False.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from suitelint.pytest_model.fixture_defs import (
    dotted,
    is_fixture_decorator_name,
    is_staticmethod,
    mock_patch_count,
    module_level_statements,
    requested_argnames,
    string_names,
)

if TYPE_CHECKING:
    from suitelint.core.context import FileContext

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

# decorators that leave the parameters pytest sees alone (or that we model)
SIGNATURE_PRESERVING = frozenset({
    "staticmethod", "classmethod", "property", "typing.overload", "typing_extensions.overload",
    "hypothesis.given", "hypothesis.settings", "hypothesis.example", "hypothesis.seed",
    "hypothesis.reproduce_failure", "unittest.skip", "unittest.skipIf", "unittest.skipUnless",
    "unittest.expectedFailure", "unittest.mock.patch", "unittest.mock.patch.object",
    "unittest.mock.patch.dict", "mock.patch", "mock.patch.object", "mock.patch.dict",
    "freezegun.freeze_time", "time_machine.travel", "responses.activate", "moto.mock_aws",
    "django.test.override_settings", "django.test.utils.override_settings", "pytest_asyncio.fixture",
    "warnings.catch_warnings", "functools.wraps", "contextlib.contextmanager", "abc.abstractmethod",
    "asyncio.coroutine", "pytest.mark",
})
INJECTING_KEYWORDS = {"freezegun.freeze_time": "as_arg", "time_machine.travel": "as_arg"}


@dataclass
class Request:
    name: str
    node: ast.AST  # the ast.arg, or the string constant of usefixtures
    kind: str  # "argument" | "usefixtures"


@dataclass
class TestRequests:
    requests: list[Request] = field(default_factory=list)
    arguments_known: bool = True
    provided: set[str] = field(default_factory=set)  # parametrize/given/generate_tests names


def is_mark(ctx: FileContext, node: ast.AST, mark: str | None = None) -> bool:
    """``pytest.mark.X`` (or a module alias of it), optionally a given X."""
    name = mark_name(ctx, node)
    return name is not None and (mark is None or name == mark)


def mark_aliases(ctx: FileContext) -> dict[str, ast.expr]:
    """Module names bound to marks (``slow = pytest.mark.slow``, ``families = pytest.mark.parametrize(...)``)."""
    cached = ctx.__dict__.get("_sl_mark_aliases")
    if cached is None:
        cached = {}
        for stmt in module_level_statements(ctx.tree.body):
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                value = stmt.value.func if isinstance(stmt.value, ast.Call) else stmt.value
                name = ctx.qualname(value) or ""
                if name.startswith("pytest.mark.") and stmt.targets[0].id != "pytestmark":
                    cached[stmt.targets[0].id] = stmt.value
        ctx.__dict__["_sl_mark_aliases"] = cached
    return cached


def resolve_mark(ctx: FileContext, node: ast.expr) -> ast.expr:
    """The mark expression itself when ``node`` names a module-level alias of one."""
    if isinstance(node, ast.Name):
        return mark_aliases(ctx).get(node.id, node)
    return node


def marks_of(ctx: FileContext, func: FunctionNode | None, classes: tuple[ast.ClassDef, ...]) -> list[ast.expr]:
    """Mark expressions applying to a test: its decorators, its classes' and the module's ``pytestmark``.

    A class's marks, like the module's, are read once per file (not once per test of the class).
    """
    found: list[ast.expr] = []
    if func is not None:
        found.extend(d for d in func.decorator_list if is_mark(ctx, d))
    class_marks: dict[int, tuple[ast.ClassDef, list[ast.expr]]] = ctx.__dict__.setdefault("_sl_class_marks", {})
    for cls in classes:
        cached = class_marks.get(id(cls))
        if cached is None or cached[0] is not cls:
            marks = [d for d in cls.decorator_list if is_mark(ctx, d)]
            for stmt in cls.body:
                marks.extend(_pytestmark_values(ctx, stmt))
            cached = class_marks[id(cls)] = (cls, marks)
        found.extend(cached[1])
    module_marks = ctx.__dict__.get("_sl_module_marks")
    if module_marks is None:
        module_marks = [m for stmt in ctx.tree.body for m in _pytestmark_values(ctx, stmt)]
        ctx.__dict__["_sl_module_marks"] = module_marks
    found.extend(module_marks)
    return found


def _pytestmark_values(ctx: FileContext, stmt: ast.stmt) -> list[ast.expr]:
    value: ast.expr | None = None
    if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in stmt.targets):
        value = stmt.value
    elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "pytestmark":
        value = stmt.value
    if value is None:
        return []
    elements = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
    return [e for e in elements if is_mark(ctx, e)]


def mark_name(ctx: FileContext, node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        node = mark_aliases(ctx).get(node.id, node)
    target = node.func if isinstance(node, ast.Call) else node
    name = ctx.qualname(target)
    if name is None or not name.startswith("pytest.mark."):
        return None
    parts = name.split(".")
    return parts[2] if len(parts) > 2 else None


def usefixtures_requests(ctx: FileContext, marks: list[ast.expr]) -> tuple[list[Request], bool]:
    """``usefixtures`` names among marks, and whether all of them were literal."""
    requests: list[Request] = []
    literal = True
    for mark in map(lambda m: resolve_mark(ctx, m), marks):
        if mark_name(ctx, mark) != "usefixtures" or not isinstance(mark, ast.Call):
            continue
        for argument in mark.args:
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                requests.append(Request(argument.value, argument, "usefixtures"))
            else:
                literal = False
    return requests, literal


def parametrized_names(ctx: FileContext, marks: list[ast.expr]) -> tuple[set[str], bool]:
    """Argnames of ``parametrize`` marks, and whether they were all literal."""
    names: set[str] = set()
    literal = True
    for mark in map(lambda m: resolve_mark(ctx, m), marks):
        if mark_name(ctx, mark) != "parametrize" or not isinstance(mark, ast.Call):
            continue
        first = mark.args[0] if mark.args else next((k.value for k in mark.keywords if k.arg == "argnames"), None)
        found = string_names(first) if first is not None else None
        if found is None:
            literal = False
        else:
            names.update(found)
    return names, literal


def decorators_preserve_signature(ctx: FileContext, func: FunctionNode) -> bool:
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if is_mark(ctx, decorator):
            continue
        name = ctx.qualname(target) or dotted(target) or ""
        if is_fixture_decorator_name(name):
            continue
        if name in SIGNATURE_PRESERVING:
            keyword = INJECTING_KEYWORDS.get(name)
            if keyword and isinstance(decorator, ast.Call) and any(k.arg == keyword for k in decorator.keywords):
                return False
            continue
        if name.startswith(("unittest.mock.patch", "mock.patch")):
            continue
        return False
    return True


def given_names(ctx: FileContext, func: FunctionNode) -> tuple[set[str], int]:
    """Parameters ``hypothesis.given`` fills: keyword names, and how many rightmost positional ones."""
    names: set[str] = set()
    positional = 0
    for decorator in func.decorator_list:
        if isinstance(decorator, ast.Call) and ctx.qualname(decorator.func) == "hypothesis.given":
            names.update(k.arg for k in decorator.keywords if k.arg)
            positional += len(decorator.args)
    return names, positional


def function_arguments(ctx: FileContext, func: FunctionNode, *, in_class: bool) -> list[ast.arg] | None:
    """The parameters pytest fills with fixtures (None when a decorator makes it unknowable)."""
    if not decorators_preserve_signature(ctx, func):
        return None
    arguments = requested_argnames(func, in_class=in_class, is_static=is_staticmethod(func))
    mocks = mock_patch_count(func, ctx.qualname)
    if mocks is None:
        return None
    arguments = arguments[mocks:]
    names, positional = given_names(ctx, func)
    if positional:
        arguments = arguments[: len(arguments) - positional] if positional <= len(arguments) else []
    return [a for a in arguments if a.arg not in names]


def test_requests(ctx: FileContext, func: FunctionNode, classes: tuple[ast.ClassDef, ...], *,
                  unittest: bool = False) -> TestRequests:
    marks = marks_of(ctx, func, classes)
    result = TestRequests()
    usefixtures, _ = usefixtures_requests(ctx, marks)
    result.requests.extend(usefixtures)
    if unittest:
        return result
    provided, parametrize_literal = parametrized_names(ctx, marks)
    result.provided |= provided
    arguments = function_arguments(ctx, func, in_class=bool(classes))
    if arguments is None or not parametrize_literal:
        result.arguments_known = False
        return result
    result.requests.extend(Request(a.arg, a, "argument") for a in arguments if a.arg not in provided)
    return result


def fixture_requests(ctx: FileContext, func: FunctionNode, *, in_class: bool) -> list[Request] | None:
    arguments = function_arguments(ctx, func, in_class=in_class)
    if arguments is None:
        return None
    return [Request(a.arg, a, "argument") for a in arguments]
