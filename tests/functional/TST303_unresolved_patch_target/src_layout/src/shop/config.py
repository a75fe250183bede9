class Settings:
    api_url = 'https://api.example'


settings = Settings()
