"""Which configuration governs each directory: found once per directory, one Settings per file."""

from __future__ import annotations

from pathlib import Path

from suitelint.config.loader import find_config_file
from suitelint.core.workspace import Workspace


def _tree(root: Path) -> None:
    (root / "a" / "b" / "c").mkdir(parents=True)
    (root / "other" / "d").mkdir(parents=True)
    (root / "a" / "suitelint.toml").write_text('ignore = ["TST901"]\n', encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.suitelint]\nselect = ["TST1"]\n', encoding="utf-8")
    (root / "a" / "b" / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n", encoding="utf-8")


def test_the_memo_gives_the_answers_of_a_fresh_look_up(tmp_path: Path) -> None:
    _tree(tmp_path)
    memo: dict[Path, Path | None] = {}
    directories = [tmp_path / "a" / "b" / "c", tmp_path / "a" / "b", tmp_path / "a", tmp_path / "other" / "d",
                   tmp_path / "other", tmp_path]
    for directory in directories:
        assert find_config_file(directory, memo) == find_config_file(directory)
    assert find_config_file(tmp_path / "a" / "b" / "c", memo) == tmp_path / "a" / "suitelint.toml"
    assert find_config_file(tmp_path / "other" / "d", memo) == tmp_path / "pyproject.toml"


def test_directories_under_one_configuration_share_its_settings(tmp_path: Path) -> None:
    _tree(tmp_path)
    workspace = Workspace(cwd=tmp_path)
    deep = workspace.settings_for(tmp_path / "a" / "b" / "c" / "test_x.py")
    near = workspace.settings_for(tmp_path / "a" / "test_y.py")
    elsewhere = workspace.settings_for(tmp_path / "other" / "d" / "test_z.py")
    assert deep is near
    assert deep.ignore == ("TST901",)
    assert elsewhere is not deep and elsewhere.select == ("TST1",)
