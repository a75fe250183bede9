import logging
from functools import lru_cache

from app.main import ApiSettings

logger = logging.getLogger(__name__)


@lru_cache
def get_settings() -> ApiSettings:
    return ApiSettings()


def handler() -> str:
    return get_settings().host


if __name__ == "__main__":
    print(ApiSettings())
