"""The per-file guards: a cooperative time budget, bounded inference, no imports of checked code."""

from __future__ import annotations

import ast
import importlib
import itertools
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest
from robustness_support import workspace_for, write_tree

from suitelint import inference
from suitelint.core import guards, runner
from suitelint.core.engine import lint_file
from suitelint.core.result_cache import ResultCache
from suitelint.core.store import Store

SLEEPY_TOP = "import time\n\n\ndef test_first():\n    time.sleep(1)\n    assert True\n"
FILLER = "".join(f"\n\ndef test_filler_{i}():\n    assert {i} + {i} == {2 * i}\n" for i in range(150))
SLEEPY_BOTTOM = "\n\ndef test_last():\n    time.sleep(2)\n    assert True\n"
BIG_SLEEPY = SLEEPY_TOP + FILLER + SLEEPY_BOTTOM


class FakeClock:
    """A clock that moves ``step`` seconds each time it is read."""

    def __init__(self, step: float = 1.0) -> None:
        self.ticks = itertools.count()
        self.step = step

    def __call__(self) -> float:
        return next(self.ticks) * self.step


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "project", {"pytest.ini": "[pytest]\n"})


# -- the budget ---------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "budget"), [
    ("", guards.DEFAULT_BUDGET), ("2.5", 2.5), ("0", None), ("off", None), ("-1", None),
    ("soon", guards.DEFAULT_BUDGET),
])
def test_budget_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, raw: str, budget: float | None) -> None:
    monkeypatch.setenv(guards.BUDGET_ENV, raw)
    assert guards.file_budget() == budget


def test_a_guard_expires_once_its_budget_is_spent_and_stays_expired() -> None:
    now = [0.0]
    guard = guards.FileGuard(Path("t.py"), budget=10.0, clock=lambda: now[0])
    now[0] = 9.9
    assert not guard.expired()
    now[0] = 10.1
    assert guard.expired()
    now[0] = 0.0
    assert guard.expired() and guard.gave_up


def test_no_budget_never_expires() -> None:
    guard = guards.FileGuard(Path("t.py"), budget=None, clock=FakeClock(step=1e9))
    assert not any(guard.expired() for _ in range(10))


def test_shared_work_is_credited_once_when_nested() -> None:
    now = [0.0]
    guard = guards.FileGuard(Path("/p/t.py"), budget=10.0, clock=lambda: now[0])
    with guards.guarding(guard):
        guards.store_miss("summaries", "/p/a.py")
        now[0] = 1.0
        guards.store_miss("fixtures", "/p/b.py")
        now[0] = 3.0
        guards.store_write("fixtures", "/p/b.py")  # 2 s of shared work
        now[0] = 5.0
        guards.store_write("summaries", "/p/a.py")  # 5 s in all, 3 s of it not yet credited
    assert guard.deadline == 15.0


def test_an_abandoned_miss_does_not_stop_later_credit() -> None:
    now = [0.0]
    guard = guards.FileGuard(Path("/p/t.py"), budget=10.0, clock=lambda: now[0])
    with guards.guarding(guard):
        guards.store_miss("summaries", "/p/unreadable.py")  # never written: the file could not be read
        now[0] = 1.0
        guards.store_miss("summaries", "/p/b.py")
        now[0] = 4.0
        guards.store_write("summaries", "/p/b.py")
    assert guard.deadline == 13.0


def test_work_on_the_file_itself_is_charged() -> None:
    now = [0.0]
    guard = guards.FileGuard(Path("/p/t.py"), budget=10.0, clock=lambda: now[0])
    with guards.guarding(guard):
        guards.store_miss("summaries", "/p/t.py")
        now[0] = 4.0
        guards.store_write("summaries", "/p/t.py")
        with guards.shared_work():
            now[0] = 6.0
    assert guard.deadline == 12.0


def test_store_misses_and_writes_for_other_files_push_the_deadline_back(tmp_path: Path) -> None:
    other = tmp_path / "other.py"
    other.write_text("x = 1\n", encoding="utf-8")
    now = [0.0]
    guard = guards.FileGuard(tmp_path / "t.py", budget=10.0, clock=lambda: now[0])
    store = Store(None)
    with guards.guarding(guard):
        assert store.get("summaries", other) is None
        now[0] = 30.0  # a whole suite summarised
        store.put("summaries", other, "summary")
        assert not guard.expired()
        assert store.get("summaries", other) == "summary"  # a hit opens nothing
    assert guard.deadline == 40.0


