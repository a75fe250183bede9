from unittest.mock import patch

import app.pricing
from app.reports import report_total


@patch("app.pricing.current_rate", return_value=2)  # [TST304]
def test_total_through_fixture(rate, invoice):
    assert invoice.total() == 20


def test_patch_object_on_module(invoice):
    with patch.object(app.pricing, "current_rate", return_value=2):  # [TST304]
        assert invoice.total() == 20


def test_where_used(mocker, invoice):
    mocker.patch("app.billing.current_rate", return_value=2)
    assert invoice.total() == 20


def test_module_attribute(mocker):
    mocker.patch("app.pricing.current_rate", return_value=2)
    assert report_total(10, "EUR") == 20
