"""The shared walk of the rules that judge what a mock replaces (TST301, TST302).

Not a rule itself (no ``code``): both rules visit assignments and calls, skip
files that never mention mocks, and hand each replacement the mock model
finds to their own ``_check_replacement``.
"""

from __future__ import annotations

import ast

from suitelint.core.rule import Rule
from suitelint.mocks_model import Analysis, Scope, analysis_for
from suitelint.mocks_model.replacements import Replacement, may_replace, replacements_in


class ReplacementRule(Rule):
    def begin(self) -> None:
        self._active = "mock" in self.ctx.source.lower()  # Mock, MagicMock, mocker, unittest.mock...

    def visit_Assign(self, node: ast.Assign) -> None:
        self._check(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._check(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, (ast.Name, ast.Attribute)):
            self._check(node)

    def _check(self, node: ast.AST) -> None:
        if not self._active:
            return
        analysis = analysis_for(self.ctx)
        if not may_replace(analysis, node):
            return
        scope = analysis.scope_at(node)
        for replacement in replacements_in(analysis, node, scope):
            self._check_replacement(replacement, analysis, scope)

    def _check_replacement(self, replacement: Replacement, analysis: Analysis, scope: Scope) -> None:
        raise NotImplementedError
