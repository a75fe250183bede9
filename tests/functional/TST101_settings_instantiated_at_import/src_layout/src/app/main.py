from app.settings import BaseAppSettings, DatabaseSettings


class ApiSettings(BaseAppSettings):
    host: str = "0.0.0.0"


api_settings = ApiSettings()
database = DatabaseSettings(secret_key="not-from-env")
explicit = DatabaseSettings(secret_key="x", DATABASE_URL="sqlite://")
