from __future__ import annotations

import ast
import re

from suitelint.core.rule import FileRole, Invalid, Rule, Valid
from suitelint.pytest_model.collection import is_fixture

ADDRESS_RE = re.compile(r"(?:^|[/@\s(=,;])(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):(\d{2,5})(?![\d.])")
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1"})
# library calls that open a connection or send a request to the address they are given
CONNECTING_CALLS = frozenset({
    *(f"requests.{m}" for m in ("get", "post", "put", "patch", "delete", "head", "options", "request")),
    *(f"httpx.{m}" for m in ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")),
    "httpx.Client", "httpx.AsyncClient", "requests.Session", "urllib.request.urlopen", "urllib3.PoolManager",
    "urllib3.HTTPConnectionPool", "http.client.HTTPConnection", "http.client.HTTPSConnection",
    "aiohttp.ClientSession", "aiohttp.request", "websockets.connect", "websocket.create_connection",
    "socket.create_connection", "asyncio.open_connection",
    "redis.Redis", "redis.StrictRedis", "redis.from_url", "redis.Redis.from_url", "redis.StrictRedis.from_url",
    "redis.asyncio.Redis", "redis.asyncio.from_url", "redis.asyncio.Redis.from_url",
    "sqlalchemy.create_engine", "sqlalchemy.ext.asyncio.create_async_engine", "sqlmodel.create_engine",
    "psycopg2.connect", "psycopg.connect", "psycopg.AsyncConnection.connect", "asyncpg.connect",
    "asyncpg.create_pool", "pymysql.connect", "aiomysql.connect", "pymongo.MongoClient",
    "motor.motor_asyncio.AsyncIOMotorClient", "pika.BlockingConnection", "pika.URLParameters",
    "kombu.Connection", "celery.Celery", "elasticsearch.Elasticsearch", "elasticsearch.AsyncElasticsearch",
    "kafka.KafkaProducer", "kafka.KafkaConsumer", "aiokafka.AIOKafkaProducer", "aiokafka.AIOKafkaConsumer",
    "minio.Minio", "boto3.client", "boto3.resource", "grpc.insecure_channel", "nats.connect",
})
# a client that talks to an in-process app or a fake, whatever URL it is given
IN_PROCESS_KEYWORDS = frozenset({"transport", "app", "mounts"})
MOCK_OWNERS = ("mock", "mocker", "unittest.mock")
ENV_READERS = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault"})


class HardCodedServiceAddress(Rule):
    """
    ## What it does
    Flags a service address with a fixed port on the local machine
    (`localhost:6379`, `127.0.0.1:5432`, `0.0.0.0:8000`, `[::1]:9000`, in any
    URL) in test code when it is used to connect: passed to a library call
    that opens a connection or sends a request (`requests.get`,
    `redis.Redis.from_url`, `create_engine`, `httpx.AsyncClient`,
    `psycopg.connect`...), directly or through a variable or module
    constant, and `host="localhost", port=6379` passed to such a call (or
    to any function whose name says it connects).

    Not flagged: addresses inside fixtures (a fixture dedicated to providing
    it is the place to decide where a service lives), in `conftest.py`
    module constants, as the default of an environment lookup
    (`os.environ.get("REDIS_URL", "redis://localhost:6379")`), in
    assertions, mock assertions and `parametrize` data (URL-parsing tests),
    URLs given to clients of an in-process app or a fake transport
    (`httpx.Client(transport=MockTransport(...))`, test clients), and
    test-client base URLs without a port (`http://testserver`).

    ## Why is this bad?
    A fixed port assumes a service is running there: on a developer's
    machine it may be a different instance (a test wipes their data), on CI
    it is not there (the test errors), and two parallel runs
    (`pytest-xdist`, two branches on one runner) collide on it. Get the
    address from a fixture: one that starts the service on a free port
    (`unused_tcp_port`), or one that reads it from the environment.
    """

    code = "TST405"
    name = "hard-coded-service-address"
    message = (
        "`{address}` hard-codes a local service address in {where}; "
        "get it from a fixture (`unused_tcp_port`, or one reading the environment)"
    )
    examples = (
        Invalid(
            """
            import redis
            import requests

            API_URL = "http://localhost:8000/api"  # [TST405]

            def test_cache_roundtrip():
                cache = redis.Redis.from_url("redis://127.0.0.1:6379/0")  # [TST405]
                cache.set("k", "v")
                assert cache.get("k") == b"v"

            def test_health():
                response = requests.get(f"{API_URL}/health")
                assert response.ok

            def test_queue():
                queue = connect_queue(host="localhost", port=5672)  # [TST405]
                assert queue.ready()
            """
        ),
        Valid(
            """
            import os

            import httpx
            import pytest
            from fastapi.testclient import TestClient

            @pytest.fixture
            def redis_url():
                return os.environ.get("REDIS_URL", "redis://localhost:6379/0")

            @pytest.fixture
            def server(unused_tcp_port):
                return start_server(f"http://127.0.0.1:{unused_tcp_port}")

            def test_client(app):
                client = TestClient(app, base_url="http://testserver")
                assert client.get("/").status_code == 200

            @pytest.mark.parametrize("url", ["http://localhost:8080/x"])
            def test_parse(url):
                assert parse_url(url).port == 8080
                assert str(parse_url("http://localhost:8080")) == "http://localhost:8080"

            def test_mock_transport():
                client = httpx.Client(transport=httpx.MockTransport(echo))
                assert client.get("http://127.0.0.1:8000/").status_code == 200

            def test_runs_uvicorn(uvicorn_run):
                main()
                uvicorn_run.assert_called_once_with(app, host="0.0.0.0", port=8000)
            """,
            title="fixtures, env lookups, test clients, fake transports, mock assertions, URL-parsing data",
        ),
    )

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if not isinstance(value, str) or ":" not in value or len(value) > 300 or not _may_hold_address(value):
            return
        match = ADDRESS_RE.search(value)
        if match is None:
            return
        where = self._where(node)
        if where is None or self._excluded_position(node) or not self._used_to_connect(node):
            return
        address = value if len(value) <= 60 else match.group(0).lstrip("/@ (=,;")
        self.report(node, address=address, where=where)

    def visit_Call(self, node: ast.Call) -> None:
        if len(node.keywords) < 2:
            return
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        host = keywords.get("host")
        port = keywords.get("port")
        if not (isinstance(host, ast.Constant) and host.value in LOCAL_HOSTS):
            return
        if not (isinstance(port, ast.Constant) and isinstance(port.value, int) and not isinstance(port.value, bool)):
            return
        if not (self._connecting(node) or "connect" in self._callee(node).lower()):
            return
        where = self._where(node)
        if where is None or self._excluded_position(node):
            return
        self.report(node, address=f"host={host.value!r}, port={port.value}", where=where)

    # -- how the literal is used -----------------------------------------------------------------------
    def _used_to_connect(self, node: ast.Constant) -> bool:
        """Passed to a connecting call, directly or through the name it is assigned to."""
        value: ast.AST = node
        parent = self.ctx.parent(value)
        while isinstance(parent, (ast.JoinedStr, ast.FormattedValue, ast.BinOp, ast.keyword)):
            value, parent = parent, self.ctx.parent(parent)
        if isinstance(parent, ast.Call):
            return self._connecting(parent)
        if isinstance(parent, (ast.Assign, ast.AnnAssign)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            scope = self.ctx.enclosing_function(parent) or self.ctx.tree
            return any(self._connecting(call) and _mentions(call, names)
                       for call in ast.walk(scope) if isinstance(call, ast.Call))
        return False

    def _connecting(self, call: ast.Call) -> bool:
        name = self.ctx.qualname(call.func) or ""
        if name not in CONNECTING_CALLS and name.rsplit(".", 1)[0] not in CONNECTING_CALLS:
            return False
        return not any(k.arg in IN_PROCESS_KEYWORDS for k in call.keywords)

    def _callee(self, call: ast.Call) -> str:
        func = call.func
        if isinstance(func, ast.Attribute):
            owner = self.ctx.qualname(func.value) or self.ctx.local_name(func.value) or ""
            if func.attr.startswith("assert") or owner.split(".", 1)[0] in MOCK_OWNERS:
                return ""
            return func.attr
        if isinstance(func, ast.Name):
            return func.id
        return ""

    def _where(self, node: ast.AST) -> str | None:
        """'test `x`', 'helper `x`', 'module constant': None inside fixtures and conftest constants."""
        function = None
        for ancestor in self.ctx.ancestors(node):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if is_fixture(self.ctx, ancestor):
                    return None
                function = ancestor
        if function is not None:
            kind = "test" if self.ctx.pytest.matches_python_functions(function.name) else "helper"
            return f"{kind} `{function.name}`"
        if self.ctx.role != FileRole.TEST:
            return None
        return "a module constant"

    def _excluded_position(self, node: ast.AST) -> bool:
        for ancestor in self.ctx.ancestors(node):
            if isinstance(ancestor, ast.Assert):
                return True
            if isinstance(ancestor, ast.Compare):
                return True
            if isinstance(ancestor, ast.Call) and self.ctx.qualname(ancestor.func) in ENV_READERS:
                return True
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                return any(_contains(d, node) for d in ancestor.decorator_list)
        return False


def _may_hold_address(value: str) -> bool:
    """A cheap test: ``ADDRESS_RE`` matches nothing without one of the hosts (and a colon)."""
    return "localhost" in value or "127.0.0.1" in value or "0.0.0.0" in value or "[::1]" in value


def _contains(outer: ast.AST, inner: ast.AST) -> bool:
    return any(candidate is inner for candidate in ast.walk(outer))


def _mentions(call: ast.Call, names: set[str]) -> bool:
    arguments = [*call.args, *(k.value for k in call.keywords)]
    return any(isinstance(n, ast.Name) and n.id in names for a in arguments for n in ast.walk(a))
