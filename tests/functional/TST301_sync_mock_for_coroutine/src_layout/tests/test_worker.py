from unittest import mock
from unittest.mock import AsyncMock, MagicMock, Mock, patch

import pytest

from webhooks import WebhookDispatcher
from webhooks.worker import BaseWorker, Worker


async def test_dispatcher_attribute_set_in_init():
    worker = Worker()
    worker.dispatcher.send = Mock(return_value=200)  # [TST301]
    await worker.deliver({"id": 1})


async def test_fixtures_from_conftest(worker, dispatcher):
    worker.dispatcher.send = MagicMock()  # [TST301]
    dispatcher.send = Mock()  # [TST301]
    worker.heartbeat = Mock()  # [TST301]
    worker.deliver = Mock()  # [TST301]
    worker.drain = Mock()  # [TST301]
    Worker.ping = Mock()  # [TST301]
    BaseWorker.create = Mock()  # [TST301]


@patch("webhooks.dispatcher.WebhookDispatcher.send", new=Mock())  # [TST301]
def test_patch_strings(mocker):
    with mock.patch.object(WebhookDispatcher, "send", new_callable=mock.MagicMock):  # [TST301]
        ...
    mocker.patch("webhooks.worker.Worker.deliver", new=mocker.MagicMock())  # [TST301]


async def test_not_flagged(worker, mocker):
    worker.dispatcher.send = AsyncMock(return_value=200)
    worker.dispatcher.describe = Mock(return_value="x")
    worker.name = Mock()
    with patch.object(WebhookDispatcher, "send"):
        ...
    mocker.patch("webhooks.worker.Worker.deliver")
    fake = Worker(dispatcher=mocker.Mock(spec=WebhookDispatcher))
    fake.dispatcher = Mock()
    fake.dispatcher.send = Mock()
    worker.dispatcher.send = Mock(spec=WebhookDispatcher.send)
    worker.dispatcher.send = Mock(side_effect=fake_send)


async def fake_send(payload):
    return 200
