import asyncio

from webhooks.worker import Worker


def test_sync_test_calls_coroutines(worker, dispatcher):
    worker.deliver({"id": 1})  # [TST205]
    assert dispatcher.send({"id": 1}) == 200  # [TST205]
    assert Worker.ping()  # [TST205]


def test_awaited_or_run(worker):
    asyncio.run(worker.deliver({"id": 1}))
    assert worker.name() == "worker"
