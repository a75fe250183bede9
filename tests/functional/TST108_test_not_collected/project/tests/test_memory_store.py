from tests.shared_tests import test_roundtrip  # noqa: F401 - collected here
from tests.test_contracts import StorageContract


class TestMemoryStore(StorageContract):
    pass
