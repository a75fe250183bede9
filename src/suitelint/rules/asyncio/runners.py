"""What makes pytest run an ``async def`` test or fixture, decided statically.

pytest cannot run a coroutine by itself: a plugin has to claim it.

- pytest-asyncio claims tests marked ``asyncio`` and fixtures decorated with
  ``@pytest_asyncio.fixture``; in *auto* mode it claims every async test and
  fixture.  The mode comes from ``[tool.suitelint] asyncio-mode`` when set
  (an override for configurations suitelint cannot see), else from pytest's
  configuration (``asyncio_mode``, ``--asyncio-mode`` or ``-o asyncio_mode=``
  in ``addopts``), else it is *strict*, pytest-asyncio's default.
- anyio's plugin claims tests marked ``anyio`` and tests that request the
  ``anyio_backend`` fixture, and runs the plain ``@pytest.fixture`` async
  fixtures they request.
- pytest-trio claims tests marked ``trio`` (every async test and fixture with
  ``trio_mode = true``) and runs plain async fixtures for them; anyio 4's
  ``anyio_mode = auto`` (or ``--anyio-mode=auto``) does the same for anyio.
- aiohttp's legacy ``aiohttp.pytest_plugin`` and pytest-tornasync, when named
  in ``pytest_plugins`` or with ``-p``, run every coroutine test and fixture.
- pytest-asyncio-cooperative (``asyncio_cooperative``) and pytest-tornado
  (``gen_test``) claim tests with their own marks.
- ``unittest.IsolatedAsyncioTestCase`` (and the other unittest-based async
  test cases) run their own ``async def`` methods.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from suitelint.core.context import FileContext
from suitelint.rules.asyncio.conftest_chain import module_facts_of_tree, visible_modules

RUNNER_MARKS = frozenset({"asyncio", "anyio", "trio", "asyncio_cooperative", "gen_test"})
ANYIO_TRIO_MARKS = frozenset({"anyio", "trio"})
ANYIO_TRIO_MODULES = frozenset({"anyio", "trio", "pytest_trio"})
TRUE_STRINGS = frozenset({"y", "yes", "t", "true", "on", "1"})  # pytest's bool ini values
# plugins that run every coroutine test and fixture once loaded
COROUTINE_PLUGINS = frozenset({"aiohttp.pytest_plugin", "pytest_tornasync", "pytest_tornasync.plugin", "tornasync"})

# decorators that keep an async test a coroutine function pytest-asyncio can run
TRANSPARENT_DECORATORS = frozenset({
    "unittest.mock.patch", "unittest.mock.patch.object", "unittest.mock.patch.dict",
    "unittest.mock.patch.multiple", "mock.patch", "mock.patch.object", "mock.patch.dict",
    "mock.patch.multiple", "hypothesis.given", "hypothesis.settings", "hypothesis.example",
    "hypothesis.seed", "freezegun.freeze_time", "time_machine.travel", "respx.mock",
})


@dataclass(frozen=True)
class AsyncioMode:
    mode: str  # "strict" or "auto"
    source: str  # where the mode was set, for messages

    @property
    def is_auto(self) -> bool:
        return self.mode == "auto"


def asyncio_mode(ctx: FileContext) -> AsyncioMode:
    """pytest-asyncio's mode for this file and where it comes from."""
    override = ctx.settings.asyncio_mode
    if override in ("strict", "auto"):
        return AsyncioMode(override, "set by `asyncio-mode` in [tool.suitelint]")
    config = ctx.pytest
    where = config.inifile.name if config.inifile is not None else "the pytest configuration"
    args = config.addopts
    if any(arg == "--asyncio-mode" or arg.startswith("--asyncio-mode=") for arg in args):
        source = f"set by `--asyncio-mode` in the addopts of {where}"
    elif "asyncio_mode" in config.overrides:
        source = f"set by `-o asyncio_mode` in the addopts of {where}"
    elif config.get_str("asyncio_mode") is not None:
        source = f"set in {where}"
    else:
        source = "the default"
    return AsyncioMode(config.asyncio_mode, source)


def claiming_plugin(ctx: FileContext) -> str | None:
    """The setting or plugin that runs every async test and fixture of this file, if any.

    ``trio_mode = true`` (pytest-trio), ``anyio_mode = auto`` / ``--anyio-mode=auto``
    (anyio 4), or a coroutine-running plugin loaded with ``-p`` or named in the
    ``pytest_plugins`` of the module, its conftest.py files or their plugins.
    The conftest files are read only when the configuration does not decide.
    """
    config = ctx.pytest
    trio = config.get_str("trio_mode")
    if trio is not None and trio.strip().lower() in TRUE_STRINGS:
        return "trio_mode"
    anyio = _last_option(config.addopts, "--anyio-mode") or config.get_str("anyio_mode")
    if anyio is not None and anyio.strip().lower() == "auto":
        return "anyio_mode"
    for name in config.plugins:
        if name in COROUTINE_PLUGINS:
            return name
    for name in module_facts_of_tree(ctx).plugins:
        if name in COROUTINE_PLUGINS:
            return name
    for _, facts in visible_modules(ctx):
        for name in facts.plugins:
            if name in COROUTINE_PLUGINS:
                return name
    return None


