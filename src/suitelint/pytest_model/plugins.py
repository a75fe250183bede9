"""pytest plugins around the checked project, found without importing anything.

* :func:`installed_plugins`: the ``pytest11`` entry points of the environment
  suitelint runs in (what ``pytest`` would auto-load there), each with the
  source file of its module located on ``sys.path`` by hand: never
  ``importlib.import_module`` and never ``find_spec`` on a dotted name (which
  imports the parent packages).
* :func:`find_module_file`: a dotted name -> its ``.py`` file on ``sys.path``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path


@dataclass(frozen=True)
class InstalledPlugin:
    entry_point: str  # the name ``-p no:NAME`` disables
    distribution: str
    module: str
    path: Path | None  # the module's source file, None when not found


@lru_cache(maxsize=1)
def installed_plugins() -> tuple[InstalledPlugin, ...]:
    """The ``pytest11`` plugins installed alongside suitelint (once per process)."""
    found: list[InstalledPlugin] = []
    try:
        entry_points = metadata.entry_points(group="pytest11")
    except Exception:  # noqa: BLE001 - broken metadata must not break linting
        return ()
    seen: set[tuple[str, str]] = set()
    for entry_point in entry_points:
        module = entry_point.value.split(":", 1)[0].strip()
        distribution = ""
        dist = getattr(entry_point, "dist", None)
        if dist is not None:
            try:
                distribution = dist.metadata["Name"] or ""
            except Exception:  # noqa: BLE001
                distribution = ""
        key = (entry_point.name, module)
        if key in seen:
            continue
        seen.add(key)
        path = _file_from_distribution(dist, module) or find_module_file(module)
        found.append(InstalledPlugin(entry_point.name, distribution, module, path))
    return tuple(found)


def _file_from_distribution(dist: object, module: str) -> Path | None:
    """The module's file from the distribution's RECORD (no import of parent packages)."""
    files = getattr(dist, "files", None)
    if not files:
        return None
    wanted = {"/".join(module.split(".")) + ".py", "/".join(module.split(".")) + "/__init__.py"}
    for item in files:
        if str(item).replace("\\", "/") in wanted:
            try:
                located = Path(str(dist.locate_file(item)))  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001
                return None
            return located if located.is_file() else None
    return None


@lru_cache(maxsize=4096)
def find_module_file(dotted: str) -> Path | None:
    """The source file of an importable module, searched on ``sys.path`` without importing."""
    parts = dotted.split(".")
    if not dotted or not all(part.isidentifier() for part in parts):
        return None
    for entry in sys.path:
        base = Path(entry or ".")
        if not base.is_dir():
            continue
        candidate = base.joinpath(*parts)
        module = candidate.with_name(candidate.name + ".py")
        if module.is_file():
            return module.resolve()
        init = candidate / "__init__.py"
        if init.is_file():
            return init.resolve()
    return None


@lru_cache(maxsize=8)
def _resolved_entries(entries: tuple[str, ...], cwd: str) -> tuple[Path, ...]:
    """``sys.path`` resolved (``cwd`` is part of the key: an empty entry means the working directory)."""
    found = []
    for entry in entries:
        try:
            found.append(Path(entry or ".").resolve())
        except (OSError, RuntimeError):
            continue
    return tuple(found)


def module_name_on_sys_path(path: Path) -> str | None:
    """The dotted name a file has on ``sys.path`` (for relative imports in installed code)."""
    resolved = path.resolve()
    best: str | None = None
    for root in _resolved_entries(tuple(sys.path), os.getcwd()):
        try:
            relative = resolved.relative_to(root)
        except ValueError:
            continue
        parts = list(relative.with_suffix("").parts)
        if parts and parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and all(p.isidentifier() for p in parts):
            name = ".".join(parts)
            if best is None or len(name) < len(best):
                best = name
    return best
