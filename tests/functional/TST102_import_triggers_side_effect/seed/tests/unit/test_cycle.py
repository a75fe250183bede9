import src.cycle_a


def test_value() -> None:
    assert src.cycle_a.VALUE == 1
