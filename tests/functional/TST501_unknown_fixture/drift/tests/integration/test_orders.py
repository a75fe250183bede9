import pytest

from shop.export import export_orders


class TestOrders:
    @pytest.fixture(scope="class")
    def order_numbers(self):
        return iter(range(1000))

    def test_create(self, db, order_numbers, seeded_catalog):
        order = {"id": next(order_numbers), "sku": seeded_catalog[0]["sku"]}
        db.add(order)
        assert db.get(order["id"]) == order

    def test_export(self, db, tmp_path, mocker):
        mocker.patch("shop.export.upload")
        path = export_orders(db, tmp_path / "orders.csv")
        assert path.exists()
