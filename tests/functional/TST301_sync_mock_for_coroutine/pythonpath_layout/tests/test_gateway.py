from unittest.mock import MagicMock

from billing.gateway import PaymentGateway


def test_charge():
    gateway = PaymentGateway()
    gateway.charge = MagicMock(return_value=True)  # [TST301]
