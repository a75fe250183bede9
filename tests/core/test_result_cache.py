"""The results cache: warm runs reuse findings, edits invalidate exactly their dependents."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import suitelint.core.runner as runner_module
from suitelint.core.discovery import discover
from suitelint.core.result_cache import ResultCache
from suitelint.core.runner import RunResult, WorkspaceSpec, lint_paths


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _bump(path: Path, text: str) -> None:
    """Rewrite a file and make sure its stamp moves even on coarse clocks."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


class Counter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.linted: list[str] = []
        original = runner_module.lint_file

        def counting(path: Path, *args: object, **kwargs: object) -> object:
            self.linted.append(path.name if path.name != "conftest.py" else path.parent.name + "/conftest.py")
            return original(path, *args, **kwargs)

        monkeypatch.setattr(runner_module, "lint_file", counting)


def _run(root: Path, cache_dir: Path | None) -> RunResult:
    spec = WorkspaceSpec(cwd=root, cache_dir=cache_dir, no_cache=cache_dir is None)
    workspace = spec.build()
    paths = discover(["."], workspace)
    return lint_paths(paths, workspace, jobs=1, cache_factory=None if cache_dir is None else ResultCache)


def _codes(run: RunResult) -> list[tuple[str, int, str]]:
    return [(d.path, d.line, d.code) for d in run.diagnostics]


PROJECT = {
    "pytest.ini": "[pytest]\n",
    "tests/conftest.py": "import pytest\n\n@pytest.fixture\ndef db():\n    return object()\n",
    "tests/api/test_users.py": "def test_users(db):\n    assert db\n",
    "other/test_misc.py": "import time\n\ndef test_misc():\n    time.sleep(1)\n    assert True\n",
}


def test_warm_run_reuses_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, PROJECT)
    cold = _run(tmp_path, tmp_path / ".cache")
    counter = Counter(monkeypatch)
    warm = _run(tmp_path, tmp_path / ".cache")
    assert counter.linted == []
    assert _codes(warm) == _codes(cold)
    assert ("other/test_misc.py", 4, "TST406") in _codes(warm)


def test_cached_and_uncached_findings_are_identical(tmp_path: Path) -> None:
    _write(tmp_path, PROJECT)
    _run(tmp_path, tmp_path / ".cache")
    assert _codes(_run(tmp_path, tmp_path / ".cache")) == _codes(_run(tmp_path, None))


def test_editing_a_conftest_relints_its_dependents_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, PROJECT)
    assert not [c for c in _codes(_run(tmp_path, tmp_path / ".cache")) if c[2] == "TST501"]
    _bump(tmp_path / "tests/conftest.py", "import pytest\n\n@pytest.fixture\ndef database():\n    return object()\n")
    counter = Counter(monkeypatch)
    warm = _run(tmp_path, tmp_path / ".cache")
    assert ("tests/api/test_users.py", 1, "TST501") in _codes(warm)
    assert "test_misc.py" not in counter.linted
    assert set(counter.linted) == {"tests/conftest.py", "test_users.py"}


def test_a_new_conftest_invalidates_files_below_it(tmp_path: Path) -> None:
    files = dict(PROJECT)
    files["tests/conftest.py"] = "import pytest\n"
    _write(tmp_path, files)
    assert ("tests/api/test_users.py", 1, "TST501") in _codes(_run(tmp_path, tmp_path / ".cache"))
    _write(tmp_path, {"tests/api/conftest.py": "import pytest\n\n@pytest.fixture\ndef db():\n    return 1\n"})
    assert ("tests/api/test_users.py", 1, "TST501") not in _codes(_run(tmp_path, tmp_path / ".cache"))


def test_editing_pyproject_invalidates_findings(tmp_path: Path) -> None:
    _write(tmp_path, PROJECT)
    assert ("other/test_misc.py", 4, "TST406") in _codes(_run(tmp_path, tmp_path / ".cache"))
    _bump(tmp_path / "pyproject.toml", '[tool.suitelint]\nignore = ["TST406"]\n')
    assert ("other/test_misc.py", 4, "TST406") not in _codes(_run(tmp_path, tmp_path / ".cache"))


