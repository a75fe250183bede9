from __future__ import annotations

import ast

from suitelint.core.rule import ALL_FILES, FileRole, Invalid, Rule, Valid
from suitelint.pytest_model.collection import (
    COLLECTED,
    HAS_INIT,
    NAME_MISMATCH,
    class_status,
    collected_tests,
    has_unknown_base,
    is_fixture,
    is_unittest_class,
    module_classes,
    test_attribute_false,
)
from suitelint.pytest_model.fixture_defs import (
    dotted,
    module_level_statements,
    walk_function_body,
)
from suitelint.pytest_model.fixtures import fixture_index
from suitelint.pytest_model.ini import DEFAULT_PYTHON_CLASSES, DEFAULT_PYTHON_FUNCTIONS

TEST_DIRS = frozenset({"tests", "test", "testing"})
GENERATED_INIT = frozenset({"dataclasses.dataclass", "attr.s", "attr.attrs", "attr.define", "attrs.define",
                            "attr.frozen", "attrs.frozen", "attr.mutable", "attrs.mutable",
                            "pydantic.dataclasses.dataclass"})
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


class TestNotCollected(Rule):
    """
    ## What it does
    Flags code that looks like a test but that pytest silently skips:

    - a test class (matching `python_classes`) that defines `__init__` or
      `__new__`, or gets one from `@dataclass`/attrs: pytest collects none of
      its tests and only emits a `PytestCollectionWarning`;
    - asserting `test_*` methods in a module-level class pytest does not
      collect (its name does not match `python_classes` and it is neither a
      `unittest.TestCase` nor a base class of a test class anywhere in the
      suite);
    - a `test_*` function defined inside a test function and never used
      there;
    - a test-named file in a test directory (`tests/tests_api.py`,
      `tests/api_tests.py`) that holds tests but does not match
      `python_files`;
    - with customised `python_functions`/`python_classes`, `test*` functions
      and `Test*` classes that no longer match them.

    Classes with `__test__ = False` (helpers and bases not meant for
    collection) are not flagged.

    ## Why is this bad?
    pytest reports nothing for tests it does not collect: they do not fail,
    they do not run, and the suite looks greener than it is. Rename the
    class or file, move the function to module level, or drop the
    constructor (use a fixture or `setup_method` for per-test state).
    """

    __test__ = False  # a pytest collection hint: this class is not a test

    code = "TST108"
    name = "test-not-collected"
    message = "{what}"
    applies_to = ALL_FILES
    examples = (
        Invalid(
            """
            class TestCheckout:  # [TST108]
                def __init__(self):
                    self.cart = Cart()

                def test_total(self):
                    assert self.cart.total() == 0

            class CartTests:  # [TST108]
                def test_add(self):
                    assert Cart().add("x")

            def test_outer():
                def test_inner():  # [TST108]
                    assert Cart().empty()
                assert Cart()
            """
        ),
        Invalid(
            """
            def test_health(client):  # [TST108]
                assert client.get("/health").status_code == 200
            """,
            filename="tests/tests_health.py",
            title="a test file whose name pytest does not collect",
        ),
        Valid(
            """
            import unittest

            class TestHelper:
                __test__ = False

                def __init__(self, name):
                    self.name = name

            class BaseCartTests:
                def test_add(self, cart):
                    assert cart.add("x")

            class TestMemoryCart(BaseCartTests):
                pass

            class CartCase(unittest.TestCase):
                def test_add(self):
                    self.assertTrue(Cart().add("x"))

            def test_factory():
                def test_double():
                    return 2
                assert run(test_double) == 2
            """,
            title="helpers, mixins, unittest classes and nested functions used as data",
        ),
        Valid(
            """
            def test_health(client):
                assert client.get("/health").status_code == 200
            """,
            filename="tests/health_check.py",
            pytest_ini={"python_files": "*_check.py"},
            title="a file matching a configured python_files",
        ),
    )

    def end(self) -> None:
        if self.ctx.role == FileRole.TEST:
            self._classes()
            self._nested_tests()
            self._configured_patterns()
        elif self.ctx.role == FileRole.OTHER:
            self._unmatched_file()

    # -- classes -------------------------------------------------------------------------------
    def _classes(self) -> None:
        for stmt in module_level_statements(self.ctx.tree.body):
            if isinstance(stmt, ast.ClassDef):
                self._class(stmt, nested=False)

    def _class(self, cls: ast.ClassDef, *, nested: bool) -> None:
        ctx = self.ctx
        status = class_status(ctx, cls)
        tests = self._test_methods(cls)
        if status == HAS_INIT or (status == COLLECTED and self._generated_init(cls)):
            if has_unknown_base(ctx, cls):
                return
            method = "__new__" if _defines(cls, "__new__") and not _defines(cls, "__init__") else "__init__"
            if not tests:
                outcome = "pytest does not collect it (PytestCollectionWarning)"
            elif len(tests) == 1:
                outcome = f"pytest never runs `{tests[0].name}`"
            else:
                outcome = f"pytest never runs its {len(tests)} tests"
            self.report(cls, what=f"test class `{cls.name}` has `{method}`, so {outcome}; "
                                  "use a fixture or `setup_method` for per-test state")
            return
        if status == NAME_MISMATCH and not nested and any(_asserts(t) for t in tests) and not cls.bases \
                and not self._used_as_base(cls.name):
            patterns = _patterns(self.ctx.pytest.python_classes)
            self.report(cls, what=f"class `{cls.name}` holds tests (`{tests[0].name}`...) but its name does not "
                                  f"match `python_classes` ({patterns}), so pytest never runs them")
            return
        if status == COLLECTED:
            for stmt in cls.body:
                if isinstance(stmt, ast.ClassDef):
                    self._class(stmt, nested=True)

    def _test_methods(self, cls: ast.ClassDef) -> list[FunctionNode]:
        return [stmt for stmt in cls.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                and self.ctx.pytest.matches_python_functions(stmt.name) and not is_fixture(self.ctx, stmt)]

    def _generated_init(self, cls: ast.ClassDef) -> bool:
        for decorator in cls.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if self.ctx.qualname(target) in GENERATED_INIT:
                if isinstance(decorator, ast.Call) and any(
                    k.arg == "init" and isinstance(k.value, ast.Constant) and k.value.value is False
                    for k in decorator.keywords
                ):
                    return False
                return test_attribute_false(self.ctx, cls) is not True
        return False

    def _used_as_base(self, name: str) -> bool:
        local = any(name in {dotted(b) for b in c.bases} for c in module_classes(self.ctx).values())
        if local:
            return True
        if self.ctx.workspace is None:
            return True
        suite = fixture_index(self.ctx.workspace).suite(self.ctx)
        return not suite.complete or name in suite.base_names

    # -- nested test functions ----------------------------------------------------------------------
    def _nested_tests(self) -> None:
        seen: set[int] = set()
        for test in collected_tests(self.ctx):
            if id(test.node) in seen:
                continue
            seen.add(id(test.node))
            for stmt in test.node.body:
                if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                if not self.ctx.pytest.matches_python_functions(stmt.name) or stmt.decorator_list:
                    continue
                if _referenced(test.node, stmt.name):
                    continue
                self.report(stmt, what=f"`{stmt.name}` is defined inside test `{test.node.name}`, where pytest "
                                       "never collects it; move it to module level")

    # -- customised python_functions / python_classes -------------------------------------------------
    def _configured_patterns(self) -> None:
        pytest = self.ctx.pytest
        custom_functions = pytest.python_functions != DEFAULT_PYTHON_FUNCTIONS
        custom_classes = pytest.python_classes != DEFAULT_PYTHON_CLASSES
        if not custom_functions and not custom_classes:
            return
        for stmt in module_level_statements(self.ctx.tree.body):
            if custom_functions and isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if stmt.name.startswith("test") and not pytest.matches_python_functions(stmt.name) \
                        and not is_fixture(self.ctx, stmt) and _asserts(stmt):
                    patterns = _patterns(pytest.python_functions)
                    self.report(stmt, what=f"`{stmt.name}` does not match `python_functions` ({patterns}), "
                                           "so pytest never runs it")
            elif custom_classes and isinstance(stmt, ast.ClassDef):
                if stmt.name.startswith("Test") and not pytest.matches_python_classes(stmt.name) \
                        and not is_unittest_class(self.ctx, stmt) and test_attribute_false(self.ctx, stmt) is None \
                        and self._test_methods(stmt) and not stmt.bases:
                    patterns = _patterns(pytest.python_classes)
                    self.report(stmt, what=f"class `{stmt.name}` does not match `python_classes` ({patterns}), "
                                           "so pytest never runs its tests")

    # -- files pytest does not collect ------------------------------------------------------------------
    def _unmatched_file(self) -> None:
        ctx = self.ctx
        path = ctx.path
        if path.name in ("conftest.py", "__init__.py", "setup.py") or not _test_like_name(path.stem):
            return
        rootdir = ctx.pytest.rootdir.resolve()
        try:
            parts = path.resolve().relative_to(rootdir).parts[:-1]
        except ValueError:
            return
        testpaths = {p.strip("/").split("/")[0] for p in ctx.pytest.testpaths}
        if not (TEST_DIRS & set(parts) or (parts and parts[0] in testpaths)):
            return
        if any(path.name == p or path.as_posix().endswith("/" + p) for p in ctx.pytest.testpaths):
            return
        first = self._first_test(ctx.tree)
        if first is None or self._imported_elsewhere():
            return
        patterns = ", ".join(f"`{p}`" for p in ctx.pytest.python_files)
        self.report(first, what=f"`{path.name}` does not match `python_files` ({patterns}), so pytest never "
                                f"collects `{first.name}` or any other test in it")

    def _first_test(self, tree: ast.Module) -> FunctionNode | ast.ClassDef | None:
        pytest = self.ctx.pytest
        for stmt in module_level_statements(tree.body):
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and pytest.matches_python_functions(
                stmt.name
            ) and not is_fixture(self.ctx, stmt) and _asserts(stmt):
                return stmt
            if isinstance(stmt, ast.ClassDef) and pytest.matches_python_classes(stmt.name) and any(
                _asserts(m) for m in self._test_methods(stmt)
            ):
                return stmt
        return None

    def _imported_elsewhere(self) -> bool:
        """Tests in a shared module imported into test modules are collected there."""
        if self.ctx.workspace is None:
            return True
        suite = fixture_index(self.ctx.workspace).suite(self.ctx)
        if not suite.complete:
            return True
        module = self.ctx.module_name
        stem = self.ctx.path.stem
        for summary in suite.summaries.values():
            for imported_module, _ in summary.name_imports.values():
                if imported_module == module or imported_module.rsplit(".", 1)[-1] == stem:
                    return True
            if module in summary.star_imports or any(m.rsplit(".", 1)[-1] == stem for m in summary.star_imports):
                return True
        return False


def _defines(cls: ast.ClassDef, name: str) -> bool:
    return any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name for s in cls.body)


def _referenced(function: FunctionNode, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load) for n in ast.walk(function))


def _asserts(function: FunctionNode) -> bool:
    """A body that checks something: it looks like a test, not a helper."""
    for node in walk_function_body(function):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name.startswith("assert") or name in ("raises", "fail"):
                return True
    return False


def _patterns(patterns: tuple[str, ...]) -> str:
    """``python_classes``-style patterns as users read them (a plain prefix is a prefix)."""
    return ", ".join(f"`{p}`" if any(ch in p for ch in "*?[") else f"`{p}*`" for p in patterns)


def _test_like_name(stem: str) -> bool:
    lowered = stem.lower()
    return lowered.startswith("test") or lowered.endswith(("test", "tests"))
