"""suitelint never runs the code it checks: not through ``suitelint check``, flake8 or the language server.

The project below would leave a marker file if any of its modules were
imported or run: conftest.py (which also calls ``sys.exit``), a pytest plugin
named in ``pytest_plugins``, a package and source module imported by the
tests (raising at import), ``setup.py``, and C extensions next to the tests
(compiled when a C compiler is available).  One of the extensions is named
like a standard-library module (``winreg``): astroid imports such modules
for real, and under ``python -m`` the working directory comes first on
``sys.path``, so before the import blocker of ``suitelint.core.guards`` it
was loaded from the checked project.  Every front end is run from the
project's root with all rules selected.
"""

from __future__ import annotations

import importlib
import json
import os
import queue
import shutil
import subprocess
import sys
import sysconfig
import threading
from pathlib import Path
from typing import Any, Callable

import pytest
from robustness_support import workspace_for, write_tree

from suitelint.core import guards
from suitelint.core.engine import lint_file

EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
TIMEOUT = 120


def marker_code(markers: Path, name: str) -> str:
    return f"open({str(markers / name)!r}, 'w').close()\n"


def extension_source(module: str, marker: Path) -> str:
    return f"""
#include <Python.h>
#include <stdio.h>
static struct PyModuleDef definition = {{PyModuleDef_HEAD_INIT, "{module}", NULL, -1, NULL}};
PyMODINIT_FUNC PyInit_{module}(void) {{
    FILE *handle = fopen("{marker}", "w");
    if (handle) {{ fputs("executed", handle); fclose(handle); }}
    return PyModule_Create(&definition);
}}
"""


def compile_extension(module: str, marker: Path, target_dirs: list[Path], work: Path) -> bool:
    """Build a C extension that leaves ``marker`` when imported; False without a compiler."""
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    include = sysconfig.get_paths().get("include")
    if compiler is None or not include or not (Path(include) / "Python.h").is_file():
        return False
    source = work / f"{module}.c"
    source.write_text(extension_source(module, marker), encoding="utf-8")
    built = work / f"{module}{EXT_SUFFIX}"
    completed = subprocess.run([compiler, "-shared", "-fPIC", f"-I{include}", str(source), "-o", str(built)],
                               capture_output=True, text=True, timeout=TIMEOUT)
    if completed.returncode != 0:
        return False
    for directory in target_dirs:
        shutil.copy(built, directory / built.name)
    return True


TEST_MODULE = """\
import asyncio
import time
from unittest import mock

import fastext
import myplugin
import winreg
from pkg import source
from pkg.source import Base, helper


pytestmark = mock.patch("pkg.source.helper")


class TestRunner(Base):
    async def test_loop(self):
        runner = winreg.make_runner()
        runner.run_until_complete(source.fetch())
        other = fastext.make_loop()
        other.run_until_complete(helper())
        assert runner


class TestExtension(winreg.Base):
    async def test_method(self):
        assert fastext.VALUE


@mock.patch("pkg.source.helper")
@mock.patch("winreg.OpenKey")
def test_patched(patched, key):
    time.sleep(1)
    assert source.helper() is patched
"""


@pytest.fixture(scope="module")
def booby_trapped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, bool]:
    base = tmp_path_factory.mktemp("never_executed")
    markers = base / "markers"
    markers.mkdir()
    root = base / "project"
    trap = lambda name: marker_code(markers, name)  # noqa: E731
    write_tree(root, {
        "pytest.ini": "[pytest]\nasyncio_mode = auto\n",
        "setup.py": trap("setup") + "import sys\nsys.exit('setup.py was run')\n",
        "myplugin.py": trap("plugin") + "raise RuntimeError('the plugin was imported')\n",
        "pkg/__init__.py": trap("package") + "raise ImportError('the package was imported')\n",
        "pkg/source.py": trap("source") + (
            "import sys\nsys.exit('the source module was imported')\n\n\n"
            "class Base:\n    pass\n\n\ndef helper():\n    return 1\n\n\nasync def fetch():\n    return 2\n"),
        "tests/conftest.py": trap("conftest") + (
            "import sys\n\nimport pytest\n\npytest_plugins = ['myplugin']\n\nsys.exit('conftest.py was imported')\n\n\n"
            "@pytest.fixture\ndef db():\n    return 1\n"),
        "tests/test_trapped.py": trap("test_module") + TEST_MODULE,
    })
    # enough test modules for a real process pool (runner.MIN_FILES_FOR_POOL)
    for index in range(24):
        write_tree(root, {f"tests/test_more_{index}.py": trap(f"test_more_{index}") + TEST_MODULE})
    work = base / "build"
    work.mkdir()
    compiled = compile_extension("winreg", markers / "extension_winreg", [root, root / "tests"], work)
    compiled = compile_extension("fastext", markers / "extension_fastext", [root, root / "tests"], work) and compiled
    if not compiled:  # no compiler: files with extension names at least (importing them would fail loudly)
        for directory in (root, root / "tests"):
            for module in ("winreg", "fastext"):
                (directory / f"{module}{EXT_SUFFIX}").write_bytes(b"\x7fELF not really a shared object")
    return root, markers, compiled


def no_markers(markers: Path) -> None:
    assert sorted(path.name for path in markers.iterdir()) == []


