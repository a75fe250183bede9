"""Benchmark suitelint against the parse floor, ruff and flake8 on the pinned corpus.

Everything is timed in one run, round-robin (every tool once per repeat, in a
fixed order), so that load from other processes hits all tools alike; the
table reports medians over the repeats.  Rows:

- parse floor: read + ``ast.parse`` of every file, one process and two
  (``bench/parse_floor.py``);
- ``ruff check --isolated --select PT,ASYNC --no-cache``;
- flake8 + flake8-pytest-style: ``flake8 --isolated -j 2 --select=PT`` with
  only that plugin loaded (``bench/flake8_plugins.py``);
- flake8 baseline vs flake8 + suitelint: the same ``flake8 --isolated -j 2
  --select=TST`` run with no third-party plugin, then with suitelint's.
  flake8 runs every loaded plugin whatever ``--select`` says, so the baseline
  is what that flake8 run costs before suitelint is added (pyflakes and
  pycodestyle); the overhead target compares the two;
- ``suitelint check --jobs 2``: cold with ``--no-cache``; cold with an empty
  ``--cache-dir``; warm (same cache, nothing changed); one file changed (a
  comment appended to one test file, restored afterwards); and cold
  ``--jobs 1 --no-cache`` for the jobs-1/jobs-2 comparison.

Peak RSS is the largest resident set of any single process of a run (see
``benchlib``).  Any ``.suitelint_cache/`` under the corpus is removed before
every run so no run profits from another's cache by accident.  A run that
fails is recorded in the table, never fatal.  Not a test: run it by hand.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import corpus as corpus_mod
from benchlib import (
    REPO_ROOT,
    RunResult,
    as_installed,
    command_line,
    fmt_count,
    fmt_mib,
    fmt_ratio,
    fmt_seconds,
    machine_info,
    machine_lines,
    markdown_table,
    median,
    python_cmd,
    ratio,
    run_measured,
)

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "benchmarks.md"
DEFAULT_WORK_DIR = BENCH_DIR / ".cache"
DEFAULT_CHANGED = "pandas/tests/frame/test_constructors.py"
EDIT_MARK = "\n# suitelint benchmark: one-file-changed edit\n"
VERSIONS = (
    "suitelint",
    "astroid",
    "ruff",
    "flake8",
    "flake8-pytest-style",
    "pyflakes",
    "pycodestyle",
)
GIB_KIB = 1024 * 1024

# target limits (issue 3)
COLD_FLOOR_RATIO = 3.0
WARM_SECONDS = 2.0
CHANGED_SECONDS = 1.0
RSS_LIMIT_KIB = GIB_KIB
FLAKE8_OVERHEAD = 0.25


Finding = tuple[str, int, int, str, str]  # path, line, column, code, message
References = dict[int, list[Finding]]  # repeat -> findings of its cold --no-cache run


@dataclass
class Context:
    trees: Path
    work_dir: Path
    changed_file: Path
    timeout: float
    # the environment the tools run in (see benchlib.as_installed); None: this process's
    env: dict[str, str] | None = None
    # 1-minute load average before each run
    loads: list[float] = field(default_factory=list)
    completed: int = 0  # repeats run to the end
    stopped: str = ""  # why fewer repeats than asked were run

    @property
    def cache_dir(self) -> Path:
        return self.work_dir / "suitelint-cache"

    @property
    def filled_marker(self) -> Path:
        """Exists while cache_dir holds a complete cache of the unedited corpus."""
        return self.work_dir / "cache-filled"

    def output_file(self, key: str) -> Path:
        return self.work_dir / f"{key}.json"


@dataclass
class Tool:
    key: str
    label: str
    command: Callable[[Context], list[str]]
    shown: str  # the command as the table shows it
    suitelint: bool = False
    prepare: Callable[[Context], str | None] | None = (
        None  # untimed; returns an error or None
    )
    finish: Callable[[Context, bool], None] | None = (
        None  # untimed, always; gets "run ok"
    )
    findings: Callable[[Context, RunResult], list[Finding] | None] | None = None


@dataclass
class Row:
    tool: Tool
    runs: list[RunResult] = field(default_factory=list)
    # repeat number -> that run's findings (None: not readable)
    findings: dict[int, list[Finding] | None] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def ok_walls(self) -> list[float]:
        return [r.wall for r in self.runs if r.ok and not r.extra.get("invalid")]

    def median(self) -> float | None:
        return median(self.ok_walls())

    def median_cpu(self) -> float | None:
        return median(r.cpu for r in self.runs if r.ok and not r.extra.get("invalid") and r.cpu > 0)

    def peak_kib(self) -> int | None:
        values = [r.maxrss_kib for r in self.runs if r.ok]
        return max(values) if values else None

    def failures(self) -> list[str]:
        messages = list(self.errors)
        for run in self.runs:
            if not run.ok:
                messages.append(run.failure())
            elif run.extra.get("invalid"):
                messages.append(str(run.extra["invalid"]))
        return messages


# -- commands ---------------------------------------------------------------------
def suitelint_check(ctx: Context, key: str, *options: str) -> list[str]:
    return python_cmd(
        "-m",
        "suitelint",
        "check",
        ".",
        "--format",
        "json",
        "--exit-zero",
        "--output",
        str(ctx.output_file(key)),
        *options,
    )


def flake8_cmd(
    plugins: str, select: str, extra: Callable[[Context], list[str]] | None = None
) -> Callable[[Context], list[str]]:
    def build(ctx: Context) -> list[str]:
        return python_cmd(
            str(BENCH_DIR / "flake8_plugins.py"),
            "--plugins",
            plugins,
            "--",
            "--isolated",
            "-j",
            "2",
            f"--select={select}",
            "--exit-zero",
            *(extra(ctx) if extra else []),
            ".",
        )

    return build


def flake8_cache_options(ctx: Context) -> list[str]:
    return ["--suitelint-cache-dir", str(ctx.work_dir / "flake8-cache")]


FLAKE8_SUITELINT_CACHED = flake8_cmd("suitelint", "TST", flake8_cache_options)


def fill_once(ctx: Context, marker: Path, directory: Path, command: list[str], what: str) -> str | None:
    """Run ``command`` untimed into an emptied ``directory`` unless ``marker`` says it is filled."""
    if marker.is_file():
        return None
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    fill = run_measured(command, cwd=ctx.trees, timeout=ctx.timeout, env=ctx.env)
    if not fill.ok:
        return f"filling {what} failed: {fill.failure()}"
    marker.touch()
    return None


def filled_flake8_cache(ctx: Context) -> str | None:
    """Fill the flake8 plugin's cache untimed, once per benchmark run."""
    return fill_once(ctx, ctx.work_dir / "flake8-cache.filled", ctx.work_dir / "flake8-cache",
                     FLAKE8_SUITELINT_CACHED(ctx), "the flake8 plugin's cache")


