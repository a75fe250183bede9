"""The distributions a project declares for its environment, read from its dependency files.

Evidence for the fixture index: a known plugin the project declares is part
of its test environment (its generic fixtures, such as pytest-django's
``db``, are then visible), and a declared ``pytest-*`` plugin we know
nothing about may provide fixtures we cannot see.

Only declarations are read, never free text: ``[project]`` dependencies,
optional dependencies and dependency groups, Poetry/PDM/Hatch/uv tables,
``requirements*.txt``/``.in``, ``setup.cfg`` and ``setup.py`` requirement
lists, ``tox.ini`` ``deps``, Pipfile and lock files (poetry, uv, pdm,
Pipfile.lock), conda ``environment.yml``, ``noxfile.py`` installs and
pre-commit's ``additional_dependencies``.  Files are looked for from the
rootdir upwards to the repository root (five levels at most): a monorepo's
sub-project often has its own pyproject.toml while the test tools are
declared at the top.
"""

from __future__ import annotations

import ast
import configparser
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REQUIREMENT_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
TOML_FILES = ("pyproject.toml", "Pipfile", "poetry.lock", "uv.lock", "pdm.lock", "hatch.toml")
REQUIREMENT_PATTERNS = ("*requirements*.txt", "*requirements*.in", "requirements/*.txt", "requirements/*.in",
                        "requirements/*/*.txt", "constraints*.txt", "*-requirements.txt")
MAX_LEVELS = 5


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower().strip("-")


@dataclass(frozen=True)
class DeclaredDependencies:
    names: frozenset[str]  # normalised distribution names
    files: tuple[Path, ...]

    def declares(self, distribution: str) -> bool:
        return normalize(distribution) in self.names

    def plugin_distributions(self) -> set[str]:
        """Declared distributions named like pytest plugins (``pytest-*``)."""
        return {name for name in self.names if name.startswith("pytest-")}


def declared_dependencies(start: Path) -> DeclaredDependencies:
    """Declared distributions from ``start`` upwards, to the repository root (five levels at most)."""
    names: set[str] = set()
    files: list[Path] = []
    directory = start.resolve()
    for _ in range(MAX_LEVELS):
        for path in _candidates(directory):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            found = set(_names_in(path, text))
            files.append(path)
            names |= {normalize(n) for n in found if n}
        if (directory / ".git").exists() or directory.parent == directory:
            break
        directory = directory.parent
    return DeclaredDependencies(frozenset(names), tuple(files))


def _candidates(directory: Path) -> Iterator[Path]:
    names = [*TOML_FILES, "setup.cfg", "setup.py", "tox.ini", "Pipfile.lock", "environment.yml",
             "environment.yaml", "noxfile.py", ".pre-commit-config.yaml"]
    seen: set[Path] = set()
    for name in names:
        path = directory / name
        if path.is_file():
            seen.add(path)
            yield path
    for pattern in REQUIREMENT_PATTERNS:
        for path in sorted(directory.glob(pattern)):
            if path.is_file() and path not in seen:
                seen.add(path)
                yield path


def _names_in(path: Path, text: str) -> Iterable[str]:
    name = path.name
    if name in TOML_FILES:
        return _toml_names(name, text)
    if name == "setup.cfg":
        return _setup_cfg_names(text)
    if name in ("setup.py", "noxfile.py"):
        return _python_string_requirements(text)
    if name == "tox.ini":
        return _tox_names(text)
    if name == "Pipfile.lock":
        return _pipfile_lock_names(text)
    if name in ("environment.yml", "environment.yaml", ".pre-commit-config.yaml"):
        return _yaml_list_names(text)
    return _requirement_lines(text.splitlines())


def _requirement_name(line: str) -> str | None:
    line = line.split("#", 1)[0].strip()
    if not line or line.startswith(("-", "git+", "http:", "https:", "file:", ".", "/")):
        return None
    match = REQUIREMENT_RE.match(line)
    return match.group(1) if match else None


def _requirement_lines(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        found = _requirement_name(line)
        if found:
            yield found


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _toml_names(name: str, text: str) -> Iterator[str]:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return
    if name in ("poetry.lock", "uv.lock", "pdm.lock"):
        for package in data.get("package", []) or []:
            if isinstance(package, dict) and isinstance(package.get("name"), str):
                yield package["name"]
        return
    if name == "Pipfile":
        for table in ("packages", "dev-packages"):
            yield from (data.get(table) or {}).keys()
        return
    project = data.get("project") or {}
    yield from _requirement_lines(_strings(project.get("dependencies") or []))
    yield from _requirement_lines(_strings(project.get("optional-dependencies") or {}))
    yield from _requirement_lines(s for s in _strings(data.get("dependency-groups") or {}))
    tool = data.get("tool") or {}
    poetry = tool.get("poetry") or {}
    for key in ("dependencies", "dev-dependencies"):
        yield from (poetry.get(key) or {}).keys()
    for group in (poetry.get("group") or {}).values():
        if isinstance(group, dict):
            yield from (group.get("dependencies") or {}).keys()
    yield from _requirement_lines(_strings((tool.get("pdm") or {}).get("dev-dependencies") or {}))
    yield from _requirement_lines(_strings((tool.get("uv") or {}).get("dev-dependencies") or []))
    hatch = tool.get("hatch") if name == "pyproject.toml" else data
    for env in ((hatch or {}).get("envs") or {}).values():
        if isinstance(env, dict):
            for key in ("dependencies", "extra-dependencies"):
                yield from _requirement_lines(_strings(env.get(key) or []))


def _setup_cfg_names(text: str) -> Iterator[str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return
    for section, keys in (("options", ("install_requires", "tests_require", "setup_requires")),
                          ("options.extras_require", None)):
        if not parser.has_section(section):
            continue
        for key, value in parser.items(section):
            if keys is None or key in keys:
                yield from _requirement_lines(value.splitlines())


def _tox_names(text: str) -> Iterator[str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return
    for section in parser.sections():
        if parser.has_option(section, "deps"):
            lines = parser.get(section, "deps").splitlines()
            yield from _requirement_lines(line.split(":", 1)[-1] if ":" in line.split("=")[0] else line
                                          for line in lines)


def _pipfile_lock_names(text: str) -> Iterator[str]:
    try:
        data = json.loads(text)
    except ValueError:
        return
    for table in ("default", "develop"):
        section = data.get(table)
        if isinstance(section, dict):
            yield from section.keys()


def _yaml_list_names(text: str) -> Iterator[str]:
    """``- name`` items of YAML lists (conda dependencies, pre-commit additional_dependencies)."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            item = stripped[2:].strip().strip("'\"")
            found = _requirement_name(item.split("=", 1)[0] if "::" not in item else item.split("::", 1)[1])
            if found and ":" not in item:
                yield found
        elif stripped.startswith("additional_dependencies:") and "[" in stripped:
            inner = stripped.split("[", 1)[1].rsplit("]", 1)[0]
            yield from _requirement_lines(part.strip().strip("'\"") for part in inner.split(","))


def _python_string_requirements(text: str) -> Iterator[str]:
    """Requirement-looking string literals in setup.py / noxfile.py (``"pytest-mock>=3"``)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 100:
            value = node.value.strip()
            if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[\w,\s-]+\])?\s*([<>=!~]=?.*)?", value):
                found = _requirement_name(value)
                if found:
                    yield found
