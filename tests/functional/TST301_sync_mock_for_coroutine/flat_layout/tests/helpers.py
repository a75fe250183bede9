from orchestration.service import ExecutionService


def make_service() -> ExecutionService:
    return ExecutionService(db=None)
