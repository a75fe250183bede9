class CircuitBreakerOpen(Exception):
    pass


class WebhookDispatcher:
    def send(self, event: dict) -> None:
        pass
