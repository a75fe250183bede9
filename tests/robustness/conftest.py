"""Robustness tests: property-based linting of generated code, limits, environment problems.

Hypothesis profiles registered here (used through
``robustness_support.fuzz_settings``, so other test directories keep their
own settings):

* ``robustness-ci`` (the default here): few, derandomized examples per
  property, so the whole directory runs in about a minute on two cores;
* ``long``: many random examples, for a soak run:
  ``pytest tests/robustness --hypothesis-profile=long`` or
  ``SUITELINT_LONG_FUZZ=1 pytest tests/robustness``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
           HealthCheck.function_scoped_fixture]

settings.register_profile("robustness-ci", max_examples=20, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_HEALTH, print_blob=True)
settings.register_profile("long", max_examples=1500, deadline=None, suppress_health_check=_HEALTH,
                          print_blob=True)
