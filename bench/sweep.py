"""Robustness sweep: every rule over every project of the pinned corpus.

Each project's extracted tree is checked as its own project root (the command
runs inside it, so its pyproject.toml / setup.cfg / tox.ini / pytest.ini and
conftest.py files apply):

    suitelint check . --format json --exit-zero --jobs 2 --no-cache

Reported per project and in total: files, findings per code, TST001 (file
does not parse) and TST002 (internal error) counts, wall time, peak RSS, and
every traceback printed on stderr.  Writes ``docs/robustness.md``.  Exits 1
when any TST002, traceback or failed run appears, after listing them (path +
message) so each can become a regression test.  Not a test: run it by hand.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import corpus as corpus_mod
from benchlib import (
    REPO_ROOT,
    RunResult,
    command_line,
    count_lines,
    fmt_count,
    fmt_mib,
    fmt_seconds,
    machine_info,
    machine_lines,
    markdown_table,
    python_cmd,
    python_files,
    run_measured,
)

DEFAULT_OUTPUT = REPO_ROOT / "docs" / "robustness.md"
DEFAULT_WORK_DIR = Path(__file__).resolve().parent / ".cache"
SYNTAX_ERROR = "TST001"
INTERNAL_ERROR = "TST002"
TRACEBACK_HEAD = "Traceback (most recent call last):"
VERSIONS = ("suitelint", "astroid")


@dataclass
class Finding:
    path: str
    line: int
    code: str
    rule: str
    message: str


@dataclass
class ProjectResult:
    entry: corpus_mod.Entry
    files: int
    lines: int
    run: RunResult | None = None
    findings: list[Finding] = field(default_factory=list)
    problem: str = ""  # why the run produced no usable findings
    tracebacks: list[str] = field(default_factory=list)

    @property
    def codes(self) -> Counter[str]:
        return Counter(f.code for f in self.findings)

    def with_code(self, code: str) -> list[Finding]:
        return [f for f in self.findings if f.code == code]


# -- pure helpers ---------------------------------------------------------------------
def extract_tracebacks(text: str) -> list[str]:
    """Every Python traceback in ``text``: from its header to the exception line."""
    blocks: list[str] = []
    current: list[str] | None = None
    indent = ""
    for line in text.splitlines():
        if line.strip() == TRACEBACK_HEAD:
            if current:
                blocks.append("\n".join(current))
            current = [line.strip()]
            indent = line[: len(line) - len(line.lstrip())]
            continue
        if current is None:
            continue
        current.append(line)
        body = line.removeprefix(indent)
        # the exception line is the first one back at the header's indentation,
        # except the "During handling..." / "The above exception..." chain notes
        if (
            body
            and not body[0].isspace()
            and not body.startswith(("During handling", "The above exception"))
        ):
            blocks.append("\n".join(current))
            current = None
    if current:
        blocks.append("\n".join(current))
    return blocks


def parse_findings(text: str, tree_prefix: str) -> list[Finding]:
    """The findings of ``--format json`` output; paths prefixed with the tree's name."""
    data = json.loads(text)
    if not isinstance(data, list):
        raise TypeError("the JSON output is not a list of findings")
    return [
        Finding(
            path=f"{tree_prefix}/{item['path']}",
            line=int(item["line"]),
            code=str(item["code"]),
            rule=str(item.get("rule", "")),
            message=str(item["message"]),
        )
        for item in data
    ]


def problems(results: Sequence[ProjectResult]) -> list[str]:
    """One line per thing that must not happen: TST002, tracebacks, failed runs."""
    found = []
    for result in results:
        name = result.entry.name
        if result.problem:
            found.append(f"{name}: run failed: {result.problem}")
        for finding in result.with_code(INTERNAL_ERROR):
            found.append(
                f"{finding.path}:{finding.line}: {finding.code} {finding.message}"
            )
        for block in result.tracebacks:
            found.append(f"{name}: traceback on stderr:\n{block}")
    return found


