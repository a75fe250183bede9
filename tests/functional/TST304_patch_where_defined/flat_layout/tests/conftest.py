import pytest

from app.billing import Invoice


@pytest.fixture
def invoice():
    return Invoice(10, "EUR")
