"""Everything the engine knows about the project around a file.

One ``Workspace`` lives per process (CLI run, flake8 worker, LSP server). It
caches, per directory, the suitelint settings and the pytest configuration
that govern a file, and it decides each file's role (test module, conftest,
pytest plugin, other) the way pytest would.  Project-wide knowledge (module
map, import graph, fixture index) hangs off it lazily, so that a run that
needs none of it pays nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from suitelint.config.loader import find_config_file, settings_from
from suitelint.config.settings import Settings
from suitelint.core.paths import resolved
from suitelint.core.rule import FileRole
from suitelint.pytest_model.ini import PytestConfig, find_pytest_config


class Workspace:
    def __init__(
        self,
        *,
        config_file: Path | None = None,
        overrides: dict[str, Any] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.config_file = config_file.resolve() if config_file else None
        self.overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
        self.cwd = (cwd or Path.cwd()).resolve()
        self._settings: dict[Path, Settings] = {}
        self._pytest: dict[Path, PytestConfig] = {}
        self._ini_present: dict[Path, tuple[str, ...]] = {}  # pytest ini candidates found per directory
        self._config_found: dict[Path, Path | None] = {}  # the suitelint configuration file of each directory
        self._packages: dict[Path, tuple[Path, str]] = {}
        # the same caches keyed by a file's unresolved parent (the hot path: no stat, no resolve)
        self._fast_settings: dict[Path, Settings] = {}
        self._fast_pytest: dict[Path, PytestConfig] = {}
        # buffers open in an editor, read instead of the disk
        self.overlays: dict[Path, str] = {}
        self.extensions: dict[str, Any] = {}  # project model parts, built lazily

    # -- configuration ---------------------------------------------------------
    def settings_for(self, path: Path) -> Settings:
        fast = self._fast_settings.get(path.parent)
        if fast is not None:
            return fast
        directory = _directory(path)
        settings = self._settings.get(directory)
        if settings is None:
            config = self.config_file or find_config_file(directory, self._config_found)
            settings = self._settings.get(config) if config is not None else None
            if settings is None:
                # (one Settings per configuration file: its directories share it)
                settings = settings_from(config, directory).with_overrides(**self.overrides)
                if config is not None:
                    self._settings[config] = settings
            self._settings[directory] = settings
        if path.suffix == ".py":
            self._fast_settings[path.parent] = settings
        return settings

    def pytest_for(self, path: Path) -> PytestConfig:
        fast = self._fast_pytest.get(path.parent)
        if fast is not None:
            return fast
        directory = _directory(path)
        config = self._pytest.get(directory)
        if config is None:
            config = find_pytest_config(directory, self._ini_present)
            self._pytest[directory] = config
        if path.suffix == ".py":
            self._fast_pytest[path.parent] = config
        return config

    def clear(self) -> None:
        """Forget everything learnt from disk (configuration or project files changed)."""
        self._settings.clear()
        self._pytest.clear()
        self._ini_present.clear()
        self._config_found.clear()
        self._fast_settings.clear()
        self._fast_pytest.clear()
        self._packages.clear()
        self.extensions = {k: v for k, v in self.extensions.items() if k == "cache_dir"}

    # -- roles and module names --------------------------------------------------
    def role_of(self, path: Path, pytest: PytestConfig | None = None) -> str:
        if path.name == "conftest.py":
            return FileRole.CONFTEST
        pytest = pytest or self.pytest_for(path)
        if pytest.matches_python_files(path):
            return FileRole.TEST
        plugin_files = self.extensions.get("plugin_files")
        if plugin_files is None:
            from suitelint.pytest_model.fixtures import plugin_files_hook

            plugin_files = self.extensions["plugin_files"] = plugin_files_hook(self)
        if path.resolve() in plugin_files(path):
            return FileRole.PLUGIN
        return FileRole.OTHER

    def module_name(self, path: Path) -> str:
        """The dotted name pytest's default (prepend) import mode gives a file."""
        directory = path.parent if path.suffix == ".py" else _directory(path)
        entry = self._packages.get(directory)
        if entry is None:
            parts: list[str] = []
            current = directory
            while (current / "__init__.py").is_file() and current.parent != current:
                parts.append(current.name)
                current = current.parent
            entry = (current, ".".join(reversed(parts)))
            self._packages[directory] = entry
        package = entry[1]
        stem = path.stem if path.suffix == ".py" else path.name
        if stem == "__init__":
            return package or directory.name
        return f"{package}.{stem}" if package else stem

    @property
    def _cwd_prefix(self) -> str:
        text = str(self.cwd)
        return text if text.endswith("/") else text + "/"

    def relative(self, path: Path) -> str:
        """A path for display: relative to the working directory when inside it, POSIX."""
        absolute = os.path.abspath(path)
        cwd = self._cwd_prefix
        if os.sep == "/" and absolute.startswith(cwd):
            return absolute[len(cwd):]  # the usual case, without pathlib's parsing
        try:
            return Path(absolute).relative_to(self.cwd).as_posix()
        except ValueError:
            pass
        try:
            return path.resolve().relative_to(self.cwd).as_posix()
        except ValueError:
            return Path(os.path.relpath(path.resolve(), self.cwd)).as_posix() if _same_drive(path, self.cwd) else path.as_posix()

    def read_text(self, path: Path) -> str | None:
        """A file's text (an open buffer if there is one), None if unreadable."""
        overlay = self.overlays.get(path.resolve())
        if overlay is not None:
            return overlay
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeError, ValueError):
            return None


def _directory(path: Path) -> Path:
    real = resolved(path)
    return real if real.is_dir() else real.parent


def _same_drive(a: Path, b: Path) -> bool:
    return a.resolve().anchor == b.resolve().anchor
