"""The ``suitelint`` command: check | rules | rule CODE | clean | lsp.

Exit status: 0 clean, 1 findings, 2 usage or configuration error (printed as
``suitelint: error: ...`` on stderr, never a traceback).  Everything here is
a thin shell over the engine (:mod:`suitelint.core.runner`) and the reporters
(:mod:`suitelint.reporting`).
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import io
import shutil
import sys
import tokenize
from contextlib import ExitStack
from pathlib import Path
from typing import Callable, Sequence, TextIO

from suitelint import __version__
from suitelint.config import ConfigError
from suitelint.core import collector
from suitelint.core.baseline import BaselineError, Entry, apply_baseline, read_baseline, write_baseline
from suitelint.core.diagnostic import Diagnostic
from suitelint.core.discovery import DiscoveryError, discover
from suitelint.core.registry import REGISTRY, valid_selector
from suitelint.core.result_cache import ResultCache
from suitelint.core.store import store_for
from suitelint.core.runner import FixOutcome, RunResult, RunWorkspace, WorkspaceSpec, applicable, fix_file, lint_paths
from suitelint.core.workspace import Workspace
from suitelint.reporting import FORMATS, Report, get_reporter, plural

CACHE_DIR_NAME = ".suitelint_cache"
LSP_EXTRA_MESSAGE = "suitelint lsp needs the lsp extra: pip install 'suitelint[lsp]'"


class UsageError(Exception):
    """A command line that cannot be carried out (exit status 2)."""


# -- argument parsing -------------------------------------------------------------
def rule_selectors(value: str) -> list[str]:
    """``--select TST2,TST406``: codes or prefixes of existing rules (or ALL)."""
    selectors = [part.strip().upper() for part in value.replace(" ", ",").split(",") if part.strip()]
    codes = REGISTRY.codes()
    for selector in selectors:
        if selector == "ALL":
            continue
        if not valid_selector(selector):
            raise argparse.ArgumentTypeError(f"'{selector}' is not a rule code or prefix (e.g. TST201, TST2)")
        if not any(code.startswith(selector) for code in codes):
            close = difflib.get_close_matches(selector, codes, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise argparse.ArgumentTypeError(f"no rule code starts with '{selector}'{hint}")
    return selectors


def positive_jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {value!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("the number of jobs cannot be negative")
    return jobs


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="suitelint",
        description="Static analysis for test-suite anti-patterns in Python.",
    )
    parser.add_argument("--version", action="version", version=f"suitelint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check files and directories (default: .)",
                                description="Check Python files; exit 0 clean, 1 findings, 2 usage/config error.")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    selection = check.add_argument_group("rule selection")
    selection.add_argument("--select", type=rule_selectors, action="extend", metavar="CODES",
                           help="only these codes or prefixes (replaces the configured selection)")
    selection.add_argument("--ignore", type=rule_selectors, action="extend", default=[], metavar="CODES",
                           help="turn off these codes or prefixes")
    selection.add_argument("--extend-select", type=rule_selectors, action="extend", default=[], metavar="CODES",
                           help="turn on these codes or prefixes in addition")
    output = check.add_argument_group("output")
    output.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    output.add_argument("--output", type=Path, metavar="FILE", help="write the report to FILE")
    output.add_argument("--statistics", action="store_true", help="count findings per rule instead of listing them")
    output.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    output.add_argument("--quiet", "-q", action="store_true", help="print findings only: no summary, no progress")
    fixing = check.add_argument_group("fixes")
    fixing.add_argument("--fix", action="store_true", help="apply safe fixes")
    fixing.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    fixing.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    baseline = check.add_argument_group("baseline")
    baseline.add_argument("--baseline", type=Path, metavar="FILE", help="suppress the findings recorded in FILE")
    baseline.add_argument("--write-baseline", type=Path, metavar="FILE", help="record the current findings in FILE")
    running = check.add_argument_group("running")
    running.add_argument("--jobs", "-j", type=positive_jobs, metavar="N",
                         help="worker processes (default: one per CPU; 0 = one per CPU)")
    running.add_argument("--config", type=Path, metavar="FILE",
                         help="use this pyproject.toml or suitelint.toml instead of searching")
    running.add_argument("--force-exclude", action="store_true",
                         help="apply exclude patterns to files named explicitly too (for pre-commit)")
    running.add_argument("--no-cache", action="store_true", help="do not read or write the results cache")
    running.add_argument("--cache-dir", type=Path, metavar="DIR", help=f"results cache (default: {CACHE_DIR_NAME})")
    check.set_defaults(handler=cmd_check)

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(handler=cmd_rules)

    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", metavar="CODE", help="a rule code (TST201) or name (async-test-without-marker)")
    rule.set_defaults(handler=cmd_rule)

    clean = commands.add_parser("clean", help=f"remove the results cache ({CACHE_DIR_NAME})")
    clean.set_defaults(handler=cmd_clean)

    lsp = commands.add_parser("lsp", help="run the language server on stdio")
    lsp.add_argument("--stdio", action="store_true", help="use stdio (the default and only transport)")
    lsp.set_defaults(handler=cmd_lsp)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors (argparse exits 2)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return handler(args)
    except (ConfigError, DiscoveryError, BaselineError, UsageError) as exc:
        print(f"suitelint: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("suitelint: interrupted", file=sys.stderr)
        return 130


# -- check --------------------------------------------------------------------------
def _spec(args: argparse.Namespace) -> WorkspaceSpec:
    config = args.config
    if config is not None and not config.is_file():
        raise UsageError(f"configuration file does not exist: {config}")
    return WorkspaceSpec(
        cwd=Path.cwd().resolve(),
        config_file=config.resolve() if config is not None else None,
        select=tuple(args.select) if args.select is not None else None,
        ignore=tuple(args.ignore),
        extend_select=tuple(args.extend_select),
        cache_dir=args.cache_dir.resolve() if args.cache_dir is not None else None,
        no_cache=args.no_cache,
    )


def _run(paths: list[Path], workspace: RunWorkspace, args: argparse.Namespace) -> RunResult:
    from suitelint.reporting.progress import LazyProgress

    with LazyProgress(len(paths), sys.stderr, enabled=not args.quiet) as progress:
        cache_factory = None if args.no_cache else ResultCache
        return lint_paths(paths, workspace, jobs=args.jobs or None, progress=progress.update,
                          cache_factory=cache_factory)


def cmd_check(args: argparse.Namespace) -> int:
    collector.tune_for_run()
    # (with --no-cache nothing is written: the processes of the run share summaries in memory)
    spec = _spec(args)
    workspace = spec.build()
    cache_warned = False
    if not args.no_cache:
        store = store_for(workspace)
        if not store.writable() and store.warning:
            cache_warned = True
            if not args.quiet:
                print(f"suitelint: warning: {store.warning}", file=sys.stderr)
    skipped: list[tuple[Path, str]] = []
    paths = discover(args.paths, workspace, force_exclude=args.force_exclude, skipped=skipped)
    if not args.quiet:
        for path, reason in skipped:
            print(f"suitelint: warning: skipping {workspace.relative(path)}: {reason}", file=sys.stderr)
    if not paths and not args.quiet:
        print("suitelint: warning: no Python files found", file=sys.stderr)
    run = _run(paths, workspace, args)
    if run.warnings and not cache_warned and not args.quiet:
        # the cache failed mid-run (disk full), here or in a worker: say so once
        print(f"suitelint: warning: {run.warnings[0]}", file=sys.stderr)
    with ExitStack() as stack:
        stream = _open_output(args.output, stack)
        if args.diff:
            return _show_diff(run, workspace, args, stream)
        fixed = _apply_fixes(run, workspace, args) if args.fix else 0
        diagnostics: list[Diagnostic] = run.diagnostics
        if args.write_baseline is not None:
            count = write_baseline(args.write_baseline, diagnostics, spec.cwd)
            if not args.quiet:
                print(f"Wrote {plural(count, 'finding')} to the baseline {args.write_baseline}.", file=sys.stderr)
            return 0
        stale: list[Entry] = []
        if args.baseline is not None:
            outcome = apply_baseline(diagnostics, read_baseline(args.baseline), spec.cwd, run.paths.values())
            diagnostics, stale = outcome.kept, outcome.stale
        if args.format == "text" and not args.statistics:
            for display in {d.path for d in diagnostics}:
                run.source_of(display)
        report = Report(diagnostics=diagnostics, files_checked=run.files_checked, cwd=spec.cwd,
                        sources=run.sources, fixed=fixed, unsafe_fixes=args.unsafe_fixes, quiet=args.quiet)
        _write_report(report, args, stream, stale)
    if diagnostics and not args.exit_zero:
        return 1
    return 0


def _open_output(path: Path | None, stack: ExitStack) -> TextIO:
    if path is None:
        return sys.stdout
    try:
        return stack.enter_context(path.open("w", encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write_report(report: Report, args: argparse.Namespace, stream: TextIO, stale: list[Entry]) -> None:
    from suitelint.reporting.console import wants_color
    from suitelint.reporting.statistics import write_statistics

    color = args.output is None and wants_color(stream)
    if args.statistics:
        write_statistics(report.diagnostics, stream, color=color, as_json=args.format == "json", stale=stale)
        return
    get_reporter(args.format).write(report, stream, color=color and args.format == "text")
    if report.fixed and args.format != "text" and not args.quiet:
        print(f"Fixed {plural(report.fixed, 'finding')}.", file=sys.stderr)


def _fix_outcomes(run: RunResult, workspace: Workspace, unsafe: bool) -> list[FixOutcome]:
    outcomes: list[FixOutcome] = []
    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in run.diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    for display, diagnostics in by_path.items():
        if not any(applicable(d, unsafe) for d in diagnostics):
            continue
        text = run.source_of(display)
        if text is None:
            continue
        outcome = fix_file(run.paths[display], workspace, text, diagnostics, unsafe=unsafe)
        if outcome.changed:
            outcomes.append(outcome)
    return outcomes


def _show_diff(run: RunResult, workspace: Workspace, args: argparse.Namespace, stream: TextIO) -> int:
    outcomes = _fix_outcomes(run, workspace, args.unsafe_fixes)
    for outcome in outcomes:
        stream.write(outcome.diff())
    if not args.quiet:
        count = sum(outcome.fixed_count for outcome in outcomes)
        message = f"Would fix {plural(count, 'finding')}." if outcomes else "No fixes available."
        print(message, file=sys.stderr)
    return 1 if outcomes else 0


def _apply_fixes(run: RunResult, workspace: Workspace, args: argparse.Namespace) -> int:
    fixed = 0
    replaced: dict[str, FixOutcome] = {}
    for outcome in _fix_outcomes(run, workspace, args.unsafe_fixes):
        if _write_fixed(outcome):
            replaced[outcome.display_path] = outcome
            fixed += outcome.fixed_count
    if replaced:
        kept = [d for d in run.diagnostics if d.path not in replaced]
        for outcome in replaced.values():
            kept.extend(outcome.diagnostics)
            run.sources[outcome.display_path] = outcome.fixed
        run.diagnostics = sorted(kept, key=Diagnostic.sort_key)
    return fixed


def _write_fixed(outcome: FixOutcome) -> bool:
    """Write the fixed text in the file's own encoding, unless the file changed meanwhile."""
    try:
        data = outcome.path.read_bytes()
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        current = data.decode(encoding)
    except (OSError, SyntaxError, UnicodeDecodeError, LookupError) as exc:
        print(f"suitelint: warning: not fixing {outcome.display_path}: {exc}", file=sys.stderr)
        return False
    if current.lstrip("\ufeff") != outcome.original:
        print(f"suitelint: warning: not fixing {outcome.display_path}: it changed while being checked",
              file=sys.stderr)
        return False
    try:
        outcome.path.write_bytes(outcome.fixed.encode(encoding))
    except (OSError, UnicodeEncodeError) as exc:
        print(f"suitelint: warning: cannot write fixes to {outcome.display_path}: {exc}", file=sys.stderr)
        return False
    return True


