"""Lint one file: read, parse once, walk once, dispatch to the selected rules.

The engine returns data (:class:`~suitelint.core.diagnostic.Diagnostic`); it
never prints or exits.  A rule that raises is disabled for the rest of the
file and reported as TST002; a file that cannot be read, decoded or parsed
gets one TST001 finding and nothing else.  Each file's rule work runs under
a :class:`~suitelint.core.guards.FileGuard`: a time budget after which the
rest of the work is abandoned (one TST002 finding says so), and no import
of checked code while it runs.
"""

from __future__ import annotations

from suitelint.core.parsing import parse as parse_cached

import ast
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from suitelint.core import collector, guards
from suitelint.core.astwalk import child_fields
from suitelint.core.context import FileContext
from suitelint.core.deferral import SuiteNotReady, deferring, keep_summaries
from suitelint.core.dependencies import SummaryDependencies
from suitelint.core.diagnostic import Diagnostic, Position, Span
from suitelint.core.registry import REGISTRY
from suitelint.core.rule import TEST_CODE, Rule
from suitelint.core.source import SourceProblem, decode, physical_lines, read_source
from suitelint.core.suppression import filter_noqa, filter_per_file
from suitelint.core.workspace import Workspace

SYNTAX_ERROR = "TST001"
INTERNAL_ERROR = "TST002"


@dataclass
class FileResult:
    path: Path
    display_path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source: str | None = None
    # other files whose content the findings depend on (for caches)
    dependencies: set[Path] = field(default_factory=set)
    # other files the findings depend on only through their summaries (project and fixture
    # summaries): an edit that leaves both summaries unchanged (a comment) does not matter
    summary_dependencies: SummaryDependencies = field(default_factory=SummaryDependencies)
    # the time budget ran out: findings may be incomplete (never cached)
    gave_up: bool = False
    # codes of the rules that asked for a suite-wide view while the run deferred them (see
    # suitelint.core.deferral): their findings are missing until they run again
    deferred: tuple[str, ...] = ()
    # last steps rules put off until the suite-wide views are ready: (code, payload), see Rule.later
    pending: tuple[tuple[str, Any], ...] = ()


def selected_rules(workspace: Workspace, path: Path, role: str, select: list[str] | None = None) -> list[type[Rule]]:
    settings = workspace.settings_for(path)
    if select is not None:
        rules = REGISTRY.select(select, (), ())
    else:
        rules = REGISTRY.select(settings.select, settings.ignore, settings.extend_select)
    return [rule for rule in rules if role in rule.applies_to and not rule.engine_rule]