def remove_project_caches(ctx: Context) -> None:
    for directory, dirnames, _ in os.walk(ctx.trees):
        if ".suitelint_cache" in dirnames:
            shutil.rmtree(Path(directory, ".suitelint_cache"), ignore_errors=True)
        dirnames[:] = [d for d in dirnames if d != ".suitelint_cache"]


def fresh_cache(ctx: Context) -> str | None:
    ctx.filled_marker.unlink(missing_ok=True)
    shutil.rmtree(ctx.cache_dir, ignore_errors=True)
    ctx.cache_dir.mkdir(parents=True)
    return None


def filled_cache(ctx: Context) -> str | None:
    """Fill the cache untimed unless the cold run of this repeat just did."""
    command = suitelint_check(ctx, "fill", "--jobs", "2", "--cache-dir", str(ctx.cache_dir))
    return fill_once(ctx, ctx.filled_marker, ctx.cache_dir, command, "the cache")


def mark_filled(ctx: Context, ok: bool) -> None:
    if ok:
        ctx.filled_marker.touch()


def edit_changed_file(ctx: Context) -> str | None:
    error = filled_cache(ctx)
    if error:
        return error
    original = ctx.changed_file.read_bytes()
    backup = ctx.work_dir / "changed-file.orig"
    if not backup.exists():  # keep the pristine copy across an interrupted run
        backup.write_bytes(original)
        stat = ctx.changed_file.stat()
        (ctx.work_dir / "changed-file.mtime").write_text(
            f"{stat.st_atime_ns} {stat.st_mtime_ns}"
        )
    with ctx.changed_file.open("a", encoding="utf-8") as handle:
        handle.write(EDIT_MARK)
    return None


