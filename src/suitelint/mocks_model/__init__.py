"""What mocks replace: the project model behind the TST3xx rules and TST205.

Everything here reads source with the stdlib ``ast`` and never imports
checked code:

- :mod:`.project`: project modules read from disk (cached per workspace),
  their bindings, classes and ``self`` attributes;
- :mod:`.symbols`: what an expression can stand for;
- :mod:`.evaluate`: the per-file :class:`~.evaluate.Analysis` (expressions
  evaluated in scopes across modules, patch targets, fixtures);
- :mod:`.coroutines`: whether calling a def gives a coroutine, after its
  decorators;
- :mod:`.api`: recognising ``unittest.mock``/``mock``/pytest-mock calls and
  reading ``patch`` arguments.
"""

from suitelint.mocks_model.evaluate import Analysis, analysis_for
from suitelint.mocks_model.scope import Scope

__all__ = ["Analysis", "Scope", "analysis_for"]
