"""``suitelint check``: exit status, selection, suppression and the plain output formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from suitelint import __version__

SLEEPY = """
import time


def test_waits():
    time.sleep(1.5)
    assert True
"""

ASYNC_AND_SLEEPY = """
import time


async def test_async_body():
    assert True


def test_waits():
    time.sleep(2)
    assert True
"""

SLEEP_MESSAGE = "`time.sleep(1.5)` sleeps in test `test_waits`; fake the clock or wait for the condition instead"


def codes(output: str) -> list[str]:
    return [finding["code"] for finding in json.loads(output)]


def test_clean_project_exits_zero(project, write, run):
    write({"tests/test_ok.py": "def test_ok():\n    assert 1 + 1 == 2\n"})
    outcome = run("check")
    assert outcome.code == 0
    assert outcome.out.strip() == "All checks passed!"


def test_findings_exit_one_and_text_shows_the_flagged_source(project, write, run):
    write({"tests/test_slow.py": SLEEPY})
    outcome = run("check")
    assert outcome.code == 1
    lines = outcome.out.splitlines()
    assert lines[0] == f"tests/test_slow.py:5:5 TST406 {SLEEP_MESSAGE}"
    assert lines[1:4] == ["  |", "5 |     time.sleep(1.5)", "  |     ^^^^^^^^^^^^^^^"]
    assert lines[-1] == "Found 1 finding in 1 file."
    assert "\x1b[" not in outcome.out


def test_exit_zero_reports_but_succeeds(project, write, run):
    write({"tests/test_slow.py": SLEEPY})
    outcome = run("check", "--exit-zero", "--format", "concise")
    assert outcome.code == 0
    assert outcome.out == f"tests/test_slow.py:5:5: TST406 {SLEEP_MESSAGE}\n"


def test_quiet_prints_findings_without_summary(project, write, run):
    write({"tests/test_slow.py": SLEEPY, "tests/test_ok.py": "def test_ok():\n    assert True\n"})
    outcome = run("check", "--quiet")
    assert "TST406" in outcome.out
    assert "Found" not in outcome.out
    assert run("check", "--quiet", "tests/test_ok.py").out == ""


def test_json_is_sorted_with_the_documented_keys(project, write, run):
    write({
        "tests/test_b.py": ASYNC_AND_SLEEPY,
        "tests/test_a.py": SLEEPY,
    })
    outcome = run("check", "--format", "json")
    assert outcome.code == 1
    findings = json.loads(outcome.out)
    assert [(f["path"], f["line"], f["code"]) for f in findings] == [
        ("tests/test_a.py", 5, "TST406"),
        ("tests/test_b.py", 4, "TST201"),
        ("tests/test_b.py", 9, "TST406"),
    ]
    assert all(list(f) == ["path", "line", "column", "end_line", "end_column", "code", "rule", "message", "fix"]
               for f in findings)
    first = findings[0]
    assert (first["column"], first["end_line"], first["end_column"]) == (5, 5, 20)
    assert first["rule"] == "sleep-in-test"
    assert first["fix"] is None
    fix = findings[1]["fix"]
    assert fix["applicability"] == "safe"
    assert fix["edits"]
    assert set(fix["edits"][0]) >= {"line", "column", "end_line", "end_column", "content"}


def test_paths_are_relative_to_the_working_directory(project, write, run, monkeypatch):
    write({"tests/unit/test_slow.py": SLEEPY})
    monkeypatch.chdir(project / "tests")
    outcome = run("check", "--format", "concise", "unit")
    assert outcome.out.startswith("unit/test_slow.py:5:5: TST406")


def test_output_file_receives_the_report(project, write, run):
    write({"tests/test_slow.py": SLEEPY})
    outcome = run("check", "--format", "json", "--output", "report.json")
    assert outcome.code == 1
    assert outcome.out == ""
    assert codes((project / "report.json").read_text(encoding="utf-8")) == ["TST406"]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ((), ["TST201", "TST406"]),
        (("--select", "TST4"), ["TST406"]),
        (("--select", "TST2,TST4", "--ignore", "TST20"), ["TST406"]),
        (("--ignore", "TST2"), ["TST406"]),
        (("--ignore", "TST406", "--ignore", "TST201"), []),
        (("--select", "tst201"), ["TST201"]),
        (("--select", "TST201", "--extend-select", "TST406"), ["TST201", "TST406"]),
    ],
)
def test_select_and_ignore_take_codes_and_prefixes(project, write, run, options, expected):
    write({"tests/test_mixed.py": ASYNC_AND_SLEEPY})
    outcome = run("check", "--format", "json", *options)
    assert codes(outcome.out) == expected


def test_command_line_ignore_adds_to_the_configured_one(project, write, run):
    write({
        "pyproject.toml": '[tool.suitelint]\nignore = ["TST201"]\n',
        "tests/test_mixed.py": ASYNC_AND_SLEEPY,
    })
    assert codes(run("check", "--format", "json").out) == ["TST406"]
    assert codes(run("check", "--format", "json", "--ignore", "TST406").out) == []
    assert codes(run("check", "--format", "json", "--select", "TST2").out) == ["TST201"]


@pytest.mark.parametrize("selector", ["TST9", "TST4066", "XYZ1", "TST40x"])
def test_bad_selector_is_a_usage_error(project, run, selector):
    outcome = run("check", "--select", selector)
    assert outcome.code == 2
    assert selector.upper() in outcome.err
    assert "Traceback" not in outcome.err


def test_per_file_ignores_from_the_configuration(project, write, run):
    write({
        "pyproject.toml": '[tool.suitelint.per-file-ignores]\n"tests/legacy/*" = ["TST4"]\n',
        "tests/legacy/test_old.py": SLEEPY,
        "tests/test_new.py": SLEEPY,
    })
    outcome = run("check", "--format", "concise")
    assert [line.split(":")[0] for line in outcome.out.splitlines()] == ["tests/test_new.py"]


@pytest.mark.parametrize(
    ("comment", "suppressed"),
    [
        ("# noqa", True),
        ("# noqa: TST406", True),
        ("# noqa: TST4", True),
        ("# NOQA:TST406,TST201", True),
        ("# noqa:TST201 TST406", True),
        ("# noqa: TST201", False),
        ("# noqa: TST405", False),
        ("# no qa", False),
    ],
)
def test_noqa_comments(project, write, run, comment, suppressed):
    write({"tests/test_slow.py": f"import time\n\ndef test_waits():\n    time.sleep(1)  {comment}\n    assert True\n"})
    outcome = run("check", "--format", "json")
    assert codes(outcome.out) == ([] if suppressed else ["TST406"])


def test_statistics_count_per_rule(project, write, run):
    write({"tests/test_a.py": SLEEPY, "tests/test_b.py": ASYNC_AND_SLEEPY})
    outcome = run("check", "--statistics")
    assert outcome.code == 1
    assert outcome.out.splitlines() == ["2  TST406  sleep-in-test", "1  TST201  async-test-without-marker  [*]"]
    data = json.loads(run("check", "--statistics", "--format", "json").out)
    assert data["rules"][0] == {"code": "TST406", "name": "sleep-in-test", "count": 2, "fixable": False}


def test_explicit_file_in_an_excluded_directory_is_checked(project, write, run):
    write({
        "pyproject.toml": '[tool.suitelint]\nextend-exclude = ["tests/generated"]\n',
        "tests/generated/test_gen.py": SLEEPY,
    })
    assert run("check").code == 0
    assert run("check", "tests/generated/test_gen.py").code == 1
    assert run("check", "tests/generated").code == 1


def test_missing_config_file_option(project, run):
    outcome = run("check", "--config", "nope.toml")
    assert outcome.code == 2
    assert outcome.err == "suitelint: error: configuration file does not exist: nope.toml\n"


def test_config_option_replaces_discovery(project, write, run):
    write({"ci.toml": '[tool.suitelint]\nignore = ["TST406"]\n', "tests/test_slow.py": SLEEPY})
    assert run("check").code == 1
    assert run("check", "--config", "ci.toml").code == 0


def test_cache_options_are_accepted(project, write, run):
    write({"tests/test_slow.py": SLEEPY})
    assert run("check", "--no-cache", "--cache-dir", "cache", "--format", "concise").code == 1


def test_parallel_run_matches_serial_run(project, write, run):
    files = {f"tests/test_{i:02d}.py": SLEEPY.replace("1.5", str(i + 1)) for i in range(30)}
    files["tests/test_async.py"] = ASYNC_AND_SLEEPY
    write(files)
    serial = run("check", "--format", "json", "--jobs", "1")
    parallel = run("check", "--format", "json", "--jobs", "2")
    assert serial.code == parallel.code == 1
    assert len(json.loads(serial.out)) == 32
    assert parallel.out == serial.out


def test_version(run):
    outcome = run("--version")
    assert outcome.code == 0
    assert outcome.out.strip() == f"suitelint {__version__}"


def test_no_command_prints_usage(run):
    outcome = run()
    assert outcome.code == 2
    assert "usage: suitelint" in outcome.err


def test_console_entry_points(project, write):
    write({"tests/test_slow.py": SLEEPY})
    module = subprocess.run([sys.executable, "-m", "suitelint", "check", "--format", "concise"],
                            capture_output=True, text=True, cwd=project, check=False)
    assert module.returncode == 1
    assert module.stdout == f"tests/test_slow.py:5:5: TST406 {SLEEP_MESSAGE}\n"
    script = Path(sys.executable).with_name("suitelint")
    if script.exists():
        direct = subprocess.run([str(script), "check", "--format", "concise"],
                                capture_output=True, text=True, cwd=project, check=False)
        assert direct.stdout == module.stdout
