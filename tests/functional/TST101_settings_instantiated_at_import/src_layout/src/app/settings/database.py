from pydantic import Field

from app.settings.base import BaseAppSettings


class DatabaseSettings(BaseAppSettings):
    url: str = Field(alias="DATABASE_URL")
    pool_size: int = 5
