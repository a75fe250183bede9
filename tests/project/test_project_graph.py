"""The project model: module resolution, import execution order, symbols, settings classes, effects."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from suitelint.core.workspace import Workspace
from suitelint.inference import evict
from suitelint.project.effects import CALL, ENV, SETTINGS, module_effects
from suitelint.project.graph import ModuleNode, ProjectModel, project_model
from suitelint.project.settings_classes import _installed_settings_base, settings_class


def make(root: Path, files: dict[str, str], pytest_ini: str = "") -> ProjectModel:
    (root / "pytest.ini").write_text("[pytest]\n" + pytest_ini, encoding="utf-8")
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    workspace = Workspace(cwd=root)
    workspace.extensions["cache_dir"] = None
    return project_model(workspace, root / "pytest.ini")


def node(model: ProjectModel, dotted: str) -> ModuleNode:
    found = model.locate(dotted)
    assert found is not None, dotted
    return found


def test_relative_imports_and_parent_packages_run_first(tmp_path: Path) -> None:
    model = make(tmp_path, {
        "app/__init__.py": "",
        "app/db/__init__.py": "from .models import User\nfrom ..config import settings\n",
        "app/db/models.py": "class User: ...\n",
        "app/config.py": "settings = 1\n",
    })
    models = node(model, "app.db.models")
    assert [n.name for n in model.runs(models)] == ["app", "app.db"]
    order = list(model.events_in_order((models,), "modules", lambda m: [(0, m.name)]))
    # as in Python: the package __init__ imports .models itself, so models runs inside it
    assert [(event, [n.name for n in stack]) for event, stack in order] == [
        ("app", ["app.db.models", "app"]),
        ("app.db", ["app.db.models", "app.db"]),
        ("app.db.models", ["app.db.models", "app.db", "app.db.models"]),
        ("app.config", ["app.db.models", "app.db", "app.config"]),
    ]


def test_cycles_run_each_module_once(tmp_path: Path) -> None:
    model = make(tmp_path, {"a.py": "import b\n", "b.py": "import a\nimport c\n", "c.py": "import a\n"})
    order = list(model.events_in_order((node(model, "a"),), "modules", lambda m: [(0, m.name)]))
    assert sorted(event for event, _ in order) == ["a", "b", "c"]


def test_from_import_of_submodules_and_missing_names(tmp_path: Path) -> None:
    model = make(tmp_path, {
        "pkg/__init__.py": "from .impl import *\nVALUE = 1\n",
        "pkg/impl.py": "__all__ = ['exported']\nexported = 1\nhidden = 2\n",
        "pkg/sub.py": "",
        "user.py": "from pkg import sub, VALUE, exported, hidden, nothing\nimport pkg.missing\nimport requests.x\n",
    })
    user = node(model, "user")
    summary = model.summary(user)
    targets, missing = model.import_targets(user, summary.imports[0])
    assert [t.name for t in targets] == ["pkg", "pkg.sub"]
    assert [(m.module, m.name) for m in missing] == [("pkg", "hidden"), ("pkg", "nothing")]
    _, missing = model.import_targets(user, summary.imports[1])
    assert [(m.module, m.name) for m in missing] == [("pkg.missing", "")]
    assert model.import_targets(user, summary.imports[2]) == ([], [])  # third-party: never followed


def test_namespace_directory_loses_to_the_standard_library(tmp_path: Path) -> None:
    model = make(tmp_path, {"dataclasses/helper.py": "", "user.py": "from dataclasses import dataclass\n"})
    user = node(model, "user")
    assert model.import_targets(user, model.summary(user).imports[0]) == ([], [])


def test_submodules_registered_in_sys_modules_are_not_missing(tmp_path: Path) -> None:
    model = make(tmp_path, {
        "shim/__init__.py": "import sys\nfrom . import impl\nsys.modules['shim.path'] = impl\n",
        "shim/impl.py": "",
        "user.py": "import shim.path\n",
    })
    user = node(model, "user")
    assert model.import_targets(user, model.summary(user).imports[0])[1] == []


def test_symbols_through_reexports_and_star_imports(tmp_path: Path) -> None:
    model = make(tmp_path, {
        "lib/__init__.py": "from .core import Engine as PublicEngine\nfrom .helpers import *\n",
        "lib/core.py": "class Engine:\n    @classmethod\n    def start(cls): ...\n",
        "lib/helpers.py": "def helper(): ...\n",
    })
    engine = model.resolve_symbol("lib.PublicEngine")
    assert engine is not None and (engine.kind, engine.node.name, engine.name) == ("class", "lib.core", "Engine")
    start = model.resolve_symbol("lib.PublicEngine.start")
    assert start is not None and (start.kind, start.name, start.method) == ("function", "Engine", "start")
    helper = model.resolve_symbol("lib.helper")
    assert helper is not None and (helper.node.name, helper.name) == ("lib.helpers", "helper")
    assert model.resolve_symbol("lib.nothing") is None
    assert model.resolve_symbol("requests.get") is None


def test_settings_class_through_project_bases_and_pydantic_flavours(tmp_path: Path) -> None:
    model = make(tmp_path, {
        "conf/__init__.py": "from .base import Base\n",
        "conf/base.py": """
            import pydantic_settings as ps

            class Base(ps.BaseSettings):
                model_config = ps.SettingsConfigDict(env_prefix="SVC_")
                token: str
                region: str
            """,
        "conf/app.py": """
            from conf import Base

            class App(Base):
                region = "eu"
                port: int = 80
            """,
        "legacy.py": """
            from typing import Optional
            from pydantic.v1 import BaseSettings

            class Legacy(BaseSettings):
                url: str
                maybe: Optional[str]
            """,
        "plain.py": "from pydantic import BaseModel\n\nclass Model(BaseModel):\n    x: int\n",
    })
    app = settings_class(model, node(model, "conf.app"), "App")
    assert app is not None and app.flavour == "v2"
    assert [f.name for f in app.required_fields()] == ["token"]
    assert app.env_names(app.required_fields()[0]) == ("SVC_TOKEN",)
    legacy = settings_class(model, node(model, "legacy"), "Legacy")
    assert legacy is not None and [f.name for f in legacy.required_fields()] == ["url"]
    assert settings_class(model, node(model, "plain"), "Model") is None


def test_effects_of_a_module(tmp_path: Path) -> None:
    model = make(tmp_path, {
        "svc/__init__.py": "",
        "svc/settings.py": "from pydantic_settings import BaseSettings\n\nclass S(BaseSettings):\n    key: str\n",
        "svc/clients.py": """
            import os
            import redis
            from svc.settings import S

            class Pool:
                def __init__(self):
                    self.client = redis.Redis()

            def make_pool():
                return Pool()

            s = S()
            pool = make_pool()
            KEY = os.environ["KEY"]
            fine = S(key="x")
            if os.getenv("USE_REDIS"):
                extra = redis.Redis()
            """,
    })
    effects = module_effects(model, node(model, "svc.clients"))
    assert [(e.kind, e.line, e.shown) for e in effects] == [
        (SETTINGS, 12, "S()"),
        (CALL, 13, "make_pool() -> Pool() -> redis.Redis()"),
        (ENV, 14, 'os.environ["KEY"]'),
    ]


def test_follow_depth_is_bounded(tmp_path: Path) -> None:
    model = make(tmp_path, {
        "deep.py": """
            import ray

            def a(): b()
            def b(): c()
            def c(): d()
            def d(): ray.init()

            a()
            b()
            """,
    })
    effects = module_effects(model, node(model, "deep"))
    assert [(e.line, e.shown) for e in effects] == [(9, "b() -> c() -> d() -> ray.init()")]


def test_recursive_functions_terminate(tmp_path: Path) -> None:
    model = make(tmp_path, {"loop.py": "def f():\n    g()\n\ndef g():\n    f()\n\nf()\n"})
    assert module_effects(model, node(model, "loop")) == ()


def test_extra_side_effect_calls_from_settings(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "m.py").write_text("import acme\nacme.connect()\n", encoding="utf-8")
    workspace = Workspace(cwd=tmp_path)
    workspace.extensions["cache_dir"] = None
    plain = project_model(workspace, tmp_path / "m.py")
    extended = project_model(workspace, tmp_path / "m.py", (("acme.connect", "dials home"),))
    assert module_effects(plain, node(plain, "m")) == ()
    assert [e.detail for e in module_effects(extended, node(extended, "m"))] == ["dials home"]


def test_settings_base_from_an_installed_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A base re-exported by an installed library is recognised with astroid (read, never imported)."""
    site = tmp_path / "site-packages"
    for name, text in {
        "pydantic_settings/__init__.py": "from .main import BaseSettings\n",
        "pydantic_settings/main.py": "class BaseSettings:\n    pass\n",
        "corp_cfg_4711/__init__.py": "from pydantic_settings import BaseSettings\n\n\n"
                                     "class CorpSettings(BaseSettings):\n    pass\n",
    }.items():
        target = site / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(name and text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    project = tmp_path / "project"
    project.mkdir()
    model = make(project, {
        "svc.py": "from corp_cfg_4711 import CorpSettings\n\nclass S(CorpSettings):\n    token: str\n",
    })
    try:
        found = settings_class(model, node(model, "svc"), "S")
        assert found is not None and [f.name for f in found.required_fields()] == ["token"]
    finally:  # the fake library must not leak into other tests through astroid's caches
        from astroid import MANAGER

        for name in ("pydantic_settings", "pydantic_settings.main", "corp_cfg_4711"):
            evict(name)
        for key in [k for k in MANAGER._mod_file_cache if k[0].startswith(("pydantic_settings", "corp_cfg_4711"))]:
            del MANAGER._mod_file_cache[key]
        _installed_settings_base.cache_clear()
