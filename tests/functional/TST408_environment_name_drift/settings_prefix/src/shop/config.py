from functools import lru_cache

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ShopSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_")

    payment_key: str
    currency: str = "EUR"
    webhook_secret: str = Field("", validation_alias=AliasChoices("WEBHOOK_SECRET", "SHOP_HOOK_SECRET"))


@lru_cache
def get_settings() -> ShopSettings:
    return ShopSettings()
