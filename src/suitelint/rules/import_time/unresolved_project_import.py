from __future__ import annotations

import difflib
from pathlib import Path

from suitelint.core.rule import ALL_FILES, Invalid, Rule, Valid
from suitelint.project.graph import MissingImport, ModuleNode, ProjectModel, depend, model_for, span_of

DISPATCHER = '''
class WebhookDispatcher:
    pass


class CircuitBreakerError(Exception):
    pass
'''


class UnresolvedProjectImport(Rule):
    """
    ## What it does
    Flags an import of a name or module from a project module that does not
    define it: `from src.webhooks.dispatcher import CircuitBreaker` when
    `dispatcher.py` has no `CircuitBreaker`, or `import src.missing`. In test
    code, an import whose closure over project modules reaches such an import
    is flagged too, with the chain. Names a module defines conditionally
    (`if`/`try`), through star imports, `__all__` or a module `__getattr__`
    count as defined; imports guarded by `try: ... except ImportError:` and
    third-party modules are never flagged.

    ## Why is this bad?
    The import raises `ImportError` the moment the module is imported. In
    test code that is a collection error: pytest reports it and runs none of
    the tests of that module (or, from a conftest.py, of the directory).
    """

    code = "TST106"
    name = "unresolved-project-import"
    message = "{problem}: ImportError when {when}"
    applies_to = ALL_FILES
    examples = (
        Invalid(
            """
            from src.webhooks.dispatcher import CircuitBreaker, WebhookDispatcher  # [TST106]
            import src.webhooks.retry  # [TST106]
            """,
            filename="src/workers/webhook_worker.py",
            files={
                "src/__init__.py": "",
                "src/workers/__init__.py": "",
                "src/webhooks/__init__.py": "",
                "src/webhooks/dispatcher.py": DISPATCHER,
            },
        ),
        Invalid(
            """
            from src.workers.webhook_worker import process  # [TST106]


            def test_process() -> None:
                assert process({}) is None
            """,
            filename="tests/test_webhook_worker.py",
            files={
                "src/__init__.py": "",
                "src/workers/__init__.py": "",
                "src/workers/webhook_worker.py": (
                    "from src.webhooks.dispatcher import CircuitBreaker\n\n\n"
                    "def process(event):\n    return None\n"
                ),
                "src/webhooks/__init__.py": "",
                "src/webhooks/dispatcher.py": DISPATCHER,
            },
            title="through a project module the test imports",
        ),
        Valid(
            """
            import requests
            from src.webhooks import dispatcher
            from src.webhooks.dispatcher import WebhookDispatcher
            from src.compat import fast_json, lazy_thing, exported
            from src.webhooks import *

            try:
                from src.webhooks.dispatcher import CircuitBreaker
            except ImportError:
                CircuitBreaker = None


            def test_later():
                from src.webhooks.dispatcher import NotYet
            """,
            filename="tests/test_imports.py",
            files={
                "src/__init__.py": "",
                "src/webhooks/__init__.py": "",
                "src/webhooks/dispatcher.py": DISPATCHER,
                "src/compat.py": (
                    "from src._compat_impl import *\n\n"
                    "try:\n    import orjson as fast_json\nexcept ImportError:\n    import json as fast_json\n\n\n"
                    "def __getattr__(name):\n    raise AttributeError(name)\n"
                ),
                "src/_compat_impl.py": "__all__ = ['exported']\nexported = 1\n",
            },
            title="submodules, conditional names, star exports, `__getattr__`, guarded and lazy imports",
        ),
    )

    def end(self) -> None:
        ctx = self.ctx
        if ctx.workspace is None:
            return
        model, node = model_for(ctx)
        when = "pytest collects this file" if ctx.is_test_code else "this module is imported"
        deps: set[Path] = set()
        with model.track(deps):
            summary = model.summary(node)
            for site in summary.imports:
                if not site.runs_at_import or site.guarded:
                    continue
                targets, missing = model.import_targets(node, site)
                if missing:
                    deps.update(p for m in missing for p in m.probed)
                    self.report(span_of(ctx, site.loc), problem=_describe(model, missing), when=when)
                    continue
                if not ctx.is_test_code or not targets:
                    continue
                found = model.first_executed(tuple(targets), "missing_imports", lambda m: _missing(model, m),
                                             lambda event: event[0].path != node.path)
                if found is not None:
                    (module, problem), stack = found
                    deps.update(p for m in problem for p in m.probed)
                    names = " -> ".join(m.name for m in stack)
                    where = f"{ctx.workspace.relative(module.path)}:{problem[0].site.loc.line}"
                    self.report(span_of(ctx, site.loc), problem=f"imports {names} ({where}), where "
                                + _describe(model, problem), when=when)
        depend(ctx, deps)


def _missing(model: ProjectModel, module: ModuleNode) -> list[tuple[int, tuple[ModuleNode, list[MissingImport]]]]:
    """A module's unguarded import-time imports that fail, by line."""
    def compute() -> list[tuple[int, tuple[ModuleNode, list[MissingImport]]]]:
        found = []
        for site in model.summary(module).imports:
            if site.runs_at_import and not site.guarded:
                _, missing = model.import_targets(module, site)
                if missing:
                    found.append((site.loc.line, (module, missing)))
        return found

    return model.cached("missing_imports", module, compute, [])


def _describe(model: ProjectModel, missing: list[MissingImport]) -> str:
    first = missing[0]
    if not first.name:
        return f"there is no module `{first.module}` in the project"
    names = ", ".join(f"`{m.name}`" for m in missing if m.module == first.module and m.name)
    where = f" ({model.workspace.relative(first.path)})" if first.path is not None else ""
    text = f"`{first.module}`{where} does not define {names}"
    close = difflib.get_close_matches(first.name, [n for n in first.defined if not n.startswith("__")], n=1, cutoff=0.6)
    if close and len(missing) == 1:
        text += f" (did you mean `{close[0]}`?)"
    return text
