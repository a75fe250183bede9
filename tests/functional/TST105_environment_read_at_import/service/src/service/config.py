import os

DATABASE_URL = os.environ["DATABASE_URL"]
PORT = int(os.getenv("PORT"))
WORKERS = int(os.getenv("WORKERS", "4"))
DEBUG = os.getenv("DEBUG") == "1"
BANNER = f"service on {os.getenv('HOSTNAME')}"

if os.getenv("SENTRY_ENABLED"):
    SENTRY_DSN = os.environ["SENTRY_DSN"]


def redis_url() -> str:
    return os.environ["REDIS_URL"]
