"""``--write-baseline`` / ``--baseline``: recorded findings stay suppressed across unrelated edits."""

from __future__ import annotations

import json

from suitelint.core.baseline import fingerprints
from suitelint.core.diagnostic import Diagnostic, Span

TWO_SLEEPS = """
import time


def test_first():
    time.sleep(1)
    assert True


def test_second():
    time.sleep(2)
    assert True
"""


def _lines(outcome_text: str) -> list[str]:
    return [line.split(": ", 1)[1] for line in outcome_text.splitlines()]


def test_written_baseline_suppresses_the_recorded_findings(project, write, run):
    write({"tests/test_slow.py": TWO_SLEEPS})
    written = run("check", "--write-baseline", "baseline.json")
    assert written.code == 0
    assert "Wrote 2 findings to the baseline" in written.err
    data = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert [(e["path"], e["code"], e["line"]) for e in data["entries"]] == [
        ("tests/test_slow.py", "TST406", 5), ("tests/test_slow.py", "TST406", 10)]
    outcome = run("check", "--baseline", "baseline.json")
    assert outcome.code == 0
    assert outcome.out.strip() == "All checks passed!"


def test_baseline_survives_inserted_lines_and_reports_new_findings(project, write, run):
    write({"tests/test_slow.py": TWO_SLEEPS})
    run("check", "--write-baseline", "baseline.json")
    third = "\n\ndef test_third():\n    time.sleep(3)\n    assert os\n"
    edited = '"""Slow tests."""\n\nimport os\n' + TWO_SLEEPS + third
    write({"tests/test_slow.py": edited})
    outcome = run("check", "--baseline", "baseline.json", "--format", "concise")
    assert outcome.code == 1
    assert _lines(outcome.out) == ["TST406 `time.sleep(3)` sleeps in test `test_third`; "
                                   "fake the clock or wait for the condition instead"]


def test_baseline_paths_are_relative_to_the_baseline_file(project, write, run, monkeypatch):
    write({"tests/test_slow.py": TWO_SLEEPS})
    (project / "ci").mkdir()
    run("check", "--write-baseline", "ci/baseline.json")
    monkeypatch.chdir(project / "tests")
    outcome = run("check", "--baseline", "../ci/baseline.json", ".")
    assert outcome.code == 0


def test_identical_lines_are_counted(project, write, run):
    write({"tests/test_slow.py": TWO_SLEEPS.replace("time.sleep(2)", "time.sleep(1)")})
    run("check", "--write-baseline", "baseline.json")
    third = "\n\ndef test_third():\n    time.sleep(1)\n    assert True\n"
    tripled = TWO_SLEEPS.replace("time.sleep(2)", "time.sleep(1)") + third
    write({"tests/test_slow.py": tripled})
    outcome = run("check", "--baseline", "baseline.json", "--format", "json")
    assert [f["line"] for f in json.loads(outcome.out)] == [15]


def test_stale_entries_are_listed_with_statistics(project, write, run):
    write({"tests/test_slow.py": TWO_SLEEPS})
    run("check", "--write-baseline", "baseline.json")
    write({"tests/test_slow.py": TWO_SLEEPS.replace("    time.sleep(2)\n", "")})
    outcome = run("check", "--baseline", "baseline.json", "--statistics")
    assert outcome.code == 0
    assert "1 stale baseline entry" in outcome.out
    assert "tests/test_slow.py:10 TST406" in outcome.out


def test_unchecked_files_do_not_make_entries_stale(project, write, run):
    write({"tests/test_slow.py": TWO_SLEEPS, "tests/test_ok.py": "def test_ok():\n    assert True\n"})
    run("check", "--write-baseline", "baseline.json")
    outcome = run("check", "--baseline", "baseline.json", "--statistics", "--format", "json", "tests/test_ok.py")
    assert json.loads(outcome.out)["stale_baseline_entries"] == []


def test_unreadable_baseline_is_a_usage_error(project, write, run):
    write({"tests/test_slow.py": TWO_SLEEPS, "bad.json": "{not json"})
    missing = run("check", "--baseline", "missing.json")
    assert missing.code == 2
    assert missing.err == "suitelint: error: baseline file does not exist: missing.json\n"
    malformed = run("check", "--baseline", "bad.json")
    assert malformed.code == 2
    assert "not a suitelint baseline" in malformed.err


def test_fingerprints_ignore_position_and_whitespace():
    def finding(line: int, text: str) -> Diagnostic:
        return Diagnostic("t.py", Span.of(line, 1, line, 2), "TST406", "sleep-in-test", "m", source_line=text)

    moved = fingerprints([finding(3, "time.sleep(1)"), finding(40, "time.sleep(1)")])
    digest = moved[0].split(":")[0]
    assert moved == [f"{digest}:0", f"{digest}:1"]
    assert fingerprints([finding(9, "x  =  f( 1 )")]) == fingerprints([finding(2, "x = f( 1 )   ")])
    assert fingerprints([finding(1, "time.sleep(1)")]) != fingerprints([finding(1, "time.sleep(2)")])
