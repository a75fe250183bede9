from __future__ import annotations

import ast
import builtins

from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.mocks_model import Analysis, Scope, analysis_for
from suitelint.mocks_model.api import PatchCall, parse_patch
from suitelint.mocks_model.replacements import may_call_replace, may_replace
from suitelint.mocks_model.symbols import ClassSym, Missing, ModuleSym, Symbol
from suitelint.mocks_model.text import source_of

BUILTIN_NAMES = frozenset(dir(builtins))
CLIENTS = """
import httpx


def get_client():
    return httpx.Client()


class ApiClient:
    def fetch_all(self):
        ...
"""


class UnresolvedPatchTarget(Rule):
    """
    ## What it does
    Flags `patch("pkg.mod.name")`, `mocker.patch("...")`,
    `patch.object(module_or_class, "name")` and `patch.multiple(...)`
    keywords whose target resolves to a module or class of the project that
    has no such attribute. The message names the closest existing attribute.

    Targets outside the project (third-party and standard library modules),
    modules that create attributes dynamically (a module `__getattr__`,
    `globals()`), and classes with bases, metaclasses or decorators outside
    the project are not checked; nor is `patch("pkg.mod.open", create=True)`,
    the usual way to shadow a builtin in one module.

    ## Why is this bad?
    `patch` fails with `AttributeError` (or `ModuleNotFoundError`) when the
    test starts, after the typo has been committed. With `create=True` it is
    worse: the attribute is created, the real one is never replaced, and the
    test runs against the real code while looking mocked.
    """

    code = "TST303"
    name = "unresolved-patch-target"
    message = "patch target `{target}` does not exist: {owner} ({location}) has no attribute `{attribute}`{hint}"
    examples = (
        Invalid(
            """
            from unittest.mock import patch

            from app.clients import ApiClient
            import app.clients


            @patch("app.clients.get_clinet")  # [TST303]
            def test_decorator(client):
                ...


            def test_forms(mocker):
                mocker.patch("app.clints.get_client")  # [TST303]
                mocker.patch.object(ApiClient, "fetch_al")  # [TST303]
                with patch.object(app.clients, "get_clients", create=True):  # [TST303]
                    ...
                with patch.multiple("app.clients", get_client=None, ApiClint=None):  # [TST303]
                    ...
            """,
            files={"app/__init__.py": "", "app/clients.py": CLIENTS},
        ),
        Valid(
            """
            from unittest.mock import patch

            from app.clients import ApiClient


            @patch("app.clients.get_client")
            @patch("app.clients.ApiClient.fetch_all")
            @patch("app.clients.httpx")
            @patch("httpx.Client.get")
            @patch("app.clients.httpx.Client.nonexistent")
            @patch("app.lazy.anything")
            @patch("app.clients.ApiClient.__init__")
            def test_existing(*mocks):
                ...


            def test_instances(mocker):
                client = ApiClient()
                mocker.patch.object(client, "session", create=True)  # instances may get attributes
                mocker.patch("app.clients.open", create=True)  # shadows the builtin in that module
                mocker.patch.object(ApiClient, "fetch_all")
                mocker.patch("os.environ.get")
            """,
            files={
                "app/__init__.py": "",
                "app/clients.py": CLIENTS,
                "app/lazy.py": """
                    def __getattr__(name):
                        return name
                    """,
            },
            title="existing attributes, third-party targets, dynamic modules",
        ),
    )

    def begin(self) -> None:
        self._active = "patch" in self.ctx.source

    def visit_Call(self, node: ast.Call) -> None:
        if not self._active or not may_call_replace(node):
            return
        analysis = analysis_for(self.ctx)
        if not may_replace(analysis, node) or isinstance(node.func, ast.Name) and node.func.id == "setattr":
            return
        if not analysis.may_name_mock_api(node.func):
            return
        scope = analysis.scope_at(node)
        api = analysis.api(node.func, scope)
        if api is None:
            return
        patch = parse_patch(node, api)
        if patch is None or not patch.certain or patch.api == "patch.dict":
            return
        if patch.api == "patch":
            self._check_dotted(node, patch, analysis)
        elif patch.api == "patch.object":
            owner = analysis.eval(patch.target, scope)
            attribute = patch.attribute
            if owner is not None and attribute is not None:
                self._check_member(node, analysis, owner, attribute, source_of(self.ctx, patch.target), patch.create)  # type: ignore[arg-type]
        elif patch.api == "patch.multiple":
            self._check_multiple(node, patch, analysis, scope)

    def _check_dotted(self, node: ast.Call, patch: PatchCall, analysis: Analysis) -> None:
        target = patch.target_string
        if not target:
            return
        found = analysis.resolve_qualified(target)
        if isinstance(found, Missing) and found.definite:
            last = target.rsplit(".", 1)[-1] == found.name
            self._report(node, analysis, found, target, patch.create and last)

    def _check_member(self, node: ast.Call, analysis: Analysis, owner: Symbol, attribute: str, owner_text: str,
                      create: bool) -> None:
        if not isinstance(owner, (ModuleSym, ClassSym)):
            return
        found = analysis.member(owner, attribute)
        if isinstance(found, Missing) and found.definite:
            self._report(node, analysis, found, f"{owner_text}.{attribute}", create)

    def _check_multiple(self, node: ast.Call, patch: PatchCall, analysis: Analysis, scope: Scope) -> None:
        target = patch.target
        if target is None:
            return
        text = patch.target_string
        owner = analysis.resolve_qualified(text) if text is not None else analysis.eval(target, scope)
        if isinstance(owner, Missing):
            if owner.definite:
                self._report(node, analysis, owner, text or source_of(self.ctx, target), False)
            return
        if owner is None:
            return
        shown = text if text is not None else source_of(self.ctx, target)
        for name in patch.extra:
            self._check_member(node, analysis, owner, name, shown, patch.create)

    def _report(self, node: ast.Call, analysis: Analysis, missing: Missing, target: str, created: bool) -> None:
        if created and missing.name in BUILTIN_NAMES:
            return  # patch("pkg.mod.open", create=True) shadows the builtin for that module: deliberate
        owner = missing.owner
        if isinstance(owner, ModuleSym):
            kind = "package" if owner.module.is_package else "module"
            described = f"{kind} `{owner.module.name}`"
            location = analysis.location(owner.module)
        elif isinstance(owner, ClassSym):
            described = f"class `{owner.cls.qualname}`"
            location = analysis.location(owner.cls.module, owner.cls.node.lineno)
        else:
            return
        closest = analysis.closest(missing)
        hint = f"; did you mean `{closest}`?" if closest else ""
        if created:
            hint += " (`create=True` creates it instead of replacing the real one)"
        self.report(node, target=target, owner=described, location=location, attribute=missing.name, hint=hint)
