"""pytest's configuration, read statically with pytest's own precedence.

pytest looks, in each directory from the common ancestor of its arguments
upwards, for ``pytest.toml``, ``.pytest.toml``, ``pytest.ini``,
``.pytest.ini``, ``pyproject.toml`` (with ``[tool.pytest]`` or
``[tool.pytest.ini_options]``), ``tox.ini`` (with ``[pytest]``) and
``setup.cfg`` (with ``[tool:pytest]``); the first match is the inifile and its
directory the rootdir.  We do the same from the checked file's directory, and
never import pytest.
"""

from __future__ import annotations

import configparser
import fnmatch
import shlex
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from suitelint.core.paths import resolved

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

Value = str | list[str]

DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")
DEFAULT_PYTHON_CLASSES = ("Test",)
DEFAULT_PYTHON_FUNCTIONS = ("test",)
LINELIST_KEYS = {"markers", "filterwarnings", "usefixtures", "required_plugins"}
PATHS_KEYS = {"testpaths", "pythonpath", "norecursedirs"}


@dataclass(frozen=True)
class PytestConfig:
    """The settings of one rootdir, as pytest would read them."""

    rootdir: Path
    inifile: Path | None = None
    ini: dict[str, Value] = field(default_factory=dict)

    # -- raw access --------------------------------------------------------
    def _value(self, key: str) -> Value | None:
        """An ini value, ``-o key=value`` in addopts winning as it does in pytest."""
        if key != "addopts":
            override = self.overrides.get(key)
            if override is not None:
                return override
        return self.ini.get(key)

    def get_list(self, key: str) -> list[str] | None:
        value = self._value(key)
        if value is None:
            return None
        if isinstance(value, list):
            return [str(v) for v in value]
        if key in LINELIST_KEYS:
            return [line.strip() for line in value.splitlines() if line.strip()]
        return shlex_split(value)

    def get_str(self, key: str) -> str | None:
        value = self._value(key)
        if value is None:
            return None
        if isinstance(value, list):
            return " ".join(value)
        return value.strip()

    # -- addopts -------------------------------------------------------------
    @cached_property
    def addopts(self) -> list[str]:
        return self.get_list("addopts") or []

    def _option(self, name: str) -> str | None:
        """The last value of ``--name=value`` / ``--name value`` in addopts."""
        found: str | None = None
        args = self.addopts
        for index, arg in enumerate(args):
            if arg.startswith(name + "="):
                found = arg.split("=", 1)[1]
            elif arg == name and index + 1 < len(args):
                found = args[index + 1]
        return found

    @cached_property
    def overrides(self) -> dict[str, str]:
        """``-o name=value`` / ``--override-ini=name=value`` in addopts (pytest applies them to the ini)."""
        found: dict[str, str] = {}
        args = self.addopts
        for index, arg in enumerate(args):
            value: str | None = None
            if arg in ("-o", "--override-ini") and index + 1 < len(args):
                value = args[index + 1]
            elif arg.startswith("--override-ini="):
                value = arg.split("=", 1)[1]
            elif arg.startswith("-o") and len(arg) > 2 and not arg.startswith("--"):
                value = arg[2:]
            if value is not None and "=" in value:
                name, _, setting = value.partition("=")
                found[name.strip()] = setting
        return found

    @cached_property
    def plugins(self) -> tuple[str, ...]:
        """Plugins named with ``-p NAME`` in addopts (``no:NAME`` kept as is)."""
        names: list[str] = []
        args = self.addopts
        for index, arg in enumerate(args):
            if arg == "-p" and index + 1 < len(args):
                names.append(args[index + 1])
            elif arg.startswith("-p") and len(arg) > 2:
                names.append(arg[2:].lstrip("="))
        return tuple(names)

    def plugin_disabled(self, name: str) -> bool:
        return f"no:{name}" in self.plugins

    # -- typed settings ------------------------------------------------------
    @cached_property
    def asyncio_mode(self) -> str:
        mode = self._option("--asyncio-mode") or self.get_str("asyncio_mode") or "strict"
        return mode if mode in ("strict", "auto") else "strict"

    @cached_property
    def python_files(self) -> tuple[str, ...]:
        return tuple(self.get_list("python_files") or DEFAULT_PYTHON_FILES)

    @cached_property
    def python_classes(self) -> tuple[str, ...]:
        return tuple(self.get_list("python_classes") or DEFAULT_PYTHON_CLASSES)

    @cached_property
    def python_functions(self) -> tuple[str, ...]:
        return tuple(self.get_list("python_functions") or DEFAULT_PYTHON_FUNCTIONS)

    @cached_property
    def testpaths(self) -> tuple[str, ...]:
        return tuple(self.get_list("testpaths") or ())

    @cached_property
    def pythonpath(self) -> tuple[Path, ...]:
        return tuple((self.rootdir / p).resolve() for p in self.get_list("pythonpath") or ())

    @cached_property
    def markers(self) -> tuple[str, ...]:
        return tuple(line.split(":", 1)[0].split("(", 1)[0].strip() for line in self.get_list("markers") or ())

    @property
    def asyncio_default_fixture_loop_scope(self) -> str | None:
        return self.get_str("asyncio_default_fixture_loop_scope")

    @property
    def asyncio_default_test_loop_scope(self) -> str | None:
        return self.get_str("asyncio_default_test_loop_scope")

    # -- collection ------------------------------------------------------------
    def matches_python_files(self, path: Path) -> bool:
        for pattern in self.python_files:
            if "/" in pattern or "\\" in pattern:
                if fnmatch.fnmatch(path.as_posix(), "*/" + pattern.lstrip("/")):
                    return True
            elif fnmatch.fnmatch(path.name, pattern):
                return True
        return False

    def matches_python_classes(self, name: str) -> bool:
        return _name_matches(name, self.python_classes)

    def matches_python_functions(self, name: str) -> bool:
        return _name_matches(name, self.python_functions)

    @cached_property
    def fingerprint(self) -> str:
        return repr((str(self.inifile), sorted((k, str(v)) for k, v in self.ini.items())))


