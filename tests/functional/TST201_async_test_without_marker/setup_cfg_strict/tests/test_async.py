import pytest


async def test_unmarked():
    assert True


@pytest.fixture
async def resource():
    return 1


@pytest.mark.asyncio
async def test_marked(resource):
    assert resource