def restore_changed_file(ctx: Context, ok: bool = True) -> None:
    backup = ctx.work_dir / "changed-file.orig"
    times = ctx.work_dir / "changed-file.mtime"
    if backup.exists():
        ctx.changed_file.write_bytes(backup.read_bytes())
        if times.exists():
            atime, mtime = (int(x) for x in times.read_text().split())
            os.utime(ctx.changed_file, ns=(atime, mtime))
            times.unlink()
        backup.unlink()
    # the cache now holds the edited file: a later warm run must refill it
    ctx.filled_marker.unlink(missing_ok=True)


def parse_findings_json(
    ctx: Context, key: str, result: RunResult
) -> list[Finding] | None:
    path = ctx.output_file(key)
    text = path.read_text(encoding="utf-8") if path.is_file() else result.stdout
    try:
        data = json.loads(text)
        return sorted(
            (
                str(f["path"]),
                int(f["line"]),
                int(f["column"]),
                str(f["code"]),
                str(f["message"]),
            )
            for f in data
        )
    except (ValueError, TypeError, KeyError):
        return None


def parse_flake8(text: str) -> list[Finding]:
    """``path:line:col: CODE message`` lines of flake8's default format."""
    found = []
    for line in text.splitlines():
        parts = line.split(":", 3)
        if len(parts) < 4:
            continue
        path, row, col, rest = parts
        code, _, message = rest.strip().partition(" ")
        try:
            found.append((path.removeprefix("./"), int(row), int(col), code, message))
        except ValueError:
            continue
    return sorted(found)


def floor_tool(jobs: int) -> Tool:
    return Tool(
        key=f"floor{jobs}",
        label=f"parse floor, {jobs} process{'es' if jobs > 1 else ''}",
        command=lambda ctx: python_cmd(
            str(BENCH_DIR / "parse_floor.py"), "--jobs", str(jobs), "."
        ),
        shown=f"bench/parse_floor.py --jobs {jobs}",
    )


def suitelint_tool(
    key: str, label: str, shown: str, *options: str, **kwargs: object
) -> Tool:
    return Tool(
        key=key,
        label=label,
        command=lambda ctx: suitelint_check(
            ctx, key, *[o.format(cache=ctx.cache_dir) for o in options]
        ),
        shown=shown,
        suitelint=True,
        findings=lambda ctx, result: parse_findings_json(ctx, key, result),
        **kwargs,  # type: ignore[arg-type]
    )


