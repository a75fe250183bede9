from pkg.tests.util import ANSWER


def test_answer() -> None:
    assert ANSWER == 42
