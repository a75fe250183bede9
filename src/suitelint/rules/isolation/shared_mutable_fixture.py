from __future__ import annotations

import ast

from suitelint.core.rule import FileRole, Invalid, Rule, Valid
from suitelint.pytest_model.collection import fixture_functions
from suitelint.pytest_model.fixture_defs import (
    dotted,
    fixture_decorator,
    fixture_options,
    walk_function_body,
)

SHARED_SCOPES = frozenset({"module", "package", "session"})
# constructors whose instances carry per-test state (open transactions, identity maps, keys)
STATEFUL_CALLS = {
    "sqlalchemy.orm.Session": "database session",
    "sqlalchemy.orm.session.Session": "database session",
    "sqlalchemy.ext.asyncio.AsyncSession": "database session",
    "sqlmodel.Session": "database session",
    "sqlite3.connect": "database connection",
    "psycopg2.connect": "database connection",
    "psycopg.connect": "database connection",
    "psycopg.AsyncConnection.connect": "database connection",
    "asyncpg.connect": "database connection",
    "pymysql.connect": "database connection",
    "MySQLdb.connect": "database connection",
    "redis.Redis": "Redis client",
    "redis.StrictRedis": "Redis client",
    "redis.from_url": "Redis client",
    "redis.Redis.from_url": "Redis client",
    "redis.asyncio.Redis": "Redis client",
    "redis.asyncio.from_url": "Redis client",
    "redis.asyncio.Redis.from_url": "Redis client",
    "fakeredis.FakeRedis": "Redis client",
    "fakeredis.FakeStrictRedis": "Redis client",
    "fakeredis.aioredis.FakeRedis": "Redis client",
}
SESSION_FACTORIES = frozenset({"sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.scoped_session",
                               "sqlalchemy.ext.asyncio.async_sessionmaker", "sqlalchemy.orm.session.sessionmaker"})
ENGINE_FACTORIES = frozenset({"sqlalchemy.create_engine", "sqlalchemy.ext.asyncio.create_async_engine",
                              "sqlalchemy.engine.create_engine", "sqlmodel.create_engine"})
TEST_CLIENTS = frozenset({"fastapi.testclient.TestClient", "starlette.testclient.TestClient"})
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


