"""Which functions and classes of a test module pytest collects, read from the syntax tree.

pytest's rules (``_pytest/python.py``): a module-level function (or one in
an ``if``/``try`` block at module level) whose name matches
``python_functions``, not a fixture; a class whose name matches
``python_classes`` (or any ``unittest.TestCase`` subclass, collected by the
unittest plugin), unless ``__test__`` is false, it defines ``__init__`` or
``__new__`` (PytestCollectionWarning), or it is abstract; inside a collected
class, methods matching ``python_functions`` (static and class methods
included) and nested classes by the same rules.  unittest classes collect
methods named ``test*`` and receive no fixtures through arguments.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from suitelint.pytest_model.fixture_defs import (
    dotted,
    fixture_decorator,
    module_level_statements,
)

if TYPE_CHECKING:
    from suitelint.core.context import FileContext

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

COLLECTED = "collected"
UNITTEST = "unittest"
NAME_MISMATCH = "name-mismatch"
TEST_FALSE = "test-false"
HAS_INIT = "has-init"
ABSTRACT = "abstract"
UNKNOWN_BASE = "unknown-base"


@dataclass(frozen=True)
class CollectedTest:
    node: FunctionNode
    classes: tuple[ast.ClassDef, ...]  # enclosing classes, outermost first
    unittest: bool

    @property
    def owner(self) -> str | None:
        return ".".join(c.name for c in self.classes) or None

    @property
    def in_class(self) -> bool:
        return bool(self.classes)


def fixture_decorator_of(ctx: FileContext, func: FunctionNode) -> ast.expr | None:
    return fixture_decorator(func, ctx.imports)


def is_fixture(ctx: FileContext, func: ast.AST) -> bool:
    return isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) and fixture_decorator_of(ctx, func) is not None


def module_classes(ctx: FileContext) -> dict[str, ast.ClassDef]:
    """Classes bound at module level (the last one of a name), computed once per checked file."""
    found: dict[str, ast.ClassDef] | None = ctx.__dict__.get("_sl_module_classes")
    if found is None:
        found = {stmt.name: stmt for stmt in module_level_statements(ctx.tree.body) if isinstance(stmt, ast.ClassDef)}
        ctx.__dict__["_sl_module_classes"] = found
    return found


def _local_bases(ctx: FileContext, cls: ast.ClassDef) -> Iterator[ast.ClassDef | None]:
    """The classes of this module ``cls`` derives from (None for one defined elsewhere)."""
    classes = module_classes(ctx)
    for base in cls.bases:
        name = dotted(base)
        if name is None:
            yield None
        elif name in classes and classes[name] is not cls:
            yield classes[name]
        elif name == "object":
            continue
        else:
            yield None


def is_unittest_class(ctx: FileContext, cls: ast.ClassDef, _depth: int = 0) -> bool:
    if ctx.is_unittest_class(cls):
        return True
    if _depth > 8:
        return False
    return any(base is not None and is_unittest_class(ctx, base, _depth + 1) for base in _local_bases(ctx, cls))


def class_attribute(ctx: FileContext, cls: ast.ClassDef, name: str, _depth: int = 0) -> ast.AST | None:
    """The node binding ``name`` in the class body or a same-module base (method or assignment)."""
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
            return stmt
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
            return stmt
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == name:
            return stmt
    if _depth > 8:
        return None
    for base in _local_bases(ctx, cls):
        if base is not None:
            found = class_attribute(ctx, base, name, _depth + 1)
            if found is not None:
                return found
    return None


def has_unknown_base(ctx: FileContext, cls: ast.ClassDef) -> bool:
    for base in cls.bases:
        qualified = ctx.qualname(base) or ""
        if qualified.startswith(("unittest.", "abc.", "typing.")):
            continue
        if dotted(base) == "object":
            continue
        classes = module_classes(ctx)
        name = dotted(base)
        if name in classes and classes[name] is not cls:
            if has_unknown_base(ctx, classes[name]):
                return True
            continue
        return True
    return False


def test_attribute_false(ctx: FileContext, cls: ast.ClassDef) -> bool | None:
    """``__test__`` of the class: False/True when set in this module, None when not set here."""
    node = class_attribute(ctx, cls, "__test__")
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
        return not node.value.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant):
        return not node.value.value
    return None


def class_status(ctx: FileContext, cls: ast.ClassDef) -> str:
    """Whether pytest collects ``cls`` (a class at module level or in a collected class)."""
    if is_unittest_class(ctx, cls):
        return TEST_FALSE if test_attribute_false(ctx, cls) else UNITTEST
    if test_attribute_false(ctx, cls):
        return TEST_FALSE
    if not ctx.pytest.matches_python_classes(cls.name) and test_attribute_false(ctx, cls) is None:
        return NAME_MISMATCH
    if class_attribute(ctx, cls, "__init__") is not None or class_attribute(ctx, cls, "__new__") is not None:
        return HAS_INIT
    if _is_abstract(cls):
        return ABSTRACT
    return COLLECTED


def _is_abstract(cls: ast.ClassDef) -> bool:
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in stmt.decorator_list:
                name = dotted(decorator) or ""
                if name.endswith("abstractmethod"):
                    return True
    return False


def is_test_name(ctx: FileContext, name: str, unittest: bool) -> bool:
    if unittest:
        return name.startswith("test")
    return ctx.pytest.matches_python_functions(name)


def collected_tests(ctx: FileContext) -> list[CollectedTest]:
    """Every test function pytest would collect from the checked file (a test module)."""
    cached = ctx.__dict__.get("_sl_collected_tests")
    if cached is not None:
        return cached
    tests: list[CollectedTest] = []
    if ctx.role == "test":
        namespace: dict[str, ast.stmt] = {}
        for stmt in module_level_statements(ctx.tree.body):
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                namespace.pop(stmt.name, None)
                namespace[stmt.name] = stmt
        for stmt in namespace.values():
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if is_test_name(ctx, stmt.name, False) and not is_fixture(ctx, stmt):
                    tests.append(CollectedTest(stmt, (), False))
            elif isinstance(stmt, ast.ClassDef):
                tests.extend(_class_tests(ctx, stmt, ()))
    ctx.__dict__["_sl_collected_tests"] = tests
    return tests


def _class_tests(ctx: FileContext, cls: ast.ClassDef, outer: tuple[ast.ClassDef, ...]) -> list[CollectedTest]:
    status = class_status(ctx, cls)
    if status not in (COLLECTED, UNITTEST):
        return []
    unittest = status == UNITTEST
    chain = (*outer, cls)
    found: list[CollectedTest] = []
    names: set[str] = set()
    for item in _methods(ctx, cls):
        if item.name in names:
            continue
        names.add(item.name)
        if is_test_name(ctx, item.name, unittest) and not is_fixture(ctx, item):
            found.append(CollectedTest(item, chain, unittest))
    if not unittest:
        for stmt in cls.body:
            if isinstance(stmt, ast.ClassDef):
                found.extend(_class_tests(ctx, stmt, chain))
    return found


def _methods(ctx: FileContext, cls: ast.ClassDef, _depth: int = 0) -> Iterator[FunctionNode]:
    """Methods of the class (the last definition of a name), then those inherited from same-module bases."""
    last: dict[str, FunctionNode] = {}
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            last[stmt.name] = stmt
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    last.pop(target.id, None)
    yield from last.values()
    if _depth > 8:
        return
    for base in _local_bases(ctx, cls):
        if base is not None:
            yield from _methods(ctx, base, _depth + 1)


def own_tests(ctx: FileContext) -> list[CollectedTest]:
    """Collected tests whose definition is in the checked file's body at its own place (no inherited copies)."""
    seen: set[int] = set()
    result: list[CollectedTest] = []
    for test in collected_tests(ctx):
        if id(test.node) in seen:
            continue
        seen.add(id(test.node))
        result.append(test)
    return result