# -- the engine under a spent budget -------------------------------------------------------
def test_the_rest_of_the_file_is_abandoned_with_one_finding(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project / "test_big.py"
    path.write_text(BIG_SLEEPY, encoding="utf-8")
    assert len(list(ast.walk(ast.parse(BIG_SLEEPY)))) > 3 * guards.CHECK_EVERY
    # one second per reading of the clock: start, begin(), then one check every CHECK_EVERY nodes
    monkeypatch.setattr(guards, "_now", FakeClock())
    monkeypatch.setenv(guards.BUDGET_ENV, "2.5")
    result = lint_file(path, workspace_for(project), select=["TST406"])
    assert result.gave_up
    assert [(d.code, d.span.start.line) for d in result.diagnostics] == [("TST002", 1), ("TST406", 5)]
    assert result.diagnostics[0].message == (
        "suitelint gave up on this file after 2.5s (time budget); findings may be incomplete")
    # with time to spare, the same file gets both findings and no TST002
    monkeypatch.setenv(guards.BUDGET_ENV, "1000")
    result = lint_file(path, workspace_for(project), select=["TST406"])
    assert not result.gave_up
    assert [d.code for d in result.diagnostics] == ["TST406", "TST406"]


def slow_clock_for(name: str) -> object:
    """Time flies while the file called ``name`` is linted, and stands still otherwise."""
    def clock() -> float:
        guard = guards.current()
        return 1e6 if guard is not None and guard.path is not None and guard.path.name == name else 0.0
    return clock


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_that_runs_out_of_time_does_not_stop_the_run(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                            jobs: int) -> None:
    names = ["test_a.py", "test_slow.py", "test_z.py"]
    for name in names:
        (project / name).write_text(SLEEPY_TOP, encoding="utf-8")
    monkeypatch.setattr(guards, "_now", slow_clock_for("test_slow.py"))
    monkeypatch.delenv(guards.BUDGET_ENV, raising=False)
    monkeypatch.setattr(runner, "MIN_FILES_FOR_POOL", 1)
    run = runner.lint_paths([project / name for name in names], workspace_for(project), jobs=jobs)
    found = [(d.path, d.code, d.message) for d in run.diagnostics]
    assert [(path, code) for path, code, _ in found] == [
        ("test_a.py", "TST406"), ("test_slow.py", "TST002"), ("test_z.py", "TST406")]
    assert found[1][2].startswith("suitelint gave up on this file after 10s (time budget)")


def test_results_cut_short_are_never_cached(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project / "test_slow.py"
    path.write_text(SLEEPY_TOP, encoding="utf-8")
    workspace = workspace_for(project)
    cache = ResultCache(workspace, Store(project / ".cache"))
    with monkeypatch.context() as patch:
        patch.setattr(guards, "_now", slow_clock_for("test_slow.py"))
        assert runner.lint_one(path, workspace, cache).gave_up
    assert cache.lookup(path) is None
    result = runner.lint_one(path, workspace, cache)
    assert [d.code for d in result.diagnostics] == ["TST406"]
    assert [d.code for d in cache.lookup(path) or []] == ["TST406"]


def test_a_pathological_file_does_not_stall_the_command(project: Path) -> None:
    """Thousands-deep attribute chains (quadratic for name resolution) with a 1-second budget."""
    chain = "os" + ".attr" * 2500
    body = "".join(f"    assert {chain}\n" for _ in range(8))
    write_tree(project, {
        "tests/test_chains.py": f"import os\n\n\ndef test_chains():\n{body}",
        "tests/test_plain.py": SLEEPY_TOP,
    })
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "suitelint", "check", "--no-cache", "--format", "concise", "--jobs", "1", "tests"],
        cwd=project, capture_output=True, text=True, timeout=300,
        env={**os.environ, guards.BUDGET_ENV: "1"},
    )
    elapsed = time.perf_counter() - started
    assert "Traceback" not in completed.stderr
    assert "tests/test_plain.py:5:5: TST406" in completed.stdout
    gave_up = [line for line in completed.stdout.splitlines() if "TST002" in line]
    assert gave_up in ([], ["tests/test_chains.py:1:1: TST002 suitelint gave up on this file after 1s (time budget); "
                            "findings may be incomplete"])
    assert elapsed < 30, completed.stdout


