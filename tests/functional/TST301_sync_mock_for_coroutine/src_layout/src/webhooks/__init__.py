from webhooks.dispatcher import WebhookDispatcher

__all__ = ["WebhookDispatcher"]
