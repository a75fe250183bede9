import pytest

from shop.db import SessionLocal, engine


@pytest.fixture(scope="session")
def db_engine():
    return engine


@pytest.fixture(scope="session")
def db():
    session = SessionLocal()
    yield session
    session.close()


@pytest.fixture
def db_session():
    session = SessionLocal()
    yield session
    session.rollback()
