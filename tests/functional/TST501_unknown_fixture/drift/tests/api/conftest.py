import pytest


@pytest.fixture
def api_client(client, user_factory):
    user_factory("admin")
    return client
