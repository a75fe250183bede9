from src.models import ROLE
