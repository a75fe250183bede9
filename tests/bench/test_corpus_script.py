"""The pure helpers of the benchmark and sweep scripts (bench/): offline, untimed."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str) -> ModuleType:
    # the scripts import each other as top-level modules, as when run from bench/
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module(name)


benchlib = _load("benchlib")
corpus = _load("corpus")
run_bench = _load("run_bench")
sweep = _load("sweep")
flake8_plugins = _load("flake8_plugins")

PANDAS = corpus.Package("pandas", "3.1.1", ("pandas/tests",))
CELERY = corpus.Package("celery", "5.7.0", ("t",))


# -- corpus: sdist members ------------------------------------------------------
@pytest.mark.parametrize(
    ("member", "expected"),
    [
        (
            "pandas-3.1.1/pandas/tests/frame/test_api.py",
            "pandas/tests/frame/test_api.py",
        ),
        ("pandas-3.1.1/pandas/tests/io/data/file.csv", "pandas/tests/io/data/file.csv"),
        ("pandas-3.1.1/pyproject.toml", "pyproject.toml"),
        ("pandas-3.1.1/setup.cfg", "setup.cfg"),
        ("pandas-3.1.1/tox.ini", "tox.ini"),
        ("pandas-3.1.1/pytest.ini", "pytest.ini"),
        (
            "pandas-3.1.1/conftest.py",
            "conftest.py",
        ),  # above the test dir: pytest loads it
        ("pandas-3.1.1/pandas/conftest.py", "pandas/conftest.py"),
    ],
)
def test_member_kept(member: str, expected: str) -> None:
    assert corpus.member_destination(member, PANDAS) == expected


@pytest.mark.parametrize(
    "member",
    [
        "pandas-3.1.1/pandas/core/frame.py",  # source, not tests
        "pandas-3.1.1/pandas/testsuite/x.py",  # a prefix of the name only
        "pandas-3.1.1/pandas/tests",  # the directory itself
        "pandas-3.1.1/doc/conftest.py",  # a conftest.py that no test dir sees
        "pandas-3.1.1/pandas/core/conftest.py",
        "pandas-3.1.1/pandas/pyproject.toml",  # config files count at the root only
        "pandas-3.1.1/../evil/pandas/tests/x.py",
        "/abs/pandas/tests/x.py",
        "pyproject.toml",  # no top-level directory
    ],
)
def test_member_skipped(member: str) -> None:
    assert corpus.member_destination(member, PANDAS) is None


def test_short_test_dir_name_is_a_directory_not_a_prefix() -> None:
    assert (
        corpus.member_destination("celery-5.7.0/t/unit/test_app.py", CELERY)
        == "t/unit/test_app.py"
    )
    assert corpus.member_destination("celery-5.7.0/tox.ini", CELERY) == "tox.ini"
    assert corpus.member_destination("celery-5.7.0/tools/x.py", CELERY) is None


# -- corpus: index and versions ---------------------------------------------------
@pytest.mark.parametrize(
    ("filename", "project", "version"),
    [
        ("pandas-3.1.1.tar.gz", "pandas", "3.1.1"),
        ("pytest_asyncio-1.5.0.tar.gz", "pytest-asyncio", "1.5.0"),
        ("pytest-asyncio-1.5.0.zip", "pytest_asyncio", "1.5.0"),
        ("celery-5.7.0rc1.tar.gz", "celery", "5.7.0rc1"),
        ("pandas-3.1.1-cp311-cp311-manylinux_2_28_x86_64.whl", "pandas", None),
        ("pandas-stubs-3.1.1.tar.gz", "pandas", None),
        ("pandas.tar.gz", "pandas", None),
    ],
)
def test_sdist_version(filename: str, project: str, version: str | None) -> None:
    assert corpus.sdist_version(filename, project) == version


def test_choose_version_exact_pin() -> None:
    assert corpus.choose_version("5.7.0", ["5.6.2", "5.7.0", "5.7.0rc1"]) == "5.7.0"


def test_choose_version_nearest_older_final_release() -> None:
    assert (
        corpus.choose_version("5.7.0", ["5.6.2", "5.6.3", "5.7.0rc1", "5.8.0"])
        == "5.6.3"
    )


def test_choose_version_newer_when_nothing_older() -> None:
    assert corpus.choose_version("1.0.0", ["1.2.0", "1.1.0", "2.0.0"]) == "1.1.0"


def test_choose_version_same_version_spelt_differently() -> None:
    assert corpus.choose_version("1.0.0", ["1.0", "0.9"]) == "1.0"


def test_choose_version_nothing_available() -> None:
    with pytest.raises(LookupError):
        corpus.choose_version("1.0.0", ["1.1.0.dev1"])


def test_parse_simple_html() -> None:
    page = """<html><body>
    <a href="../../packages/ab/httpx-0.28.1.tar.gz#sha256=abc123">httpx-0.28.1.tar.gz</a>
    <a href="https://files.example/httpx-0.28.0.tar.gz" data-yanked="">httpx-0.28.0.tar.gz</a>
    </body></html>"""
    files = corpus.parse_simple_html(page, "https://index.example/simple/httpx/")
    assert files == [
        corpus.IndexFile(
            "httpx-0.28.1.tar.gz",
            "https://index.example/packages/ab/httpx-0.28.1.tar.gz",
            "abc123",
        ),
        corpus.IndexFile(
            "httpx-0.28.0.tar.gz",
            "https://files.example/httpx-0.28.0.tar.gz",
            None,
            True,
        ),
    ]


def test_parse_simple_json() -> None:
    data = {
        "files": [
            {
                "filename": "anyio-4.16.0.tar.gz",
                "url": "https://f.example/a.tar.gz",
                "hashes": {"sha256": "ff"},
            },
            {
                "filename": "anyio-4.0.0.tar.gz",
                "url": "/rel/b.tar.gz",
                "hashes": {},
                "yanked": "broken",
            },
        ]
    }
    files = corpus.parse_simple_json(data, "https://index.example/simple/anyio/")
    assert files == [
        corpus.IndexFile("anyio-4.16.0.tar.gz", "https://f.example/a.tar.gz", "ff"),
        corpus.IndexFile(
            "anyio-4.0.0.tar.gz", "https://index.example/rel/b.tar.gz", None, True
        ),
    ]


def test_pins_are_the_issue_corpus() -> None:
    assert {(p.name, p.version) for p in corpus.PINNED} == {
        ("pandas", "3.1.1"),
        ("aiohttp", "3.14.5"),
        ("redis", "8.1.0"),
        ("celery", "5.7.0"),
        ("pydantic", "2.14.3"),
        ("pytest", "9.2.0"),
        ("anyio", "4.16.0"),
        ("httpx", "0.28.1"),
        ("starlette", "1.10.0"),
        ("pytest-asyncio", "1.5.0"),
    }


# -- benchlib -------------------------------------------------------------------
def test_count_lines() -> None:
    assert benchlib.count_lines(b"") == 0
    assert benchlib.count_lines(b"a\nb\n") == 2
    assert benchlib.count_lines(b"a\nb") == 2


def test_median_and_ratio() -> None:
    assert benchlib.median([3.0, 1.0, 2.0]) == 2.0
    assert benchlib.median([1.0, 2.0]) == 1.5
    assert benchlib.median([]) is None
    assert benchlib.ratio(6.0, 2.0) == 3.0
    assert benchlib.ratio(None, 2.0) is None
    assert benchlib.ratio(1.0, 0.0) is None


def test_formatting() -> None:
    assert benchlib.fmt_seconds(None) == "n/a"
    assert benchlib.fmt_seconds(1.234) == "1.23 s"
    assert benchlib.fmt_seconds(123.45) == "123.5 s"
    assert benchlib.fmt_ratio(2.5) == "2.50x"
    assert benchlib.fmt_mib(2048) == "2 MiB"
    assert benchlib.fmt_mib(0) == "n/a"
    assert benchlib.fmt_count(895000) == "895,000"


def test_markdown_table() -> None:
    table = benchlib.markdown_table(
        ["tool", "time"], [["ruff", "0.9 s"], ["a|b", "10 s"]], "lr"
    )
    assert table.splitlines() == [
        "| tool |  time |",
        "| ---- | ----: |",
        "| ruff | 0.9 s |",
        "| a\\|b |  10 s |",
    ]


def test_markdown_table_rejects_ragged_rows() -> None:
    with pytest.raises(ValueError, match="expected 2"):
        benchlib.markdown_table(["a", "b"], [["only one"]])


def test_python_files_sorted_and_skipping_hidden(tmp_path: Path) -> None:
    for name in ("b.py", "a/c.py", "a/data.txt", ".hidden/d.py", "a/__pycache__/e.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    assert [
        p.relative_to(tmp_path).as_posix() for p in benchlib.python_files(tmp_path)
    ] == ["b.py", "a/c.py"]


def test_run_result_failure_line() -> None:
    failed = benchlib.RunResult(
        ["x"],
        Path("."),
        1.0,
        0,
        2,
        "",
        "usage...\nerror: unrecognized arguments: --cache-dir\n",
    )
    assert failed.failure() == "exit 2: error: unrecognized arguments: --cache-dir"
    assert not failed.ok
    assert benchlib.RunResult(["x"], Path("."), 1.0, 0, 0).failure() == ""


# -- run_bench: findings and targets ---------------------------------------------
def _row(key: str, walls: list[float], ok: bool = True, suitelint: bool = True) -> Any:
    tool = run_bench.Tool(
        key=key, label=key, command=lambda ctx: [], shown=key, suitelint=suitelint
    )
    row = run_bench.Row(tool)
    for repeat, wall in enumerate(walls, 1):
        row.runs.append(
            benchlib.RunResult(
                ["x"], Path("."), wall, 300 * 1024, 0 if ok else 1, "", "boom"
            )
        )
        row.findings[repeat] = [] if ok else None
    return row


def test_parse_flake8_output() -> None:
    out = "./pkg/tests/test_a.py:3:1: TST201 `test_x` is async\nnoise\n./b.py:x:1: TST1 bad\n"
    assert run_bench.parse_flake8(out) == [
        ("pkg/tests/test_a.py", 3, 1, "TST201", "`test_x` is async")
    ]


def test_targets_pass_and_fail() -> None:
    rows = [
        _row("floor2", [3.0, 3.1, 2.9], suitelint=False),
        _row("cold", [9.0, 8.0, 10.0]),  # 3.0x: pass (limit inclusive)
        _row("warm", [2.5, 2.6, 2.4]),  # fail
        _row("changed", [0.5]),
        _row("flake8-base", [100.0], suitelint=False),
        _row("flake8-tst", [130.0]),  # +30%: fail
        _row("flake8-tst-warm", [104.0]),  # +4%: pass
    ]
    table = run_bench.targets_table(rows, 3.0, {})
    lines = {line.split("|")[1].strip(): line for line in table.splitlines()[2:]}
    assert (
        "3.00x" in lines["cold, no cache, --jobs 2"]
        and "**pass**" in lines["cold, no cache, --jobs 2"]
    )
    assert "**FAIL**" in lines["warm, nothing changed"]
    assert "**pass**" in lines["one test file changed"]
    cold_plugin = lines["flake8 -j 2 --select=TST (no cache) vs the same run without the plugin"]
    warm_plugin = lines["flake8 -j 2 --select=TST (cache filled) vs the same run without the plugin"]
    assert "+30%" in cold_plugin and "**FAIL**" in cold_plugin
    assert "+4%" in warm_plugin and "**pass**" in warm_plugin
    assert "300 MiB" in lines["peak RSS per process (suitelint rows)"]


def test_failed_runs_are_not_measured() -> None:
    rows = [_row("floor2", [3.0], suitelint=False), _row("cold", [1.0, 1.0], ok=False)]
    table = run_bench.targets_table(rows, 3.0, {})
    assert "not measured (run failed)" in table
    row = rows[1]
    assert row.median() is None
    assert row.failures() == ["exit 1: boom", "exit 1: boom"]


def test_findings_identity_per_repeat() -> None:
    first = [("a.py", 1, 1, "TST201", "m")]
    second = first + [("b.py", 2, 1, "TST406", "m")]  # the checkout changed in between
    rows = [_row("cold", [1.0, 1.0]), _row("warm", [1.0, 1.0]), _row("cold-j1", [1.0])]
    rows[0].findings = {1: first, 2: second}
    rows[1].findings = {1: list(first), 2: list(second)}
    rows[2].findings = {1: []}
    references = run_bench.reference_findings(rows)
    assert references == {1: first, 2: second}
    measured, verdict = run_bench.identity(rows, references)
    assert verdict == "**FAIL**"
    assert measured == "differ: cold-j1"
    rows[2].findings = {1: list(first)}
    assert run_bench.identity(rows, references) == ("3 runs identical", "**pass**")
    assert run_bench.identity(rows, {}) == ("n/a", "not measured")


def test_diff_summary() -> None:
    a = ("a.py", 1, 1, "TST201", "m")
    b = ("b.py", 2, 1, "TST406", "m")
    c = ("c.py", 3, 1, "TST201", "m")
    assert run_bench.diff_summary({a, b}, {a, b}) == ""
    assert run_bench.diff_summary({a}, {a, b, c}) == "+0 -2 (TST201 -1, TST406 -1)"
    assert run_bench.diff_summary({("a.py", 1, "TST201")}, set()) == "+1 -0 (TST201 +1)"
    # a finding that moved column only: +1 -1, net zero per code
    assert run_bench.diff_summary({("a.py", 1, 2, "TST201", "m")}, {a}) == "+1 -1"


def test_findings_note_names_the_difference() -> None:
    references = {1: [("a.py", 1, 1, "TST201", "m"), ("b.py", 2, 1, "TST406", "m")]}
    row = _row("warm", [1.0])
    row.findings = {1: references[1][:1]}
    assert run_bench.findings_note(row, references) == (
        "1 findings, DIFFERENT from cold --no-cache: +0 -1 (TST406 -1)"
    )
    flake8 = _row("flake8-tst", [1.0])
    flake8.findings = {
        1: [("a.py", 1, 5, "TST201", "other text"), ("b.py", 2, 1, "TST406", "m")]
    }
    assert run_bench.findings_note(flake8, references) == (
        "2 findings, same as CLI (path, line, code)"
    )
    assert run_bench.findings_note(row, {}) == "1 findings"


# -- sweep ----------------------------------------------------------------------
def test_extract_tracebacks() -> None:
    stderr = """warning: something
