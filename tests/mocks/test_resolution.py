"""Evaluating expressions across project modules: names, instances, fixtures, patches, lookups."""

from __future__ import annotations

import os

from suitelint.mocks_model.project import ProjectIndex
from suitelint.mocks_model.symbols import (
    ASYNC,
    SYNC,
    UNKNOWN,
    ClassSym,
    ExternalSym,
    FunctionSym,
    InstanceSym,
    Missing,
    MockSym,
    ModuleSym,
    PatcherSym,
)

PACKAGE = {
    "app/__init__.py": "from app.models import Model\nfrom app.star import *\n",
    "app/models.py": """
        from external import Base


        class Model:
            async def save(self): ...


        class Record(Base):
            async def load(self): ...
        """,
    "app/star.py": "def starred(): ...\n",
    "app/base.py": """
        class Repository:
            async def get(self, key): ...
        """,
    "app/repo.py": """
        from app.base import Repository
        from app.models import Model


        class UserRepository(Repository):
            def __init__(self, model: Model, cache=None):
                self.model = model
                self.cache = cache or {}
        """,
    "app/lazy.py": "def __getattr__(name):\n    return name\n",
    "app/sub/inner.py": "def deep(): ...\n",
}


def test_names_through_reexports_star_imports_and_bases(project) -> None:  # type: ignore[no-untyped-def]
    analysis = project(PACKAGE).analysis("app/repo.py")
    assert isinstance(analysis.resolve_qualified("app.Model.save"), FunctionSym)
    assert isinstance(analysis.resolve_qualified("app.starred"), FunctionSym)
    inherited = analysis.resolve_qualified("app.repo.UserRepository.get")
    assert isinstance(inherited, FunctionSym) and inherited.func.qualname == "Repository.get"
    assert isinstance(analysis.resolve_qualified("app.sub.inner.deep"), FunctionSym)


def test_missing_is_definite_only_for_fully_known_containers(project) -> None:  # type: ignore[no-untyped-def]
    analysis = project(PACKAGE).analysis("app/repo.py")
    missing = analysis.resolve_qualified("app.models.Model.sav")
    assert isinstance(missing, Missing) and missing.definite and analysis.closest(missing) == "save"
    assert analysis.resolve_qualified("app.models.Record.anything") is None  # unknown base class
    assert analysis.resolve_qualified("app.lazy.anything") is None  # module __getattr__
    assert analysis.resolve_qualified("app.sub.missing") is None  # namespace package: cannot tell
    assert isinstance(analysis.resolve_qualified("httpx.AsyncClient"), ExternalSym)


def test_instances_constructor_arguments_and_annotations(project, value_at) -> None:  # type: ignore[no-untyped-def]
    files = {**PACKAGE, "tests/test_repo.py": """
        from app.models import Model
        from app.repo import UserRepository


        class FakeModel:
            def save(self): ...


        def test_repo(model: Model):
            default = UserRepository(Model())
            default.model
            faked = UserRepository(FakeModel())
            faked.model
            annotated = UserRepository(model)
            annotated.model
            unknown = UserRepository(object_from_nowhere)
            unknown.model
        """}
    analysis = project(files).analysis("tests/test_repo.py")

    def class_of(fragment: str) -> str:
        node = value_at(analysis, fragment)
        value = analysis.eval(node, analysis.scope_at(node))
        assert isinstance(value, InstanceSym), (fragment, value)
        return value.cls.qualname

    assert class_of("default.model") == "Model"
    assert class_of("faked.model") == "FakeModel"
    assert class_of("annotated.model") == "Model"
    assert class_of("unknown.model") == "Model"  # the parameter's annotation


def test_local_bindings_are_read_in_order(project) -> None:  # type: ignore[no-untyped-def]
    files = {**PACKAGE, "tests/test_order.py": """
        from unittest.mock import Mock

        from app.models import Model


        def test_order():
            model = Model()
            model.save
            model.save = Mock()
            model.save
            model = None
        """}
    analysis = project(files).analysis("tests/test_order.py")
    first, second = _statements(analysis, "model.save")
    assert isinstance(analysis.eval(first, analysis.scope_at(first)), FunctionSym)
    assert isinstance(analysis.eval(second, analysis.scope_at(second)), MockSym)


