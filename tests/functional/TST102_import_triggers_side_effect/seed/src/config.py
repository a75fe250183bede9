"""Application settings (the chain of docs/research: conftest -> models -> database -> config)."""
from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(validation_alias="DATABASE_URL")
    redis_url: str = Field(validation_alias="REDIS_URL")
    jwt_secret: str = Field(validation_alias="JWT_SECRET")
    debug: bool = False


settings = Settings()