def _tests_by_node(ctx: FileContext) -> dict[int, CollectedTest]:
    """id(function node) -> its first collected test, built once per file (rules ask for every statement)."""
    tests = collected_tests(ctx)
    cached = ctx.__dict__.get("_sl_collected_by_node")
    if cached is None or cached[0] is not tests:
        index: dict[int, CollectedTest] = {}
        for test in tests:
            index.setdefault(id(test.node), test)
        cached = (tests, index)
        ctx.__dict__["_sl_collected_by_node"] = cached
    return cached[1]


def is_collected_test(ctx: FileContext, func: ast.AST) -> bool:
    return id(func) in _tests_by_node(ctx)


def collected_test_of(ctx: FileContext, func: ast.AST) -> CollectedTest | None:
    return _tests_by_node(ctx).get(id(func))


@dataclass(frozen=True)
class FixtureFunction:
    node: FunctionNode
    classes: tuple[ast.ClassDef, ...]

    @property
    def owner(self) -> str | None:
        return ".".join(c.name for c in self.classes) or None


def fixture_functions(ctx: FileContext) -> list[FixtureFunction]:
    """Fixtures pytest registers from the checked file: module level, and in collected test classes."""
    cached = ctx.__dict__.get("_sl_fixture_functions")
    if cached is not None:
        return cached
    found: list[FixtureFunction] = []

    def visit_class(cls: ast.ClassDef, outer: tuple[ast.ClassDef, ...]) -> None:
        if ctx.role != "test" or class_status(ctx, cls) != COLLECTED:
            return
        chain = (*outer, cls)
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_fixture(ctx, stmt):
                found.append(FixtureFunction(stmt, chain))
            elif isinstance(stmt, ast.ClassDef):
                visit_class(stmt, chain)

    for stmt in module_level_statements(ctx.tree.body):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_fixture(ctx, stmt):
            found.append(FixtureFunction(stmt, ()))
        elif isinstance(stmt, ast.ClassDef):
            visit_class(stmt, ())
    ctx.__dict__["_sl_fixture_functions"] = found
    return found
