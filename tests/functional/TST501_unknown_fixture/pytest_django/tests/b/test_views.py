def test_home(client, db, settings, admin_user):
    settings.DEBUG = False
    assert client.get("/").status_code == 200


def test_order(order):
    assert order
