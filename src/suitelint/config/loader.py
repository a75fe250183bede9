"""Reading ``[tool.suitelint]`` from pyproject.toml or ``suitelint.toml``.

The nearest file upwards from the checked path wins (``suitelint.toml`` before
``pyproject.toml`` in the same directory; a pyproject.toml without a
``[tool.suitelint]`` table is passed over).  Unknown keys and bad values raise
:class:`ConfigError` naming the key, the file and the closest valid key.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path
from typing import Any, Callable

from suitelint.config.settings import Settings
from suitelint.core.registry import valid_selector

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(Exception):
    """A configuration problem the user must fix (exit status 2)."""


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _table_of(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    table = data.get("tool", {}).get("suitelint") if isinstance(data.get("tool"), dict) else None
    if path.name == "suitelint.toml" and table is None:
        return {k: v for k, v in data.items() if k != "tool"}
    return table


def find_config_file(start: Path, memo: dict[Path, Path | None] | None = None) -> Path | None:
    """The nearest suitelint.toml, or pyproject.toml with [tool.suitelint], upwards from start.

    ``memo`` (a workspace passes its own) keeps the answer of every directory
    looked at, so sibling directories share the look-ups of their ancestors.
    """
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    memo = {} if memo is None else memo
    walked: list[Path] = []
    found: Path | None = None
    for candidate_dir in (directory, *directory.parents):
        if candidate_dir in memo:
            found = memo[candidate_dir]
            break
        walked.append(candidate_dir)
        found = _config_in(candidate_dir)
        if found is not None:
            break
    for candidate_dir in walked:
        memo[candidate_dir] = found
    return found


def _config_in(directory: Path) -> Path | None:
    standalone = directory / "suitelint.toml"
    if standalone.is_file():
        return standalone
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        try:
            text = pyproject.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        if "suitelint" in text and re.search(r"^\s*\[\s*tool\s*\.\s*suitelint\s*[\].]", text, re.M):
            return pyproject
    return None


def _project_root(start: Path) -> Path:
    directory = (start if start.is_dir() else start.parent).resolve()
    for candidate in (directory, *directory.parents):
        if (candidate / "pyproject.toml").is_file() or (candidate / ".git").exists():
            return candidate
    return directory


def load_settings(start: Path, config_file: Path | None = None) -> Settings:
    """Settings for a path: from ``config_file`` if given, else the nearest config upwards."""
    return settings_from(config_file if config_file is not None else find_config_file(start), start)


def settings_from(path: Path | None, start: Path) -> Settings:
    """Settings read from the configuration file ``path`` (None: defaults, rooted at ``start``'s project)."""
    if path is None:
        return Settings(root=_project_root(start))
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file does not exist")
    table = _table_of(path, read_toml(path))
    if table is None:
        return Settings(config_file=path, root=path.parent.resolve())
    return parse_table(table, path)


def _err(path: Path, key: str, problem: str) -> ConfigError:
    return ConfigError(f"{path}: [tool.suitelint] key '{key}': {problem}")


def _str_list(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _err(path, key, f"expected a list of strings, got {value!r}")
    return tuple(value)


def _codes(path: Path, key: str, value: Any) -> tuple[str, ...]:
    codes = tuple(v.strip().upper() for v in _str_list(path, key, value))
    for code in codes:
        if not valid_selector(code):
            raise _err(path, key, f"'{code}' is not a rule code or prefix (e.g. TST201, TST2)")
    return codes


def _per_file_ignores(path: Path, key: str, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise _err(path, key, 'expected a table of glob = ["TST..."]')
    return tuple((glob, _codes(path, f"{key}.{glob}", codes)) for glob, codes in value.items())


def _regex(path: Path, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _err(path, key, f"expected a regular expression string, got {value!r}")
    try:
        re.compile(value)
    except re.error as exc:
        raise _err(path, key, f"invalid regular expression: {exc}") from None
    return value


def _side_effects(path: Path, key: str, value: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(value, dict):
        items = list(value.items())
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in items):
            raise _err(path, key, 'expected a table of "qualified.name" = "reason"')
        return tuple(items)
    return tuple((name, "configured in side-effect-calls") for name in _str_list(path, key, value))


def _asyncio_mode(path: Path, key: str, value: Any) -> str:
    if value not in ("strict", "auto"):
        raise _err(path, key, f"expected 'strict' or 'auto', got {value!r}")
    return str(value)


_PARSERS: dict[str, tuple[str, Callable[[Path, str, Any], Any]]] = {
    "select": ("select", _codes),
    "ignore": ("ignore", _codes),
    "extend-select": ("extend_select", _codes),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "exclude": ("exclude", _str_list),
    "extend-exclude": ("extend_exclude", _str_list),
    "src": ("src", _str_list),
    "todo-tags": ("todo_tags", _str_list),
    "todo-issue-pattern": ("todo_issue_pattern", _regex),
    "side-effect-calls": ("side_effect_calls", _side_effects),
    "known-fixtures": ("known_fixtures", _str_list),
    "asyncio-mode": ("asyncio_mode", _asyncio_mode),
}
VALID_KEYS = tuple(_PARSERS)


def parse_table(table: dict[str, Any], path: Path) -> Settings:
    values: dict[str, Any] = {}
    for key, value in table.items():
        spec = _PARSERS.get(key)
        if spec is None:
            close = difflib.get_close_matches(key.replace("_", "-"), VALID_KEYS, n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else f"; valid keys: {', '.join(VALID_KEYS)}"
            raise ConfigError(f"{path}: unknown key '{key}' in [tool.suitelint]{hint}")
        attr, parse = spec
        values[attr] = parse(path, key, value)
    return Settings(config_file=path, root=path.parent.resolve(), **values)
