import pytest

from webhooks.worker import Worker


@pytest.fixture
def worker():
    return Worker()


@pytest.fixture
def dispatcher(worker):
    yield worker.dispatcher
