import pytest

from src.models import Base


@pytest.fixture
def metadata():
    return Base.metadata