def _name_matches(name: str, patterns: tuple[str, ...]) -> bool:
    for pattern in patterns:
        if any(ch in pattern for ch in "*?["):
            if fnmatch.fnmatch(name, pattern):
                return True
        elif name.startswith(pattern):
            return True
    return False


def shlex_split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _toml_values(table: dict[str, Any]) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for key, value in table.items():
        if isinstance(value, list):
            values[key] = [str(v) for v in value]
        elif isinstance(value, bool):
            values[key] = "true" if value else "false"
        elif isinstance(value, (str, int, float)):
            values[key] = str(value)
    return values


def _read_ini_section(path: Path, section: str) -> dict[str, Value] | None:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive, as in pytest
    try:
        parser.read_string(path.read_text(encoding="utf-8", errors="replace"), source=str(path))
    except (configparser.Error, OSError, UnicodeError):
        return None
    if not parser.has_section(section):
        return None
    return dict(parser.items(section))


def _read_toml(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return None


_INIFILES: dict[Path, tuple[tuple[int, int], dict[str, Value] | None]] = {}


def read_inifile(path: Path) -> dict[str, Value] | None:
    """The pytest settings held by ``path``, or None when it holds none (read once while unchanged)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _INIFILES.get(path)
    if cached is not None and cached[0] == stamp:
        return dict(cached[1]) if cached[1] is not None else None
    values = _read_inifile(path)
    _INIFILES[path] = (stamp, values)
    return dict(values) if values is not None else None


def _read_inifile(path: Path) -> dict[str, Value] | None:
    name = path.name
    if name in ("pytest.toml", ".pytest.toml"):
        data = _read_toml(path)
        if data is None:
            return {}
        table = data.get("pytest", data)
        return _toml_values(table if isinstance(table, dict) else {})
    if name in ("pytest.ini", ".pytest.ini"):
        return _read_ini_section(path, "pytest") or {}
    if name == "pyproject.toml":
        data = _read_toml(path)
        if data is None:
            return None
        tool = data.get("tool")
        if not isinstance(tool, dict) or not isinstance(tool.get("pytest"), dict):
            return None
        pytest_table = tool["pytest"]
        if "ini_options" in pytest_table and isinstance(pytest_table["ini_options"], dict):
            return _toml_values(pytest_table["ini_options"])
        if not pytest_table:  # an empty [tool.pytest] holds no configuration: pytest passes it over
            return None
        return _toml_values(pytest_table)
    if name == "tox.ini":
        return _read_ini_section(path, "pytest")
    if name == "setup.cfg":
        return _read_ini_section(path, "tool:pytest")
    return None


INI_NAMES = ("pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")


def find_pytest_config(start: Path, present: dict[Path, tuple[str, ...]] | None = None) -> PytestConfig:
    """The pytest configuration governing ``start`` (a file or directory).

    ``present`` memoizes which of the candidate file names each directory
    holds (a workspace passes its own, so sibling directories share the
    look-ups of their common ancestors).
    """
    directory = resolved(start if start.is_dir() else start.parent)
    first_pyproject: Path | None = None
    for candidate in (directory, *directory.parents):
        names = present.get(candidate) if present is not None else None
        if names is None:
            names = tuple(name for name in INI_NAMES if (candidate / name).is_file())
            if present is not None:
                present[candidate] = names
        for name in names:
            path = candidate / name
            if name == "pyproject.toml" and first_pyproject is None:
                first_pyproject = path
            ini = read_inifile(path)
            if ini is not None:
                return PytestConfig(rootdir=candidate, inifile=path, ini=ini)
    # no configuration anywhere: pytest (>= 8.1) takes the nearest pyproject.toml as the
    # (empty) inifile and its directory as rootdir, and only then looks for setup.py
    if first_pyproject is not None:
        return PytestConfig(rootdir=first_pyproject.parent, inifile=first_pyproject)
    for candidate in (directory, *directory.parents):
        if (candidate / "setup.py").is_file():
            return PytestConfig(rootdir=candidate)
    return PytestConfig(rootdir=directory)
