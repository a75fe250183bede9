import asyncio

import pytest


@pytest.fixture(name="event_loop")
def private_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
