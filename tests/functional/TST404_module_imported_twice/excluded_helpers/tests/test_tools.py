import tools


def test_tools() -> None:
    assert tools.models.ROLE == "admin"
