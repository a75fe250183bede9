from __future__ import annotations

from pathlib import Path

from suitelint.core.rule import ALL_FILES, Invalid, Rule, Valid
from suitelint.project.effects import SETTINGS, module_effects
from suitelint.project.graph import depend, model_for, span_of

CONFIG = '''
from pydantic import Field
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    database_url: str = Field(validation_alias="DATABASE_URL")
    redis_url: str
    debug: bool = False
'''


class SettingsInstantiatedAtImport(Rule):
    """
    ## What it does
    Flags a settings class (a subclass of pydantic-settings' `BaseSettings`,
    or pydantic v1's, through any depth of project subclasses and
    re-exports) instantiated at module level or in a class body, without
    every required field passed explicitly. A module-level call of a project
    function that instantiates it (`settings = get_settings()`) is flagged
    too, with the chain of calls.

    ## Why is this bad?
    `BaseSettings()` reads and validates the environment when it is
    constructed. At module level that happens the moment anything imports
    the module: a conftest.py or test module importing your models fails
    collection with a `ValidationError` when `REDIS_URL` is unset, before any
    fixture or `pytest_configure` hook could provide it, and tests that
    `monkeypatch.setenv` later never see their values. Create the settings
    lazily, e.g. in an `@lru_cache`-decorated `get_settings()` function that
    your application calls (and tests can `cache_clear()`).

    Only classes with required fields are flagged: an instantiation that
    cannot fail for a missing variable is left alone, as are instantiations
    inside functions, under `if __name__ == "__main__":` and inside a
    `try` that handles the failure.
    """

    code = "TST101"
    name = "settings-instantiated-at-import"
    message = (
        "`{call}` validates the environment at import time (`{cls}` from {where} requires {required}); "
        "create it lazily, e.g. in an `@lru_cache` function"
    )
    applies_to = ALL_FILES
    examples = (
        Invalid(
            """
            from app.config import Settings

            settings = Settings()  # [TST101]
            """,
            filename="app/dependencies.py",
            files={"app/__init__.py": "", "app/config.py": CONFIG},
        ),
        Invalid(
            """
            from functools import lru_cache

            from pydantic_settings import BaseSettings


            class Settings(BaseSettings):
                jwt_secret: str


            @lru_cache
            def get_settings() -> Settings:
                return Settings()


            settings = get_settings()  # [TST101]
            """,
            filename="app/config.py",
            title="a module-level call of the lazy getter",
        ),
        Invalid(
            """
            from app.settings import AppSettings


            class WorkerSettings(AppSettings):
                queue: str = "default"


            class Worker:
                settings = WorkerSettings()  # [TST101]
            """,
            filename="app/worker.py",
            files={
                "app/__init__.py": "",
                "app/settings/__init__.py": "from .base import AppSettings\n",
                "app/settings/base.py": (
                    "from pydantic.v1 import BaseSettings\n\n\n"
                    "class AppSettings(BaseSettings):\n"
                    "    broker_url: str\n\n"
                    "    class Config:\n"
                    "        env_prefix = 'APP_'\n"
                ),
            },
            title="inherited through a re-export, in a class body (pydantic v1)",
        ),
        Valid(
            """
            from functools import lru_cache

            from app.config import Settings


            @lru_cache
            def get_settings() -> Settings:
                return Settings()
            """,
            filename="app/dependencies.py",
            files={"app/__init__.py": "", "app/config.py": CONFIG},
        ),
        Valid(
            """
            from app.config import Settings

            settings = Settings(database_url="sqlite://", redis_url="redis://localhost")

            if __name__ == "__main__":
                print(Settings())
            """,
            filename="app/cli.py",
            files={"app/__init__.py": "", "app/config.py": CONFIG},
            title="every required field passed; the `__main__` block",
        ),
        Valid(
            """
            from dataclasses import dataclass
            import logging

            from pydantic_settings import BaseSettings

            logger = logging.getLogger(__name__)


            class Defaults(BaseSettings):
                debug: bool = False
                workers: int = 4


            @dataclass
            class Limits:
                rate: int


            defaults = Defaults()
            limits = Limits(rate=10)
            """,
            filename="app/config.py",
            title="no required field; dataclasses and loggers",
        ),
    )

    def end(self) -> None:
        if self.ctx.workspace is None:
            return
        model, node = model_for(self.ctx)
        deps: set[Path] = set()
        with model.track(deps):
            effects = [e for e in module_effects(model, node) if e.kind == SETTINGS]
        depend(self.ctx, deps)
        for effect in effects:
            settings = effect.settings
            assert settings is not None
            where = f"{self.ctx.workspace.relative(settings.node.path)}:{settings.cls.loc.line}"
            self.report(span_of(self.ctx, effect.loc), call=effect.shown, cls=settings.name, where=where,
                        required=", ".join(effect.env))
