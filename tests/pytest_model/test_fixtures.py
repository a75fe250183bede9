"""The fixture index: definitions, visibility, overrides, plugins, evidence."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from _pytest.compat import getfuncargnames

from suitelint.core.context import FileContext
from suitelint.core.workspace import Workspace
from suitelint.pytest_model.dependencies import declared_dependencies
from suitelint.pytest_model.fixture_defs import (
    FixtureDef,
    requested_argnames,
    summarize,
)
from suitelint.pytest_model.fixtures import UNKNOWN, Visibility, closest, fixture_index
from suitelint.pytest_model.plugins import find_module_file, installed_plugins


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def context(root: Path, relpath: str) -> FileContext:
    workspace = Workspace(cwd=root)
    path = root / relpath
    source = path.read_text(encoding="utf-8")
    return FileContext(path=path, display_path=relpath, source=source, tree=ast.parse(source),
                       role=workspace.role_of(path), settings=workspace.settings_for(path),
                       pytest=workspace.pytest_for(path), workspace=workspace,
                       module_name=workspace.module_name(path))


def visibility(root: Path, relpath: str, owner: str | None = None) -> Visibility:
    ctx = context(root, relpath)
    assert ctx.workspace is not None
    return fixture_index(ctx.workspace).visibility(ctx, owner)


def summary_of(code: str) -> dict[str, FixtureDef]:
    return summarize(ast.parse(textwrap.dedent(code)), Path("/p/tests/conftest.py"), "tests.conftest").fixtures


# -- definitions -------------------------------------------------------------------------------


def test_fixture_options_are_recorded() -> None:
    fixtures = summary_of(
        """
        import pytest
        from pytest import fixture
        import pytest_asyncio

        @pytest.fixture(scope="session", autouse=True, params=[1, 2])
        def engine(request, tmp_path_factory, *, flag=False):
            yield 1

        @fixture("module")
        def legacy_positional_scope():
            return 1

        @pytest.fixture(scope=lambda fixture_name, config: "session")
        def dynamic():
            return 1

        @pytest_asyncio.fixture(name="client")
        async def make_client(engine):
            return 1

        def _mocker(pytestconfig):
            yield 1

        mocker = pytest.fixture()(_mocker)
        class_mocker = pytest.fixture(scope="class")(_mocker)
        alias = engine
        """
    )
    engine = fixtures["engine"]
    assert (engine.scope, engine.autouse, engine.has_params, engine.is_generator) == ("session", True, True, True)
    assert engine.argnames == ("request", "tmp_path_factory")
    assert fixtures["legacy_positional_scope"].scope == "module"
    assert fixtures["dynamic"].scope is None and fixtures["dynamic"].dynamic_scope
    client = fixtures["make_client"]
    assert (client.name, client.is_async, client.argnames) == ("client", True, ("engine",))
    assert fixtures["mocker"].argnames == ("pytestconfig",) and fixtures["mocker"].is_generator
    assert fixtures["class_mocker"].scope == "class"
    assert fixtures["alias"].name == "alias" and fixtures["alias"].scope == "session"


SIGNATURES = [
    "def f(a, b): pass",
    "def f(a, b=1, *, c, d=2): pass",
    "def f(a, /, b, *args, c, **kwargs): pass",
    "def f(self, a): pass",
    "def f(): pass",
]


@pytest.mark.parametrize("signature", SIGNATURES)
def test_requested_arguments_match_pytest(signature: str) -> None:
    namespace: dict[str, object] = {}
    exec(signature, namespace)  # noqa: S102 - a signature written above, to compare with pytest
    expected = getfuncargnames(namespace["f"])  # type: ignore[arg-type]
    func = ast.parse(signature).body[0]
    assert isinstance(func, ast.FunctionDef)
    assert tuple(a.arg for a in requested_argnames(func, in_class=False)) == expected


def test_methods_drop_self_unless_static() -> None:
    tree = ast.parse("class T:\n    def m(self, a): pass\n    @staticmethod\n    def s(a): pass\n")
    cls = tree.body[0]
    assert isinstance(cls, ast.ClassDef)
    method, static = cls.body
    assert isinstance(method, ast.FunctionDef) and isinstance(static, ast.FunctionDef)
    assert [a.arg for a in requested_argnames(method, in_class=True)] == ["a"]
    assert [a.arg for a in requested_argnames(static, in_class=True, is_static=True)] == ["a"]


# -- visibility ----------------------------------------------------------------------------------


def test_conftest_chain_stops_at_the_rootdir(tmp_path: Path) -> None:
    write(tmp_path, {
        "conftest.py": "import pytest\n\n@pytest.fixture\ndef above_rootdir(): pass\n",
        "project/pytest.ini": "[pytest]\n",
        "project/conftest.py": "import pytest\n\n@pytest.fixture\ndef root(): pass\n",
        "project/tests/conftest.py": "import pytest\n\n@pytest.fixture\ndef tests_level(): pass\n",
        "project/tests/other/conftest.py": "import pytest\n\n@pytest.fixture\ndef sibling(): pass\n",
        "project/tests/api/test_x.py": "def test_x(): pass\n",
    })
    vis = visibility(tmp_path / "project", "tests/api/test_x.py")
    assert isinstance(vis.lookup("root"), FixtureDef)
    assert isinstance(vis.lookup("tests_level"), FixtureDef)
    assert vis.lookup("sibling") is None
    assert vis.lookup("above_rootdir") is None
    assert vis.lookup("tmp_path") is not None and vis.lookup("request") is not None


def test_an_override_resolves_to_the_next_outer_definition(tmp_path: Path) -> None:
    write(tmp_path, {
        "pytest.ini": "[pytest]\n",
        "tests/conftest.py": "import pytest\n\n@pytest.fixture(scope='session')\ndef db(): pass\n",
        "tests/api/conftest.py": "import pytest\n\n@pytest.fixture\ndef db(db): pass\n",
        "tests/api/test_x.py": "def test_x(db): pass\n",
    })
    ctx = context(tmp_path, "tests/api/conftest.py")
    assert ctx.workspace is not None
    index = fixture_index(ctx.workspace)
    vis = index.visibility(ctx)
    inner = index.context_summary(ctx).fixtures["db"]
    assert vis.lookup("db") is inner
    outer = vis.lookup("db", after=inner)
    assert isinstance(outer, FixtureDef) and outer.scope == "session" and outer.path is not None
    assert outer.path.parent.name == "tests"


def test_class_fixtures_and_inherited_ones(tmp_path: Path) -> None:
    write(tmp_path, {
        "pytest.ini": "[pytest]\n",
        "tests/test_x.py": """
            import pytest

            class Base:
                @pytest.fixture(scope="class")
                def shared(self):
                    return 1

            class TestX(Base):
                @pytest.fixture
                def own(self):
                    return 2

                def test_x(self, own, shared):
                    pass

            def test_outside():
                pass
        """,
    })
    inside = visibility(tmp_path, "tests/test_x.py", "TestX")
    shared = inside.lookup("shared")
    assert isinstance(shared, FixtureDef) and shared.scope == "class"
    assert isinstance(inside.lookup("own"), FixtureDef)
    assert visibility(tmp_path, "tests/test_x.py").lookup("own") is None


def test_pytest_plugins_nested_and_addopts(tmp_path: Path) -> None:
    write(tmp_path, {
        "pytest.ini": "[pytest]\naddopts = -p tests.extra -p no:cacheprovider\n",
        "conftest.py": "pytest_plugins = ('tests.plugins.one',)\n",
        "tests/plugins/one.py": (
            "import pytest\npytest_plugins = 'tests.plugins.two'\n\n@pytest.fixture\ndef first(): pass\n"
        ),
        "tests/plugins/two.py": "import pytest\n\n@pytest.fixture\ndef second(): pass\n",
        "tests/extra.py": "import pytest\n\n@pytest.fixture\ndef third(): pass\n",
        "tests/test_x.py": "def test_x(): pass\n",
    })
    vis = visibility(tmp_path, "tests/test_x.py")
    for name in ("first", "second", "third"):
        assert isinstance(vis.lookup(name), FixtureDef), name
    assert vis.lookup("cache") is None  # -p no:cacheprovider removes the built-in
    workspace = Workspace(cwd=tmp_path)
    assert workspace.role_of(tmp_path / "tests" / "plugins" / "two.py") == "plugin"
    assert workspace.role_of(tmp_path / "tests" / "extra.py") == "plugin"


def test_unresolvable_plugin_makes_everything_possible(tmp_path: Path) -> None:
    write(tmp_path, {
        "pytest.ini": "[pytest]\n",
        "conftest.py": "pytest_plugins = ['not_installed_anywhere.fixtures']\n",
        "tests/test_x.py": "def test_x(): pass\n",
    })
    assert visibility(tmp_path, "tests/test_x.py").lookup("anything_at_all") is UNKNOWN


def test_installed_plugins_are_read_without_importing() -> None:
    plugins = {p.module: p for p in installed_plugins()}
    assert "pytest_mock" in plugins
    path = plugins["pytest_mock"].path
    assert path is not None and path.name == "__init__.py" and path.parent.name == "pytest_mock"
    assert find_module_file("pytest_mock.plugin") == path.parent / "plugin.py"


def test_installed_plugin_fixture_is_visible(tmp_path: Path) -> None:
    write(tmp_path, {"pytest.ini": "[pytest]\n", "tests/test_x.py": "def test_x(): pass\n"})
    mocker = visibility(tmp_path, "tests/test_x.py").lookup("mocker")
    assert isinstance(mocker, FixtureDef) and mocker.origin in ("installed", "known")
    assert mocker.argnames == ("pytestconfig",) or mocker.origin == "known"


def test_generic_plugin_fixtures_need_evidence(tmp_path: Path) -> None:
    write(tmp_path, {
        "plain/pytest.ini": "[pytest]\n",
        "plain/tests/test_x.py": "def test_x(): pass\n",
        "django/pytest.ini": "[pytest]\n",
        "django/requirements.txt": "pytest-django>=4\n",
        "django/tests/test_x.py": "def test_x(): pass\n",
    })
    plain = visibility(tmp_path / "plain", "tests/test_x.py")
    assert plain.lookup("db") is None  # pytest-django's generic `db` without any sign of pytest-django
    assert isinstance(plain.lookup("django_db_setup"), FixtureDef)  # distinctive names are trusted
    assert isinstance(visibility(tmp_path / "django", "tests/test_x.py").lookup("db"), FixtureDef)


def test_known_fixtures_from_settings(tmp_path: Path) -> None:
    write(tmp_path, {
        "pytest.ini": "[pytest]\n",
        "pyproject.toml": "[tool.suitelint]\nknown-fixtures = [\"vendor_fixture\"]\n",
        "tests/test_x.py": "def test_x(): pass\n",
    })
    assert visibility(tmp_path, "tests/test_x.py").lookup("vendor_fixture") is not None


# -- dependencies and suggestions ------------------------------------------------------------------


def test_declared_dependencies_are_read_from_declarations_only(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": """
            [project]
            dependencies = ["fastapi>=0.100"]
            [project.optional-dependencies]
            test = ["pytest-mock>=3", "pytest_httpx"]
            [dependency-groups]
            dev = ["pytest-xdist"]
            [tool.ruff.lint]
            ignore = ["pytest-raises-with-multiple-statements"]
        """,
        "requirements/dev.txt": "# comment\n-r base.txt\npytest-randomly==3.0  # order\n",
        "uv.lock": '[[package]]\nname = "pytest-timeout"\nversion = "2.0"\n',
    })
    declared = declared_dependencies(tmp_path)
    assert declared.plugin_distributions() == {"pytest-mock", "pytest-httpx", "pytest-xdist", "pytest-randomly",
                                               "pytest-timeout"}
    assert declared.declares("FastAPI") and not declared.declares("pytest-django")


@pytest.mark.parametrize(("name", "expected"), [("db", "db_session"), ("clien", "client"), ("zzz", None)])
def test_closest_name(name: str, expected: str | None) -> None:
    assert closest(name, ["db_session", "client", "tmp_path"]) == expected


# -- reading a suite ----------------------------------------------------------------------------
def test_a_suite_pack_answers_for_unchanged_files_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import suitelint.pytest_model.fixtures as fixtures_module
    from suitelint.pytest_model.fixtures import FixtureIndex

    root = tmp_path / "project"
    write(root, {
        "pytest.ini": "[pytest]\n",
        "tests/conftest.py": "import pytest\n\n@pytest.fixture\ndef db():\n    return 1\n",
        "tests/test_a.py": "def test_a(db):\n    assert db\n",
        "tests/test_b.py": "def test_b():\n    assert True\n",
    })
    files = sorted((root / "tests").glob("*.py"))

    def index() -> FixtureIndex:
        workspace = Workspace(cwd=root)
        workspace.extensions["cache_dir"] = tmp_path / "cache"
        return fixture_index(workspace)

    first = index().summaries(files, root)
    assert [s is not None for s in first] == [True, True, True]
    # a new process: nothing in memory, the pack on disk
    monkeypatch.setattr(fixtures_module, "_SUMMARIES", {})
    (root / "tests/test_b.py").write_text("def test_b(db, cache_dir):\n    assert db\n", encoding="utf-8")
    read_one_by_one: list[str] = []
    original = FixtureIndex.summary

    def summary(self: FixtureIndex, path: Path, realm: str = "project") -> object:
        read_one_by_one.append(path.name)
        return original(self, path, realm)

    monkeypatch.setattr(FixtureIndex, "summary", summary)
    second = index().summaries(files, root)
    assert read_one_by_one == ["test_b.py"]
    assert second[0] == first[0] and second[1] == first[1]
    assert second[2] is not None and second[2].facts is not None
    assert "cache_dir" in second[2].facts.requested


def test_resolved_follows_symbolic_links_like_resolve(tmp_path: Path) -> None:
    from suitelint.pytest_model.fixture_defs import resolved

    real = tmp_path / "real" / "pkg"
    real.mkdir(parents=True)
    (real / "mod.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "linked").symlink_to(tmp_path / "real", target_is_directory=True)
    (real / "alias.py").symlink_to(real / "mod.py")
    for path in (tmp_path / "linked" / "pkg" / "mod.py", real / "alias.py", real / "missing.py",
                 tmp_path / "linked" / "pkg" / ".." / "pkg" / "mod.py"):
        assert resolved(path) == path.resolve()