# -- running ----------------------------------------------------------------------
def sweep_project(
    entry: corpus_mod.Entry, corpus_dir: Path, work_dir: Path, jobs: int, timeout: float
) -> ProjectResult:
    tree = entry.tree_path(corpus_dir)
    files = python_files(tree)
    lines = sum(count_lines(p.read_bytes()) for p in files)
    result = ProjectResult(entry, len(files), lines)
    output = work_dir / f"sweep-{Path(entry.tree).name}.json"
    output.unlink(missing_ok=True)
    argv = python_cmd(
        "-m",
        "suitelint",
        "check",
        ".",
        "--format",
        "json",
        "--exit-zero",
        "--jobs",
        str(jobs),
        "--no-cache",
        "--output",
        str(output),
    )
    run = run_measured(argv, cwd=tree, timeout=timeout)
    result.run = run
    result.tracebacks = extract_tracebacks(run.stderr)
    if not run.ok:
        result.problem = run.failure()
        return result
    text = output.read_text(encoding="utf-8") if output.is_file() else run.stdout
    try:
        result.findings = parse_findings(text, Path(entry.tree).name)
    except (ValueError, KeyError, TypeError) as exc:
        result.problem = f"unreadable JSON output: {exc}"
    return result


# -- report ---------------------------------------------------------------------
def project_table(results: Sequence[ProjectResult]) -> str:
    rows = []
    for r in results:
        run = r.run
        rows.append(
            [
                f"{r.entry.name} {r.entry.version}",
                fmt_count(r.files),
                fmt_count(r.lines),
                fmt_count(len(r.findings)) if not r.problem else "n/a",
                str(r.codes[SYNTAX_ERROR]),
                str(r.codes[INTERNAL_ERROR]),
                str(len(r.tracebacks)),
                fmt_seconds(run.wall) if run else "n/a",
                fmt_mib(run.maxrss_kib) if run else "n/a",
                "ok" if not r.problem else r.problem,
            ]
        )
    ok = [r for r in results if r.run is not None]
    rows.append(
        [
            "**total**",
            fmt_count(sum(r.files for r in results)),
            fmt_count(sum(r.lines for r in results)),
            fmt_count(sum(len(r.findings) for r in results)),
            str(sum(r.codes[SYNTAX_ERROR] for r in results)),
            str(sum(r.codes[INTERNAL_ERROR] for r in results)),
            str(sum(len(r.tracebacks) for r in results)),
            fmt_seconds(sum(r.run.wall for r in ok if r.run)) if ok else "n/a",
            fmt_mib(max(r.run.maxrss_kib for r in ok if r.run)) if ok else "n/a",
            f"{sum(1 for r in results if r.problem)} failed",
        ]
    )
    return markdown_table(
        [
            "project",
            "files",
            "lines",
            "findings",
            "TST001",
            "TST002",
            "tracebacks",
            "wall",
            "peak RSS",
            "run",
        ],
        rows,
        "lrrrrrrrrl",
    )


def codes_table(results: Sequence[ProjectResult]) -> str:
    total: Counter[str] = Counter()
    names: dict[str, str] = {}
    spread: dict[str, set[str]] = {}
    for r in results:
        for f in r.findings:
            total[f.code] += 1
            names.setdefault(f.code, f.rule)
            spread.setdefault(f.code, set()).add(r.entry.name)
    rows = [
        [code, names.get(code, ""), fmt_count(count), ", ".join(sorted(spread[code]))]
        for code, count in sorted(total.items())
    ]
    if not rows:
        return "No findings."
    return markdown_table(["code", "rule", "findings", "projects"], rows, "llrl")


def finding_list(
    results: Sequence[ProjectResult], code: str, limit: int = 200
) -> list[str]:
    found = [f for r in results for f in r.with_code(code)]
    lines = [f"- `{f.path}:{f.line}`: {f.message}" for f in found[:limit]]
    if len(found) > limit:
        lines.append(f"- ... and {len(found) - limit} more")
    return lines or ["None."]


