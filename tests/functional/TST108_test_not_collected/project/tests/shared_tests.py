def test_roundtrip(store):
    store.put("k", 1)
    assert store.get("k") == 1