class SharedMutableFixture(Rule):
    """
    ## What it does
    Flags a `module`-, `package`- or `session`-scoped fixture that returns or
    yields an object whose state changes as tests use it: a database
    session (`Session(engine)`, `SessionLocal()` from a `sessionmaker`), a
    connection or transaction (`engine.connect()`, `conn.begin()`,
    `sqlite3.connect(...)`), a Redis client, or a FastAPI/Starlette
    `TestClient` of an app whose `dependency_overrides` the fixture sets.

    Engines, session factories (`sessionmaker(...)` itself), settings and
    other read-only data are fine at any scope and are not flagged.

    ## Why is this bad?
    Every test in the scope gets the same object. A session carries its
    identity map, pending changes and transaction state from one test to the
    next; a connection carries its open transaction; a Redis client its
    keys. A test that fails midway leaves a broken transaction for all the
    following ones, and tests depend on each other's data. Keep the
    expensive part (engine, schema) wide-scoped and give each test its own
    session or connection in a function-scoped fixture, rolled back after
    `yield`.
    """

    code = "TST407"
    name = "shared-mutable-fixture"
    message = (
        "`{scope}`-scoped fixture `{fixture}` yields a {kind} (`{value}`) that every test in the {scope} shares; "
        "use a function-scoped fixture rolled back after `yield`"
    )
    examples = (
        Invalid(
            """
            import pytest
            from sqlalchemy import create_engine
            from sqlalchemy.orm import Session, sessionmaker

            engine = create_engine("sqlite://")
            SessionLocal = sessionmaker(bind=engine)

            @pytest.fixture(scope="session")
            def db():  # [TST407]
                session = SessionLocal()
                yield session
                session.close()

            @pytest.fixture(scope="module")
            def connection():  # [TST407]
                with engine.connect() as conn:
                    yield conn

            @pytest.fixture(scope="session")
            def orm_session():  # [TST407]
                with Session(engine) as session:
                    yield session
            """
        ),
        Valid(
            """
            import pytest
            from sqlalchemy import create_engine
            from sqlalchemy.orm import Session, sessionmaker

            @pytest.fixture(scope="session")
            def engine():
                return create_engine("sqlite://")

            @pytest.fixture(scope="session")
            def session_factory(engine):
                return sessionmaker(bind=engine)

            @pytest.fixture
            def db(engine):
                with Session(engine) as session:
                    yield session
                    session.rollback()

            @pytest.fixture(scope="session")
            def settings():
                return {"debug": False}
            """,
            title="engines, factories, function-scoped sessions, data",
        ),
    )

    def end(self) -> None:
        ctx = self.ctx
        if ctx.role == FileRole.OTHER:
            return
        factories, engines = self._module_bindings()
        for function in fixture_functions(ctx):
            options = fixture_options(fixture_decorator(function.node, ctx.imports))
            if options.scope not in SHARED_SCOPES:
                continue
            found = self._stateful_value(function.node, factories, engines)
            if found is None:
                continue
            kind, value = found
            self.report(function.node, scope=options.scope, fixture=options.name or function.node.name,
                        kind=kind, value=value)

    def _module_bindings(self) -> tuple[set[str], set[str]]:
        """Module names bound to session factories and to engines."""
        factories: set[str] = set()
        engines: set[str] = set()
        for stmt in self.ctx.tree.body:
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
                callee = self.ctx.qualname(stmt.value.func)
                names = {t.id for t in stmt.targets if isinstance(t, ast.Name)}
                if callee in SESSION_FACTORIES:
                    factories |= names
                elif callee in ENGINE_FACTORIES:
                    engines |= names
        return factories, engines

    def _stateful_value(self, function: FunctionNode, factories: set[str],
                        engines: set[str]) -> tuple[str, str] | None:
        local_factories = set(factories)
        local_engines = set(engines) | {a.arg for a in function.args.args if "engine" in a.arg}
        bindings: dict[str, ast.expr] = {}
        sets_overrides = False
        for node in walk_function_body(function):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                name = node.targets[0].id
                bindings[name] = node.value
                if isinstance(node.value, ast.Call):
                    callee = self.ctx.qualname(node.value.func)
                    if callee in SESSION_FACTORIES:
                        local_factories.add(name)
                    elif callee in ENGINE_FACTORIES:
                        local_engines.add(name)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if isinstance(item.optional_vars, ast.Name):
                        bindings[item.optional_vars.id] = item.context_expr
            elif isinstance(node, ast.Attribute) and node.attr == "dependency_overrides":
                sets_overrides = True
        for node in walk_function_body(function):
            value: ast.expr | None = None
            if isinstance(node, (ast.Yield, ast.Return)):
                value = node.value
            if value is None:
                continue
            resolved = bindings.get(value.id, value) if isinstance(value, ast.Name) else value
            kind = self._kind(resolved, local_factories, local_engines, bindings, sets_overrides)
            if kind is not None:
                return kind, self.ctx.text(resolved) if len(self.ctx.text(resolved)) <= 40 else self.ctx.text(value)
        return None

    def _kind(self, value: ast.expr, factories: set[str], engines: set[str], bindings: dict[str, ast.expr],
              sets_overrides: bool, depth: int = 0) -> str | None:
        if not isinstance(value, ast.Call) or depth > 3:
            return None
        func = value.func
        callee = self.ctx.qualname(func) or ""
        if callee in STATEFUL_CALLS:
            return STATEFUL_CALLS[callee]
        if callee in TEST_CLIENTS:
            return "test client with dependency overrides" if sets_overrides else None
        local = dotted(func) or ""
        if local in factories or local.endswith("SessionLocal"):
            return "database session"
        if isinstance(func, ast.Call) and self.ctx.qualname(func.func) in SESSION_FACTORIES:
            return "database session"  # sessionmaker(...)()
        if isinstance(func, ast.Attribute) and func.attr in ("connect", "begin"):
            receiver = func.value
            receiver_name = dotted(receiver) or ""
            if receiver_name in engines:
                return "database connection" if func.attr == "connect" else "database transaction"
            inner = bindings.get(receiver_name) if isinstance(receiver, ast.Name) else receiver
            if inner is not None and inner is not value:
                inner_kind = self._kind(inner, factories, engines, bindings, sets_overrides, depth + 1)
                if inner_kind in ("database connection", "database session"):
                    return "database transaction" if func.attr == "begin" else inner_kind
                if isinstance(inner, ast.Call) and self.ctx.qualname(inner.func) in ENGINE_FACTORIES:
                    return "database connection" if func.attr == "connect" else "database transaction"
        return None
