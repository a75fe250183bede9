from __future__ import annotations

from pathlib import Path

from suitelint.core.rule import ALL_FILES, Invalid, Rule, Valid
from suitelint.project.effects import ENV, module_effects
from suitelint.project.graph import depend, model_for, span_of


class EnvironmentReadAtImport(Rule):
    """
    ## What it does
    Flags environment reads at module level (or in a class body) that fail
    when the variable is unset: `os.environ["X"]` (KeyError), and
    `os.getenv("X")` / `os.environ.get("X")` without a default whose value is
    converted or checked right away: `int(os.getenv("PORT"))`,
    `os.getenv("HOSTS").split(",")`, `None + "/path"`, an `assert` or an
    `if not ...: raise`, also through a module-level variable
    (`PORT = os.getenv("PORT")` then `int(PORT)`).

    ## Why is this bad?
    The read runs when the module is imported, so importing it from a test
    or conftest.py crashes pytest's collection on any machine where the
    variable is unset, before a fixture or `monkeypatch.setenv` could provide
    it, and later changes to the environment are never seen. Read the
    variable when it is needed (in a function, or a lazily created settings
    object), or give it a default.

    Not flagged: reads inside functions, reads with a default, formatting
    the value (`f"{os.getenv('X')}"` never raises), reads inside a `try`,
    and reads after the module itself set the variable
    (`os.environ.setdefault("X", ...)`, `load_dotenv()`).
    """

    code = "TST105"
    name = "environment-read-at-import"
    message = (
        "`{read}` at import time fails with {how} when `{variable}` is unset; "
        "read it when needed or give it a default"
    )
    applies_to = ALL_FILES
    examples = (
        Invalid(
            """
            import os

            DATABASE_URL = os.environ["DATABASE_URL"]  # [TST105]
            PORT = int(os.getenv("PORT"))  # [TST105]
            ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS")  # [TST105]
            HOSTS = ALLOWED_HOSTS.split(",")
            """,
            filename="app/config.py",
        ),
        Invalid(
            """
            from os import getenv

            SECRET = getenv("JWT_SECRET")  # [TST105]
            if not SECRET:
                raise RuntimeError("JWT_SECRET is not set")
            """,
            filename="app/auth.py",
            title="validated by a raise",
        ),
        Valid(
            """
            import os

            DEBUG = os.getenv("DEBUG", "0") == "1"
            PORT = int(os.getenv("PORT", "8000"))
            BANNER = f"running on {os.getenv('HOSTNAME')}"
            TIMEOUT = os.getenv("TIMEOUT") or "30"


            def database_url() -> str:
                return os.environ["DATABASE_URL"]


            try:
                REGION = os.environ["REGION"]
            except KeyError:
                REGION = "eu"
            """,
            filename="app/config.py",
        ),
        Valid(
            """
            import os

            os.environ.setdefault("DATABASE_URL", "sqlite://")
            DATABASE_URL = os.environ["DATABASE_URL"]
            """,
            filename="tests/conftest.py",
            title="set earlier at import",
        ),
    )

    def end(self) -> None:
        if self.ctx.workspace is None:
            return
        model, node = model_for(self.ctx)
        deps: set[Path] = set()
        with model.track(deps):
            effects = [e for e in module_effects(model, node) if e.kind == ENV]
        depend(self.ctx, deps)
        for effect in effects:
            self.report(span_of(self.ctx, effect.loc), read=effect.shown, how=effect.detail, variable=effect.env[0])
