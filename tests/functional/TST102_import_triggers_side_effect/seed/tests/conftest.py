import os
from unittest.mock import MagicMock, patch

import pytest

from src.database.models import APIKey, User


def pytest_configure(config):
    patch("src.config.Settings", MagicMock()).start()
    os.environ["REDIS_URL"] = "redis://localhost:6379/0"


@pytest.fixture
def user() -> User:
    return User()
