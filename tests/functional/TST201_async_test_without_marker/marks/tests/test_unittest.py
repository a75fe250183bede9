import unittest


class TestClient(unittest.IsolatedAsyncioTestCase):
    async def test_connect(self):
        self.assertTrue(True)
