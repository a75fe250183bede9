from unittest.mock import AsyncMock, Mock, patch

from orchestration.service import ExecutionService
from tests.helpers import make_service


def test_episode_is_created(db):
    service = ExecutionService(db)
    service._create_execution_episode = Mock(return_value="episode-123")  # [TST301]


def test_helper_annotation():
    service = make_service()
    service._create_execution_episode = Mock()  # [TST301]


@patch("orchestration.service.ExecutionService.run", Mock())  # [TST301]
def test_positional_new():
    ...


def test_not_flagged(db):
    service = ExecutionService(db)
    service._create_execution_episode = AsyncMock(return_value="episode-123")
    with patch("orchestration.service.ExecutionService.run"):
        ...
