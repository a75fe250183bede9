import pytest


class TestClassPytestmark:
    pytestmark = pytest.mark.asyncio

    async def test_covered(self):
        assert True


@pytest.mark.anyio
class TestAnyioDecorator:
    async def test_covered(self):
        assert True


class TestUnmarked:
    async def test_not_covered(self):
        assert True


@pytest.mark.trio
async def test_trio():
    assert True


@pytest.mark.anyio
async def test_anyio():
    assert True


async def test_anyio_backend_requested(anyio_backend):
    assert anyio_backend


async def test_nothing():
    assert True
