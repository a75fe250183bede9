def test_insert(make_row, database, clock):
    make_row(id=1)
    assert database["rows"] == [{"id": 1}]


def test_alias(frozen_clock):
    assert frozen_clock == 0
