from .base import BaseAppSettings as BaseAppSettings
from .database import DatabaseSettings

__all__ = ["BaseAppSettings", "DatabaseSettings"]
