"""SARIF, GitHub workflow commands and the text reporter's colour and source frames."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from suitelint.core.baseline import fingerprints
from suitelint.core.diagnostic import Diagnostic, Span
from suitelint.core.registry import REGISTRY
from suitelint.reporting import FORMATS, Report, get_reporter
from suitelint.reporting.console import wants_color
from suitelint.reporting.github import command, escape_data, escape_property
from suitelint.reporting.progress import LazyProgress
from suitelint.reporting.text import frame

SLEEPY = "import time\n\n\ndef test_waits():\n    time.sleep(1.5)\n    assert True\n"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_sarif_log_for_github_code_scanning(project, write, run):
    write({"tests/test_slow.py": SLEEPY, "tests/test_two words.py": SLEEPY})
    outcome = run("check", "--format", "sarif")
    assert outcome.code == 1
    log = json.loads(outcome.out)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    (sarif_run,) = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "suitelint"
    assert driver["informationUri"] == "https://github.com/suitelint/suitelint"
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == REGISTRY.codes()
    sleep_rule = rules[REGISTRY.codes().index("TST406")]
    assert sleep_rule["name"] == "sleep-in-test"
    assert sleep_rule["helpUri"] == "https://github.com/suitelint/suitelint/blob/main/docs/rules/TST406.md"
    assert sleep_rule["shortDescription"]["text"].startswith("Flags `time.sleep(...)`")
    assert sleep_rule["fullDescription"]["text"]
    assert sleep_rule["defaultConfiguration"]["level"] == "warning"
    assert sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"
    results = sarif_run["results"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results] == [
        "tests/test_slow.py", "tests/test_two%20words.py"]
    first = results[0]
    assert first["ruleId"] == "TST406"
    assert rules[first["ruleIndex"]]["id"] == "TST406"
    assert first["level"] == "warning"
    assert first["message"]["text"].startswith("`time.sleep(1.5)` sleeps in test `test_waits`")
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert location["region"] == {"startLine": 5, "startColumn": 5, "endLine": 5, "endColumn": 20}
    assert set(first["partialFingerprints"]) == {"suitelint/v1"}
    assert results[0]["partialFingerprints"] == results[1]["partialFingerprints"]  # same line text, other file


def test_sarif_fingerprints_are_the_baseline_fingerprints(project, write, run):
    write({"tests/test_slow.py": SLEEPY})
    log = json.loads(run("check", "--format", "sarif").out)
    json_findings = json.loads(run("check", "--format", "json").out)
    diagnostic = Diagnostic.from_json(json_findings[0])
    expected = fingerprints([Diagnostic(diagnostic.path, diagnostic.span, diagnostic.code, diagnostic.rule,
                                        diagnostic.message, source_line="time.sleep(1.5)")])
    assert log["runs"][0]["results"][0]["partialFingerprints"]["suitelint/v1"] == expected[0]


def test_github_workflow_commands(project, write, run):
    write({"tests/test_a,b.py": SLEEPY, "tests/bad.py": "def broken(:\n"})
    outcome = run("check", "--format", "github")
    assert outcome.code == 1
    assert outcome.out.splitlines() == [
        "::error file=tests/bad.py,line=1,col=12,endLine=1,endColumn=13,title=TST001 (syntax-error)"
        "::syntax error: invalid syntax ('def broken(:')",
        "::warning file=tests/test_a%2Cb.py,line=5,col=5,endLine=5,endColumn=20,title=TST406 (sleep-in-test)"
        "::`time.sleep(1.5)` sleeps in test `test_waits`; fake the clock or wait for the condition instead",
    ]


def test_github_escaping():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    diagnostic = Diagnostic("src/x:y.py", Span.of(2, 3, 4, 5), "TST406", "sleep-in-test", "line one\nline: two, 50%")
    assert command(diagnostic) == ("::warning file=src/x%3Ay.py,line=2,col=3,endLine=4,endColumn=5,"
                                   "title=TST406 (sleep-in-test)::line one%0Aline: two, 50%25")


def test_every_format_has_a_reporter():
    report = Report(diagnostics=[], files_checked=0, cwd=Path.cwd())
    outputs = {}
    for name in FORMATS:
        stream = io.StringIO()
        get_reporter(name).write(report, stream, color=False)
        outputs[name] = stream.getvalue()
    assert outputs["text"] == "All checks passed!\n"
    assert outputs["concise"] == outputs["github"] == ""
    assert json.loads(outputs["json"]) == []
    assert json.loads(outputs["sarif"])["runs"][0]["results"] == []
    with pytest.raises(ValueError, match="unknown output format"):
        get_reporter("xml")


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert wants_color(FakeTerminal())
    assert not wants_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_color(FakeTerminal())


def test_text_reporter_colours_when_asked():
    diagnostic = Diagnostic("t.py", Span.of(1, 1, 1, 6), "TST406", "sleep-in-test", "a [bold]message[/bold]")
    report = Report(diagnostics=[diagnostic], files_checked=1, cwd=Path.cwd(), sources={"t.py": "sleep(1)\n"})
    coloured, plain = FakeTerminal(), io.StringIO()
    get_reporter("text").write(report, coloured, color=True)
    get_reporter("text").write(report, plain, color=False)
    assert "\x1b[" in coloured.getvalue()
    assert "\x1b[" not in plain.getvalue()
    assert plain.getvalue().splitlines()[0] == "t.py:1:1 TST406 a [bold]message[/bold]"


@pytest.mark.parametrize(
    ("source", "span", "expected"),
    [
        ("    time.sleep(1)", Span.of(1, 5, 1, 18), "  |     " + "^" * 13),
        ("\tx = 1", Span.of(1, 2, 1, 3), "  |     ^"),  # a tab is four columns
        ("s = '日本' + x", Span.of(1, 12, 1, 13), "  | " + " " * 13 + "^"),  # wide characters take two
        ("call(", Span.of(1, 1, 3, 2), "  | ^^^^^"),  # a multi-line span: to the end of the first line
    ],
)
def test_caret_underlines_the_span(source, span, expected):
    diagnostic = Diagnostic("t.py", span, "TST406", "sleep-in-test", "m")
    lines = frame(diagnostic, [source])
    assert lines[2].plain == expected


def test_progress_bar_only_on_a_terminal_and_only_for_long_runs():
    pipe = io.StringIO()
    with LazyProgress(100, pipe, delay=0) as progress:
        progress.update(50)
    assert pipe.getvalue() == ""
    short = FakeTerminal()
    with LazyProgress(100, short, delay=3600) as progress:
        progress.update(50)
    assert short.getvalue() == ""
    long = FakeTerminal()
    with LazyProgress(100, long, delay=0) as progress:
        progress.update(50)
    assert "50/100" in long.getvalue()


def test_no_python_files_is_a_warning(project, run):
    outcome = run("check")
    assert outcome.code == 0
    assert outcome.err == "suitelint: warning: no Python files found\n"
