import pytest


@pytest.fixture
def client():
    from app.main import make_client

    return make_client()
