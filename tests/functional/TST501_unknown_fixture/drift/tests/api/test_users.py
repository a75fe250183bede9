def test_create_user(api_client, db):
    response = api_client.post("/users", json={"name": "ada"})
    assert response.status_code == 201
    assert db.query("users").count() == 1


def test_list_users(api_client, db_session, user_factory, mocker, tmp_path):
    user_factory("bob")
    assert api_client.get("/users").json()
