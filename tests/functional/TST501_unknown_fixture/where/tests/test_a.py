import pytest


@pytest.fixture
def local_only():
    return 1


class TestAccounts:
    @pytest.fixture
    def account(self):
        return {"id": 1}

    def test_inside(self, account, local_only):
        assert account["id"] == local_only


def test_outside(account):
    assert account
