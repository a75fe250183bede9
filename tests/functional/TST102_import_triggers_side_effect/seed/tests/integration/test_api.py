from src.database.models import User
from src.workers.math_worker import square


def test_user() -> None:
    assert User().name == "alice" and square(2) == 4
