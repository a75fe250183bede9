from webhooks import WebhookDispatcher
from webhooks.retry import logged, retried


class BaseWorker:
    async def heartbeat(self) -> None:
        ...

    @classmethod
    async def create(cls) -> "BaseWorker":
        return cls()


class Worker(BaseWorker):
    def __init__(self, dispatcher: WebhookDispatcher | None = None) -> None:
        self.dispatcher = dispatcher or WebhookDispatcher("https://hooks.example")

    @retried(times=3)
    async def deliver(self, job: dict) -> None:
        await self.dispatcher.send(job)

    @logged
    async def drain(self) -> None:
        ...

    @staticmethod
    async def ping() -> bool:
        return True

    def name(self) -> str:
        return "worker"
