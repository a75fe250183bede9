from .base import AppSettings as Config