# -- rules, rule, clean, lsp ------------------------------------------------------------
def cmd_rules(args: argparse.Namespace) -> int:
    rules = REGISTRY.all()
    if args.format == "json":
        import json

        from suitelint.docs import rule_url

        data = [{"code": r.code, "name": r.name, "fix": r.fix, "default": r.default_enabled,
                 "summary": r.summary(), "url": rule_url(r.code)} for r in rules]
        print(json.dumps(data, indent=2))
        return 0
    from suitelint.reporting.console import wants_color
    from suitelint.reporting.rules import write_rules_table

    write_rules_table(rules, sys.stdout, color=wants_color(sys.stdout))
    return 0


def cmd_rule(args: argparse.Namespace) -> int:
    from suitelint.docs import render_rule
    from suitelint.reporting.console import is_terminal, wants_color
    from suitelint.reporting.rules import write_rule_docs

    query = args.code.strip()
    rule = REGISTRY.get(query) or REGISTRY.get(query.lower())
    if rule is None:
        rules = REGISTRY.all()
        candidates = [r.code for r in rules] + [r.name for r in rules]
        close = difflib.get_close_matches(query.upper() if query[:3].upper() == "TST" else query.lower(),
                                          candidates, n=1, cutoff=0.5)
        hint = ""
        if close:
            match = REGISTRY.get(close[0])
            hint = f"; did you mean {match.code} ({match.name})?" if match else ""
        raise UsageError(f"unknown rule '{query}'{hint} (see `suitelint rules`)")
    markdown = render_rule(rule)
    if is_terminal(sys.stdout):
        write_rule_docs(markdown, sys.stdout, color=wants_color(sys.stdout))
    else:
        sys.stdout.write(markdown)
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    cwd = Path.cwd().resolve()
    try:
        root = Workspace(cwd=cwd).settings_for(cwd).root
    except ConfigError:
        root = cwd  # a broken configuration must not stop the cache from being removed
    cache = root / CACHE_DIR_NAME
    if not cache.is_dir():
        print(f"No cache to remove ({cache} does not exist).")
        return 0
    shutil.rmtree(cache)
    print(f"Removed {cache}.")
    return 0


def cmd_lsp(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("pygls") is None or importlib.util.find_spec("lsprotocol") is None:
        print(LSP_EXTRA_MESSAGE, file=sys.stderr)
        return 2
    try:
        from suitelint.lsp.server import main as serve
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in ("pygls", "lsprotocol"):
            print(LSP_EXTRA_MESSAGE, file=sys.stderr)
            return 2
        raise
    result = serve()
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
