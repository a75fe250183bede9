import os

import pytest
import redis

REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
DEFAULT_BROKER = "amqp://guest@localhost:5672//"


@pytest.fixture
def cache():
    return redis.Redis.from_url(REDIS_URL)
