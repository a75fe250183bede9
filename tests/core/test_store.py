"""The on-disk store: validity by stamp and content, corruption, unwritable directories."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from suitelint.core.store import Store


def _file(tmp_path: Path, text: str = "x = 1\n") -> Path:
    path = tmp_path / "mod.py"
    path.write_text(text, encoding="utf-8")
    return path


def test_round_trip_across_instances(tmp_path: Path) -> None:
    path = _file(tmp_path)
    Store(tmp_path / "cache").put("facts", path, {"a": 1}, salt="s")
    assert Store(tmp_path / "cache").get("facts", path, salt="s") == {"a": 1}
    assert (tmp_path / "cache" / ".gitignore").read_text().strip().endswith("*")


def test_salt_and_content_changes_invalidate(tmp_path: Path) -> None:
    path = _file(tmp_path)
    store = Store(tmp_path / "cache")
    store.put("facts", path, 1, salt="s")
    assert Store(tmp_path / "cache").get("facts", path, salt="other") is None
    path.write_text("x = 2  # changed\n", encoding="utf-8")
    assert Store(tmp_path / "cache").get("facts", path, salt="s") is None


def test_touch_without_change_keeps_entry(tmp_path: Path) -> None:
    path = _file(tmp_path)
    Store(tmp_path / "cache").put("facts", path, 7)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert Store(tmp_path / "cache").get("facts", path) == 7


def test_corrupted_and_foreign_entries_are_ignored(tmp_path: Path) -> None:
    path = _file(tmp_path)
    store = Store(tmp_path / "cache")
    store.put("facts", path, 3)
    entry = store._entry_path("facts", path)
    entry.write_bytes(b"\x80garbage")
    assert Store(tmp_path / "cache").get("facts", path) is None
    entry.write_bytes(pickle.dumps(((0, "0.0.0"), str(path), None, "", "", 3)))
    assert Store(tmp_path / "cache").get("facts", path) is None


def test_unwritable_directory_degrades_to_memory(tmp_path: Path) -> None:
    path = _file(tmp_path)
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    store = Store(blocker)
    store.put("facts", path, 5)
    assert store.get("facts", path) == 5
    assert store.warning is not None and "without the cache" in store.warning


def test_disabled_store_keeps_memory_only(tmp_path: Path) -> None:
    path = _file(tmp_path)
    store = Store(None)
    store.put("facts", path, 9)
    assert store.get("facts", path) == 9
    assert Store(None).get("facts", path) is None


def test_a_blob_left_by_other_code_is_replaced_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import suitelint.core.store as store_module

    monkeypatch.setattr(store_module, "code_fingerprint", lambda: "old")
    Store(tmp_path).put_blob("groups", "abcd", {"a": 1})
    monkeypatch.setattr(store_module, "code_fingerprint", lambda: "new")
    assert Store(tmp_path).get_blob("groups", "abcd") is None
    Store(tmp_path).put_blob("groups", "abcd", {"a": 2})
    assert Store(tmp_path).get_blob("groups", "abcd") == {"a": 2}


def test_exported_entries_are_adopted_and_still_check_the_stamp(tmp_path: Path) -> None:
    """What one process computed (the first pass of a run) another process adopts, valid while the file is unchanged."""
    path = _file(tmp_path)
    worker = Store(None)
    worker.put("summaries", path, "summary of mod", salt="s")
    worker.put("other", path, "not shared", salt="s")
    exported = worker.export(("summaries",), [path, tmp_path / "absent.py"])
    assert list(exported) == [("summaries", str(path))]
    linter = Store(None)
    linter.adopt(pickle.loads(pickle.dumps(exported)))
    assert linter.get("summaries", path, salt="s") == "summary of mod"
    assert linter.get("other", path, salt="s") is None
    path.write_text("x = 22\n", encoding="utf-8")
    assert linter.get("summaries", path, salt="s") is None


def test_named_values_are_replaced_and_survive_the_process(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache")
    assert store.get_named("packs", "suite at /x") is None
    store.put_named("packs", "suite at /x", {"a": 1})
    store.put_named("packs", "suite at /x", {"a": 2})
    store.put_named("packs", "suite at /y", {"b": 1})
    assert store.get_named("packs", "suite at /x") == {"a": 2}
    fresh = Store(tmp_path / "cache")
    assert fresh.get_named("packs", "suite at /x") == {"a": 2}
    assert fresh.get_named("packs", "suite at /y") == {"b": 1}
    memory_only = Store(None)
    memory_only.put_named("packs", "suite at /x", 3)
    assert memory_only.get_named("packs", "suite at /x") == 3