def _last_option(args: list[str], name: str) -> str | None:
    found: str | None = None
    for index, arg in enumerate(args):
        if arg.startswith(name + "="):
            found = arg.split("=", 1)[1]
        elif arg == name and index + 1 < len(args):
            found = args[index + 1]
    return found


def runner_marks(ctx: FileContext, func: ast.AST) -> set[str]:
    """The runner marks that apply to ``func`` (its own, its classes', its module's)."""
    return set(ctx.effective_marks(func)) & RUNNER_MARKS


def requested_fixtures(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """Argument names pytest resolves as fixtures (those without defaults)."""
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    without_default = positional[: len(positional) - len(args.defaults)] if args.defaults else positional
    names = [arg.arg for arg in without_default]
    names.extend(arg.arg for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True) if default is None)
    return names


def has_opaque_decorator(ctx: FileContext, func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a decorator that might turn the coroutine into something else wraps ``func``.

    Marks, fixtures and well-known pass-through decorators (``mock.patch``,
    ``hypothesis.given``, ``freezegun.freeze_time``...) are transparent; any
    other decorator could, for instance, run the coroutine with
    ``asyncio.run`` and return a plain function.
    """
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = ctx.qualname(target) or ""
        if name.startswith("pytest.mark.") or name in TRANSPARENT_DECORATORS:
            continue
        if ctx.fixture_decorator(func) is decorator:
            continue
        return True
    return False


class ClassKinds:
    """Whether test classes are unittest ``TestCase`` classes (cached per file).

    True: a unittest class (its methods are run by unittest, never by
    pytest plugins); False: certainly not; None: cannot tell (a base class
    that neither the module nor inference can resolve).
    """

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self._cache: dict[int, bool | None] = {}
        self._depth = 0
        self._local: dict[str, ast.ClassDef] = {
            stmt.name: stmt for stmt in ctx.tree.body if isinstance(stmt, ast.ClassDef)
        }

    MAX_DEPTH = 50  # deeper local inheritance chains: cannot tell (None), never a RecursionError

    def is_unittest(self, cls: ast.ClassDef) -> bool | None:
        key = id(cls)
        if key not in self._cache:
            if self._depth >= self.MAX_DEPTH:
                return None
            self._cache[key] = None  # guards against cycles (class A(B), class B(A))
            self._depth += 1
            try:
                self._cache[key] = self._decide(cls)
            finally:
                self._depth -= 1
        return self._cache[key]

    def _decide(self, cls: ast.ClassDef) -> bool | None:
        verdict: bool | None = False
        for base in cls.bases:
            kind = self._base_kind(base)
            if kind is True:
                return True
            if kind is None:
                verdict = None
        return verdict

    def _base_kind(self, base: ast.expr) -> bool | None:
        ctx = self.ctx
        name = ctx.qualname(base) or ctx.local_name(base) or ""
        if _unittest_name(name):
            return True
        if name == "object":
            return False
        if isinstance(base, ast.Name) and base.id in self._local and base.id not in ctx.imports:
            return self.is_unittest(self._local[base.id])
        return _inferred_kind(ctx, base)


def _unittest_name(name: str) -> bool:
    return name.startswith("unittest.") or name.rsplit(".", 1)[-1].endswith("TestCase")


def _inferred_kind(ctx: FileContext, base: ast.expr) -> bool | None:
    values = ctx.infer(base)
    if len(values) != 1 or type(values[0]).__name__ != "ClassDef":
        return None
    return _astroid_class_kind(values[0], depth=0)


def _astroid_class_kind(cls: object, depth: int) -> bool | None:
    from suitelint import inference

    if depth > 20:
        return None
    qname = getattr(cls, "qname", lambda: "")()
    if _unittest_name(qname) or _unittest_name(getattr(cls, "name", "")):
        return True
    verdict: bool | None = False
    for base in getattr(cls, "bases", ()):
        inferred = inference.safe_infer(base)
        if inferred is None or type(inferred).__name__ != "ClassDef":
            verdict = None
            continue
        kind = _astroid_class_kind(inferred, depth + 1)
        if kind is True:
            return True
        if kind is None:
            verdict = None
    return verdict
