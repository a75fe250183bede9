import logging

from src.workers.orchestrator import RayOrchestrator

logger = logging.getLogger(__name__)

RayOrchestrator.init()


def square(x: int) -> int:
    return x * x
