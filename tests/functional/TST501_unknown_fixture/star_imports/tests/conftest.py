from tests.fixtures.db import *  # noqa: F403
from tests.fixtures.db import fixture_clock as frozen_clock  # registered as "clock": name= wins
