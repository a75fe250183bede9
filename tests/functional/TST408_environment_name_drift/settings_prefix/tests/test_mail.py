import os
from unittest import mock

from shop.mail import smtp_host, smtp_port


def test_smtp_host(monkeypatch):
    monkeypatch.setenv("HOME", "/tmp")
    os.environ["SMTP_HOSTNAME"] = "mail.test"
    assert smtp_host()


def test_smtp_port():
    with mock.patch.dict("os.environ", {"SMTP_PORT": "2525", "SMTP_PORTS": "1"}):
        assert smtp_port() == 2525


def test_unrelated(monkeypatch):
    monkeypatch.setenv("FEATURE_X", "1")
