from models import User


def create_user() -> User:
    return User()