# -- bounded inference --------------------------------------------------------------------------
def astroid_name(source: str, name: str) -> object:
    module = inference.build_module(source, "bounded_example", Path("bounded_example.py"))
    assert module is not None
    target = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name) and n.id == name][-1]
    return inference.find_node(module, target)


def test_inference_says_nothing_once_the_budget_is_spent() -> None:
    node = astroid_name("x = 1\ny = x\n", "y")
    assert [value.value for value in inference.safe_infer_all(node)] == [1]
    guard = guards.FileGuard(None, budget=1.0, clock=FakeClock(step=10.0))
    with guards.guarding(guard):
        assert guard.expired()
        assert inference.safe_infer_all(node) == []
        assert inference.build_module("x = 1\n", "bounded_other", Path("bounded_other.py")) is None


def test_inference_in_flight_stops_when_the_budget_runs_out() -> None:
    from astroid.context import InferenceContext

    inference.build_module("x = 1\n", "bounded_setup", Path("bounded_setup.py"))  # installs the bounds
    context = InferenceContext()
    assert context.max_inferred == 100  # astroid's own limit outside suitelint
    now = [0.0]
    guard = guards.FileGuard(None, budget=5.0, clock=lambda: now[0])
    with guards.guarding(guard):
        assert context.max_inferred == min(100, guards.MAX_NODES_INFERRED)
        now[0] = 6.0
        # the hot path reads the clock once in CLOCK_EVERY calls, then stays expired
        assert any(context.max_inferred == -1 for _ in range(guards.CLOCK_EVERY))
        assert context.max_inferred == -1
    assert context.max_inferred == 100


def test_a_very_long_inference_chain_is_cannot_tell_not_a_crash() -> None:
    source = "x0 = 1\n" + "".join(f"x{i + 1} = x{i}\n" for i in range(3000)) + "result = x3000\n"
    node = astroid_name(source, "result")
    started = time.perf_counter()
    assert inference.safe_infer_all(node) == []
    assert time.perf_counter() - started < 10
    # within the depth cap inference still answers
    assert [v.value for v in inference.safe_infer_all(astroid_name(
        "x0 = 1\n" + "".join(f"x{i + 1} = x{i}\n" for i in range(10)) + "result = x10\n", "result"))] == [1]


# -- never importing the checked code ------------------------------------------------------------
@pytest.fixture
def evil_modules(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """Two importable modules on sys.path that leave a marker when imported."""
    directory = tmp_path / "importable"
    directory.mkdir()
    markers = (tmp_path / "marker_one", tmp_path / "marker_two")
    for name, marker in zip(("sl_evil_one", "sl_evil_two"), markers):
        (directory / f"{name}.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    sys.path.insert(0, str(directory))
    importlib.invalidate_caches()
    try:
        yield markers
    finally:
        sys.path.remove(str(directory))
        for name in ("sl_evil_one", "sl_evil_two"):
            sys.modules.pop(name, None)


def test_imports_of_untrusted_code_are_refused_in_the_guarded_thread_only(evil_modules: tuple[Path, Path]) -> None:
    marker_one, marker_two = evil_modules
    other_thread: list[BaseException | None] = []

    def import_elsewhere() -> None:
        try:
            importlib.import_module("sl_evil_two")
            other_thread.append(None)
        except BaseException as exc:  # noqa: BLE001 - reported below
            other_thread.append(exc)

    with guards.no_imports():
        with pytest.raises(ImportError, match="never imports the code it checks"):
            importlib.import_module("sl_evil_one")
        thread = threading.Thread(target=import_elsewhere)
        thread.start()
        thread.join()
    assert not marker_one.exists()
    assert "sl_evil_one" in guards.refused_imports()
    assert other_thread == [None] and marker_two.exists()


def test_the_standard_library_still_imports_under_the_blocker() -> None:
    names = ["colorsys", "cmath"]  # pure Python, and a C extension of the standard library
    saved = {name: sys.modules.pop(name, None) for name in names}
    try:
        with guards.no_imports():
            for name in names:
                assert importlib.import_module(name).__name__ == name
    finally:
        for name, module in saved.items():
            if module is not None:
                sys.modules[name] = module