def test_editing_pytest_config_invalidates_findings(tmp_path: Path) -> None:
    files = dict(PROJECT)
    files["tests/test_async.py"] = "async def test_a():\n    assert True\n"
    _write(tmp_path, files)
    assert ("tests/test_async.py", 1, "TST201") in _codes(_run(tmp_path, tmp_path / ".cache"))
    _bump(tmp_path / "pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    assert ("tests/test_async.py", 1, "TST201") not in _codes(_run(tmp_path, tmp_path / ".cache"))


def test_editing_an_imported_module_invalidates_importers(tmp_path: Path) -> None:
    files = dict(PROJECT)
    files["app/__init__.py"] = ""
    files["app/config.py"] = "DEBUG = False\n"
    files["tests/test_config.py"] = "from app.config import DEBUG\n\ndef test_debug():\n    assert DEBUG is False\n"
    _write(tmp_path, files)
    assert not [c for c in _codes(_run(tmp_path, tmp_path / ".cache")) if c[0] == "tests/test_config.py"]
    _bump(tmp_path / "app/config.py", "import ray\n\nray.init()\nDEBUG = False\n")
    found = _codes(_run(tmp_path, tmp_path / ".cache"))
    assert ("tests/test_config.py", 1, "TST102") in found


SUITE = {
    "pytest.ini": "[pytest]\n",
    "tests/conftest.py": "import pytest\n\n@pytest.fixture\ndef helper():\n    return 1\n",
    "tests/test_a.py": "def test_a(helper):\n    assert helper\n",
    "tests/test_b.py": "def test_b():\n    assert True\n",
}


def test_an_edit_outside_every_summary_relints_only_the_edited_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The conftest's TST504 verdict reads test_a.py through its summary: a comment cannot change it."""
    _write(tmp_path, SUITE)
    assert not [c for c in _codes(_run(tmp_path, tmp_path / ".cache")) if c[2] == "TST504"]
    _bump(tmp_path / "tests/test_a.py", SUITE["tests/test_a.py"] + "# a trailing comment\n")
    counter = Counter(monkeypatch)
    found = _codes(_run(tmp_path, tmp_path / ".cache"))
    assert counter.linted == ["test_a.py"]
    assert not [c for c in found if c[2] == "TST504"]


def test_an_edit_that_changes_a_summary_relints_its_dependents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, SUITE)
    _run(tmp_path, tmp_path / ".cache")
    _bump(tmp_path / "tests/test_a.py", "def test_a():\n    assert True\n")
    counter = Counter(monkeypatch)
    found = _codes(_run(tmp_path, tmp_path / ".cache"))
    assert "tests/conftest.py" in counter.linted and "test_a.py" in counter.linted
    assert "test_b.py" not in counter.linted
    assert ("tests/conftest.py", 4, "TST504") in found
    assert found == _codes(_run(tmp_path, None))


def test_files_of_one_suite_share_their_dependency_groups(tmp_path: Path) -> None:
    files = dict(SUITE)
    for i in range(20):
        files[f"tests/test_more_{i}.py"] = f"def test_{i}(helper):\n    assert helper\n"
    _write(tmp_path, files)
    _run(tmp_path, tmp_path / ".cache")
    blobs = list((tmp_path / ".cache" / "depgroups").rglob("*.pickle"))
    assert 1 <= len(blobs) <= 3  # one per suite-wide view, not one per file
    _bump(tmp_path / "tests/test_more_3.py", files["tests/test_more_3.py"] + "\n# done\n")
    assert _codes(_run(tmp_path, tmp_path / ".cache")) == _codes(_run(tmp_path, None))


# -- a run's entries in one file ---------------------------------------------------------------
def _pack_files(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "result-packs").rglob("*.pickle"))


def _entry_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The per-file entries of kind ``results`` read from disk from now on."""
    from suitelint.core import store as store_module

    reads: list[str] = []
    original = store_module.Store._entry_path

    def counting(self: object, kind: str, path: Path) -> Path:
        if kind == "results":
            reads.append(Path(path).name)
        return original(self, kind, path)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module.Store, "_entry_path", counting)
    return reads


def test_a_warm_run_reads_its_entries_from_one_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, PROJECT)
    cold = _run(tmp_path, tmp_path / ".cache")
    assert len(_pack_files(tmp_path / ".cache")) == 1
    reads = _entry_reads(monkeypatch)
    counter = Counter(monkeypatch)
    warm = _run(tmp_path, tmp_path / ".cache")
    assert (reads, counter.linted) == ([], [])
    assert _codes(warm) == _codes(cold)


def test_an_edited_file_is_not_answered_by_the_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, PROJECT)
    _run(tmp_path, tmp_path / ".cache")
    pack = _pack_files(tmp_path / ".cache")[0].read_bytes()
    _bump(tmp_path / "other/test_misc.py", "def test_misc():\n    assert True\n")
    counter = Counter(monkeypatch)
    edited = _run(tmp_path, tmp_path / ".cache")
    # (the conftest's unused-fixture verdict reads the requests of every test module)
    relinted = ["test_misc.py", "tests/conftest.py"]
    assert sorted(counter.linted) == relinted
    assert ("other/test_misc.py", 4, "TST406") not in _codes(edited)
    # two stale entries of four are within the slack: the pack stays, their own entries answer
    assert _pack_files(tmp_path / ".cache")[0].read_bytes() == pack
    reads = _entry_reads(monkeypatch)
    again = _run(tmp_path, tmp_path / ".cache")
    assert sorted(counter.linted) == relinted
    assert sorted(reads) == ["conftest.py", "test_misc.py"]
    assert _codes(again) == _codes(edited)


def test_a_pack_is_written_again_when_many_entries_went_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from suitelint.core import result_cache

    monkeypatch.setattr(result_cache, "PACK_SLACK", 0)
    _write(tmp_path, PROJECT)
    _run(tmp_path, tmp_path / ".cache")
    pack = _pack_files(tmp_path / ".cache")[0].read_bytes()
    _bump(tmp_path / "other/test_misc.py", "def test_misc():\n    assert True\n")
    _run(tmp_path, tmp_path / ".cache")
    assert _pack_files(tmp_path / ".cache")[0].read_bytes() != pack
    reads = _entry_reads(monkeypatch)
    counter = Counter(monkeypatch)
    _run(tmp_path, tmp_path / ".cache")
    assert (reads, counter.linted) == ([], [])


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", b"\x80\x05N."])
def test_a_corrupted_pack_is_ignored(tmp_path: Path, garbage: bytes) -> None:
    _write(tmp_path, PROJECT)
    cold = _run(tmp_path, tmp_path / ".cache")
    _pack_files(tmp_path / ".cache")[0].write_bytes(garbage)
    assert _codes(_run(tmp_path, tmp_path / ".cache")) == _codes(cold)
    assert _codes(_run(tmp_path, tmp_path / ".cache")) == _codes(cold)
