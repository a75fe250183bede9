import pytest

from shop.db import SessionLocal

CATALOG = [{"sku": "A1"}, {"sku": "B2"}]


@pytest.fixture
def db():
    session = SessionLocal()
    session.begin_nested()
    yield session
    session.rollback()
    session.close()


@pytest.fixture(scope="session")
def seeded_catalog(db_session):
    db_session.add_all(CATALOG)
    return CATALOG
