import pytest


@pytest.fixture
def order(db):
    return {"id": 1}