def render_report(
    results: Sequence[ProjectResult], command: str, info: dict[str, str], jobs: int
) -> str:
    tracebacks = [(r.entry.name, block) for r in results for block in r.tracebacks]
    failed = [r for r in results if r.problem]
    internal = sum(r.codes[INTERNAL_ERROR] for r in results)
    verdict = "**clean**" if not (tracebacks or failed or internal) else "**NOT clean**"
    parts = [
        "# Robustness sweep",
        "",
        "<!-- generated by bench/sweep.py; do not edit by hand -->",
        "",
        "Every rule over the test suites of the pinned corpus (see `python bench/corpus.py`),",
        "each project checked as its own root, so its own pytest configuration and conftest.py",
        "files apply:",
        f"`suitelint check . --format json --exit-zero --jobs {jobs} --no-cache` in each tree.",
        "",
        "Reproduce from the repository root:",
        "",
        "```",
        command,
        "```",
        "",
        (
            f"Verdict: {verdict} ({internal} internal errors (TST002), "
            f"{len(tracebacks)} tracebacks, {len(failed)} failed runs; "
            "the bar is zero of each)."
        ),
        "",
        "## Machine",
        "",
        *machine_lines(info),
        "",
        "## Per project",
        "",
        "Files and lines: the `*.py` files of the extracted tree. Wall and peak RSS: one run per",
        "project (peak RSS: the largest resident set of any single process of the run).",
        "",
        project_table(results),
        "",
        "## Findings per code",
        "",
        codes_table(results),
        "",
        "## Internal errors (TST002)",
        "",
        *finding_list(results, INTERNAL_ERROR),
        "",
        "## Files that did not parse (TST001)",
        "",
        *finding_list(results, SYNTAX_ERROR),
        "",
        "## Tracebacks on stderr",
        "",
    ]
    if tracebacks:
        for name, block in tracebacks:
            parts += [f"{name}:", "", "```", block, "```", ""]
    else:
        parts += ["None.", ""]
    if failed:
        parts += ["## Failed runs", ""]
        parts += [f"- {r.entry.name}: {r.problem}" for r in failed]
        parts.append("")
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run every rule over every corpus project; report findings per code, "
        "TST001/TST002, tracebacks, time and memory; exit 1 on any crash.",
    )
    corpus_mod.corpus_argument(parser)
    parser.add_argument(
        "--jobs", type=int, default=2, help="suitelint --jobs (default 2)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800.0,
        help="seconds before one project's run is killed",
    )
    parser.add_argument(
        "--projects", default="", help="comma-separated project names (default: all)"
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=DEFAULT_WORK_DIR,
        help="JSON outputs (default bench/.cache/)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="Markdown report (default docs/robustness.md)",
    )
    parser.add_argument("--no-write", action="store_true", help="only print the report")
    args = parser.parse_args(argv)

    wanted = {p for p in args.projects.split(",") if p}
    packages = [p for p in corpus_mod.PINNED if not wanted or p.name in wanted]
    unknown = wanted - {p.name for p in corpus_mod.PINNED}
    if unknown:
        parser.error(f"unknown project(s): {', '.join(sorted(unknown))}")
    corpus_dir = args.corpus_dir.resolve()
    entries = corpus_mod.ensure_corpus(corpus_dir, args.index_url, packages)
    work_dir = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)

    results = []
    for entry in entries:
        print(f"sweep: {entry.name} {entry.version} ...", file=sys.stderr, flush=True)
        result = sweep_project(entry, corpus_dir, work_dir, args.jobs, args.timeout)
        run = result.run
        print(
            f"sweep: {entry.name}: {len(result.findings)} findings, "
            f"{fmt_seconds(run.wall if run else None)}, {fmt_mib(run.maxrss_kib if run else None)}"
            + (f", {result.problem}" if result.problem else ""),
            file=sys.stderr,
            flush=True,
        )
        results.append(result)

    shown_argv = list(argv if argv is not None else sys.argv[1:])
    report = render_report(
        results,
        command_line(Path(__file__), shown_argv),
        machine_info(VERSIONS),
        args.jobs,
    )
    print(report)
    if not args.no_write:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(report, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    found = problems(results)
    if found:
        print(
            f"\n{len(found)} problem(s) (TST002, tracebacks, failed runs):",
            file=sys.stderr,
        )
        for line in found:
            print(line, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
