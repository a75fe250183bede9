"""The language server's project state: workspaces, open buffers, lint results, invalidation.

One :class:`~suitelint.core.workspace.Workspace` per workspace folder (plus
one for files outside every folder), all sharing one ``overlays`` dict: the
text of every open buffer, so that cross-file rules read what the user sees,
not what is saved.

Every method of :class:`Session` runs on the server's single lint worker
thread: the engine, the workspaces' lazy caches and astroid are not
thread-safe, and one thread also orders edits, invalidations and lints the
way they arrived.

Invalidation follows what a change can affect:

- a configuration file (``pyproject.toml``, ``suitelint.toml``, pytest's ini
  files) -> fresh workspaces, every open document re-linted;
- a Python file changed on disk (saved, or changed by another program) ->
  astroid's cached module evicted, the workspace's project-model caches
  (``workspace.extensions``) and astroid's inference cache dropped, the open
  documents that depend on it (``FileResult.dependencies`` and
  ``summary_dependencies``) re-linted; a
  created or deleted file re-lints every open document (module resolution);
- an open buffer edited -> its astroid module evicted; the other open
  documents that depend on it, and for a ``conftest.py`` those below it, are
  re-linted (debounced) with fresh caches, dropped just before their lint.

Typing in a buffer does not drop the caches for its own lints: the
project-wide views (the suite's fixture requests, its imports) would be
rebuilt on every keystroke, doubling the latency.  The buffer's own part of
those views is refreshed when it is saved or when another file changes.
"""

from __future__ import annotations

import hashlib
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from lsprotocol import types

from suitelint import inference
from suitelint.config.loader import ConfigError
from suitelint.core.diagnostic import Diagnostic
from suitelint.core.engine import INTERNAL_ERROR, lint_file
from suitelint.core.fixer import apply_fixes
from suitelint.core.workspace import Workspace
from suitelint.core.diagnostic import Position
from suitelint.lsp.client_settings import ClientSettings
from suitelint.lsp.convert import lsp_range, to_lsp_diagnostic
from suitelint.lsp.navigation import (
    FixtureDefinition,
    FixtureReference,
    Resolution,
    build_context,
    reference_at,
    resolve,
)
from suitelint.lsp.positions import UTF16, LineIndex
from suitelint.project.modules import module_map
from suitelint.pytest_model.ini import INI_NAMES

CONFIG_FILE_NAMES = frozenset({"pyproject.toml", "suitelint.toml", *INI_NAMES})
LINTED_SUFFIXES = frozenset({".py", ".pyw"})
MAX_FIX_PASSES = 4

Log = Callable[[types.MessageType, str], None]


@dataclass
class Document:
    """An open buffer as the worker last saw it."""

    uri: str
    path: Path  # the path it is linted as (synthetic for untitled buffers)
    on_disk: bool  # a file: URI (its text is an overlay of a real file)
    version: int | None
    text: str


@dataclass
class LintOutcome:
    uri: str
    version: int | None
    text: str
    index: LineIndex
    diagnostics: list[Diagnostic]
    lsp_diagnostics: list[types.Diagnostic]
    result_id: str
    error: str | None = None  # a configuration problem: no findings until it is fixed


