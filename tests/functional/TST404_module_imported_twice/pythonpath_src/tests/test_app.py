import app


def test_create_user() -> None:
    assert app.create_user()
