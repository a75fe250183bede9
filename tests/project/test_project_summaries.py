"""The per-module import-time summary: one stdlib-ast pass, names encoded independently of the import name."""

from __future__ import annotations

import pickle
import textwrap

import pytest

from suitelint.project.summarize import summarize_source
from suitelint.project.summary import (
    AT_IMPORT,
    IN_FUNCTION,
    TYPE_CHECKING_ONLY,
    ModuleSummary,
    absolute,
    resolve_relative,
)


def summary(code: str) -> ModuleSummary:
    return summarize_source(textwrap.dedent(code).lstrip("\n"))


def test_imports_where_they_run() -> None:
    found = summary(
        """
        import os, a.b as ab
        from . import sibling
        from ..pkg.mod import name as alias
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from heavy import Type
        try:
            import orjson
        except ImportError:
            orjson = None

        def lazy():
            from x import y

        if __name__ == "__main__":
            import cli
        """
    )
    rows = [(s.loc.line, s.is_from, s.level, s.module, s.names, s.where, s.guarded, s.in_main_guard)
            for s in found.imports]
    assert rows == [
        (1, False, 0, None, (("os", None), ("a.b", "ab")), AT_IMPORT, False, False),
        (2, True, 1, None, (("sibling", None),), AT_IMPORT, False, False),
        (3, True, 2, "pkg.mod", (("name", "alias"),), AT_IMPORT, False, False),
        (4, True, 0, "typing", (("TYPE_CHECKING", None),), AT_IMPORT, False, False),
        (6, True, 0, "heavy", (("Type", None),), TYPE_CHECKING_ONLY, False, False),
        (8, False, 0, None, (("orjson", None),), AT_IMPORT, True, False),
        (13, True, 0, "x", (("y", None),), IN_FUNCTION, False, False),
        (16, False, 0, None, (("cli", None),), AT_IMPORT, False, True),
    ]
    assert found.bindings["ab"] == "a.b"
    assert found.bindings["alias"] == "..pkg.mod.name"
    assert found.bindings["sibling"] == ".sibling"
    assert "Type" not in found.defined  # only under TYPE_CHECKING
    assert {"os", "ab", "sibling", "alias", "orjson", "lazy"} <= found.defined


def test_defined_names_all_star_and_getattr() -> None:
    found = summary(
        """
        from .impl import *
        __all__ = ["public"] + ["other"]
        for index in range(3):
            pass
        with open("f") as handle:
            pass
        if flag:
            CONDITIONAL = 1
        else:
            def CONDITIONAL(): ...
        annotated_only: int

        def setter():
            global LATE
            LATE = 1

        def __getattr__(name):
            raise AttributeError(name)
        """
    )
    assert found.star_imports == ((1, "impl"),)
    assert found.all_names == ("public", "other")
    assert found.has_getattr
    assert {"index", "handle", "CONDITIONAL", "LATE", "setter", "__getattr__"} <= found.defined
    assert "annotated_only" not in found.defined


def test_import_time_calls_and_what_is_excluded() -> None:
    found = summary(
        """
        import ray
        from .orchestrator import RayOrchestrator as RO

        ray.init()
        RO.init()

        class Worker:
            client = ray.get_actor("a")

            def run(self, ray):
                ray.remote()

        @decorate(ray.method())
        def job(arg=ray.put(1)):
            ray.get(arg)
            callback = lambda: ray.shutdown()

        if __name__ == "__main__":
            ray.init(address="auto")
        """
    )
    calls = [(c.loc.line, c.callee, c.owner) for c in found.calls]
    assert calls == [
        (4, "ray.init", ""),
        (5, ".orchestrator.RayOrchestrator.init", ""),
        (8, "ray.get_actor", "Worker"),
        (13, None, ""),  # `decorate` is not defined anywhere
        (13, "ray.method", ""),
        (14, "ray.put", ""),
    ]
    run = found.classes["Worker"].methods["run"]
    assert [c.callee for c in run.calls] == []  # `ray` is the parameter there: unknown
    assert [c.callee for c in found.functions["job"].calls] == ["ray.get"]


