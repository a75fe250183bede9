import pytest

pytestmark = [pytest.mark.asyncio(loop_scope="module")]


async def test_covered_by_module_mark():
    assert True


class TestInClass:
    async def test_covered_too(self):
        assert True
