from unittest.mock import AsyncMock, patch

from webhooks import WebhookDispatcher


@patch("webhooks.dispatcher.WebhookDispatcher.send")
async def test_auto_async_mock(send, worker):
    await worker.deliver({"id": 1})
    send.assert_called_once_with({"id": 1})  # [TST306]


async def test_patch_object_in_another_module(worker, mocker):
    send = mocker.patch.object(WebhookDispatcher, "send")
    describe = mocker.patch.object(WebhookDispatcher, "describe")
    worker.dispatcher.heartbeat = AsyncMock()
    await worker.deliver({"id": 1})
    send.assert_called()  # [TST306]
    worker.dispatcher.heartbeat.assert_called_once()  # [TST306]
    describe.assert_called_once()
    send.assert_awaited_once()
