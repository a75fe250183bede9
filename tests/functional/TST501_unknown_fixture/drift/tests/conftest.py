import pytest
from fastapi.testclient import TestClient

from shop import settings
from shop.db import SessionLocal, engine
from shop.main import app, get_db


@pytest.fixture(scope="session")
def database_engine():
    return engine


@pytest.fixture
def db_session():
    session = SessionLocal()
    session.begin_nested()
    yield session
    session.rollback()
    session.close()


@pytest.fixture(autouse=True)
def reset_settings_cache():
    yield
    settings.cache.clear()


@pytest.fixture
def client(db_session):
    app.dependency_overrides[get_db] = lambda: db_session
    yield TestClient(app, base_url="http://testserver")
    app.dependency_overrides.clear()


@pytest.fixture
def legacy_client():
    return TestClient(app)
