import pytest


@pytest.fixture
def session(session):
    session.begin()
    return session