def test_methods_resolve_self_and_cls() -> None:
    found = summary(
        """
        import ray

        class Orchestrator:
            @classmethod
            def init(cls):
                cls.connect()
                ray.init()

            @staticmethod
            def helper(cls):
                cls.anything()

            def connect(self):
                self.init()
        """
    )
    methods = found.classes["Orchestrator"].methods
    assert methods["init"].kind == "classmethod"
    assert [c.callee for c in methods["init"].calls] == [":Orchestrator.connect", "ray.init"]
    assert [c.callee for c in methods["helper"].calls] == []
    assert [c.callee for c in methods["connect"].calls] == [":Orchestrator.init"]


@pytest.mark.parametrize(
    ("code", "how"),
    [
        ('X = os.environ["X"]', "KeyError"),
        ('X = int(os.getenv("X"))', "`int()`"),
        ('X = os.environ.get("X").split(",")', "`.split`"),
        ('X = os.getenv("X") + "/path"', "an arithmetic operation"),
        ('X = Path(os.getenv("X"))', "`Path()`"),
        ('assert os.getenv("X")', "an `assert`"),
        ('if os.getenv("X") is None:\n    raise RuntimeError', "a `raise`"),
        ('X = os.getenv("X")\nY = int(X)', "`int()` (line 4)"),
    ],
)
def test_environment_reads_that_fail_at_import(code: str, how: str) -> None:
    found = summary("import os\nfrom pathlib import Path\n" + code)
    reads = [r for r in found.env_reads if r.name == "X"]
    assert reads and reads[0].fails_when_unset and reads[0].how == how


@pytest.mark.parametrize(
    "code",
    [
        'X = os.getenv("X", "1")',
        'X = int(os.getenv("X", "8000"))',
        'X = os.getenv("X") or "default"',
        'X = f"{os.getenv(\'X\')}"',
        'X = str(os.getenv("X"))',
        'X = os.getenv("X") == "1"',
        'X = "%s" % os.getenv("X")',
        'def f():\n    return os.environ["X"]',
        'try:\n    X = os.environ["X"]\nexcept KeyError:\n    X = None',
        'if os.getenv("ON"):\n    X = os.environ["X"]',
        'X = os.getenv("ON") and os.environ["X"]',
        'if __name__ == "__main__":\n    X = os.environ["X"]',
    ],
)
def test_environment_reads_that_cannot_fail_at_import(code: str) -> None:
    found = summary("import os\n" + code)
    reads = [r for r in found.env_reads if r.name == "X"]
    assert reads and not any(r.fails_when_unset for r in reads)


def test_environment_writes_and_names_from_constants() -> None:
    found = summary(
        """
        import os, sys
        from unittest import mock
        from dotenv import load_dotenv

        NAME = "API_KEY"
        os.environ[NAME] = "k"
        os.environ.setdefault("A", "1")
        os.environ.update({"B": "2"}, C="3")
        load_dotenv()
        for module in ["ray", "ray.tune"]:
            sys.modules[module] = mock.MagicMock()

        def test(monkeypatch):
            monkeypatch.setenv("D", "4")
            with mock.patch.dict(os.environ, {"E": "5"}):
                pass
        """
    )
    writes = [(w.name, w.import_time) for w in found.env_writes]
    assert writes == [("API_KEY", True), ("A", True), ("B", True), ("C", True), (None, True),
                      ("D", False), ("E", False)]
    assert found.sys_modules_writes == (("ray", 11), ("ray.tune", 11))


def test_pydantic_fields_and_config() -> None:
    found = summary(
        """
        from typing import ClassVar, Optional
        from pydantic import AliasChoices, Field
        from pydantic_settings import BaseSettings, SettingsConfigDict

        class Settings(BaseSettings):
            model_config = SettingsConfigDict(env_prefix="APP_", case_sensitive=True)
            plain: str
            aliased: str = Field(validation_alias=AliasChoices("A1", "A2"))
            required_ellipsis: int = Field(...)
            defaulted: int = Field(3, alias="DEF")
            factory: list = Field(default_factory=list)
            optional: Optional[str]
            constant: ClassVar[int] = 1
            _private: str
        """
    )
    cls = found.classes["Settings"]
    assert cls.bases == ("pydantic_settings.BaseSettings",)
    assert (cls.env_prefix, cls.case_sensitive) == ("APP_", True)
    fields = {f.name: (f.required, f.aliases, f.optional_annotation) for f in cls.fields}
    assert fields == {
        "plain": (True, (), False),
        "aliased": (True, ("A1", "A2"), False),
        "required_ellipsis": (True, (), False),
        "defaulted": (False, ("DEF",), False),
        "factory": (False, (), False),
        "optional": (True, (), True),
    }