class Session:
    def __init__(self, log: Log, cwd: Path | None = None, notify: Log | None = None) -> None:
        self.log = log
        self.notify = notify or log  # what the user must see (window/showMessage)
        self.cwd = (cwd or Path.cwd()).resolve()
        self.folders: list[Path] = []
        self.settings = ClientSettings()  # initializationOptions
        self.folder_settings: dict[Path | None, ClientSettings] = {}  # workspace/configuration
        self.encoding = UTF16
        self.overlays: dict[Path, str] = {}
        self.documents: dict[str, Document] = {}
        self.outcomes: dict[str, LintOutcome] = {}
        self.dependencies: dict[str, frozenset[Path]] = {}
        self._workspaces: dict[Path | None, Workspace] = {}
        self._stale: set[str] = set()  # documents to lint with fresh project-model caches
        self._reported_errors: set[str] = set()

    # -- workspaces ----------------------------------------------------------------
    def set_folders(self, folders: list[Path]) -> None:
        self.folders = sorted({folder.resolve() for folder in folders}, key=lambda p: len(p.parts), reverse=True)
        self._workspaces.clear()

    def folder_of(self, path: Path) -> Path | None:
        for folder in self.folders:  # deepest first
            if path == folder or folder in path.parents:
                return folder
        return None

    def workspace_for(self, path: Path) -> Workspace:
        folder = self.folder_of(path)
        workspace = self._workspaces.get(folder)
        if workspace is None:
            settings = self.settings.merged(self.folder_settings.get(folder, ClientSettings()))
            workspace = Workspace(cwd=folder or self.cwd, overrides=dict(settings.overrides))
            workspace.overlays = self.overlays
            self._workspaces[folder] = workspace
        return workspace

    def configure(self, settings: ClientSettings | None = None,
                  folder_settings: dict[Path | None, ClientSettings] | None = None) -> None:
        """New editor settings (initializationOptions / workspace/configuration)."""
        if settings is not None:
            self.settings = settings
        if folder_settings is not None:
            self.folder_settings = folder_settings
        self.reset_workspaces()

    def reset_workspaces(self) -> None:
        """Forget every workspace (settings, pytest config, project model): rebuilt on demand."""
        self._workspaces.clear()
        self.outcomes.clear()

    # -- documents -----------------------------------------------------------------
    def open(self, document: Document) -> None:
        self.documents[document.uri] = document
        if document.on_disk:
            self.overlays[document.path] = document.text
        self._evict(document.path)

    def close(self, uri: str) -> set[str]:
        """Forget a closed buffer: the other open documents to re-lint (its file is read from disk again)."""
        document = self.documents.pop(uri, None)
        self.outcomes.pop(uri, None)
        self.dependencies.pop(uri, None)
        if document is None or not document.on_disk:
            return set()
        self.overlays.pop(document.path, None)
        return self._python_changed(document.path, on_disk=False)

    def uris_below(self, directory: Path) -> set[str]:
        return {uri for uri, doc in self.documents.items() if directory in doc.path.parents}

    # -- linting ---------------------------------------------------------------------
    def lint(self, document: Document) -> LintOutcome | None:
        """Lint a buffer; None when the server itself failed (logged)."""
        index = LineIndex(document.text, self.encoding)
        try:
            workspace = self.workspace_for(document.path)
            if document.uri in self._stale:
                self._drop_caches(workspace)
            self._evict(document.path)
            result = lint_file(document.path, workspace, source=document.text)
        except ConfigError as exc:
            message = str(exc)
            if message not in self._reported_errors:
                self._reported_errors.add(message)
                self.log(types.MessageType.Error, f"suitelint: configuration error: {message}")
                self.notify(types.MessageType.Warning, f"suitelint: no findings until this is fixed: {message}")
            return self._outcome(document, index, [], error=message)
        except Exception:  # a bug outside the rules (they are guarded by the engine)
            failure = traceback.format_exc()
            if failure not in self._reported_errors:  # once, not on every keystroke
                self._reported_errors.add(failure)
                self.log(types.MessageType.Error, f"suitelint: linting {document.uri} failed:\n{failure}")
            return None
        for diagnostic in result.diagnostics:
            if diagnostic.code == INTERNAL_ERROR:
                self.log(types.MessageType.Warning, f"suitelint: {document.uri}: {diagnostic.message}")
        outcome = self._outcome(document, index, result.diagnostics)
        if document.uri in self.documents:
            self.dependencies[document.uri] = frozenset(
                p.resolve() for p in (*result.dependencies, *result.summary_dependencies))
            self.outcomes[document.uri] = outcome
        return outcome

    def _outcome(self, document: Document, index: LineIndex, diagnostics: list[Diagnostic],
                 error: str | None = None) -> LintOutcome:
        digest = hashlib.sha1(repr((error, [d.to_json() for d in diagnostics])).encode()).hexdigest()[:16]
        return LintOutcome(
            uri=document.uri,
            version=document.version,
            text=document.text,
            index=index,
            diagnostics=diagnostics,
            lsp_diagnostics=[to_lsp_diagnostic(index, d) for d in diagnostics],
            result_id=digest,
            error=error,
        )

    def current_outcome(self, document: Document) -> LintOutcome:
        """The outcome for exactly this text (cached, else linted now)."""
        cached = self.outcomes.get(document.uri)
        if cached is not None and cached.version == document.version and cached.text == document.text:
            return cached
        outcome = self.lint(document)
        if outcome is None:
            return self._outcome(document, LineIndex(document.text, self.encoding), [])
        return outcome

    def fix_all(self, document: Document) -> str | None:
        """The buffer with every safe fix applied (repeated while fixes appear), None if none apply."""
        text = document.text
        workspace = self.workspace_for(document.path)
        try:
            for _ in range(MAX_FIX_PASSES):
                self._evict(document.path)
                result = lint_file(document.path, workspace, source=text)
                fixes = [d.fix for d in result.diagnostics if d.fix is not None and d.fix.is_safe]
                fixed = apply_fixes(text, fixes) if fixes else text
                if fixed == text:
                    break
                text = fixed
        except ConfigError:
            return None
        finally:
            self._evict(document.path)
        return text if text != document.text else None

    # -- fixtures ----------------------------------------------------------------------
    def fixtures_at(self, document: Document, position: Position) -> tuple[FixtureReference, Resolution] | None:
        """The fixture name at ``position`` and what pytest resolves it to."""
        workspace = self.workspace_for(document.path)
        ctx = build_context(workspace, document.path, document.text)
        if ctx is None:
            return None
        reference = reference_at(ctx, position)
        if reference is None:
            return None
        return reference, resolve(ctx, reference)

    def location(self, definition: FixtureDefinition) -> types.Location | None:
        """Where a definition is, in the client's position encoding."""
        if definition.path is None or definition.span is None:
            return None
        text = self.workspace_for(definition.path).read_text(definition.path)
        if text is None:
            return None
        return types.Location(uri=definition.path.as_uri(),
                              range=lsp_range(LineIndex(text, self.encoding), definition.span))

    def display_path(self, path: Path) -> str:
        """A short name for a path: relative to its workspace folder, or below site-packages."""
        parts = path.parts
        for marker in ("site-packages", "dist-packages"):
            if marker in parts:
                return "/".join(parts[len(parts) - parts[::-1].index(marker):])
        return self.workspace_for(path).relative(path)

    # -- invalidation -------------------------------------------------------------------
    def buffer_changed(self, uri: str) -> set[str]:
        """An open buffer's text changed: the other open documents to re-lint."""
        document = self.documents.get(uri)
        if document is None or not document.on_disk:
            return set()
        return self._python_changed(document.path, on_disk=False) - {uri}

    def files_changed(self, changes: list[tuple[Path, types.FileChangeType]]) -> set[str]:
        """Files changed on disk (saved, watched): the open documents to re-lint."""
        affected: set[str] = set()
        for path, kind in changes:
            path = path.resolve()
            if path.name in CONFIG_FILE_NAMES:
                self.reset_workspaces()
                self._reported_errors.clear()
                affected |= set(self.documents)
            elif path.suffix in LINTED_SUFFIXES:
                if kind in (types.FileChangeType.Created, types.FileChangeType.Deleted):
                    self._python_changed(path, on_disk=True)
                    self.outcomes.clear()
                    affected |= set(self.documents)  # module resolution may change anywhere
                else:
                    affected |= self._python_changed(path, on_disk=True)
        return affected

    def _python_changed(self, path: Path, on_disk: bool) -> set[str]:
        """A Python file changed: evict it; the open documents (other than itself) it affects."""
        self._evict(path)
        affected = {uri for uri, deps in self.dependencies.items() if path in deps}
        if path.name == "conftest.py":
            affected |= self.uris_below(path.parent)
        affected = {uri for uri in affected if (doc := self.documents.get(uri)) is None or doc.path != path}
        if on_disk:
            self._drop_caches(self.workspace_for(path))
        else:
            # dropped just before a dependent is linted, not on every keystroke in ``path``
            self._stale |= affected
        for uri in affected:
            self.outcomes.pop(uri, None)  # a pull must not get the result computed before the change
        return affected

    def _drop_caches(self, workspace: Workspace) -> None:
        """Forget the project model built from other files' old text (and astroid's inferences)."""
        workspace.extensions.clear()
        inference.clear_inference_cache()
        self._stale = {uri for uri in self._stale if (doc := self.documents.get(uri)) is not None
                       and self.workspace_for(doc.path) is not workspace}

    def _evict(self, path: Path) -> None:
        workspace = self.workspace_for(path)
        try:
            names = {workspace.module_name(path), *module_map(workspace, path).names_for(path)}
        except Exception:  # a broken configuration: nothing was cached under its names either
            names = {path.stem}
        for name in names:
            inference.evict(name)