def run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, env=env)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_suitelint_check_runs_nothing(booby_trapped: tuple[Path, Path, bool], jobs: str) -> None:
    root, markers, _ = booby_trapped
    # `python -m` puts the project's root first on sys.path: the worst case
    completed = run([sys.executable, "-m", "suitelint", "check", "--select", "ALL", "--no-cache", "--jobs", jobs,
                     "--format", "json", "."], root)
    assert "Traceback" not in completed.stderr, completed.stderr
    assert completed.returncode == 1, completed.stderr
    findings = json.loads(completed.stdout)
    assert {f["path"] for f in findings if f["code"] == "TST406"} >= {"tests/test_trapped.py"}
    assert [f for f in findings if f["code"] == "TST002"] == []
    no_markers(markers)


def test_the_console_script_with_its_cache_runs_nothing(
        booby_trapped: tuple[Path, Path, bool], tmp_path: Path) -> None:
    root, markers, _ = booby_trapped
    script = Path(sys.executable).with_name("suitelint")
    if not script.exists():
        pytest.skip("the suitelint console script is not installed next to the interpreter")
    for _ in range(2):  # cold, then warm cache
        completed = run([str(script), "check", "--select", "ALL", "--cache-dir", str(tmp_path / "cache"),
                         "--format", "concise", "tests/test_trapped.py", "setup.py", "pkg", "myplugin.py"], root)
        assert "Traceback" not in completed.stderr, completed.stderr
        assert "tests/test_trapped.py" in completed.stdout
    no_markers(markers)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_flake8_runs_nothing(booby_trapped: tuple[Path, Path, bool], jobs: str) -> None:
    root, markers, _ = booby_trapped
    completed = run([sys.executable, "-m", "flake8", "--select=TST", f"--jobs={jobs}", "."], root)
    assert "Traceback" not in completed.stderr, completed.stderr
    assert "tests/test_trapped.py" in completed.stdout and "TST406" in completed.stdout, completed.stdout
    assert "TST002" not in completed.stdout
    no_markers(markers)


def test_linting_in_process_refuses_the_extension_named_like_the_standard_library(
        booby_trapped: tuple[Path, Path, bool], monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-process view of the same run: astroid asked for ``winreg`` and was refused."""
    root, markers, compiled = booby_trapped
    monkeypatch.syspath_prepend(str(root / "tests"))  # as if the tests directory were the working directory
    monkeypatch.syspath_prepend(str(root))
    workspace = workspace_for(root)
    for relpath in ("tests/test_trapped.py", "tests/conftest.py", "pkg/source.py", "pkg/__init__.py",
                    "setup.py", "myplugin.py"):
        result = lint_file(root / relpath, workspace)
        assert [d for d in result.diagnostics if d.code == "TST002"] == []
    no_markers(markers)
    if compiled:
        # astroid up to 4.3 imports a compiled module named like a standard-library one (and the
        # blocker refused it above); astroid 4.4 builds an empty module without importing it.
        # Either way, an import of the project's extension is refused while guarded:
        with guards.no_imports(), pytest.raises(ImportError, match="never imports"):
            importlib.import_module("winreg")
        assert "winreg" in guards.refused_imports()
    for name in ("winreg", "fastext", "myplugin", "pkg", "pkg.source", "conftest"):
        assert name not in sys.modules or not str(getattr(sys.modules[name], "__file__", "")).startswith(str(root))


# -- the language server ------------------------------------------------------------------------------
class StdioClient:
    """Just enough JSON-RPC over stdio to open documents and wait for diagnostics."""

    def __init__(self, argv: list[str], cwd: Path) -> None:
        env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        self.process = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=env)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is None:
                return
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method: str, params: Any) -> int:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def wait_for(self, wanted: Callable[[dict[str, Any]], bool], timeout: float = 60.0) -> dict[str, Any]:
        while True:
            message = self.messages.get(timeout=timeout)
            if "method" in message and "id" in message:  # a request from the server: answer plainly
                result: Any = None
                if message["method"] == "workspace/configuration":
                    result = [None for _ in message.get("params", {}).get("items", [])]
                self.send({"id": message["id"], "result": result})
                continue
            if wanted(message):
                return message


def test_a_language_server_session_runs_nothing(booby_trapped: tuple[Path, Path, bool]) -> None:
    pytest.importorskip("pygls")
    pytest.importorskip("lsprotocol")
    root, markers, _ = booby_trapped
    if not (Path(__file__).parents[2] / "src/suitelint/lsp/server.py").exists():
        pytest.skip("the language server is not there yet")
    client = StdioClient([sys.executable, "-m", "suitelint.lsp.server"], root)
    try:
        init = client.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(),
                                             "workspaceFolders": [{"uri": root.as_uri(), "name": "project"}],
                                             "capabilities": {}})
        client.wait_for(lambda m: m.get("id") == init)
        client.notify("initialized", {})
        opened = ["tests/test_trapped.py", "tests/conftest.py", "pkg/source.py", "setup.py", "myplugin.py"]
        for relpath in opened:
            path = root / relpath
            client.notify("textDocument/didOpen", {"textDocument": {
                "uri": path.as_uri(), "languageId": "python", "version": 1,
                "text": path.read_text(encoding="utf-8")}})
        published = client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                    and m["params"]["uri"] == (root / opened[0]).as_uri())
        codes = {d.get("code") for d in published["params"]["diagnostics"]}
        assert "TST406" in codes and "TST002" not in codes
        shutdown = client.request("shutdown", None)
        client.wait_for(lambda m: m.get("id") == shutdown)
        client.notify("exit", None)
        client.process.wait(timeout=TIMEOUT)
    finally:
        if client.process.poll() is None:
            client.process.kill()
            client.process.wait()
    stderr = client.process.stderr.read().decode("utf-8", "replace") if client.process.stderr else ""
    assert "Traceback" not in stderr, stderr
    no_markers(markers)
