def test_b(local_only, warehouse):
    assert local_only and warehouse
