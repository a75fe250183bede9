from .util import ANSWER


def test_answer_again() -> None:
    assert ANSWER == 42
