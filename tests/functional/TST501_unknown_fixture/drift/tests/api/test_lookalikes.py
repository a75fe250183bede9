import os
from unittest import mock

import pytest
from fastapi.testclient import TestClient

from shop import settings
from shop.main import app, get_db

_CACHE = {}


def assert_valid(payload):
    assert payload["id"] > 0


@pytest.fixture
def fresh_cache():
    saved = dict(_CACHE)
    _CACHE.clear()
    yield _CACHE
    _CACHE.clear()
    _CACHE.update(saved)


@pytest.fixture
def debug_settings():
    old = settings.DEBUG
    settings.DEBUG = True
    yield settings
    settings.DEBUG = old


@pytest.fixture
def fake_db_client(db_session):
    app.dependency_overrides[get_db] = lambda: db_session
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client
    app.dependency_overrides.clear()


def test_env_with_monkeypatch(monkeypatch, api_client):
    monkeypatch.setenv("SHOP_MODE", "test")
    assert_valid(api_client.get("/orders/1").json())


def test_env_with_patch_dict(api_client):
    with mock.patch.dict(os.environ, {"SHOP_MODE": "test"}):
        assert_valid(api_client.get("/orders/1").json())


def test_cache(fresh_cache, debug_settings, fake_db_client):
    fresh_cache["k"] = 1
    assert_valid(fake_db_client.get("/orders/1").json())


def test_override_through_client(client, db_session):
    app.dependency_overrides[get_db] = lambda: db_session
    assert_valid(client.get("/orders/1").json())
