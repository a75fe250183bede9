"""Shared helpers of the benchmark and sweep scripts: running a command while
measuring its wall time and peak memory, statistics, Markdown tables and a
description of the machine.

Peak memory and CPU time: ``os.wait4`` returns the resource usage of the child *and of the
descendants it waited for* (multiprocessing pools join their workers), and on
Linux ``ru_maxrss`` of that usage is the largest resident set size reached by
any single process of that tree, in KiB.  That is exactly "peak RSS per
process" (a maximum over processes, not a sum), without psutil.
"""

from __future__ import annotations

import datetime as _dt
import importlib.metadata
import os
import platform
import resource
import select
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TAIL_CHARS = 4000


@dataclass
class RunResult:
    """One measured run of one command."""

    argv: list[str]
    cwd: Path
    wall: float  # seconds
    maxrss_kib: int  # largest RSS of any process of the run, KiB
    returncode: int
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False
    extra: dict[str, object] = field(default_factory=dict)
    # CPU seconds (user + system) of the process and the descendants it waited for (unlike the
    # wall time, waiting for a core is not counted)
    cpu: float = 0.0

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def failure(self) -> str:
        """One line saying why the run failed ("" when it did not)."""
        if self.timed_out:
            return f"timed out after {self.wall:.0f} s"
        if self.returncode == 0:
            return ""
        return f"exit {self.returncode}: {last_line(self.stderr) or last_line(self.stdout) or 'no output'}"


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


def _wait(
    pid: int, timeout: float | None
) -> tuple[int, resource.struct_rusage | None, bool]:
    """Wait for ``pid`` at most ``timeout`` seconds: (status, rusage, timed_out)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    pidfd = -1
    if hasattr(os, "pidfd_open"):
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            pidfd = -1
    try:
        while True:
            if pidfd >= 0:
                remaining = (
                    None if deadline is None else max(0.0, deadline - time.monotonic())
                )
                ready, _, _ = select.select([pidfd], [], [], remaining)
                if ready:
                    _, status, usage = os.wait4(pid, 0)
                    return status, usage, False
            else:
                waited, status, usage = os.wait4(pid, os.WNOHANG)
                if waited == pid:
                    return status, usage, False
                time.sleep(0.005)
            if deadline is not None and time.monotonic() >= deadline:
                return 0, None, True
    finally:
        if pidfd >= 0:
            os.close(pidfd)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_measured(
    argv: Sequence[str],
    *,
    cwd: Path,
    timeout: float | None = None,
    env: Mapping[str, str] | None = None,
) -> RunResult:
    """Run ``argv`` to completion; wall time, peak RSS, exit code and output.

    Output goes to temporary files (no pipe can fill up and stall the child).
    On timeout the whole process group is killed.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(
                list(argv),
                cwd=cwd,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                env=dict(env) if env is not None else None,
                start_new_session=True,
            )
        except OSError as exc:
            return RunResult(list(argv), cwd, 0.0, 0, 127, "", f"cannot start: {exc}")
        try:
            status, usage, timed_out = _wait(proc.pid, timeout)
        except (
            BaseException
        ):  # Ctrl-C / SIGTERM: take the child's process group down too
            _kill_group(proc.pid)
            os.wait4(proc.pid, 0)
            proc.returncode = -signal.SIGKILL
            raise
        if timed_out:
            _kill_group(proc.pid)
            _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        returncode = os.waitstatus_to_exitcode(status)
        proc.returncode = returncode  # already reaped: keep Popen from waiting again
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return RunResult(
        argv=list(argv),
        cwd=cwd,
        wall=wall,
        maxrss_kib=usage.ru_maxrss if usage is not None else 0,
        returncode=returncode,
        stdout=stdout,
        stderr=stderr,
        timed_out=timed_out,
        cpu=usage.ru_utime + usage.ru_stime if usage is not None else 0.0,
    )


# -- statistics and formatting ---------------------------------------------------
def median(values: Iterable[float]) -> float | None:
    data = list(values)
    return statistics.median(data) if data else None