def test_unparsable_and_pathological_sources() -> None:
    assert not summarize_source("def broken(:\n").parsed
    deep = "x = " + "+".join(["a"] * 3000) + "\n"
    assert isinstance(summarize_source(deep), ModuleSummary)


def test_summaries_pickle_round_trip() -> None:
    found = summary(
        """
        import os, ray
        class C:
            def m(self):
                ray.init()
        X = os.getenv("X")
        """
    )
    assert pickle.loads(pickle.dumps(found)) == found


def test_encoded_names_made_absolute() -> None:
    assert absolute(":Settings", "app.config", False) == "app.config.Settings"
    assert absolute(".base.Base", "app.settings", True) == "app.settings.base.Base"
    assert absolute(".base.Base", "app.settings.prod", False) == "app.settings.base.Base"
    assert absolute("..Base", "app.settings.prod", False) == "app.Base"
    assert absolute("pydantic.Field", "x", False) == "pydantic.Field"
    assert resolve_relative(1, "x", "top", False) is None  # no parent package
    assert resolve_relative(3, None, "a.b", False) is None  # beyond the top-level package


@pytest.mark.parametrize(
    "code",
    [
        "__all__ = [name for name in dir() if not name.startswith('_')]",
        "__all__ = ['a']\n__all__ += other.__all__",
        "__all__ = ['a']\n__all__.extend(other.__all__)",
        "__all__ = sorted(['a'])",
    ],
)
def test_computed_all_is_unknown(code: str) -> None:
    assert summary(code).all_names is None


def test_exec_at_module_level_defines_anything() -> None:
    assert summary("exec('X = 1')").dynamic_globals
    assert not summary("def f():\n    exec('X = 1')").dynamic_globals


def test_long_elif_chains_are_summarized() -> None:
    branches = "".join(f"elif os.environ.get('K{i}'):\n    X{i} = 1\n" for i in range(1500))
    found = summary("import os\nif os.environ.get('K'):\n    pass\n" + branches)
    assert found.parsed and "X1499" in found.defined
    assert len([r for r in found.env_reads if r.name and r.name.startswith("K")]) == 1501


QUIET_BODY_CASES = [
    # bodies the text check may skip, and the look-alikes it must walk
    "def test_plain():\n    assert compute(1) == 2\n",
    "def test_imports():\n    import json\n    assert json\n",
    "import os\ndef test_env():\n    os.environ['A'] = '1'\n",
    "from os import environ as env\ndef test_env():\n    env['A'] = '1'\n",
    "from os import environ as env\ndef outer():\n    def inner():\n        env.pop('A')\n    return inner\n",
    "def test_patch(mocker):\n    mocker.patch.dict('os.\\x65nviron', {'A': '1'})\n",
    "def test_patch(m):\n    m.patch . \\\n        dict(OPTIONS, {})\n",
    "X = 0\ndef test_global():\n    global X\n    X = 1\n",
    "def test_walrus():\n    if (n := count()):\n        assert n\n",
    "def test_lambda():\n    f = lambda: settings.load()\n    assert f\n",
    "def test_ｅnviron():\n    ｏs.ｅnviron['A'] = '1'\n",
    "class TestThing:\n    def test_method(self):\n        self.client.get('/')\n\n    def helper(self):\n        import os\n        return os.getenv('HOME')\n",
    "if __name__ == '__main__':\n    def run():\n        import sys\n        sys.exit(main())\n    run()\n",
    "def make():\n    import os\n    def test_inner():\n        return os.environ.get('A')\n    return test_inner\n",
    "def test_dotenv():\n    load_dotenv()\n    read_env()\n",
    "def test_comment():\n    x = 1  # .dict here\n    assert x\n",
]


@pytest.mark.parametrize("code", QUIET_BODY_CASES)
def test_skipping_quiet_bodies_changes_no_summary(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bodies the text check skips would have recorded nothing: the summary is the one a full walk gives."""
    from suitelint.project import summarize as module

    fast = summarize_source(code)
    monkeypatch.setattr(module._Builder, "_quiet_body", lambda *args, **kwargs: False)
    assert fast == summarize_source(code)
    assert pickle.dumps(fast) == pickle.dumps(summarize_source(code))
