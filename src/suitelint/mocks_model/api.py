"""Recognising mock APIs by name, and reading the arguments of ``patch`` calls.

``unittest.mock`` and the ``mock`` backport are recognised by qualified name
(so every import spelling works: ``from unittest import mock``,
``import unittest.mock as um``, ``from unittest.mock import patch as p``);
pytest-mock by a parameter named like one of its fixtures (``mocker``,
``module_mocker``...) of an enclosing function.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable

MOCK_MODULES = ("unittest.mock", "mock")
MOCK_CLASSES = frozenset({
    "Mock", "MagicMock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock", "PropertyMock", "ThreadingMock",
})
SYNC_CALLABLE_MOCKS = frozenset({"Mock", "MagicMock"})
PATCHERS = frozenset({"patch", "patch.object", "patch.dict", "patch.multiple"})
MOCK_API = MOCK_CLASSES | PATCHERS | frozenset({"patch.stopall", "create_autospec", "DEFAULT", "seal"})
MOCKER_FIXTURES = frozenset({"mocker", "module_mocker", "class_mocker", "package_mocker", "session_mocker"})
MOCKER_API = MOCK_CLASSES | PATCHERS | frozenset({
    "create_autospec", "spy", "stub", "async_stub", "stopall", "resetall", "DEFAULT", "seal",
})
MONKEYPATCH_FIXTURES = frozenset({"monkeypatch"})

# the assertion methods of Mock and AsyncMock
CALL_ASSERTIONS = frozenset({
    "assert_called", "assert_called_once", "assert_called_with", "assert_called_once_with",
    "assert_any_call", "assert_has_calls", "assert_not_called",
})
AWAIT_ASSERTIONS = frozenset({
    "assert_awaited", "assert_awaited_once", "assert_awaited_with", "assert_awaited_once_with",
    "assert_any_await", "assert_has_awaits", "assert_not_awaited",
})
ASSERTIONS = CALL_ASSERTIONS | AWAIT_ASSERTIONS
# assert_called* -> the AsyncMock assertion that also checks the await
AWAITED_EQUIVALENT = {
    "assert_called": "assert_awaited",
    "assert_called_once": "assert_awaited_once",
    "assert_called_with": "assert_awaited_with",
    "assert_called_once_with": "assert_awaited_once_with",
    "assert_any_call": "assert_any_await",
    "assert_has_calls": "assert_has_awaits",
}
# `called_once_with` & co.: attributes a mock creates on access that look like assertions
# (`called` is a real attribute: the bool `m.called`)
LOOKALIKES = {name[len("assert_"):]: name for name in ASSERTIONS if name != "assert_called"}
# these take no arguments, so `assert m.called_once` can become `m.assert_called_once()`
NO_ARGUMENT_ASSERTIONS = frozenset({
    "assert_called", "assert_called_once", "assert_not_called", "assert_awaited", "assert_awaited_once",
    "assert_not_awaited",
})
MISSPELLING_PREFIXES = ("assert", "assret", "asert", "aseert", "assrt", "asssert")
# fixtures of other libraries whose names contain "mock" and that have their own assert_* methods
OTHER_MOCK_FIXTURES = frozenset({"httpx_mock", "requests_mock", "respx_mock", "aioresponses", "responses",
                                 "aresponses", "mocker", "mock_server", "httpserver"})

_POSITIONAL = {
    "patch": ("target", "new", "spec", "create", "spec_set", "autospec", "new_callable"),
    "patch.object": ("target", "attribute", "new", "spec", "create", "spec_set", "autospec", "new_callable"),
    "patch.multiple": ("target", "spec", "create", "spec_set", "autospec", "new_callable"),
    "patch.dict": ("in_dict", "values", "clear"),
}
_OPTIONS = frozenset({"target", "attribute", "new", "spec", "create", "spec_set", "autospec", "new_callable",
                      "unsafe", "in_dict", "values", "clear"})


@dataclass(frozen=True)
class ApiName:
    """A recognised mock API: ``name`` is canonical (``Mock``, ``patch.object``...)."""

    name: str
    via_mocker: bool = False
    module: str | None = None  # "unittest.mock" or "mock" when reached through an import


# the last component of every API name: a cheap filter before resolving names
_LAST_NAMES = frozenset(n.rsplit(".", 1)[-1] for n in MOCK_API | MOCKER_API)


def mock_api(expr: ast.AST, qualname: Callable[[ast.AST], str | None],
             is_fixture_param: Callable[[str], bool]) -> ApiName | None:
    """The mock API ``expr`` names, if any."""
    if isinstance(expr, ast.Attribute) and expr.attr not in _LAST_NAMES:
        return None
    if not isinstance(expr, (ast.Name, ast.Attribute)):
        return None
    name = qualname(expr)
    if name is not None:
        for module in MOCK_MODULES:
            if name.startswith(module + "."):
                rest = name[len(module) + 1:]
                if rest in MOCK_API:
                    return ApiName(rest, module=module)
        return None
    parts: list[str] = []
    current: ast.AST = expr
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    if isinstance(current, ast.Name) and current.id in MOCKER_FIXTURES and parts:
        rest = ".".join(reversed(parts))
        if rest in MOCKER_API and is_fixture_param(current.id):
            return ApiName(rest, via_mocker=True)
    return None


@dataclass(frozen=True, eq=False)
class PatchCall:
    """The arguments of a ``patch``-family call (``unittest.mock`` or pytest-mock)."""

    node: ast.Call
    api: str  # patch | patch.object | patch.dict | patch.multiple
    via_mocker: bool
    arguments: dict[str, ast.expr] = field(default_factory=dict)
    extra: dict[str, ast.expr] = field(default_factory=dict)  # other keywords
    certain: bool = True  # no *args / **kwargs

    def get(self, name: str) -> ast.expr | None:
        return self.arguments.get(name)

    @property
    def target(self) -> ast.expr | None:
        return self.arguments.get("target")

    @property
    def target_string(self) -> str | None:
        target = self.target
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            return target.value.strip()
        return None

    @property
    def attribute(self) -> str | None:
        attribute = self.arguments.get("attribute")
        if isinstance(attribute, ast.Constant) and isinstance(attribute.value, str):
            return attribute.value
        return None

    @property
    def create(self) -> bool:
        create = self.arguments.get("create")
        return isinstance(create, ast.Constant) and bool(create.value)

    @property
    def call_name(self) -> str:
        return ("mocker." if self.via_mocker else "") + self.api


def parse_patch(node: ast.Call, api: ApiName) -> PatchCall | None:
    """Read a ``patch``/``patch.object``/``patch.multiple``/``patch.dict`` call."""
    names = _POSITIONAL.get(api.name)
    if names is None:
        return None
    arguments: dict[str, ast.expr] = {}
    extra: dict[str, ast.expr] = {}
    certain = True
    for index, arg in enumerate(node.args):
        if isinstance(arg, ast.Starred):
            certain = False
            break
        if index < len(names):
            arguments[names[index]] = arg
    for keyword in node.keywords:
        if keyword.arg is None:
            certain = False
        elif keyword.arg in _OPTIONS and keyword.arg in names:
            arguments[keyword.arg] = keyword.value
        elif keyword.arg != "unsafe":
            extra[keyword.arg] = keyword.value
    return PatchCall(node=node, api=api.name, via_mocker=api.via_mocker, arguments=arguments, extra=extra,
                     certain=certain)


def is_default_sentinel(expr: ast.expr | None, qualname: Callable[[ast.AST], str | None]) -> bool:
    if expr is None:
        return False
    name = qualname(expr)
    if name in {f"{m}.DEFAULT" for m in MOCK_MODULES}:
        return True
    return isinstance(expr, ast.Attribute) and expr.attr == "DEFAULT" and isinstance(expr.value, ast.Name) \
        and expr.value.id in MOCKER_FIXTURES
