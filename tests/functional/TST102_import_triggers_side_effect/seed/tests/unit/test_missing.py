import src.broken
from src.nonexistent import thing
from src.webhooks import dispatcher, retry


def test_thing() -> None:
    assert thing
