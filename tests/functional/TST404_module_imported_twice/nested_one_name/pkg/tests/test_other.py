import pkg.tests.util


def test_answer_again() -> None:
    assert pkg.tests.util.ANSWER == 42
