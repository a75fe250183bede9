"""The calls that touch the outside world when run at import time (TST103), as data.

Each entry is a qualified name (or an ``fnmatch`` pattern over qualified
names) with a short reason that completes the sentence "`ray.init()` ...".
Projects add their own with ``[tool.suitelint] side-effect-calls``
(``ctx.settings.side_effect_calls``: ``(qualified name, reason)`` pairs).

Deliberately *not* listed, because constructing them does not touch the
outside world: ``sqlalchemy.create_engine`` (lazy: connects on first use),
``requests.Session()``, ``httpx.Client()``, ``boto3.client()``,
``redis.asyncio.Redis()``, ``socket.socket()`` (an unconnected socket, the usual
feature probe: ``connect``/``bind`` touch the network); ``asyncpg.connect()``/``create_pool()`` return
coroutines that do nothing until awaited (and awaiting at import goes through
``asyncio.run``, which is listed).  Nor data constructors, ``typing``,
``dataclasses`` or ``logging.getLogger``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

SideEffect = tuple[str, str]  # (qualified name or pattern, reason)

NETWORK = "opens a network connection"
HTTP = "sends an HTTP request"
PROCESS = "runs a subprocess"

SIDE_EFFECT_CALLS: tuple[SideEffect, ...] = (
    # clusters and services
    ("ray.init", "starts or connects to a Ray cluster"),
    ("dask.distributed.Client", "starts or connects to a Dask cluster"),
    ("distributed.Client", "starts or connects to a Dask cluster"),
    ("redis.Redis", "creates a Redis client bound to a server"),
    ("redis.StrictRedis", "creates a Redis client bound to a server"),
    ("redis.client.Redis", "creates a Redis client bound to a server"),
    ("redis.from_url", "creates a Redis client bound to a server"),
    ("redis.Redis.from_url", "creates a Redis client bound to a server"),
    ("redis.StrictRedis.from_url", "creates a Redis client bound to a server"),
    ("pymongo.MongoClient", "connects to MongoDB (starts monitor threads)"),
    ("pymongo.mongo_client.MongoClient", "connects to MongoDB (starts monitor threads)"),
    ("motor.motor_asyncio.AsyncIOMotorClient", "connects to MongoDB (starts monitor threads)"),
    ("kafka.KafkaProducer", "connects to Kafka brokers"),
    ("kafka.KafkaConsumer", "connects to Kafka brokers"),
    ("pika.BlockingConnection", "connects to a RabbitMQ broker"),
    # databases
    ("psycopg2.connect", "connects to a database"),
    ("psycopg.connect", "connects to a database"),
    ("psycopg.Connection.connect", "connects to a database"),
    ("pymysql.connect", "connects to a database"),
    ("MySQLdb.connect", "connects to a database"),
    ("mysql.connector.connect", "connects to a database"),
    ("cx_Oracle.connect", "connects to a database"),
    ("oracledb.connect", "connects to a database"),
    ("pyodbc.connect", "connects to a database"),
    ("sqlite3.connect", "opens (and creates) a database file"),
    ("*.metadata.create_all", "connects to the database and creates tables"),
    ("*.metadata.drop_all", "connects to the database and drops tables"),
    ("*.metadata.reflect", "connects to the database"),
    # sockets and HTTP
    ("socket.create_connection", NETWORK),
    ("socket.create_server", "binds a listening socket"),
    ("socket.getaddrinfo", "resolves a host name over the network"),
    ("socket.gethostbyname", "resolves a host name over the network"),
    ("socket.gethostbyname_ex", "resolves a host name over the network"),
    ("socket.gethostbyaddr", "resolves an address over the network"),
    ("socket.getfqdn", "resolves a host name over the network"),
    ("requests.get", HTTP), ("requests.post", HTTP), ("requests.put", HTTP), ("requests.patch", HTTP),
    ("requests.delete", HTTP), ("requests.head", HTTP), ("requests.options", HTTP), ("requests.request", HTTP),
    ("requests.api.*", HTTP),
    ("httpx.get", HTTP), ("httpx.post", HTTP), ("httpx.put", HTTP), ("httpx.patch", HTTP),
    ("httpx.delete", HTTP), ("httpx.head", HTTP), ("httpx.options", HTTP), ("httpx.request", HTTP),
    ("httpx.stream", HTTP),
    ("urllib.request.urlopen", HTTP),
    ("urllib.request.urlretrieve", HTTP),
    ("aiohttp.request", HTTP),
    ("nltk.download", "downloads data over the network"),
    ("wandb.init", "starts a Weights & Biases run (network)"),
    # event loops
    ("asyncio.run", "runs an event loop"),
    ("asyncio.get_event_loop", "creates or grabs the global event loop"),
    # processes
    ("subprocess.run", PROCESS), ("subprocess.call", PROCESS), ("subprocess.check_call", PROCESS),
    ("subprocess.check_output", PROCESS), ("subprocess.Popen", PROCESS), ("subprocess.getoutput", PROCESS),
    ("subprocess.getstatusoutput", PROCESS),
    ("os.system", "runs a shell command"),
    ("os.popen", "runs a shell command"),
    # global configuration
    ("logging.basicConfig", "configures the root logger for the whole process"),
    ("logging.config.dictConfig", "configures logging for the whole process"),
    ("logging.config.fileConfig", "configures logging for the whole process"),
)

# the reason the configuration loader gives names listed without one
UNEXPLAINED = "configured in side-effect-calls"
LISTED = "runs (listed in `side-effect-calls`)"

# (qualified name, first positional argument) pairs that are harmless
HARMLESS_FIRST_ARGUMENT = frozenset({("sqlite3.connect", ":memory:")})


class SideEffectTable:
    """Exact names and patterns, with the project's own additions."""

    def __init__(self, extra: Iterable[SideEffect] = ()) -> None:
        self.exact: dict[str, str] = {}
        self.patterns: list[SideEffect] = []
        for name, reason in (*SIDE_EFFECT_CALLS, *extra):
            reason = LISTED if reason == UNEXPLAINED else reason
            if any(ch in name for ch in "*?["):
                self.patterns.append((name, reason))
            else:
                self.exact[name] = reason

    def reason(self, qualname: str | None, first_arg: str | None = None) -> str | None:
        """Why calling ``qualname`` at import time touches the outside world, or None."""
        if not qualname:
            return None
        reason = self.exact.get(qualname)
        if reason is None:
            for pattern, pattern_reason in self.patterns:
                if fnmatch.fnmatchcase(qualname, pattern):
                    reason = pattern_reason
                    break
        if reason is not None and (qualname, first_arg) in HARMLESS_FIRST_ARGUMENT:
            return None
        return reason
