class ExecutionService:
    def __init__(self, db):
        self.db = db

    async def _create_execution_episode(self, run_id):
        ...

    async def run(self, run_id):
        episode = await self._create_execution_episode(run_id)
        return episode
