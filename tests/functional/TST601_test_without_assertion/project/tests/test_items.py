from tests.support.http import ensure_created, fetch_all


def test_create(client):
    ensure_created(client.post("/items", json={"name": "x"}))


def test_list(client):
    fetch_all(client)
