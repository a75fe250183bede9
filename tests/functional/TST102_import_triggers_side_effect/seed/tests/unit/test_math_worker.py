from src.workers.math_worker import square


def test_square() -> None:
    assert square(3) == 9