def lint_file(
    path: Path,
    workspace: Workspace,
    *,
    source: str | None = None,
    select: list[str] | None = None,
    apply_noqa: bool = True,
    tree: ast.Module | None = None,
    pending: Sequence[tuple[str, Any]] = (),
) -> FileResult:
    """Lint ``path`` (reading it from disk unless ``source`` is given).

    ``tree`` is the already parsed ``source`` when the caller has it (flake8
    hands its plugins the tree it parsed), so the file is not parsed twice.
    ``pending``: steps rules put off in an earlier pass over the file, to
    finish after the rules run (see :func:`finish_pending`).
    """
    display = workspace.relative(path)
    result = FileResult(path=path, display_path=display)
    text: str | SourceProblem = source if source is not None else read_source(path)
    if isinstance(text, SourceProblem):
        result.diagnostics.append(_engine_finding(SYNTAX_ERROR, display, text.message, text.line, text.column))
        return _finish(result, workspace, path, [], apply_noqa, select)
    result.source = text
    if tree is not None and source is not None:
        tree_or_problem: ast.Module | SourceProblem = tree
    else:
        with collector.building_long_lived():
            tree_or_problem = parse(text, display)
    if isinstance(tree_or_problem, SourceProblem):
        problem = tree_or_problem
        result.diagnostics.append(_engine_finding(SYNTAX_ERROR, display, problem.message, problem.line, problem.column))
        return _finish(result, workspace, path, physical_lines(text), apply_noqa, select)

    pytest = workspace.pytest_for(path)
    settings = workspace.settings_for(path)
    role = workspace.role_of(path, pytest)
    rules = selected_rules(workspace, path, role, select)
    if pytest.inifile is not None:
        result.dependencies.add(pytest.inifile)
    if settings.config_file is not None:
        result.dependencies.add(settings.config_file)
    if role in TEST_CODE:
        # pytest's conftest chain, present or not: a conftest.py added later changes what is visible
        result.dependencies.update(conftest_chain(path, pytest.rootdir))
    ctx = FileContext(
        path=path,
        display_path=display,
        source=text,
        tree=tree_or_problem,
        role=role,
        settings=settings,
        pytest=pytest,
        workspace=workspace,
        module_name=workspace.module_name(path),
    )
    ctx.dependencies = result.dependencies  # type: ignore[attr-defined]
    ctx.summary_dependencies = result.summary_dependencies  # type: ignore[attr-defined]
    guard = guards.FileGuard(path)
    try:
        with guards.guarding(guard):
            run_rules(ctx, rules, guard)
            run_pending(ctx, pending)
        result.diagnostics.extend(ctx.diagnostics)
        result.deferred = tuple(sorted(ctx.deferred))
        result.pending = tuple(ctx.pending)
        lines = ctx.lines
        if source is None and deferring(workspace):
            try:
                keep_summaries(ctx)  # what the suite-wide views will read, from the tree parsed once
            except Exception:  # noqa: BLE001 - the views summarise the file themselves (and report problems)
                pass
    finally:
        ctx.dispose()  # freed by reference counting now, not left to the garbage collector
    if guard.gave_up and guard.budget is not None:
        result.gave_up = True
        result.diagnostics.append(_engine_finding(INTERNAL_ERROR, display, guards.budget_message(guard.budget)))
    return _finish(result, workspace, path, lines, apply_noqa, select)


def _finish(result: FileResult, workspace: Workspace, path: Path, lines: list[str], apply_noqa: bool,
            select: list[str] | None) -> FileResult:
    diagnostics = result.diagnostics
    settings = workspace.settings_for(path)
    if select is None:
        # engine findings obey select/ignore like any rule
        enabled = {r.code for r in REGISTRY.select(settings.select, settings.ignore, settings.extend_select)}
        diagnostics = [d for d in diagnostics if d.code in enabled]
    if settings.per_file_ignores:
        diagnostics = filter_per_file(diagnostics, settings.ignored_codes_for(_root_relative(path, settings.root)))
    if apply_noqa:
        diagnostics = filter_noqa(diagnostics, lines)
    result.diagnostics = sorted(set(diagnostics), key=Diagnostic.sort_key)
    return result


def conftest_chain(path: Path, rootdir: Path) -> list[Path]:
    """``conftest.py`` candidates from the file's directory up to the rootdir (nearest first)."""
    directory = Path(os.path.abspath(path)).parent
    root = Path(os.path.abspath(rootdir))
    chain = []
    while True:
        candidate = directory / "conftest.py"
        if candidate != path:
            chain.append(candidate)
        if directory == root or directory.parent == directory:
            break
        directory = directory.parent
    return chain