def all_tools() -> list[Tool]:
    return [
        floor_tool(1),
        floor_tool(2),
        Tool(
            key="ruff",
            label="ruff (PT, ASYNC)",
            command=lambda ctx: python_cmd(
                "-m",
                "ruff",
                "check",
                "--isolated",
                "--select",
                "PT,ASYNC",
                "--no-cache",
                "--exit-zero",
                "--output-format",
                "concise",
                ".",
            ),
            shown="ruff check --isolated --select PT,ASYNC --no-cache",
        ),
        Tool(
            key="flake8-pt",
            label="flake8 + flake8-pytest-style",
            command=flake8_cmd("flake8-pytest-style", "PT"),
            shown="flake8 --isolated -j 2 --select=PT (only flake8-pytest-style loaded)",
        ),
        Tool(
            key="flake8-base",
            label="flake8 baseline (no plugin)",
            command=flake8_cmd("", "TST"),
            shown="flake8 --isolated -j 2 --select=TST (no third-party plugin loaded)",
        ),
        Tool(
            key="flake8-tst",
            label="flake8 + suitelint, no cache",
            command=flake8_cmd("suitelint", "TST", lambda ctx: ["--suitelint-no-cache"]),
            shown="flake8 --isolated -j 2 --select=TST --suitelint-no-cache (only suitelint loaded)",
            suitelint=True,
            findings=lambda ctx, result: parse_flake8(result.stdout),
        ),
        Tool(
            key="flake8-tst-warm",
            label="flake8 + suitelint, cache filled",
            command=FLAKE8_SUITELINT_CACHED,
            shown="flake8 --isolated -j 2 --select=TST --suitelint-cache-dir FILLED (only suitelint loaded)",
            suitelint=True,
            prepare=filled_flake8_cache,
            findings=lambda ctx, result: parse_flake8(result.stdout),
        ),
        suitelint_tool(
            "cold-j1",
            "suitelint cold, --jobs 1",
            "suitelint check --jobs 1 --no-cache",
            "--jobs",
            "1",
            "--no-cache",
        ),
        suitelint_tool(
            "cold",
            "suitelint cold, --jobs 2",
            "suitelint check --jobs 2 --no-cache",
            "--jobs",
            "2",
            "--no-cache",
        ),
        suitelint_tool(
            "cold-cache",
            "suitelint cold, empty cache",
            "suitelint check --jobs 2 --cache-dir EMPTY",
            "--jobs",
            "2",
            "--cache-dir",
            "{cache}",
            prepare=fresh_cache,
            finish=mark_filled,
        ),
        suitelint_tool(
            "warm",
            "suitelint warm",
            "suitelint check --jobs 2 --cache-dir FILLED",
            "--jobs",
            "2",
            "--cache-dir",
            "{cache}",
            prepare=filled_cache,
        ),
        suitelint_tool(
            "changed",
            "suitelint one file changed",
            "suitelint check --jobs 2 --cache-dir FILLED, one test file edited",
            "--jobs",
            "2",
            "--cache-dir",
            "{cache}",
            prepare=edit_changed_file,
            finish=restore_changed_file,
        ),
    ]


# -- running ----------------------------------------------------------------------
def run_once(ctx: Context, row: Row, log: Callable[[str], None]) -> None:
    tool = row.tool
    remove_project_caches(ctx)
    output = ctx.output_file(tool.key)
    output.unlink(missing_ok=True)
    ok = False
    try:
        error = tool.prepare(ctx) if tool.prepare else None
        if error:
            row.errors.append(error)
            log(f"{tool.label}: not run: {error}")
            return
        ctx.loads.append(os.getloadavg()[0])
        result = run_measured(tool.command(ctx), cwd=ctx.trees, timeout=ctx.timeout, env=ctx.env)
        findings = tool.findings(ctx, result) if tool.findings and result.ok else None
        if tool.findings and result.ok and findings is None:
            result.extra["invalid"] = "output is not the expected findings format"
        ok = result.ok and "invalid" not in result.extra
        row.runs.append(result)
        row.findings[ctx.completed + 1] = findings
    finally:
        if tool.finish:
            tool.finish(ctx, ok)
        remove_project_caches(ctx)
    status = "ok" if ok else (result.failure() or str(result.extra.get("invalid")))
    log(f"{tool.label}: {result.wall:.2f} s, {fmt_mib(result.maxrss_kib)}, {status}")


def _prefixed(log: Callable[[str], None], prefix: str, message: str) -> None:
    log(f"{prefix} {message}")


def run_all(
    ctx: Context,
    tools: Sequence[Tool],
    repeats: int,
    log: Callable[[str], None],
    budget: float | None = None,
) -> list[Row]:
    """Round-robin over ``tools``; stops early (keeping what was measured) when the
    next repeat would not fit in ``budget`` seconds, or on Ctrl-C / SIGTERM."""
    rows = [Row(tool) for tool in tools]
    ctx.work_dir.mkdir(parents=True, exist_ok=True)
    restore_changed_file(ctx)  # an interrupted earlier run may have left the edit
    fresh_cache(ctx)
    (ctx.work_dir / "flake8-cache.filled").unlink(missing_ok=True)  # filled by other code, maybe
    start = time.monotonic()
    try:
        for repeat in range(1, repeats + 1):
            elapsed = time.monotonic() - start
            if (
                budget is not None
                and ctx.completed
                and elapsed / ctx.completed + elapsed > budget
            ):
                ctx.stopped = (
                    f"stopped after {ctx.completed} of {repeats} repeats: another would "
                    "exceed the time budget (--budget-minutes)"
                )
                break
            prefix = f"[{repeat}/{repeats}]"
            for row in rows:
                run_once(ctx, row, functools.partial(_prefixed, log, prefix))
            ctx.completed = repeat
    except KeyboardInterrupt:
        ctx.stopped = f"interrupted during repeat {ctx.completed + 1} of {repeats}"
        log(ctx.stopped)
    finally:
        shutil.rmtree(ctx.cache_dir, ignore_errors=True)
    return rows


