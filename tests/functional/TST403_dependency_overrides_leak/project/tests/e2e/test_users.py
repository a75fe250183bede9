from app.main import app, get_current_user


def test_me(client):
    app.dependency_overrides[get_current_user] = lambda: {"name": "ada"}
    assert client.get("/me").json() == {"name": "ada"}
