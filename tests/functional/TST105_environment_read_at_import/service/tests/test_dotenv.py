from service import dotenv_config


def test_key() -> None:
    assert dotenv_config.API_KEY
