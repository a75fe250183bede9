import pytest


@pytest.fixture
async def service():
    return object()
