import os


def smtp_host() -> str:
    return os.environ.get("SMTP_HOST", "localhost")


def smtp_port() -> int:
    return int(os.getenv("SMTP_PORT", "25"))
