from unittest import mock

import pytest


@pytest.fixture(autouse=True)
def _stop_patches():
    yield
    mock.patch.stopall()
