"""Project roots and dotted-name <-> file resolution, from disk, never importing.

Roots, in order: ``[tool.suitelint] src`` entries, pytest's ``pythonpath``,
``<rootdir>/src`` when it exists, and the rootdir itself.  A dotted name
resolves to ``root/a/b.py`` or ``root/a/b/__init__.py`` under the first root
that has it; directories without ``__init__.py`` count as namespace packages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from suitelint.core.workspace import Workspace


@dataclass
class ModuleMap:
    roots: tuple[Path, ...]
    _cache: dict[str, Path | None] = field(default_factory=dict)

    def resolve(self, dotted: str) -> Path | None:
        """The file of a project module (a package's ``__init__.py``), or None."""
        if dotted in self._cache:
            return self._cache[dotted]
        found: Path | None = None
        parts = dotted.split(".")
        if all(part.isidentifier() for part in parts):
            for root in self.roots:
                base = root.joinpath(*parts)
                module = base.with_name(base.name + ".py")
                if module.is_file():
                    found = module
                    break
                init = base / "__init__.py"
                if init.is_file():
                    found = init
                    break
        self._cache[dotted] = found
        return found

    def is_package(self, dotted: str) -> bool:
        path = self.resolve(dotted)
        return path is not None and path.name == "__init__.py"

    def is_namespace_package(self, dotted: str) -> bool:
        parts = dotted.split(".")
        return self.resolve(dotted) is None and any(root.joinpath(*parts).is_dir() for root in self.roots)

    def is_project_module(self, dotted: str) -> bool:
        return self.resolve(dotted) is not None or self.is_namespace_package(dotted)

    def names_for(self, path: Path) -> list[str]:
        """Every dotted name under which ``path`` is importable from some root."""
        path = path.resolve()
        names: list[str] = []
        for root in self.roots:
            try:
                relative = path.relative_to(root)
            except ValueError:
                continue
            parts = list(relative.with_suffix("").parts)
            if parts and parts[-1] == "__init__":
                parts = parts[:-1]
            if parts and all(p.isidentifier() for p in parts):
                names.append(".".join(parts))
        return names


def project_roots(workspace: Workspace, path: Path) -> tuple[Path, ...]:
    settings = workspace.settings_for(path)
    pytest = workspace.pytest_for(path)
    roots: list[Path] = []
    for entry in settings.src:
        roots.append((settings.root / entry).resolve())
    roots.extend(pytest.pythonpath)
    src = pytest.rootdir / "src"
    if src.is_dir():
        roots.append(src.resolve())
    roots.append(pytest.rootdir.resolve())
    unique: list[Path] = []
    for root in roots:
        if root not in unique:
            unique.append(root)
    return tuple(unique)


def module_map(workspace: Workspace, path: Path) -> ModuleMap:
    """The module map governing ``path`` (one per set of roots, cached on the workspace)."""
    roots = project_roots(workspace, path)
    maps: dict[tuple[Path, ...], ModuleMap] = workspace.extensions.setdefault("module_maps", {})
    found = maps.get(roots)
    if found is None:
        found = maps[roots] = ModuleMap(roots)
    return found
