import logging
from dataclasses import dataclass
from functools import lru_cache

from pydantic_settings import BaseSettings

logger = logging.getLogger(__name__)


class LazySettings(BaseSettings):
    api_token: str


@dataclass
class Limits:
    rate: int = 10


LIMITS = Limits(rate=5)


@lru_cache
def get_settings() -> LazySettings:
    return LazySettings()


if __name__ == "__main__":
    logging.basicConfig()
    print(LazySettings())
