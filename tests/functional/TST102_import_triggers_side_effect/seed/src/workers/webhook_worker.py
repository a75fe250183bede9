from src.webhooks.dispatcher import CircuitBreaker, WebhookDispatcher


def process(event: dict) -> None:
    WebhookDispatcher().send(event)
