from app import Config


class MailConfig(Config):
    smtp_host: str = "mail"
