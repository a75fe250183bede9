import pytest

from src import lazy


@pytest.fixture
def models():
    from src.database import models

    return models


def test_square() -> None:
    from src.workers.math_worker import square

    assert square(2) == 4


def test_limits() -> None:
    assert lazy.LIMITS.rate == 5
