def test_by_hand():
    assert input("ok? ") == "y"
