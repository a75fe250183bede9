from dataclasses import dataclass


@dataclass
class User:
    name: str = "alice"


@dataclass
class APIKey:
    key: str = "k"