def test_fixtures_from_the_closest_conftest(project, value_at) -> None:  # type: ignore[no-untyped-def]
    files = {**PACKAGE,
             "tests/conftest.py": """
                 import pytest
                 from app.base import Repository


                 @pytest.fixture
                 def repo():
                     return Repository()
                 """,
             "tests/api/conftest.py": """
                 import pytest
                 from app.models import Model


                 @pytest.fixture(name="repo")
                 def model_as_repo():
                     yield Model()
                 """,
             "tests/api/test_api.py": "def test_api(repo):\n    repo\n",
             "tests/test_top.py": "def test_top(repo):\n    repo\n"}
    made = project(files)
    for relpath, expected in [("tests/api/test_api.py", "Model"), ("tests/test_top.py", "Repository")]:
        analysis = made.analysis(relpath)
        node = value_at(analysis, "    repo")
        value = analysis.eval(node, analysis.scope_at(node))
        assert isinstance(value, InstanceSym) and value.cls.qualname == expected


def test_patch_decorators_with_statements_and_patchers(project, value_at) -> None:  # type: ignore[no-untyped-def]
    files = {**PACKAGE, "tests/test_patches.py": """
        from unittest import mock

        from app.models import Model


        @mock.patch("app.models.Model.save")
        class TestPatched:
            @mock.patch("app.star.starred")
            @mock.patch("app.models.Model", new=mock.Mock())
            @mock.patch("os.getcwd")
            def test_it(self, getcwd, starred, save):
                getcwd
                starred
                save
                with mock.patch.object(Model, "save") as patched_save:
                    patched_save
                patcher = mock.patch("app.star.starred")
                patcher
                started = patcher.start()
                started
        """}
    analysis = project(files).analysis("tests/test_patches.py")

    def evaluate(fragment: str):  # type: ignore[no-untyped-def]
        node = value_at(analysis, fragment)
        return analysis.eval(node, analysis.scope_at(node))

    assert _kind(evaluate("    getcwd")) == UNKNOWN  # os.getcwd is not a project function
    assert _kind(evaluate("    starred")) == SYNC
    assert _kind(evaluate("    save")) == ASYNC  # the class decorator's argument comes last
    assert _kind(evaluate("patched_save")) == ASYNC
    assert isinstance(evaluate("    patcher"), PatcherSym)
    assert _kind(evaluate("    started")) == SYNC


def test_modules_are_read_once_and_again_when_changed(project) -> None:  # type: ignore[no-untyped-def]
    made = project(PACKAGE)
    analysis = made.analysis("app/repo.py")
    index = analysis.index
    assert isinstance(index, ProjectIndex)
    first = analysis.module("app.models")
    assert made.analysis("app/repo.py").module("app.models") is first
    path = made.root / "app/models.py"
    path.write_text("class Model:\n    def save(self): ...\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = made.analysis("app/repo.py")
    assert again.module("app.models") is not first
    assert isinstance(again.resolve_qualified("app.models.Model"), ClassSym)
    assert isinstance(again.resolve_qualified("app.models"), ModuleSym)


def _kind(value):  # type: ignore[no-untyped-def]
    assert isinstance(value, MockSym), value
    return value.kind


def _statements(analysis, fragment):  # type: ignore[no-untyped-def]
    import ast

    return [node.value for node in ast.walk(analysis.ctx.tree)
            if isinstance(node, ast.Expr) and fragment in analysis.ctx.lines[node.lineno - 1]]


def test_parametrized_arguments_are_not_fixture_values(project, value_at) -> None:  # type: ignore[no-untyped-def]
    files = {**PACKAGE,
             "tests/conftest.py": """
                 import pytest
                 from app.models import Model


                 @pytest.fixture
                 def model():
                     return Model()
                 """,
             "tests/test_param.py": """
                 import pytest


                 @pytest.mark.parametrize("model", [object()])
                 def test_overridden(model):
                     model


                 def test_fixture(model):
                     model
                 """}
    analysis = project(files).analysis("tests/test_param.py")
    overridden, fixture = [node.value for node in _expressions(analysis, "    model")]
    assert analysis.eval(overridden, analysis.scope_at(overridden)) is None
    assert isinstance(analysis.eval(fixture, analysis.scope_at(fixture)), InstanceSym)


def _expressions(analysis, fragment):  # type: ignore[no-untyped-def]
    import ast

    return [node for node in ast.walk(analysis.ctx.tree)
            if isinstance(node, ast.Expr) and analysis.ctx.lines[node.lineno - 1] == fragment]
