import pytest


@pytest.fixture(autouse=True)
def shop_env(monkeypatch):
    monkeypatch.setenv("PAYMENT_KEY", "pk_test")
    monkeypatch.setenv("SHOP_CURRENCY", "USD")
    monkeypatch.setenv("WEBHOOK_SECRET", "whsec")
