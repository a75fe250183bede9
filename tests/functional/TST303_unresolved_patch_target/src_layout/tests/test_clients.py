from unittest.mock import patch

from shop.clients import OrdersClient


@patch("shop.clients.get_clinet")  # [TST303]
def test_typo_in_function(get_client):
    ...


def test_forms(mocker):
    mocker.patch("shop.clients.ApiClient.fetch_al")  # [TST303]
    mocker.patch.object(OrdersClient, "fetch_all_orders")  # [TST303]
    mocker.patch("shop.client.get_client")  # [TST303]
    with patch("shop.clients.get_clients", create=True):  # [TST303]
        ...


def test_existing(mocker):
    mocker.patch("shop.clients.get_client")
    mocker.patch("shop.clients.settings.api_url")
    mocker.patch("shop.clients.httpx.Client")
    mocker.patch.object(OrdersClient, "fetch_all")
    mocker.patch("shop.clients.OrdersClient.timeout", 1)
    mocker.patch("shop.plugins.anything")
    mocker.patch("httpx.Client.gett")
