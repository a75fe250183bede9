from __future__ import annotations

from pathlib import Path

from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.project.effects import Effect, module_effects
from suitelint.project.graph import ModuleNode, ProjectModel, depend, model_for, span_of
from suitelint.project.preconditions import Preconditions, inherited

CONFIG = '''
from pydantic import Field
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    redis_url: str = Field(validation_alias="REDIS_URL")
    jwt_secret: str = Field(validation_alias="JWT_SECRET")


settings = Settings()
'''
PROJECT = {
    "src/__init__.py": "",
    "src/config.py": CONFIG,
    "src/database/__init__.py": "from src.config import settings\n",
    "src/database/models.py": "class User:\n    pass\n",
}


class ImportTriggersSideEffect(Rule):
    """
    ## What it does
    Flags an import at the top level of test code (a test module, a
    conftest.py, a `pytest_plugins` module) whose closure over project
    modules reaches an import-time side effect: a settings class validating
    the environment (TST101), a call that touches the outside world
    (TST103), an environment read that fails when the variable is unset
    (TST105). The message spells out the chain, including the package
    `__init__` modules Python runs first:
    `imports src.database.models -> src.database -> src.config:10 Settings()`.

    ## Why is this bad?
    pytest imports conftest.py files and test modules while collecting, so
    the side effect runs before any fixture or hook: a missing `REDIS_URL`
    makes the whole suite fail with a collection error, a Ray cluster is
    started to collect a unit test, and mocks installed in `pytest_configure`
    come too late. Fix the effect where it is (make it lazy), or import the
    module inside the test or fixture that needs it.

    Not flagged: imports inside functions and fixtures, third-party modules,
    and effects the conftest.py files (or earlier lines of the file) defuse
    at their top level: the required variables set with
    `os.environ.setdefault(...)` or `load_dotenv()`, the service module
    replaced in `sys.modules`.
    """

    code = "TST102"
    name = "import-triggers-side-effect"
    message = "imports {chain}; pytest runs this while collecting: import it where it is needed or make the effect lazy"
    examples = (
        Invalid(
            """
            import pytest

            from src.database.models import User  # [TST102]


            @pytest.fixture
            def user() -> User:
                return User()
            """,
            filename="tests/conftest.py",
            files=PROJECT,
        ),
        Invalid(
            """
            from app.workers.math_worker import square  # [TST102]


            def test_square() -> None:
                assert square(3) == 9
            """,
            filename="tests/test_math_worker.py",
            files={
                "app/__init__.py": "",
                "app/workers/__init__.py": "",
                "app/workers/math_worker.py": (
                    "from app.orchestrator import RayOrchestrator\n\n"
                    "RayOrchestrator.init()\n\n\n"
                    "def square(x):\n    return x * x\n"
                ),
                "app/orchestrator.py": (
                    "import ray\n\n\nclass RayOrchestrator:\n    @classmethod\n"
                    "    def init(cls):\n        ray.init()\n"
                ),
            },
            title="a worker that starts Ray at import",
        ),
        Valid(
            """
            import pytest


            @pytest.fixture
            def user():
                from src.database.models import User

                return User()


            def test_settings(monkeypatch):
                monkeypatch.setenv("REDIS_URL", "redis://localhost")
                monkeypatch.setenv("JWT_SECRET", "secret")
                from src.config import Settings

                assert Settings().redis_url
            """,
            filename="tests/test_models.py",
            files=PROJECT,
            title="imports inside fixtures and tests",
        ),
        Valid(
            """
            import os
            import sys
            from unittest.mock import MagicMock

            os.environ.setdefault("REDIS_URL", "redis://localhost:6379/0")
            os.environ.setdefault("JWT_SECRET", "test-secret")
            sys.modules["ray"] = MagicMock()

            import requests

            from src.database.models import User
            from app.workers.math_worker import square
            """,
            filename="tests/conftest.py",
            files={
                **PROJECT,
                "app/__init__.py": "",
                "app/workers/__init__.py": "",
                "app/workers/math_worker.py": "import ray\n\nray.init()\n\n\ndef square(x):\n    return x * x\n",
            },
            title="environment provided and Ray mocked before the imports; third-party imports",
        ),
    )

    def end(self) -> None:
        ctx = self.ctx
        if ctx.workspace is None:
            return
        model, node = model_for(ctx)
        deps: set[Path] = set()
        with model.track(deps):
            base = inherited(ctx, model, deps)
            summary = model.summary(node)
            for site in summary.imports:
                if not site.runs_at_import:
                    continue
                targets, _ = model.import_targets(node, site)
                if not targets:
                    continue
                conditions = base.copy()
                conditions.add(summary, before_line=site.loc.line)

                def accept(event: tuple[ModuleNode, Effect], conditions: Preconditions = conditions) -> bool:
                    return event[0].path != node.path and not conditions.defuses(event[1])

                found = model.first_executed(tuple(targets), "effects", lambda m: _effects(model, m), accept)
                if found is None:
                    continue
                (_, effect), stack = found
                names = " -> ".join(m.name for m in stack)
                self.report(span_of(ctx, site.loc), chain=f"{names}:{effect.line} {effect.short()}")
        depend(ctx, deps)


def _effects(model: ProjectModel, module: ModuleNode) -> list[tuple[int, tuple[ModuleNode, Effect]]]:
    return [(effect.line, (module, effect)) for effect in module_effects(model, module)]