# -- report ---------------------------------------------------------------------
def floor_stats(rows: Sequence[Row]) -> dict[str, int]:
    for row in rows:
        if row.tool.key.startswith("floor"):
            for run in row.runs:
                if run.ok:
                    try:
                        data = json.loads(run.stdout)
                        return {
                            k: int(data[k]) for k in ("files", "lines", "syntax_errors")
                        }
                    except (ValueError, KeyError):
                        continue
    return {}


def findings_note(row: Row, references: References) -> str:
    found = {r: f for r, f in row.findings.items() if f is not None}
    if not found:
        return ""
    counts = sorted({len(f) for f in found.values()})
    text = f"{'/'.join(fmt_count(c) for c in counts)} findings"
    pairs = [(f, references[r]) for r, f in found.items() if r in references]
    if not pairs or row.tool.key == "cold":
        return text
    if row.tool.key in ("flake8-tst", "flake8-tst-warm"):
        diffs = {diff_summary(_located(f), _located(ref)) for f, ref in pairs}
        what = "CLI (path, line, code)"
    else:
        diffs = {diff_summary(set(f), set(ref)) for f, ref in pairs}
        what = "cold --no-cache"
    if diffs == {""}:
        return f"{text}, same as {what}"
    return f"{text}, DIFFERENT from {what}: {'; '.join(sorted(d for d in diffs if d))}"


def diff_summary(found: set[Any], reference: set[Any], top: int = 4) -> str:
    """How ``found`` differs from ``reference``: "" when equal, else
    "+N -M (TST201 -12, TST406 +1)" with the net change per code.  Items are
    findings (path, line, column, code, message) or (path, line, code)."""
    extra, missing = found - reference, reference - found
    if not extra and not missing:
        return ""
    per_code: Counter[str] = Counter()
    for item in extra:
        per_code[_code_of(item)] += 1
    for item in missing:
        per_code[_code_of(item)] -= 1
    changed = sorted(
        (c for c in per_code if per_code[c]), key=lambda c: (-abs(per_code[c]), c)
    )
    detail = ", ".join(f"{c} {per_code[c]:+d}" for c in changed[:top])
    more = ", ..." if len(changed) > top else ""
    return f"+{len(extra)} -{len(missing)}" + (f" ({detail}{more})" if detail else "")


def _code_of(item: tuple[Any, ...]) -> str:
    return str(item[3] if len(item) == 5 else item[2])


def _located(findings: Sequence[Finding]) -> set[tuple[str, int, str]]:
    return {(path, line, code) for path, line, _col, code, _msg in findings}


def reference_findings(rows: Sequence[Row]) -> References:
    """The cold ``--no-cache --jobs 2`` findings of each repeat: every other run is
    compared with the one of its own repeat, so that a checkout edited while the
    benchmark runs does not read as a cache or jobs bug."""
    for row in rows:
        if row.tool.key == "cold":
            return {r: f for r, f in row.findings.items() if f is not None}
    return {}


