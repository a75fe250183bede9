"""Whether calling a project def gives a coroutine, after its decorators."""

from __future__ import annotations

import pytest

from suitelint.mocks_model.symbols import ASYNC, SYNC, FunctionSym

DECORATORS = """
import contextlib
import functools
import inspect

import tenacity
from somewhere import mystery


def async_wrapper(func):
    @functools.wraps(func)
    async def wrapper(*args, **kwargs):
        return await func(*args, **kwargs)
    return wrapper


def call_through(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper


REGISTRY = []


def register(func):
    REGISTRY.append(func)
    return func


def dual(func):
    if inspect.iscoroutinefunction(func):
        @functools.wraps(func)
        async def async_wrapped(*args):
            return await func(*args)
        return async_wrapped

    @functools.wraps(func)
    def wrapped(*args):
        return func(*args)
    return wrapped


def timed(label):
    def decorate(func):
        @functools.wraps(func)
        async def wrapper(*args):
            return await func(*args)
        return wrapper
    return decorate


def swallow(func):
    def wrapper(*args):
        try:
            func(*args)
        except Exception:
            return None
    return wrapper
"""
FUNCTIONS = """
import contextlib

import httpx
import tenacity
from somewhere import mystery

from app.decorators import async_wrapper, call_through, dual, register, swallow, timed


async def plain_async(): ...
def plain_sync(): return 1
@async_wrapper
async def wrapped_async(): ...
@async_wrapper
def made_async(): ...
@call_through
async def hidden_async(): ...
@register
async def registered(): ...
@dual
async def dual_async(): ...
@dual
def dual_sync(): ...
@timed("x")
async def factory_async(): ...
@swallow
async def swallowed(): ...
@mystery
async def unknown_decorator(): ...
@tenacity.retry
async def retried(): ...
@contextlib.contextmanager
def managed():
    yield
@contextlib.asynccontextmanager
async def async_managed():
    yield
async def async_generator():
    yield 1
def returns_client_call(client: httpx.AsyncClient):
    return client.get("/")
def returns_builtin():
    return dict(a=1)
def returns_awaitable() -> "Awaitable[int]":
    ...
def returns_coroutine():
    return plain_async()


class Service:
    @staticmethod
    async def static(): ...
    @classmethod
    async def klass(cls): ...
"""

CASES = [
    ("plain_async", ASYNC, True),
    ("plain_sync", SYNC, False),
    ("wrapped_async", ASYNC, True),
    ("made_async", ASYNC, True),
    ("hidden_async", ASYNC, False),
    ("registered", ASYNC, True),
    ("dual_async", ASYNC, True),
    ("dual_sync", SYNC, False),
    ("factory_async", ASYNC, True),
    ("retried", ASYNC, True),
    ("managed", SYNC, False),
    ("returns_builtin", SYNC, False),
    ("Service.static", ASYNC, True),
    ("Service.klass", ASYNC, True),
]
UNSURE = ["swallowed", "unknown_decorator", "async_managed", "async_generator", "returns_client_call",
          "returns_awaitable", "returns_coroutine"]


@pytest.fixture
def analysis(project):  # type: ignore[no-untyped-def]
    files = {"app/__init__.py": "", "app/decorators.py": DECORATORS, "app/functions.py": FUNCTIONS,
             "tests/test_x.py": "import app.functions\n"}
    return project(files).analysis("tests/test_x.py")


def _function(analysis, name):  # type: ignore[no-untyped-def]
    found = analysis.resolve_qualified(f"app.functions.{name}")
    assert isinstance(found, FunctionSym), found
    return found.func


@pytest.mark.parametrize(("name", "value", "detected"), CASES)
def test_known_kinds(analysis, name: str, value: str, detected: bool) -> None:  # type: ignore[no-untyped-def]
    kind = analysis.kind(_function(analysis, name))
    assert kind is not None
    assert (kind.value, kind.detected) == (value, detected)


@pytest.mark.parametrize("name", UNSURE)
def test_unsure_kinds(analysis, name: str) -> None:  # type: ignore[no-untyped-def]
    assert analysis.kind(_function(analysis, name)) is None
