from __future__ import annotations

from pathlib import Path

from suitelint.core.rule import ALL_FILES, Invalid, Rule, Valid
from suitelint.project.effects import CALL, module_effects
from suitelint.project.graph import depend, model_for, span_of

ORCHESTRATOR = '''
import ray


class RayOrchestrator:
    @classmethod
    def init(cls) -> None:
        if not ray.is_initialized():
            ray.init(address="auto")
'''


class SideEffectAtImport(Rule):
    """
    ## What it does
    Flags a module-level (or class-body) call that touches the outside
    world: starting or connecting to a service (`ray.init`, `redis.Redis`,
    `pymongo.MongoClient`, database `connect`, sockets), HTTP requests
    (`requests.get`, `httpx.post`, `urlopen`), event loops (`asyncio.run`,
    `asyncio.get_event_loop`), subprocesses, and global logging
    configuration (`logging.basicConfig`). A module-level call of a project
    function, classmethod or constructor whose body (followed through project
    code, up to three calls deep) makes such a call is flagged too, with the
    chain: `RayOrchestrator.init() -> ray.init()`. Add your own APIs with
    `side-effect-calls` in `[tool.suitelint]`.

    ## Why is this bad?
    Importing a module should be free. When its top level starts Ray or
    opens a connection, every import pays for it, including pytest's
    collection of any test that imports the module directly or through a
    conftest.py: the suite fails (or hangs on a timeout) before the first
    test runs on a machine without the service, and tests cannot mock what
    already happened. Do the work in a function the application calls at
    start-up, or in a fixture.

    Not flagged: calls inside functions, under `if __name__ == "__main__":`,
    data constructors, `typing`/`dataclasses`, `logging.getLogger`, lazy
    factories such as `sqlalchemy.create_engine` (it connects on first use).
    """

    code = "TST103"
    name = "side-effect-at-import"
    message = "`{call}` {reason} at import time; call it from a function at start-up or from a fixture instead"
    applies_to = ALL_FILES
    examples = (
        Invalid(
            """
            import logging

            import redis

            logging.basicConfig(level=logging.INFO)  # [TST103]
            cache = redis.Redis.from_url("redis://localhost:6379/0")  # [TST103]
            """,
            filename="app/cache.py",
        ),
        Invalid(
            """
            from app.orchestrator import RayOrchestrator

            RayOrchestrator.init()  # [TST103]


            def square(x: int) -> int:
                return x * x
            """,
            filename="app/workers/math_worker.py",
            files={"app/__init__.py": "", "app/workers/__init__.py": "", "app/orchestrator.py": ORCHESTRATOR},
            title="through a project classmethod",
        ),
        Invalid(
            """
            import asyncio

            from .db import Base, engine

            Base.metadata.create_all(bind=engine)  # [TST103]
            loop = asyncio.get_event_loop()  # [TST103]
            """,
            filename="app/main.py",
            files={
                "app/__init__.py": "",
                "app/db.py": (
                    "from sqlalchemy import create_engine\n"
                    "from sqlalchemy.orm import declarative_base\n\n"
                    "engine = create_engine('postgresql://db/app')\n"
                    "Base = declarative_base()\n"
                ),
            },
            title="tables created and an event loop grabbed at import",
        ),
        Invalid(
            """
            import acme.telemetry

            acme.telemetry.connect()  # [TST103]
            """,
            filename="app/telemetry.py",
            settings={"side-effect-calls": ["acme.telemetry.connect"]},
            title="an API from the project's configuration",
        ),
        Valid(
            """
            import logging
            from dataclasses import dataclass, field
            from typing import NamedTuple

            import ray
            import redis
            from sqlalchemy import create_engine

            logger = logging.getLogger(__name__)
            engine = create_engine("postgresql://db/app")


            @dataclass
            class Job:
                name: str
                tags: list[str] = field(default_factory=list)


            class Point(NamedTuple):
                x: int
                y: int


            DEFAULT_JOB = Job("noop")


            def get_client() -> redis.Redis:
                return redis.Redis.from_url("redis://localhost")


            if __name__ == "__main__":
                ray.init()
                logging.basicConfig()
            """,
            filename="app/jobs.py",
        ),
        Valid(
            """
            from app.orchestrator import RayOrchestrator


            def start() -> None:
                RayOrchestrator.init()


            def square(x: int) -> int:
                return x * x
            """,
            filename="app/workers/math_worker.py",
            files={"app/__init__.py": "", "app/workers/__init__.py": "", "app/orchestrator.py": ORCHESTRATOR},
            title="the classmethod called when needed",
        ),
    )

    def end(self) -> None:
        if self.ctx.workspace is None:
            return
        model, node = model_for(self.ctx)
        deps: set[Path] = set()
        with model.track(deps):
            effects = [e for e in module_effects(model, node) if e.kind == CALL]
        depend(self.ctx, deps)
        for effect in effects:
            self.report(span_of(self.ctx, effect.loc), call=effect.shown, reason=effect.detail)
