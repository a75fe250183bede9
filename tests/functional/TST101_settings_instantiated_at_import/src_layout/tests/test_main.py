from app.main import api_settings


def test_host() -> None:
    assert api_settings.host
