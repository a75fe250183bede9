"""The shared walk of the rules that judge what a mock replaces (TST301, TST302).

Not a rule itself (no ``code``): both rules visit assignments and calls, skip
files that never mention mocks, and hand each replacement the mock model
finds to their own ``_check_replacement``.
"""

from __future__ import annotations

import ast

from suitelint.core.rule import Rule
from suitelint.mocks_model import Analysis, Scope, analysis_for
from suitelint.mocks_model.replacements import (
    Replacement,
    may_call_replace,
    may_replace_syntactically,
    replacements_at,
)
from suitelint.mocks_model.text import mentions_mock


class ReplacementRule(Rule):
    def begin(self) -> None:
        self._active = mentions_mock(self.ctx)  # Mock, MagicMock, mocker, unittest.mock...

    def visit_Assign(self, node: ast.Assign) -> None:
        if self._active and may_replace_syntactically(node):
            self._check(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if self._active and may_replace_syntactically(node):
            self._check(node)

    def visit_Call(self, node: ast.Call) -> None:
        if self._active and may_call_replace(node):
            self._check(node)

    def _check(self, node: ast.AST) -> None:
        analysis = analysis_for(self.ctx)
        found = replacements_at(analysis, node)
        if found is not None:
            scope, replacements = found
            for replacement in replacements:
                self._check_replacement(replacement, analysis, scope)

    def _check_replacement(self, replacement: Replacement, analysis: Analysis, scope: Scope) -> None:
        raise NotImplementedError
