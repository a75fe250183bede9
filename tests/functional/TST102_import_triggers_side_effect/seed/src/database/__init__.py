from src.config import settings

from .models import APIKey, User

ENGINE_URL = settings.database_url
