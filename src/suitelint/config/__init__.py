"""suitelint's own configuration: ``[tool.suitelint]`` (or ``suitelint.toml``)."""

from suitelint.config.loader import ConfigError, find_config_file, load_settings
from suitelint.config.settings import Settings

__all__ = ["ConfigError", "Settings", "find_config_file", "load_settings"]
