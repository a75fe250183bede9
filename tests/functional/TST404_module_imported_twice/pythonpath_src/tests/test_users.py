from models import User


def test_user_table() -> None:
    assert User.__tablename__ == "users"
