def ensure_created(response):
    assert response.status_code == 201, response.text


def fetch_all(client):
    return client.get("/items").json()
