from pydantic_settings import BaseSettings as _PydanticBaseSettings
from pydantic_settings import SettingsConfigDict


class BaseAppSettings(_PydanticBaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_")

    secret_key: str
