from __future__ import annotations

import ast
from dataclasses import dataclass

from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.mocks_model import Analysis, Scope, analysis_for
from suitelint.mocks_model.api import PatchCall, parse_patch
from suitelint.mocks_model.project import Binding, FunctionNode, ModuleInfo, walk_body
from suitelint.mocks_model.symbols import ClassSym, FunctionSym, ModuleSym
from suitelint.mocks_model.text import source_of

PRICING = """
def current_rate(currency):
    ...
"""
BILLING = """
from app.pricing import current_rate


def invoice_total(amount, currency):
    return amount * current_rate(currency)
"""
REPORTS = """
from app import pricing


def report_total(amount, currency):
    return amount * pricing.current_rate(currency)
"""


@dataclass(frozen=True)
class _Miss:
    user: ModuleInfo
    alias: str
    statement: Binding


class PatchWhereDefined(Rule):
    """
    ## What it does
    Flags `patch("pkg.a.func")` (also `mocker.patch`, `patch.object(module,
    "func")`, as a decorator or in the test body) when code the same test
    calls lives in a module that did `from pkg.a import func`: that module
    has its own reference to `func`, which the patch does not replace. The
    message names the module to patch instead.

    Modules that use the attribute through the module (`from pkg import a`
    ... `a.func()`) see the patch and are not flagged, nor modules that import
    the name without calling it.

    ## Why is this bad?
    `patch` replaces a name in one namespace. `from pkg.a import func` copied
    the function into the importing module's namespace at import time, so the
    code under test keeps calling the real `func`: the test talks to the real
    service, or asserts on a mock that was never called. Patch where the name
    is looked up: `patch("pkg.b.func")`.
    """

    code = "TST304"
    name = "patch-where-defined"
    message = ("`{call}` replaces `{name}` in `{module}`, but `{user}` ({location}) imported it with "
               "`from {source} import {name}` and keeps its own reference; patch `{suggestion}`")
    examples = (
        Invalid(
            """
            from unittest.mock import patch

            from app.billing import invoice_total


            @patch("app.pricing.current_rate", return_value=2)  # [TST304]
            def test_invoice_total(rate):
                assert invoice_total(10, "EUR") == 20


            def test_with_mocker(mocker):
                mocker.patch("app.pricing.current_rate", return_value=2)  # [TST304]
                assert invoice_total(10, "EUR") == 20
            """,
            files={"app/__init__.py": "", "app/pricing.py": PRICING, "app/billing.py": BILLING},
        ),
        Valid(
            """
            from unittest.mock import patch

            from app.billing import invoice_total
            from app.reports import report_total


            @patch("app.billing.current_rate", return_value=2)
            def test_patched_where_used(rate):
                assert invoice_total(10, "EUR") == 20


            @patch("app.pricing.current_rate", return_value=2)
            def test_module_attribute(rate):
                assert report_total(10, "EUR") == 20


            def test_both_patched(mocker):
                mocker.patch("app.pricing.current_rate", return_value=2)
                mocker.patch("app.billing.current_rate", return_value=2)
                assert invoice_total(10, "EUR") == 20
            """,
            files={
                "app/__init__.py": "", "app/pricing.py": PRICING, "app/billing.py": BILLING,
                "app/reports.py": REPORTS,
            },
            title="patched where looked up; module attribute access",
        ),
    )

    def begin(self) -> None:
        self._active = "patch" in self.ctx.source
        # tests of this file, with the patch calls in their bodies (collected during the walk)
        self._tests: dict[int, tuple[FunctionNode, list[PatchCall]]] = {}

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._register(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._register(node)

    def _register(self, node: FunctionNode) -> None:
        if self._active and self.ctx.is_test_function(node):
            self._tests[id(node)] = (node, [])

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not self._tests or not (isinstance(func, ast.Name) or (
                isinstance(func, ast.Attribute) and func.attr in {"patch", "object"})):
            return
        analysis = analysis_for(self.ctx)
        if not analysis.may_name_mock_api(func):
            return
        api = analysis.api(func, analysis.scope_at(node))
        if api is None or api.name not in {"patch", "patch.object"}:
            return
        test = next((self._tests[id(a)] for a in self.ctx.ancestors(node) if id(a) in self._tests), None)
        patch = parse_patch(node, api)
        if test is not None and patch is not None:
            test[1].append(patch)

    def end(self) -> None:
        reported: set[int] = set()
        for node, body_patches in self._tests.values():
            analysis = analysis_for(self.ctx)
            scope = analysis.scope_inside(node)
            patches = [*analysis.patches_applied_to(node, scope), *body_patches]
            if patches:
                self._check_test(node, patches, analysis, scope, reported)

    def _check_test(self, node: FunctionNode, patches: list[PatchCall], analysis: Analysis, scope: Scope,
                    reported: set[int]) -> None:
        patched_names = {self._patched(p, analysis, scope) for p in patches}
        users: list[ModuleInfo] | None = None
        for patch in patches:
            if id(patch.node) in reported:
                continue
            patched = self._patched(patch, analysis, scope)
            if patched is None:
                continue
            module, name = patched
            if users is None:
                users = self._modules_called(node, analysis, scope)
            miss = self._first_miss(analysis, module, name, users, patched_names)
            if miss is None:
                continue
            reported.add(id(patch.node))
            source = miss.statement.node
            assert isinstance(source, ast.ImportFrom)
            target_text = source_of(self.ctx, patch.target) if patch.target is not None else "..."
            self.report(
                patch.node,
                call=self._describe(patch, target_text),
                name=name,
                module=module.name,
                user=miss.user.name,
                location=analysis.location(miss.user, source.lineno),
                source="." * source.level + (source.module or ""),
                suggestion=f"{miss.user.name}.{miss.alias}",
            )

    def _patched(self, patch: PatchCall, analysis: Analysis, scope: Scope) -> tuple[ModuleInfo, str] | None:
        """(module, attribute) when the patch replaces a module-level name of a project module."""
        if patch.api == "patch" and patch.target_string:
            split = analysis.split_module(patch.target_string)
            if split is None or len(split[1]) != 1:
                return None
            module, (name,) = split
        elif patch.api == "patch.object" and patch.attribute:
            owner = analysis.eval(patch.target, scope)
            if not isinstance(owner, ModuleSym):
                return None
            module, name = owner.module, patch.attribute
        else:
            return None
        if module is analysis.current or name not in module.bindings:
            return None
        return module, name

    def _modules_called(self, node: FunctionNode, analysis: Analysis, scope: Scope) -> list[ModuleInfo]:
        """Project modules whose functions or classes the test calls."""
        found: dict[object, ModuleInfo] = {}
        for child in walk_body(node.body):
            if not isinstance(child, ast.Call) or analysis.api(child.func, scope) is not None:
                continue
            callee = analysis.eval(child.func, scope)
            if isinstance(callee, FunctionSym):
                module = callee.func.module
            elif isinstance(callee, ClassSym):
                module = callee.cls.module
            else:
                continue
            if module is not analysis.current:
                found.setdefault(module.path, module)
        return list(found.values())

    def _first_miss(self, analysis: Analysis, module: ModuleInfo, name: str, users: list[ModuleInfo],
                    patched: set[tuple[ModuleInfo, str] | None]) -> _Miss | None:
        for user in users:
            if user.path == module.path:
                continue
            for alias, bindings in user.bindings.items():
                for binding in bindings:
                    if binding.kind != "import" or not isinstance(binding.node, ast.ImportFrom) or not binding.target:
                        continue
                    source, _, imported = binding.target.rpartition(".")
                    if imported != name or not source:
                        continue
                    origin = analysis.module(source)
                    if origin is None or origin.path != module.path or not _calls(user, alias):
                        continue
                    if any(p is not None and p[0].path == user.path and p[1] == alias for p in patched):
                        continue
                    return _Miss(user, alias, binding)
        return None

    @staticmethod
    def _describe(patch: PatchCall, target_text: str) -> str:
        if patch.api == "patch" and patch.target_string:
            return f'{patch.call_name}("{patch.target_string}")'
        return f'{patch.call_name}({target_text}, "{patch.attribute}")'


def _calls(module: ModuleInfo, name: str) -> bool:
    """Whether the module's code calls ``name`` (the imported function) anywhere."""
    return name in module.called_names
