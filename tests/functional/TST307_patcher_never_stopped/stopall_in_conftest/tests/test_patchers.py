from unittest import mock


def test_started_here():
    mock.patch("os.getcwd", return_value="/").start()
