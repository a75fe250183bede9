"""Not `from tests import util`: the tests import it from pkg.tests."""
from pkg.tests.util import ANSWER

tests = ["answer"]


def test_answer() -> None:
    assert ANSWER == 42
