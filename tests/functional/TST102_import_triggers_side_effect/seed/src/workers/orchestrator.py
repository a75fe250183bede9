import ray


class RayOrchestrator:
    @classmethod
    def init(cls) -> None:
        if not ray.is_initialized():
            ray.init(address="auto", namespace="bsopt")

    @classmethod
    def shutdown(cls) -> None:
        ray.shutdown()