def results_table(
    rows: Sequence[Row], floor2: float | None, references: References
) -> str:
    body = []
    floor_row = next((row for row in rows if row.tool.key == "floor2"), None)
    floor2_cpu = floor_row.median_cpu() if floor_row is not None else None
    for row in rows:
        walls = row.ok_walls()
        failures = row.failures()
        notes = [findings_note(row, references)] if walls else []
        if failures:
            notes.append(
                f"{len(failures)} of {len(row.runs) + len(row.errors)} runs failed: {failures[0]}"
            )
        body.append(
            [
                row.tool.label,
                f"`{row.tool.shown}`",
                fmt_seconds(row.median()),
                f"{fmt_seconds(min(walls))} – {fmt_seconds(max(walls))}"
                if walls
                else "n/a",
                fmt_ratio(ratio(row.median(), floor2)),
                fmt_seconds(row.median_cpu()),
                fmt_ratio(ratio(row.median_cpu(), floor2_cpu)),
                fmt_mib(row.peak_kib()),
                "; ".join(n for n in notes if n),
            ]
        )
    return markdown_table(
        [
            "tool",
            "command",
            "median",
            "min – max",
            "x 2-proc floor",
            "CPU",
            "CPU x 2-proc floor",
            "peak RSS",
            "notes",
        ],
        body,
        "llrrrrrrl",
    )


def verdict(value: float | None, limit: float, failed: bool = False) -> str:
    if value is None:
        return "not measured (run failed)" if failed else "not measured"
    return "**pass**" if value <= limit else "**FAIL**"


def targets_table(
    rows: Sequence[Row], floor2: float | None, references: References
) -> str:
    by_key = {row.tool.key: row for row in rows}

    def med(key: str) -> float | None:
        row = by_key.get(key)
        return row.median() if row else None

    def failed(key: str) -> bool:
        row = by_key.get(key)
        return bool(row and row.failures())

    body = []
    cold_ratio = ratio(med("cold"), floor2)
    body.append(
        [
            "cold, no cache, --jobs 2",
            f"<= {COLD_FLOOR_RATIO:g}x 2-process floor",
            fmt_ratio(cold_ratio),
            verdict(cold_ratio, COLD_FLOOR_RATIO, failed("cold")),
        ]
    )
    body.append(
        [
            "warm, nothing changed",
            f"<= {WARM_SECONDS:g} s",
            fmt_seconds(med("warm")),
            verdict(med("warm"), WARM_SECONDS, failed("warm")),
        ]
    )
    body.append(
        [
            "one test file changed",
            f"<= {CHANGED_SECONDS:g} s",
            fmt_seconds(med("changed")),
            verdict(med("changed"), CHANGED_SECONDS, failed("changed")),
        ]
    )
    peaks = [row.peak_kib() for row in rows if row.tool.suitelint and row.peak_kib()]
    peak = max(peaks) if peaks else None  # type: ignore[type-var]
    body.append(
        [
            "peak RSS per process (suitelint rows)",
            "<= 1 GiB",
            fmt_mib(peak),
            verdict(peak, RSS_LIMIT_KIB) if peak else "not measured",
        ]
    )
    base = med("flake8-base")
    for key, how in (("flake8-tst", "no cache"), ("flake8-tst-warm", "cache filled")):
        overhead = ratio(med(key), base)
        body.append(
            [
                f"flake8 -j 2 --select=TST ({how}) vs the same run without the plugin",
                f"<= +{FLAKE8_OVERHEAD:.0%}",
                "n/a" if overhead is None else f"{overhead - 1:+.0%}",
                verdict(
                    None if overhead is None else overhead - 1,
                    FLAKE8_OVERHEAD,
                    failed(key),
                ),
            ]
        )
    body.append(
        [
            "findings identical with/without cache, --jobs 1/2",
            "identical",
            *identity(rows, references),
        ]
    )
    return markdown_table(["target", "limit", "measured", "verdict"], body, "llrl")


def identity(rows: Sequence[Row], references: References) -> tuple[str, str]:
    compared = [
        (row.tool.label, found == references[repeat])
        for row in rows
        if row.tool.key in ("cold-j1", "cold-cache", "warm", "changed")
        for repeat, found in row.findings.items()
        if found is not None and repeat in references
    ]
    if not compared:
        return "n/a", "not measured"
    differing = sorted({label for label, same in compared if not same})
    if differing:
        return "differ: " + ", ".join(differing), "**FAIL**"
    return f"{len(compared)} runs identical", "**pass**"


