import httpx


class WebhookDispatcher:
    def __init__(self, url: str) -> None:
        self.url = url

    async def send(self, payload: dict) -> int:
        async with httpx.AsyncClient() as client:
            response = await client.post(self.url, json=payload)
        return response.status_code

    def describe(self) -> str:
        return f"webhook to {self.url}"
