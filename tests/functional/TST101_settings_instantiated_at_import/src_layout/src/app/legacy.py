from typing import Optional

from pydantic import BaseSettings


class LegacySettings(BaseSettings):
    token: Optional[str]
    broker: str

    class Config:
        env_prefix = "LEGACY_"


legacy = LegacySettings()
