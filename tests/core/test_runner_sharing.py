"""Worker processes share the summaries of the first pass in memory, not through the disk."""

from __future__ import annotations

from pathlib import Path

from suitelint.core import pool, runner
from suitelint.core.runner import WorkspaceSpec
from suitelint.core.store import store_for


def _adopted_keys() -> list[tuple[str, str]]:
    return sorted(store_for(pool._WORKER["workspace"]).memory)


def _project(root: Path) -> list[Path]:
    (root / "tests").mkdir()
    (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (root / "tests" / "conftest.py").write_text(
        "import pytest\n\n@pytest.fixture\ndef db():\n    return 1\n", encoding="utf-8")
    (root / "tests" / "test_a.py").write_text("def test_a(db):\n    assert db\n", encoding="utf-8")
    return sorted((root / "tests").glob("*.py"))


def test_first_pass_summaries_reach_the_second_pass_workers_without_a_cache_directory(tmp_path: Path) -> None:
    files = _project(tmp_path)
    spec = WorkspaceSpec(cwd=tmp_path, no_cache=True)
    with pool.executor(spec, None, 1, defer=True) as executor:
        results, entries, tokens, warning = executor.submit(runner._first_pass_chunk, files).result()
    assert warning is None and tokens == {}  # (no results cache: no tokens needed)
    assert [r.path.name for r in results] == ["conftest.py", "test_a.py"]
    # every linted file's summaries, built from the tree its lint parsed
    assert {(kind, Path(name).name) for kind, name in entries} == {
        ("summaries", "conftest.py"), ("summaries", "test_a.py"),
        ("fixtures", "conftest.py"), ("fixtures", "test_a.py"),
    }
    shared = pool.Shared(entries)
    with pool.executor(spec, None, 1, shared) as executor:
        adopted = executor.submit(_adopted_keys).result()
    assert set(entries) <= set(adopted)
    assert not pool._SHARED or pool._SHARED == [shared]
    assert not (tmp_path / ".suitelint_cache").exists()


def test_first_pass_tokens_reach_the_second_pass_cache(tmp_path: Path) -> None:
    from suitelint.core.result_cache import ResultCache
    from suitelint.project.tokens import summary_token

    files = _project(tmp_path)
    spec = WorkspaceSpec(cwd=tmp_path, cache_dir=tmp_path / "cache")
    with pool.executor(spec, ResultCache, 1, defer=True) as executor:
        results, entries, tokens, _ = executor.submit(runner._first_pass_chunk, files).result()
    # nothing recorded yet (a result is recorded with the tokens of every file it depends on)
    assert not list((tmp_path / "cache").rglob("*results*"))
    fresh = spec.build()
    assert tokens == {str(path.resolve()): summary_token(fresh, path.resolve()) for path in files}
    with pool.executor(spec, ResultCache, 1, pool.Shared(entries, tokens)) as executor:
        adopted = executor.submit(_adopted_tokens).result()
    assert adopted == tokens


def _adopted_tokens() -> dict[str, str | None]:
    return dict(pool._WORKER["cache"]._tokens)


def test_a_pool_run_without_cache_writes_nothing(tmp_path: Path) -> None:
    files = _project(tmp_path)
    for index in range(runner.MIN_FILES_FOR_DEFERRAL):
        path = tmp_path / "tests" / f"test_{index}.py"
        path.write_text(f"def test_{index}(db, missing):\n    assert db\n", encoding="utf-8")
        files.append(path)
    workspace = WorkspaceSpec(cwd=tmp_path, no_cache=True).build()
    pooled = runner.lint_paths(files, workspace, jobs=2)
    alone = runner.lint_paths(files, WorkspaceSpec(cwd=tmp_path, no_cache=True).build(), jobs=1)
    assert [d.code for d in pooled.diagnostics].count("TST501") == runner.MIN_FILES_FOR_DEFERRAL
    assert pooled.diagnostics == alone.diagnostics
    assert not pool._SHARED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pytest.ini", "tests"]