def _root_relative(path: Path, root: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def parse(text: str, filename: str) -> ast.Module | SourceProblem:
    try:
        return parse_cached(text, filename)
    except SyntaxError as exc:
        line = exc.lineno or 1
        column = exc.offset or 1
        detail = f" ({exc.text.strip()!r})" if exc.text and exc.text.strip() and len(exc.text) < 120 else ""
        return SourceProblem(f"syntax error: {exc.msg}{detail}", line, max(column, 1))
    except (RecursionError, MemoryError):
        return SourceProblem("file is too deeply nested for the Python parser")
    except ValueError as exc:  # e.g. source code string cannot contain null bytes
        return SourceProblem(f"cannot parse file: {exc}")


def run_rules(ctx: FileContext, rule_classes: list[type[Rule]], guard: guards.FileGuard | None = None) -> None:
    instances = [cls(ctx) for cls in rule_classes]
    dispatch: dict[type, list[tuple[Rule, Callable[[ast.AST], object]]]] = {}
    disabled: set[int] = set()

    def fail(rule: Rule, exc: BaseException) -> None:
        """A crashing rule is reported (TST002) and runs no more in this file; the others go on."""
        if id(rule) in disabled:
            return
        disabled.add(id(rule))
        ctx.diagnostics.append(_internal_error(ctx, rule, exc))
        for node_type, handlers in dispatch.items():
            dispatch[node_type] = [(r, m) for r, m in handlers if r is not rule]

    def defer(rule: Rule) -> None:
        """A rule that asked for a suite-wide view while the run defers them: it runs again later."""
        if id(rule) in disabled:
            return
        disabled.add(id(rule))
        ctx.deferred.add(rule.code)
        ctx.diagnostics[:] = [d for d in ctx.diagnostics if d.code != rule.code]
        ctx.pending[:] = [entry for entry in ctx.pending if entry[0] != rule.code]
        for node_type, handlers in dispatch.items():
            dispatch[node_type] = [(r, m) for r, m in handlers if r is not rule]

    def call(rule: Rule, method: Callable[[], object]) -> None:
        if id(rule) in disabled:
            return
        try:
            method()
        except Exception as exc:  # noqa: BLE001 - a crashing rule must not stop the run
            fail(rule, exc)
        except SuiteNotReady:
            defer(rule)

    for rule in instances:
        for node_type, method in rule.handlers.items():
            cls = getattr(ast, node_type, None)
            if cls is not None:
                dispatch.setdefault(cls, []).append((rule, getattr(rule, method)))
    every = guards.RULES_PER_CHECK
    for position, rule in enumerate(instances):
        if guard is not None and not position % every and guard.expired():
            return
        call(rule, rule.begin)
    walk(ctx, dispatch, fail, guard, defer)
    for position, rule in enumerate(instances):
        if guard is not None and not position % every and guard.expired():
            return
        call(rule, rule.end)


def walk(
    ctx: FileContext,
    dispatch: dict[type, list[tuple[Rule, Callable[[ast.AST], object]]]],
    fail: Callable[[Rule, BaseException], None],
    guard: guards.FileGuard | None = None,
    defer: Callable[[Rule], None] | None = None,
) -> None:
    """Pre-order, iterative (no recursion limit), parents set before visiting.

    This loop runs once per node of every checked file, so it is written for
    speed: per-class child-field tables, no generator per node, singletons
    (``Load``, operators) never visited, parents in ``ctx.parents`` (no
    reference cycles in the tree), handlers called directly (``fail``
    takes a crashing rule out of ``dispatch``).  Every ``guards.CHECK_EVERY``
    nodes it stops if ``guard``'s time budget is spent.
    """
    stack: list[ast.AST] = [ctx.tree]
    parents = ctx.parents
    pop = stack.pop
    push = stack.append
    node_type = ast.AST
    imports = (ast.Import, ast.ImportFrom)
    # per node class: its handlers, the fields that may hold children (last first), whether it is an import
    table: dict[type, tuple[list[tuple[Rule, Callable[[ast.AST], object]]] | None, tuple[str, ...], bool]] = {}
    get_entry = table.get

    def failed(rule: Rule, exc: BaseException) -> None:
        fail(rule, exc)  # (replaces dispatch lists: the table must be rebuilt)
        table.clear()

    def postponed(rule: Rule) -> None:
        if defer is None:
            raise SuiteNotReady
        defer(rule)  # (replaces dispatch lists too)
        table.clear()

    countdown = guards.CHECK_EVERY
    while stack:
        countdown -= 1
        if not countdown:
            countdown = guards.CHECK_EVERY
            if guard is not None and guard.expired():
                return
        node = pop()
        cls = node.__class__
        entry = get_entry(cls)
        if entry is None:
            entry = table[cls] = (dispatch.get(cls), child_fields(cls)[::-1], cls in imports)
        handlers, fields, is_import = entry
        if is_import and ctx.enclosing_function(node) is not None:
            ctx.add_import(node)  # type: ignore[arg-type]
        if handlers:
            for rule, method in handlers:
                try:
                    method(node)
                except Exception as exc:  # noqa: BLE001 - a crashing rule must not stop the run
                    failed(rule, exc)
                except SuiteNotReady:
                    postponed(rule)
        for name in fields:
            value = getattr(node, name, None)
            if value is None:
                continue
            if value.__class__ is list:
                for item in reversed(value):
                    if isinstance(item, node_type):
                        parents[id(item)] = node
                        push(item)
            elif isinstance(value, node_type):
                parents[id(value)] = node
                push(value)


def finish_pending(path: Path, workspace: Workspace, pending: Sequence[tuple[str, Any]], *,
                   apply_noqa: bool = True) -> FileResult:
    """The last steps rules put off (:meth:`Rule.later`), from the file's text alone: no parse.

    Their findings go through the same suppressions as the rest of the file's.
    """
    display = workspace.relative(path)
    result = FileResult(path=path, display_path=display)
    text = read_source(path)
    if isinstance(text, SourceProblem):  # (it changed since it was linted: its findings are gone too)
        return result
    result.source = text
    pytest = workspace.pytest_for(path)
    ctx = FileContext(path=path, display_path=display, source=text, tree=ast.Module(body=[], type_ignores=[]),
                      role=workspace.role_of(path, pytest), settings=workspace.settings_for(path), pytest=pytest,
                      workspace=workspace, module_name=workspace.module_name(path))
    ctx.dependencies = result.dependencies  # type: ignore[attr-defined]
    ctx.summary_dependencies = result.summary_dependencies  # type: ignore[attr-defined]
    try:
        with guards.guarding(guards.FileGuard(path)):
            run_pending(ctx, pending)
        result.diagnostics.extend(ctx.diagnostics)
        lines = ctx.lines
    finally:
        ctx.dispose()
    return _finish(result, workspace, path, lines, apply_noqa, sorted({code for code, _ in pending}))


def run_pending(ctx: FileContext, pending: Sequence[tuple[str, Any]]) -> None:
    """Each put-off step, by a new instance of its rule; a crashing one becomes TST002."""
    for code, payload in pending:
        rule_class = REGISTRY.get(code)
        if rule_class is None:
            continue
        rule = rule_class(ctx)
        try:
            rule.finish(payload)
        except Exception as exc:  # noqa: BLE001 - a crashing rule must not stop the run
            ctx.diagnostics.append(_internal_error(ctx, rule, exc))


def _engine_finding(code: str, path: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
    rule = REGISTRY.get(code)
    name = rule.name if rule else code
    return Diagnostic(path=path, span=Span(Position(line, column), Position(line, column + 1)), code=code,
                      rule=name, message=message)


def _internal_error(ctx: FileContext, rule: Rule, exc: BaseException) -> Diagnostic:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    message = (
        f"internal error in {rule.code} ({rule.name}): {type(exc).__name__}: {exc}{where}; "
        "the other rules ran; please report this at the suitelint issue tracker"
    )
    if len(message) > 400:
        message = message[:397] + "..."
    return _engine_finding(INTERNAL_ERROR, ctx.display_path, message)


def lint_text(text: str, path: Path, workspace: Workspace, **kwargs: object) -> FileResult:
    """Lint an in-memory buffer as if it were ``path`` (editors)."""
    return lint_file(path, workspace, source=text, **kwargs)  # type: ignore[arg-type]


def decode_bytes(data: bytes) -> str | SourceProblem:
    return decode(data)


