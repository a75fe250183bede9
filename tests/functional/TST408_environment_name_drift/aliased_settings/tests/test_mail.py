def test_mail(monkeypatch) -> None:
    monkeypatch.setenv("APP_SMTP_HOSTNAME", "localhost")
    monkeypatch.setenv("APP_TOKENS", "x")