Traceback (most recent call last):
  File "x.py", line 1, in <module>
    boom()
ValueError: bad
Process SpawnPoolWorker-1:
Traceback (most recent call last):
  File "y.py", line 2, in f
KeyError: 'k'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "z.py", line 3, in g
RuntimeError: worse
"""
    blocks = sweep.extract_tracebacks(stderr)
    assert [block.splitlines()[-1] for block in blocks] == [
        "ValueError: bad",
        "KeyError: 'k'",
        "RuntimeError: worse",
    ]
    assert blocks[0].splitlines()[0] == "Traceback (most recent call last):"


def test_extract_tracebacks_none() -> None:
    assert sweep.extract_tracebacks("all good\n") == []


def test_parse_findings_and_problems() -> None:
    text = (
        '[{"path": "tests/test_a.py", "line": 4, "column": 1, "code": "TST002", "rule": "internal-error",'
        ' "message": "rule TST201 crashed: KeyError"},'
        ' {"path": "tests/test_b.py", "line": 1, "column": 1, "code": "TST406", "message": "sleeps"}]'
    )
    findings = sweep.parse_findings(text, "httpx-0.28.1")
    assert [(f.path, f.code) for f in findings] == [
        ("httpx-0.28.1/tests/test_a.py", "TST002"),
        ("httpx-0.28.1/tests/test_b.py", "TST406"),
    ]
    entry = corpus.Entry(
        "httpx",
        "0.28.1",
        "0.28.1",
        "httpx-0.28.1.tar.gz",
        "",
        "",
        "trees/httpx-0.28.1",
        2,
        10,
    )
    result = sweep.ProjectResult(
        entry, 2, 10, findings=findings, tracebacks=["Traceback ...\nValueError: x"]
    )
    assert sweep.problems([result]) == [
        "httpx-0.28.1/tests/test_a.py:4: TST002 rule TST201 crashed: KeyError",
        "httpx: traceback on stderr:\nTraceback ...\nValueError: x",
    ]
    assert result.codes["TST406"] == 1


def test_parse_findings_rejects_non_list() -> None:
    with pytest.raises(TypeError):
        sweep.parse_findings('{"findings": []}', "x")


# -- flake8 wrapper --------------------------------------------------------------
def test_flake8_allowed_packages() -> None:
    assert flake8_plugins.allowed_packages("") == {"flake8", "pyflakes", "pycodestyle"}
    assert flake8_plugins.allowed_packages("flake8_pytest_style, suitelint") == {
        "flake8",
        "pyflakes",
        "pycodestyle",
        "flake8-pytest-style",
        "suitelint",
    }


def test_run_measured_counts_the_cpu_of_the_process_and_its_waited_children(tmp_path: Path) -> None:
    spin = (
        "import multiprocessing, time\n"
        "def busy(_):\n"
        "    end = time.process_time() + 0.3\n"
        "    while time.process_time() < end: pass\n"
        "if __name__ == '__main__':\n"
        "    with multiprocessing.Pool(2) as pool: pool.map(busy, range(2))\n"
    )
    result = benchlib.run_measured([sys.executable, "-c", spin], cwd=tmp_path, timeout=60)
    assert result.ok, result.stderr
    assert result.cpu >= 0.6  # both workers' 0.3 s, reaped by the pool, are counted


def test_results_table_shows_cpu_and_its_ratio_to_the_floor() -> None:
    rows = [_row("floor2", [3.0], suitelint=False), _row("cold", [9.0])]
    rows[0].runs[0].cpu, rows[1].runs[0].cpu = 5.0, 20.0
    table = run_bench.results_table(rows, 3.0, {})
    header, _, _, cold = table.splitlines()
    columns = [cell.strip() for cell in header.split("|")]
    cells = [cell.strip() for cell in cold.split("|")]
    assert cells[columns.index("CPU")] == "20.0 s"
    assert cells[columns.index("CPU x 2-proc floor")] == "4.00x"
    assert cells[columns.index("x 2-proc floor")] == "3.00x"