def ratio(value: float | None, reference: float | None) -> float | None:
    if value is None or reference is None or reference <= 0:
        return None
    return value / reference


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value < 10:
        return f"{value:.2f} s"
    return f"{value:.1f} s"


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def fmt_mib(kib: int | None) -> str:
    return "n/a" if not kib else f"{kib / 1024:.0f} MiB"


def fmt_count(value: int) -> str:
    return f"{value:,}"


def markdown_table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], align: str = ""
) -> str:
    """A GitHub-flavoured Markdown table; ``align`` is one of l/r/c per column."""
    body = [
        [cell.replace("|", "\\|").replace("\n", " ") for cell in row] for row in rows
    ]
    widths = [len(h) for h in headers]
    for row in body:
        if len(row) != len(headers):
            raise ValueError(
                f"row has {len(row)} cells, expected {len(headers)}: {row!r}"
            )
        widths = [max(w, len(cell)) for w, cell in zip(widths, row)]
    marks = []
    for index, width in enumerate(widths):
        kind = align[index] if index < len(align) else "l"
        width = max(width, 3)
        if kind == "r":
            marks.append("-" * (width - 1) + ":")
        elif kind == "c":
            marks.append(":" + "-" * (width - 2) + ":")
        else:
            marks.append("-" * width)
        widths[index] = width

    def line(cells: Sequence[str]) -> str:
        padded = []
        for index, cell in enumerate(cells):
            kind = align[index] if index < len(align) else "l"
            padded.append(
                cell.rjust(widths[index]) if kind == "r" else cell.ljust(widths[index])
            )
        return "| " + " | ".join(padded) + " |"

    return "\n".join(
        [line(headers), "| " + " | ".join(marks) + " |", *(line(row) for row in body)]
    )


# -- files --------------------------------------------------------------------------
def python_files(root: Path) -> list[Path]:
    """Every ``*.py`` file under root, sorted, skipping hidden and cache directories."""
    found: list[Path] = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and d != "__pycache__"
        )
        found.extend(
            Path(directory, name) for name in sorted(filenames) if name.endswith(".py")
        )
    return found


def count_lines(data: bytes) -> int:
    """Lines of a file as editors count them (a last line without newline counts)."""
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


# -- machine ------------------------------------------------------------------------
def package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        for line in (
            Path("/proc/cpuinfo")
            .read_text(encoding="utf-8", errors="replace")
            .splitlines()
        ):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info(packages: Sequence[str]) -> dict[str, str]:
    usable = (
        len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count()
    )
    info = {
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus (nproc)": str(usable),
        "cpu": cpu_model(),
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }
    for name in packages:
        info[name] = package_version(name)
    return info


def machine_lines(info: Mapping[str, str]) -> list[str]:
    return [f"- {key}: {value}" for key, value in info.items()]


def command_line(script: Path, argv: Sequence[str]) -> str:
    """How to reproduce this run, from the repository root."""
    try:
        shown = script.resolve().relative_to(REPO_ROOT)
    except ValueError:
        shown = script
    return " ".join(["python", str(shown), *(shlex.quote(a) for a in argv)])


def as_installed() -> dict[str, str]:
    """Byte-compile the Python tools under test, as ``pip install`` does; the environment to run them in.

    An editable install (or a machine with ``PYTHONDONTWRITEBYTECODE`` set)
    would otherwise compile suitelint's modules again on every run, a cost no
    installed tool pays.  The returned environment lets Python use the
    compiled files.
    """
    import compileall
    import importlib.util

    for name in ("suitelint", "flake8", "flake8_pytest_style", "pycodestyle", "pyflakes", "astroid"):
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        origin = Path(spec.origin)
        target = origin.parent if origin.name == "__init__.py" else origin
        if target.is_dir():
            compileall.compile_dir(str(target), quiet=1, workers=0)
        else:
            compileall.compile_file(str(target), quiet=1)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def python_cmd(*args: str) -> list[str]:
    """A command run by this very interpreter (the environment of the caller)."""
    return [sys.executable, *args]
