import httpx

from shop.config import settings


def get_client():
    return httpx.Client(base_url=settings.api_url)


class ApiClient:
    timeout = 10

    def fetch_all(self):
        ...


class OrdersClient(ApiClient):
    def fetch_order(self, order_id):
        ...
