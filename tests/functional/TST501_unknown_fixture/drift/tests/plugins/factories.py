import pytest


@pytest.fixture
def user_factory(db_session):
    def make(name="ada"):
        user = {"name": name}
        db_session.add(user)
        return user

    return make
