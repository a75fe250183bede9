from src.workers.webhook_worker import process


def test_process() -> None:
    assert process({}) is None