def render_report(
    rows: Sequence[Row],
    entries: Sequence[corpus_mod.Entry],
    info: dict[str, str],
    command: str,
    ctx: Context,
    repeats: int,
) -> str:
    by_key = {row.tool.key: row for row in rows}
    floor2 = by_key["floor2"].median() if "floor2" in by_key else None
    references = reference_findings(rows)
    stats = floor_stats(rows)
    files = stats.get("files", sum(e.files for e in entries))
    lines = stats.get("lines", sum(e.lines for e in entries))
    changed = ctx.changed_file.relative_to(ctx.trees).as_posix()
    substituted = [
        f"{e.name} {e.version} (pinned {e.pinned})" for e in entries if e.note
    ]
    parts = [
        "# Benchmarks",
        "",
        "<!-- generated by bench/run_bench.py; do not edit by hand -->",
        "",
        f"Corpus: the test suites of {len(entries)} projects "
        f"({', '.join(f'{e.name} {e.version}' for e in entries)}): "
        f"{fmt_count(files)} files, {fmt_count(lines)} lines "
        "(see `python bench/corpus.py`)."
        + (f" Substituted versions: {', '.join(substituted)}." if substituted else ""),
        "",
        "Reproduce from the repository root:",
        "",
        "```",
        command,
        "```",
        "",
        "## Machine",
        "",
        *machine_lines(info),
        "",
        f"## Results (median of {repeats} round-robin repeats)"
        if not ctx.stopped
        else f"## Results ({ctx.stopped}; medians of the runs made)",
        "",
        results_table(rows, floor2, references),
        "",
        "## Targets",
        "",
        targets_table(rows, floor2, references),
        "",
        "## How it is measured",
        "",
        "- Every tool runs once per repeat, in the order of the table, so load from other",
        "  processes hits all of them alike; times are wall-clock, interpreter start-up included.",
        "- Parse floor: read and `ast.parse` every `*.py` file (`bench/parse_floor.py`); the",
        "  2-process variant uses a `multiprocessing` pool. It is the floor for any Python linter.",
        "- flake8 runs with `--isolated` (the projects' own flake8 settings are ignored) through",
        "  `bench/flake8_plugins.py`, which loads only the named third-party plugin. flake8 runs",
        "  every loaded plugin whatever `--select` says, so the **baseline** for the plugin",
        "  overhead is the identical `flake8 --isolated -j 2 --select=TST` run with no third-party",
        "  plugin loaded (pyflakes + pycodestyle: what that flake8 run costs before suitelint is",
        "  installed); the overhead is `flake8 + suitelint` / baseline - 1. The plugin is timed",
        "  twice: with `--suitelint-no-cache` (every file linted) and with its results cache",
        "  filled by an untimed run (what every later flake8 run over an unchanged tree costs).",
        "- ruff runs with `--isolated` so it checks exactly the same files.",
        "- suitelint runs `suitelint check . --format json --exit-zero --output FILE` from the",
        "  corpus root; the corpus root holds an empty `suitelint.toml` so the repository's own",
        "  `[tool.suitelint]` never applies. Cold `--no-cache`; cold with an empty `--cache-dir`;",
        "  warm with the cache the cold run filled; one file changed: a comment appended to",
        f"  `{changed}`,",
        "  restored afterwards. Any `.suitelint_cache/` under the corpus is removed before",
        "  every run.",
        "- Peak RSS: `ru_maxrss` of `os.wait4` on the run's process, which covers it and the",
        "  descendants it waited for (pool workers): the largest resident set of any single",
        "  process of the run, not a sum.",
        "- CPU: user + system seconds of the same `os.wait4` usage (the run's process and the",
        "  descendants it waited for; flake8's own workers included), median over repeats. Unlike",
        "  the wall time it does not count waiting for a core, though a host shared with other",
        "  tenants still slows the cores themselves. Its ratio to the floor's CPU compares the",
        "  work done by each tool. The targets are on wall time.",
        "- Findings: every suitelint CLI run's JSON is compared with the cold `--no-cache`",
        "  `--jobs 2` run of the same repeat (the one-file-changed edit is a trailing comment, so",
        "  findings must not change); flake8 + suitelint is compared with it on path, line and",
        "  code. A row showing several finding counts ran on a checkout that changed between",
        "  repeats.",
        "",
    ]
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time the parse floor, ruff, flake8 (+plugins) and suitelint (cold/warm/changed) "
        "on the pinned corpus; write a Markdown table.",
    )
    corpus_mod.corpus_argument(parser)
    parser.add_argument(
        "--repeats", type=int, default=3, help="round-robin repeats (default 3)"
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated tool keys to run (default: all): "
        + ", ".join(t.key for t in all_tools()),
    )
    parser.add_argument(
        "--skip", default="", help="comma-separated tool keys to leave out"
    )
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds before one run is killed"
    )
    parser.add_argument(
        "--changed-file",
        default=None,
        help=f"test file edited for the one-file-changed run, relative to the pandas tree "
        f"(default {DEFAULT_CHANGED}) or to the corpus trees directory",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=DEFAULT_WORK_DIR,
        help="cache and outputs (default bench/.cache/)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="Markdown report (default docs/benchmarks.md)",
    )
    parser.add_argument(
        "--budget-minutes",
        type=float,
        default=None,
        help="start no repeat that would end after this many minutes (busy machines)",
    )
    parser.add_argument("--no-write", action="store_true", help="only print the report")
    args = parser.parse_args(argv)

    tools = all_tools()
    known = {t.key for t in tools}
    only = {k for k in args.only.split(",") if k}
    skip = {k for k in args.skip.split(",") if k}
    unknown = (only | skip) - known
    if unknown:
        parser.error(f"unknown tool key(s): {', '.join(sorted(unknown))}")
    tools = [t for t in tools if (not only or t.key in only) and t.key not in skip]

    entries = corpus_mod.ensure_corpus(args.corpus_dir, args.index_url)
    trees = args.corpus_dir.resolve() / "trees"
    changed = resolve_changed_file(trees, entries, args.changed_file)
    ctx = Context(
        trees=trees,
        work_dir=args.work_dir.resolve(),
        changed_file=changed,
        timeout=args.timeout,
        env=as_installed(),
    )

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    signal.signal(signal.SIGTERM, _interrupt)
    budget = args.budget_minutes * 60 if args.budget_minutes else None
    rows = run_all(ctx, tools, args.repeats, log, budget)
    info = machine_info(VERSIONS)
    info["suitelint source"] = source_state()
    if ctx.loads:
        info["load average (1 min) before the runs"] = (
            f"{min(ctx.loads):.2f} – {max(ctx.loads):.2f} (median {median(ctx.loads):.2f}; "
            "other processes on the machine compete with the tools)"
        )
    shown_argv = [a for a in (argv if argv is not None else sys.argv[1:])]
    report = render_report(
        rows, entries, info, command_line(Path(__file__), shown_argv), ctx, args.repeats
    )
    print(report)
    if not args.no_write:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(report, encoding="utf-8")
        log(f"wrote {args.output}")
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def source_state() -> str:
    """The commit the checkout is at, and whether tracked files differ from it (read-only git)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "diff-index", "--quiet", "HEAD", "--"],
            capture_output=True,
            check=False,
        ).returncode
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"commit {head}" + (" with uncommitted changes" if dirty else "")


def resolve_changed_file(
    trees: Path, entries: Sequence[corpus_mod.Entry], option: str | None
) -> Path:
    pandas = next((trees.parent / e.tree for e in entries if e.name == "pandas"), None)
    candidates = []
    if option:
        candidates += [trees / option] + ([pandas / option] if pandas else [])
    elif pandas:
        candidates.append(pandas / DEFAULT_CHANGED)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    if option:
        raise SystemExit(f"--changed-file {option}: no such file in the corpus")
    tests = sorted(trees.rglob("test_*.py"))
    if not tests:
        raise SystemExit("no test file in the corpus to edit")
    return tests[0]


if __name__ == "__main__":
    sys.exit(main())
