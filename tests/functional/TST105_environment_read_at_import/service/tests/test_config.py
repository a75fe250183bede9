from service.config import PORT


def test_port() -> None:
    assert PORT > 0
