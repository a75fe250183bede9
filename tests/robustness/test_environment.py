"""Environment problems through ``suitelint check``: a clear finding or a skip with a reason, never a
traceback; a cache that cannot be written is abandoned, and the user is told once.

The tests run ``suitelint.cli.main`` in-process (so that monkeypatches reach
the forked workers of ``--jobs 2``; the pool is forced even for a handful of
files).  We run as root, so permissions are simulated.
"""

from __future__ import annotations

import errno
import json
import os
import pickle
from pathlib import Path
from typing import Any

import pytest

from suitelint import cli
from suitelint.core import discovery, pool, runner
from suitelint.core import store as store_module

SLEEPY = "import time\n\n\ndef test_x():\n    time.sleep(1)\n    assert True\n"
WARNING_TAIL = "continuing without the cache"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    (root / "tests").mkdir(parents=True)
    (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    for name in ("test_a.py", "test_b.py", "test_c.py"):
        (root / "tests" / name).write_text(SLEEPY, encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setattr(runner, "MIN_FILES_FOR_POOL", 1)
    return root


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[tuple[str, int, str, str]], str]:
    code = cli.main(["check", "--format", "json", *argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    findings = [(f["path"], f["line"], f["code"], f["message"]) for f in json.loads(captured.out or "[]")]
    return code, findings, captured.err


def sleeps(*names: str) -> list[tuple[str, int, str, str]]:
    message = "`time.sleep(1)` sleeps in test `test_x`; fake the clock or wait for the condition instead"
    return [(f"tests/{name}", 5, "TST406", message) for name in names]


JOBS = pytest.mark.parametrize("jobs", ["1", "2"])


# -- files that cannot be read -------------------------------------------------------------
def deny_reading(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    real = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name in names:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


@JOBS
def test_an_unreadable_file_is_a_finding_and_the_rest_is_checked(project, capsys, monkeypatch, jobs):
    deny_reading(monkeypatch, "test_b.py")
    code, findings, err = check(capsys, "--jobs", jobs)
    assert code == 1
    assert findings == [*sleeps("test_a.py"), ("tests/test_b.py", 1, "TST001", "permission denied"),
                        *sleeps("test_c.py")]
    assert err == ""


@JOBS
def test_an_unreadable_conftest_does_not_break_the_files_it_governs(project, capsys, monkeypatch, jobs):
    (project / "tests/conftest.py").write_text("import pytest\n\n\n@pytest.fixture\ndef db():\n    return 1\n",
                                               encoding="utf-8")
    deny_reading(monkeypatch, "conftest.py")
    code, findings, _ = check(capsys, "--jobs", jobs, "tests/test_a.py", "tests/test_b.py")
    assert (code, findings) == (1, sleeps("test_a.py", "test_b.py"))


# -- links and odd directories ---------------------------------------------------------------------
@JOBS
def test_broken_symbolic_links_are_findings_named_or_walked(project, capsys, jobs):
    (project / "tests/test_link.py").symlink_to("test_gone.py")
    broken = ("tests/test_link.py", 1, "TST001", "broken symbolic link: its target test_gone.py does not exist")
    code, findings, _ = check(capsys, "--jobs", jobs)
    assert (code, findings) == (1, [*sleeps("test_a.py", "test_b.py", "test_c.py"), broken])
    code, findings, _ = check(capsys, "--jobs", jobs, "tests/test_link.py")
    assert (code, findings) == (1, [broken])


@JOBS
def test_symbolic_link_loops_are_skipped_with_a_reason(project, capsys, jobs):
    (project / "tests/test_loop.py").symlink_to("loop_back.py")
    (project / "tests/loop_back.py").symlink_to("test_loop.py")
    code, findings, err = check(capsys, "--jobs", jobs)
    assert (code, findings) == (1, sleeps("test_a.py", "test_b.py", "test_c.py"))
    reason = "symbolic link loop: the link never leads to a file"
    assert err.splitlines() == [f"suitelint: warning: skipping tests/loop_back.py: {reason}",
                                f"suitelint: warning: skipping tests/test_loop.py: {reason}"]
    code, findings, err = check(capsys, "--jobs", jobs, "tests/test_loop.py", "tests/test_a.py")
    assert (code, findings) == (1, sleeps("test_a.py"))
    assert err == f"suitelint: warning: skipping tests/test_loop.py: {reason}\n"


@JOBS
def test_directories_named_like_python_files(project, capsys, jobs):
    (project / "tests/test_dir.py").mkdir()
    (project / "tests/test_dir.py/test_inner.py").write_text(SLEEPY, encoding="utf-8")
    (project / "tests/conftest.py").mkdir()  # a directory where pytest expects its conftest
    code, findings, err = check(capsys, "--jobs", jobs)
    assert (code, err) == (1, "")
    assert findings == [*sleeps("test_a.py", "test_b.py", "test_c.py", "test_dir.py/test_inner.py")]
    code, findings, _ = check(capsys, "--jobs", jobs, "tests/test_dir.py")
    assert (code, findings) == (1, sleeps("test_dir.py/test_inner.py"))


# -- files deleted while the run goes on ----------------------------------------------------------
def delete_after_discovery(monkeypatch: pytest.MonkeyPatch, *relpaths: str) -> None:
    real = discovery.discover

    def discover(*args: Any, **kwargs: Any) -> list[Path]:
        found = real(*args, **kwargs)
        for relpath in relpaths:
            os.unlink(relpath)
        return found

    monkeypatch.setattr(cli, "discover", discover)


@JOBS
@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["cache", "no-cache"])
def test_a_file_deleted_mid_run_is_a_clear_finding(project, capsys, monkeypatch, jobs, cache):
    (project / "tests/conftest.py").write_text("import pytest\n", encoding="utf-8")
    delete_after_discovery(monkeypatch, "tests/test_b.py", "tests/conftest.py")
    code, findings, err = check(capsys, "--jobs", jobs, *cache)
    gone = "file disappeared before it could be read"
    assert (code, err) == (1, "")
    assert findings == [("tests/conftest.py", 1, "TST001", gone), *sleeps("test_a.py"),
                        ("tests/test_b.py", 1, "TST001", gone), *sleeps("test_c.py")]


# -- a cache that cannot be used ----------------------------------------------------------------------
@JOBS
def test_a_cache_directory_that_cannot_be_created_is_abandoned_with_one_warning(project, capsys, jobs):
    (project / "a_file").write_text("not a directory\n", encoding="utf-8")
    _, expected, _ = check(capsys, "--no-cache", "--jobs", jobs)
    code, findings, err = check(capsys, "--cache-dir", "a_file/cache", "--jobs", jobs)
    assert (code, findings) == (1, expected)
    assert err == (f"suitelint: warning: cache directory {project / 'a_file/cache'} is not writable "
                   f"(Not a directory); {WARNING_TAIL}\n")


class FullDisk:
    """``pickle`` for the store, whose writes fail with ENOSPC after ``room`` of them."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.load = pickle.load
        self.HIGHEST_PROTOCOL = pickle.HIGHEST_PROTOCOL

    def dump(self, value: object, handle: Any, protocol: int | None = None) -> None:
        if self.room <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= 1
        pickle.dump(value, handle, protocol=protocol)


@JOBS
@pytest.mark.parametrize("room", [0, 2], ids=["full-at-start", "full-mid-run"])
def test_a_full_disk_mid_run_gives_one_warning_and_the_same_findings(project, capsys, monkeypatch, jobs, room):
    for index in range(6):
        (project / "tests" / f"test_more_{index}.py").write_text(SLEEPY, encoding="utf-8")
    _, expected, _ = check(capsys, "--no-cache", "--jobs", jobs)
    monkeypatch.setattr(store_module, "pickle", FullDisk(room))
    code, findings, err = check(capsys, "--cache-dir", "cache", "--jobs", jobs)
    assert (code, findings) == (1, expected)
    assert err.count(WARNING_TAIL) == 1, err
    assert err.startswith(f"suitelint: warning: cache directory {project / 'cache'} is not writable "
                          "(No space left on device)")
    assert not [p for p in (project / "cache").rglob(".tmp-*")]  # no half-written entries left behind
    # the next run (disk still full) is still correct, and still says so once
    code, findings, err = check(capsys, "--cache-dir", "cache", "--jobs", jobs)
    assert (code, findings) == (1, expected)
    assert err.count(WARNING_TAIL) == 1, err


def test_quiet_runs_do_not_warn_about_the_cache(project, capsys, monkeypatch):
    monkeypatch.setattr(store_module, "pickle", FullDisk(0))
    code, findings, err = check(capsys, "--cache-dir", "cache", "--quiet")
    assert (code, err) == (1, "")
    assert findings == sleeps("test_a.py", "test_b.py", "test_c.py")


def test_a_worker_reports_its_store_warning_once(tmp_path: Path) -> None:
    """The store of a worker process reports its warning through the chunk results, once."""
    workspace = runner.WorkspaceSpec(cwd=tmp_path, cache_dir=tmp_path / "cache").build()
    store = store_module.store_for(workspace)
    store._disable(OSError(errno.ENOSPC, "No space left on device"))
    pool._WORKER.clear()
    pool._WORKER.update(workspace=workspace, cache=None)
    try:
        assert runner._lint_chunk([])[-1] == store.warning
        assert runner._lint_chunk([])[-1] is None
    finally:
        pool._WORKER.clear()
    assert store.warning is not None and store.warning.endswith(WARNING_TAIL)
