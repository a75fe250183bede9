class StorageContract:
    def test_missing_key(self, store):
        assert store.get("missing") is None


class Checks:
    def test_never_runs(self, store):
        assert store.ping()
