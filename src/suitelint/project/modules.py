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
    _located: dict[tuple[str, tuple[Path, ...]], tuple[Path, Path] | None] = field(default_factory=dict)
    _namespaces: dict[tuple[str, tuple[Path, ...]], Path | None] = field(default_factory=dict)

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

    def locate(self, dotted: str, extra_roots: tuple[Path, ...] = ()) -> tuple[Path, Path] | None:
        """``(file, root)`` of a project module, trying ``extra_roots`` before the roots.

        The root is the directory the dotted name is relative to, so the
        files of the module's parent packages are ``root/a/__init__.py``...
        ``extra_roots`` are directories pytest itself puts first on
        ``sys.path`` for test code (the base directory of a test module or
        conftest.py in its default "prepend" import mode).
        """
        key = (dotted, extra_roots)
        if key in self._located:
            return self._located[key]
        found: tuple[Path, Path] | None = None
        parts = dotted.split(".")
        if all(part.isidentifier() for part in parts):
            for root in extra_roots:
                if root in self.roots:
                    continue
                base = root.joinpath(*parts)
                module = base.with_name(base.name + ".py")
                if module.is_file():
                    found = (module, root)
                    break
                init = base / "__init__.py"
                if init.is_file():
                    found = (init, root)
                    break
            if found is None:
                path = self.resolve(dotted)
                if path is not None:
                    depth = len(parts) + (1 if path.name == "__init__.py" else 0)
                    found = (path, path.parents[depth - 1])
        self._located[key] = found
        return found

    def namespace_dir(self, dotted: str, extra_roots: tuple[Path, ...] = ()) -> Path | None:
        """The directory of a namespace package (no ``__init__.py``) under a root, if any."""
        key = (dotted, extra_roots)
        if key in self._namespaces:
            return self._namespaces[key]
        found: Path | None = None
        parts = dotted.split(".")
        if all(part.isidentifier() for part in parts):
            for root in (*self.roots, *extra_roots):
                candidate = root.joinpath(*parts)
                if candidate.is_dir() and not (candidate / "__init__.py").is_file():
                    found = candidate
                    break
        self._namespaces[key] = found
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
