"""The flake8 plugin reports what ``suitelint check`` reports: same codes, lines, columns, messages."""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from suitelint.adapters import flake8 as plugin_module
from suitelint.adapters.flake8 import Flake8Plugin, workspace_for
from suitelint.config.settings import Settings
from suitelint.core import workspace as workspace_module

REPO = Path(__file__).resolve().parents[2]
Finding = tuple[str, int, int, str, str]  # path, line, column, code, message
FUNCTIONAL = REPO / "tests" / "functional"

SLEEPY = """\
import time


def test_waits():
    label = "café"; time.sleep(1)
    assert label
"""

SAMPLE_TREE = {
    "pytest.ini": "[pytest]\npython_files = test_*.py check_*.py\n",
    "tests/test_sleepy.py": SLEEPY,
    "tests/check_async.py": "import pytest\n\n\nasync def test_async():\n    assert True\n",
    "tests/test_noqa.py": "import time\n\n\ndef test_a():\n"
                          "    time.sleep(1)  # noqa: TST4\n"
                          "    time.sleep(2)  # NOQA:TST406,TST201\n"
                          "    time.sleep(3)  # noqa: TST201\n"
                          "    assert True\n",
    "tests/conftest.py": "import time\n\nimport pytest\n\n\n@pytest.fixture\ndef slow():\n    time.sleep(0.5)\n"
                         "    return 1\n",
    "tests/test_uses_slow.py": "def test_uses_slow(slow):\n    assert slow == 1\n",
    "src/app.py": "import time\n\n\ndef wait():\n    time.sleep(1)\n",
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def run_plugin(path: Path, text: str) -> list[tuple[int, int, str]]:
    lines = text.splitlines(keepends=True)
    found = Flake8Plugin(ast.parse(text), str(path), lines).run()
    return [(line, column, message) for line, column, message, _ in found]


def test_plugin_yields_zero_based_columns_and_coded_messages(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    findings = run_plugin(tmp_path / "test_x.py", SLEEPY)
    assert findings == [(5, 20, "TST406 `time.sleep(1)` sleeps in test `test_waits`; "
                                "fake the clock or wait for the condition instead")]


def test_plugin_leaves_noqa_to_flake8(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    findings = run_plugin(tmp_path / "test_x.py", SLEEPY.replace("time.sleep(1)", "time.sleep(1)  # noqa"))
    assert [code.split()[0] for _, _, code in findings] == ["TST406"]


def test_plugin_reads_tool_suitelint(tmp_path, monkeypatch):
    write_tree(tmp_path, {"pyproject.toml": '[tool.suitelint]\nignore = ["TST406"]\n'})
    monkeypatch.chdir(tmp_path)
    assert run_plugin(tmp_path / "test_x.py", SLEEPY) == []


def test_one_workspace_per_process_and_settings_read_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(plugin_module, "_WORKSPACES", {})
    calls: list[Path] = []
    real_load = workspace_module.settings_from

    def counting_load(config_file: Path | None, start: Path) -> Settings:
        calls.append(start)
        return real_load(config_file, start)

    monkeypatch.setattr(workspace_module, "settings_from", counting_load)
    for name in ("test_a.py", "test_b.py", "test_c.py"):
        run_plugin(tmp_path / name, SLEEPY)
    assert workspace_for(tmp_path.resolve()) is workspace_for(tmp_path.resolve())
    assert len(calls) == 1


def flake8(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flake8", "--select=TST", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, check=False)


def test_stdin(tmp_path):
    named = flake8(tmp_path, "--stdin-display-name", "tests/test_piped.py", "-", stdin=SLEEPY)
    assert named.stdout.startswith("tests/test_piped.py:5:21: TST406 `time.sleep(1)`")
    anonymous = flake8(tmp_path, "-", stdin=SLEEPY)
    assert anonymous.returncode == 0, anonymous.stderr  # "stdin" is not a test module: nothing to report
    assert anonymous.stdout == ""


def parse(output: str) -> set[Finding]:
    findings = set()
    for line in output.splitlines():
        path, line_no, column, rest = line.split(":", 3)
        code, message = rest.strip().split(" ", 1)
        findings.add((path.removeprefix("./"), int(line_no), int(column), code, message))
    return findings


def functional_trees() -> list[Path]:
    if not FUNCTIONAL.is_dir():
        return []
    return [tree for tree in sorted(FUNCTIONAL.iterdir()) if tree.is_dir() and any(tree.rglob("*.py"))]


def python_files(cwd: Path, roots: list[Path]) -> list[str]:
    """Every Python file under ``roots``, relative to ``cwd``: named explicitly, both tools check the same set."""
    return sorted({path.relative_to(cwd).as_posix() for root in roots for path in root.rglob("*.py")
                   if "__pycache__" not in path.parts})


def both_tools(cwd: Path, files: list[str]) -> tuple[set[Finding], set[Finding]]:
    via_flake8 = flake8(cwd, "-j", "2", *files)
    assert via_flake8.stderr == ""
    via_cli = subprocess.run([sys.executable, "-m", "suitelint", "check", "--format", "concise", *files],
                             cwd=cwd, capture_output=True, text=True, check=False)
    assert via_cli.returncode in (0, 1), via_cli.stderr
    from_cli = {finding for finding in parse(via_cli.stdout) if finding[3] != "TST001"}  # flake8 says E999
    return parse(via_flake8.stdout), from_cli


def test_flake8_and_suitelint_check_agree_on_a_sample_tree(tmp_path):
    root = write_tree(tmp_path / "sample", SAMPLE_TREE)
    from_flake8, from_cli = both_tools(root, python_files(root, [root]))
    assert from_flake8 == from_cli
    assert {(path, line, column, code) for path, line, column, code, _ in from_cli} == {
        ("tests/test_sleepy.py", 5, 21, "TST406"),  # a codepoint column after a non-ASCII character
        ("tests/check_async.py", 4, 1, "TST201"),  # python_files from pytest.ini
        ("tests/test_noqa.py", 7, 5, "TST406"),
        ("tests/conftest.py", 8, 5, "TST406"),
    }


@pytest.mark.skipif(not functional_trees(), reason="no functional trees under tests/functional yet")
def test_flake8_and_suitelint_check_agree_on_the_functional_trees():
    from_flake8, from_cli = both_tools(REPO, python_files(REPO, functional_trees()))
    assert from_flake8 == from_cli
    assert from_cli, "the functional trees hold findings to compare"


class LintCounter:
    """Counts the files the plugin lints (rather than answering from the results cache)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = plugin_module.lint_file

        def counting(*args: object, **kwargs: object) -> object:
            self.count += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(plugin_module, "lint_file", counting)


def fresh_plugin_state(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugin_module, "_WORKSPACES", {})
    monkeypatch.setattr(plugin_module, "_CACHES", {})
    monkeypatch.setattr(Flake8Plugin, "prelinted", None)


def test_unchanged_files_are_answered_from_the_cache(tmp_path, monkeypatch):
    write_tree(tmp_path, {"pytest.ini": "[pytest]\n", "test_x.py": SLEEPY})
    monkeypatch.chdir(tmp_path)
    counter = LintCounter(monkeypatch)
    fresh_plugin_state(monkeypatch)
    first = run_plugin(tmp_path / "test_x.py", SLEEPY)
    fresh_plugin_state(monkeypatch)  # a later flake8 run: new processes
    second = run_plugin(tmp_path / "test_x.py", SLEEPY)
    assert counter.count == 1 and first == second and first
    # a text that is not the file on disk (an editor buffer) is linted, never answered from the cache
    assert run_plugin(tmp_path / "test_x.py", SLEEPY.replace("time.sleep(1)", "pass")) == []
    assert counter.count == 2


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    write_tree(tmp_path, {"pytest.ini": "[pytest]\n", "test_x.py": SLEEPY})
    monkeypatch.chdir(tmp_path)
    counter = LintCounter(monkeypatch)
    monkeypatch.setattr(Flake8Plugin, "no_cache", False)
    monkeypatch.setattr(Flake8Plugin, "cache_dir", None)
    Flake8Plugin.parse_options(argparse.Namespace(suitelint_no_cache=True, suitelint_cache_dir=None))
    for _ in range(2):
        fresh_plugin_state(monkeypatch)
        run_plugin(tmp_path / "test_x.py", SLEEPY)
    assert counter.count == 2
    assert not (tmp_path / ".suitelint_cache").exists()


def test_flake8_options_for_the_cache(tmp_path):
    write_tree(tmp_path, {"pytest.ini": "[pytest]\n", "test_x.py": SLEEPY})
    off = flake8(tmp_path, "--suitelint-no-cache", "test_x.py")
    assert off.stderr == "" and "TST406" in off.stdout
    assert not (tmp_path / ".suitelint_cache").exists()
    moved = flake8(tmp_path, "--suitelint-cache-dir", str(tmp_path / "elsewhere"), "test_x.py")
    assert moved.stdout == off.stdout
    assert (tmp_path / "elsewhere" / "results-flake8").is_dir()
    assert flake8(tmp_path, "--suitelint-cache-dir", str(tmp_path / "elsewhere"), "test_x.py").stdout == off.stdout


# -- summaries computed before flake8 forks its workers ------------------------------------------
MANY_TESTS = {
    "pytest.ini": "[pytest]\n",
    "tests/conftest.py": "import pytest\n\n\n@pytest.fixture\ndef db():\n    return 1\n\n\n"
                         "@pytest.fixture\ndef orphan():\n    return 2\n",
    **{f"tests/test_many_{index}.py": f"def test_{index}(db, dbb):\n    assert db\n" for index in range(45)},
}


def test_files_linted_ahead_answer_flake8s_workers_while_unchanged(tmp_path, monkeypatch):
    from suitelint.core import prelint
    from suitelint.core.runner import WorkspaceSpec

    root = write_tree(tmp_path, {**MANY_TESTS, "tests/test_many_0.py": "def test_0(db, dbb):  # noqa\n    assert db\n"})
    monkeypatch.chdir(root)
    conftest, noqa = root / "tests" / "conftest.py", root / "tests" / "test_many_0.py"
    conftest.write_bytes(conftest.read_bytes().replace(b"\n", b"\r\n"))  # flake8 reads it as \n lines
    files = sorted(path.resolve() for path in (root / "tests").glob("*.py"))
    spec = WorkspaceSpec(cwd=root, no_cache=True, apply_noqa=False)
    assert prelint.prelint(files, 1, spec) is None  # one job: flake8 lints in this process anyway
    assert prelint.prelint(files[:10], 2, spec) is None  # few files: not worth a pool
    ahead = prelint.prelint(files, 2, spec)
    assert ahead is not None and set(ahead.findings) == set(files)
    fresh_plugin_state(monkeypatch)
    monkeypatch.setattr(Flake8Plugin, "prelinted", ahead)
    counter = LintCounter(monkeypatch)

    def codes(path: Path) -> list[str]:
        return [message.split()[0] for _, _, message in run_plugin(path, path.read_text(encoding="utf-8"))]

    # the unused-fixture verdict read every test module's requests; noqa comments are flake8's to apply
    assert codes(conftest) == ["TST504"]
    assert codes(noqa) == ["TST501"]
    assert counter.count == 0
    # a text that is not the one linted (an editor buffer, a file edited since) is linted afresh
    assert run_plugin(noqa, "def test_0(db):\n    assert db\n") == []
    noqa.write_text("def test_0(db, dbbb):\n    assert db\n", encoding="utf-8")
    assert codes(noqa) == ["TST501"]
    assert counter.count == 2


def test_flake8_with_workers_agrees_with_suitelint_check_on_many_files(tmp_path):
    root = write_tree(tmp_path / "many", MANY_TESTS)
    files = python_files(root, [root])
    via_flake8 = flake8(root, "-j", "2", "--suitelint-no-cache", *files)
    assert via_flake8.stderr == ""
    via_cli = subprocess.run([sys.executable, "-m", "suitelint", "check", "--format", "concise", "--no-cache",
                              *files], cwd=root, capture_output=True, text=True, check=False)
    assert parse(via_flake8.stdout) == parse(via_cli.stdout)
    assert {code for _, _, _, code, _ in parse(via_cli.stdout)} == {"TST501", "TST504"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_broken_configuration_stops_flake8_with_its_file_and_key(tmp_path, jobs):
    root = write_tree(tmp_path, {**MANY_TESTS, "pyproject.toml": "[tool.suitelint]\nbogus-key = 1\n"})
    run = flake8(root, "-j", jobs, "--suitelint-no-cache", "tests")
    assert run.returncode == 2
    assert "pyproject.toml: unknown key 'bogus-key' in [tool.suitelint]" in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""


def test_a_broken_configuration_of_the_piped_files_directory_stops_flake8(tmp_path):
    root = write_tree(tmp_path, {"sub/pyproject.toml": "[tool.suitelint]\nbogus-key = 1\n"})
    run = flake8(root, "--stdin-display-name", "sub/test_piped.py", "-", stdin=SLEEPY)
    assert run.returncode == 2
    assert "sub/pyproject.toml: unknown key 'bogus-key' in [tool.suitelint]" in run.stderr
    assert "Traceback" not in run.stderr
