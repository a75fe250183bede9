from unittest.mock import AsyncMock, MagicMock, patch


def test_async_mocks_over_plain_defs(worker, mocker):
    worker.name = AsyncMock(return_value="w")  # [TST302]
    worker.dispatcher.describe = AsyncMock()  # [TST302]
    mocker.patch("webhooks.dispatcher.WebhookDispatcher.describe", new_callable=AsyncMock)  # [TST302]


def test_not_flagged(worker, mocker):
    worker.name = MagicMock(return_value="w")
    worker.dispatcher.send = AsyncMock()
    worker.deliver = AsyncMock()
    mocker.patch("webhooks.dispatcher.httpx.get", new=AsyncMock())
