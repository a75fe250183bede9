"""``suitelint lsp``: the language server (pygls 2.x, stdio).

The event loop only talks to the client; every lint, fix and fixture lookup
runs on one worker thread (:mod:`suitelint.lsp.session` explains why one),
so the server answers while a lint runs.

Diagnostics:

- push (``textDocument/publishDiagnostics``) on open, save and change, for
  clients that do not pull;
- pull (``textDocument/diagnostic``) always answered; when the client
  declares pull support the server does not push as well (editors would show
  every finding twice) and asks for a refresh when another file's change
  affects open documents.

Changes are debounced on both edges: an edit after a quiet period is linted
at once (what an isolated edit costs is the lint itself), an edit within
``debounce-ms`` (default 200 ms) of the previous one waits until typing
pauses; a newer edit cancels the lint it supersedes when that has not started,
and a result for an outdated version is never published.

Robustness: handlers catch and log (``window/logMessage``) every error; a
request whose params do not deserialize gets an error response instead of
silence; a crashing rule is TST002 for that file (the engine's guard); a file
that does not parse is one TST001 diagnostic.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import logging
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Awaitable, Callable, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path, uri_scheme

from suitelint import __version__
from suitelint.lsp.actions import (
    FIX_ALL_KIND,
    fix_all,
    kind_requested,
    quick_fixes,
    suppressions,
    targets,
)
from suitelint.lsp.client_settings import ClientSettings, parse_client_settings
from suitelint.lsp.convert import lsp_range
from suitelint.lsp.hover import fixture_markdown, rule_markdown
from suitelint.lsp.navigation import FixtureDefinition
from suitelint.lsp.noqa import code_at
from suitelint.lsp.positions import UTF8, UTF16, UTF32, LineIndex
from suitelint.lsp.session import CONFIG_FILE_NAMES, LINTED_SUFFIXES, Document, LintOutcome, Session

T = TypeVar("T")
DEFAULT_DEBOUNCE_MS = 200
CONFIGURATION_TIMEOUT = 3.0  # seconds to wait for workspace/configuration before linting anyway
WATCHED_GLOBS = ("**/*.py", *(f"**/{name}" for name in sorted(CONFIG_FILE_NAMES)))
logger = logging.getLogger("suitelint.lsp")


class _MalformedRequest:
    """A request whose params did not deserialize: answered with the error."""

    def __init__(self, msg_id: Any, method: str, error: JsonRpcException) -> None:
        self.id = msg_id
        self.method = method
        self.error = error


class SuitelintProtocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if "id" in data and "method" in data and data.get("id") is not None:
                return _MalformedRequest(data["id"], str(data["method"]), exc)
            raise

    def handle_message(self, message: Any) -> None:
        if isinstance(message, _MalformedRequest):
            self._send_response(message.id, None, message.error.to_response_error())
            server = self._server
            if isinstance(server, SuitelintServer):
                server.log(types.MessageType.Error, f"suitelint: malformed {message.method} request ignored")
            return
        super().handle_message(message)


class SuitelintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            name="suitelint",
            version=__version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=SuitelintProtocol,
        )
        self.session = Session(self._log_from_worker, notify=self._notify_from_worker)
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="suitelint-lint")
        self.debounce = DEFAULT_DEBOUNCE_MS / 1000
        self.pull = False  # the client pulls diagnostics itself
        self.folders: list[Path] = []
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.last_change: dict[str, float] = {}
        self.ready = asyncio.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.startup_problem: str | None = None  # logged to the client after initialization

    # -- logging (window/logMessage), safe from any thread ----------------------------------
    def log(self, level: types.MessageType, message: str) -> None:
        try:
            self.window_log_message(types.LogMessageParams(type=level, message=message))
        except Exception:  # the client is gone: nowhere to report
            logger.exception("cannot send a log message")

    def _log_from_worker(self, level: types.MessageType, message: str) -> None:
        if self.loop is not None and self.loop.is_running():
            self.loop.call_soon_threadsafe(self.log, level, message)
        else:
            self.log(level, message)

    def _notify_from_worker(self, level: types.MessageType, message: str) -> None:
        def show() -> None:
            try:
                self.window_show_message(types.ShowMessageParams(type=level, message=message))
            except Exception:
                logger.exception("cannot show a message")

        if self.loop is not None and self.loop.is_running():
            self.loop.call_soon_threadsafe(show)
        else:
            show()

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls's last resort: log, never pop up a message box per bad message."""
        detail = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        self.log(types.MessageType.Error, f"suitelint: {source.__name__}: {error}\n{detail}")

    # -- running work on the lint worker ---------------------------------------------------
    async def run(self, function: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.worker, functools.partial(function, *args))

    def submit(self, function: Callable[..., Any], *args: Any) -> None:
        """Queue work on the worker without waiting (ordered before later work)."""
        future = self.worker.submit(function, *args)
        future.add_done_callback(self._check_background)

    def _check_background(self, future: Any) -> None:
        if not future.cancelled() and future.exception() is not None:
            error = future.exception()
            self._log_from_worker(types.MessageType.Error, "suitelint: " + "".join(
                traceback.format_exception(type(error), error, error.__traceback__)))

    def spawn(self, coroutine: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coroutine)
        task.add_done_callback(self._check_task)

    def _check_task(self, task: asyncio.Future[Any]) -> None:
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            assert error is not None
            self.log(types.MessageType.Error, "suitelint: " + "".join(
                traceback.format_exception(type(error), error, error.__traceback__)))

    # -- documents ---------------------------------------------------------------------
    def document_for(self, uri: str) -> Document | None:
        """The buffer behind ``uri`` as the engine sees it; None for what is not linted.

        ``file:`` URIs are linted as their path; ``untitled:`` buffers as a
        file of that name in the first workspace folder (never written, never
        an overlay); other schemes (``git:``, diff views, notebooks) are
        copies of files or not Python files and are skipped.
        """
        scheme = uri_scheme(uri)
        if scheme == "file":
            fs_path = to_fs_path(uri)
            if not fs_path:
                return None
            path = Path(fs_path).resolve()
            on_disk = True
        elif scheme == "untitled":
            name = uri.split(":", 1)[1].rstrip("/").rsplit("/", 1)[-1] or "untitled"
            path = ((self.folders[0] if self.folders else Path.cwd()) / name).resolve()
            if path.suffix not in LINTED_SUFFIXES:
                path = path.with_name(path.name + ".py")
            on_disk = False
        else:
            return None
        text_document = self.workspace.text_documents.get(uri)
        if text_document is None:
            if not on_disk or not path.is_file():
                return None
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeError):
                return None
            version = None
            language = "python"
        else:
            text = text_document.source
            version = text_document.version
            language = text_document.language_id or "python"
        if path.suffix not in LINTED_SUFFIXES and (language != "python" or path.suffix == ".pyi"):
            return None
        return Document(uri=uri, path=path, on_disk=on_disk, version=version, text=text)

    # -- diagnostics -------------------------------------------------------------------------
    def schedule(self, uri: str, delay: float | None = None) -> None:
        """Lint and publish ``uri`` after ``delay`` (None: the change debounce)."""
        if self.pull:
            return
        now = time.monotonic()
        previous = self.tasks.pop(uri, None)
        if delay is None:
            last = self.last_change.get(uri)
            busy = previous is not None and not previous.done()
            recent = last is not None and now - last < self.debounce
            delay = self.debounce if (busy or recent) else 0.0
            self.last_change[uri] = now
        if previous is not None and not previous.done():
            previous.cancel()
        task = asyncio.ensure_future(self._lint_and_publish(uri, delay))
        task.add_done_callback(self._check_task)
        self.tasks[uri] = task

    async def _lint_and_publish(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        await self._wait_ready()
        document = self.document_for(uri)
        if document is None or uri not in self.workspace.text_documents:
            return
        started = time.perf_counter()
        outcome = await self.run(self.session.lint, document)
        current = self.workspace.text_documents.get(uri)
        if outcome is None or current is None or current.version != document.version:
            return  # failed (logged), closed, or superseded by a newer version
        self.publish(outcome)
        logger.info("published %s v%s: %d findings, %.0f ms after the lint was queued", uri, document.version,
                    len(outcome.lsp_diagnostics), (time.perf_counter() - started) * 1000)

    async def _wait_ready(self) -> None:
        if not self.ready.is_set():
            try:
                await asyncio.wait_for(self.ready.wait(), CONFIGURATION_TIMEOUT)
            except asyncio.TimeoutError:
                self.ready.set()

    def publish(self, outcome: LintOutcome) -> None:
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=outcome.uri, version=outcome.version, diagnostics=outcome.lsp_diagnostics))

    def relint(self, uris: set[str], delay: float | None = 0.0) -> None:
        """Re-lint open documents affected by a change elsewhere."""
        if not uris:
            return
        if self.pull:
            if self._client_supports("workspace.diagnostics.refresh_support"):
                self.workspace_diagnostic_refresh(None)
            return
        for uri in uris:
            if uri in self.workspace.text_documents:
                self.schedule(uri, delay)

    async def relint_after(self, function: Callable[..., set[str]], *args: Any, delay: float | None = 0.0) -> None:
        self.relint(await self.run(function, *args), delay)

    # -- client capabilities and settings ----------------------------------------------------
    def _client_supports(self, dotted: str) -> bool:
        current: Any = self.client_capabilities
        for part in dotted.split("."):
            current = getattr(current, part, None)
            if current is None:
                return False
        return bool(current)

    def _markup_kind(self) -> types.MarkupKind:
        formats = getattr(getattr(getattr(self.client_capabilities, "text_document", None), "hover", None),
                          "content_format", None)
        if formats and types.MarkupKind.Markdown not in formats:
            return types.MarkupKind.PlainText
        return types.MarkupKind.Markdown

    def apply_client_settings(self, settings: ClientSettings) -> None:
        for problem in settings.problems:
            self.log(types.MessageType.Warning, f"suitelint: {problem}")
        if settings.debounce_ms is not None:
            self.debounce = settings.debounce_ms / 1000

    async def refresh_configuration(self) -> None:
        """Pull per-folder settings with workspace/configuration (when the client offers it)."""
        if not self._client_supports("workspace.configuration"):
            return
        scopes: list[Path | None] = list(self.folders) or [None]
        items = [types.ConfigurationItem(section="suitelint", scope_uri=folder.as_uri() if folder else None)
                 for folder in scopes]
        try:
            values = await self.workspace_configuration_async(types.ConfigurationParams(items=items))
        except Exception as exc:  # the client failed to answer: keep what we have
            self.log(types.MessageType.Warning, f"suitelint: workspace/configuration failed: {exc}")
            return
        per_folder: dict[Path | None, ClientSettings] = {}
        for folder, value in zip(scopes, values or [], strict=False):
            parsed = parse_client_settings(value, f"workspace/configuration for {folder or 'the workspace'}")
            self.apply_client_settings(parsed)
            per_folder[folder] = parsed
        await self.run(self.session.configure, None, per_folder)

    async def register_watchers(self) -> None:
        if not self._client_supports("workspace.did_change_watched_files.dynamic_registration"):
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_GLOBS])
        registration = types.Registration(id="suitelint-watched-files",
                                          method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                          register_options=options)
        try:
            await self.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception as exc:
            self.log(types.MessageType.Warning, f"suitelint: cannot watch files: {exc}")

    def encoding(self) -> str:
        value = str(getattr(self.workspace.position_encoding, "value", self.workspace.position_encoding) or UTF16)
        return {"utf-8": UTF8, "utf-32": UTF32}.get(value, UTF16)


def _guard(default: Any = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Handlers never raise into pygls: errors are logged and ``default`` is returned."""

    def decorate(handler: Callable[..., Any]) -> Callable[..., Any]:
        if asyncio.iscoroutinefunction(handler):
            @functools.wraps(handler)
            async def async_wrapper(server: SuitelintServer, params: Any) -> Any:
                try:
                    return await handler(server, params)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    server.log(types.MessageType.Error,
                               f"suitelint: {handler.__name__} failed:\n{traceback.format_exc()}")
                    return default() if callable(default) else default

            return async_wrapper

        @functools.wraps(handler)
        def wrapper(server: SuitelintServer, params: Any) -> Any:
            try:
                return handler(server, params)
            except Exception:
                server.log(types.MessageType.Error,
                           f"suitelint: {handler.__name__} failed:\n{traceback.format_exc()}")
                return default() if callable(default) else default

        return wrapper

    return decorate


def _empty_report() -> types.RelatedFullDocumentDiagnosticReport:
    return types.RelatedFullDocumentDiagnosticReport(items=[])


def create_server() -> SuitelintServer:
    server = SuitelintServer()

    @server.feature(types.INITIALIZE)
    @_guard()
    def initialize(ls: SuitelintServer, params: types.InitializeParams) -> None:
        ls.loop = asyncio.get_running_loop()
        folders = [Path(p) for f in (params.workspace_folders or []) if (p := to_fs_path(f.uri))]
        if not folders and params.root_uri and (root := to_fs_path(params.root_uri)):
            folders = [Path(root)]
        elif not folders and params.root_path:
            folders = [Path(params.root_path)]
        ls.folders = [folder.resolve() for folder in folders]
        ls.pull = ls._client_supports("text_document.diagnostic")
        settings = parse_client_settings(params.initialization_options, "initializationOptions")
        ls.apply_client_settings(settings)
        ls.session.encoding = ls.encoding()
        ls.submit(ls.session.set_folders, ls.folders)
        ls.submit(ls.session.configure, settings, None)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: SuitelintServer, params: types.InitializedParams) -> None:
        if ls.startup_problem:
            ls.log(types.MessageType.Error, ls.startup_problem)
            ls._notify_from_worker(types.MessageType.Error, ls.startup_problem.split("\n", 1)[0])
        try:
            await ls.refresh_configuration()
            await ls.register_watchers()
        except Exception:
            ls.log(types.MessageType.Error, f"suitelint: initialization failed:\n{traceback.format_exc()}")
        finally:
            ls.ready.set()

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: SuitelintServer, params: None) -> None:
        for task in ls.tasks.values():
            task.cancel()
        ls.worker.shutdown(wait=False, cancel_futures=True)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @_guard()
    def did_open(ls: SuitelintServer, params: types.DidOpenTextDocumentParams) -> None:
        document = ls.document_for(params.text_document.uri)
        if document is None:
            return
        ls.submit(ls.session.open, document)
        ls.schedule(document.uri, 0.0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @_guard()
    def did_change(ls: SuitelintServer, params: types.DidChangeTextDocumentParams) -> None:
        document = ls.document_for(params.text_document.uri)
        if document is None:
            return
        ls.submit(ls.session.open, document)
        ls.schedule(document.uri)
        ls.spawn(ls.relint_after(ls.session.buffer_changed, document.uri, delay=ls.debounce))

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    @_guard()
    def did_save(ls: SuitelintServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        fs_path = to_fs_path(uri) if uri_scheme(uri) == "file" else None
        if fs_path:
            changes = [(Path(fs_path), types.FileChangeType.Changed)]
            ls.spawn(ls.relint_after(ls.session.files_changed, changes))
        if ls.document_for(uri) is not None:
            ls.schedule(uri, 0.0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @_guard()
    def did_close(ls: SuitelintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls.tasks.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.last_change.pop(uri, None)
        ls.spawn(ls.relint_after(ls.session.close, uri))
        if not ls.pull:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @_guard()
    def did_change_watched_files(ls: SuitelintServer, params: types.DidChangeWatchedFilesParams) -> None:
        changes = [(Path(p), change.type) for change in params.changes
                   if uri_scheme(change.uri) == "file" and (p := to_fs_path(change.uri))]
        if changes:
            ls.spawn(ls.relint_after(ls.session.files_changed, changes))

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @_guard()
    async def did_change_configuration(ls: SuitelintServer, params: types.DidChangeConfigurationParams) -> None:
        if ls._client_supports("workspace.configuration"):
            await ls.refresh_configuration()
        elif params.settings is not None:
            settings = parse_client_settings(params.settings, "workspace/didChangeConfiguration")
            ls.apply_client_settings(settings)
            await ls.run(ls.session.configure, settings, None)
        ls.relint(set(ls.workspace.text_documents))

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    @_guard()
    async def did_change_folders(ls: SuitelintServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        removed = {Path(p).resolve() for f in params.event.removed if (p := to_fs_path(f.uri))}
        added = [Path(p).resolve() for f in params.event.added if (p := to_fs_path(f.uri))]
        ls.folders = [f for f in ls.folders if f not in removed] + [f for f in added if f not in ls.folders]
        await ls.run(ls.session.set_folders, ls.folders)
        await ls.refresh_configuration()
        ls.relint(set(ls.workspace.text_documents))

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier="suitelint", inter_file_dependencies=True, workspace_diagnostics=False),
    )
    @_guard(default=_empty_report)
    async def diagnostic(ls: SuitelintServer, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
        await ls._wait_ready()
        document = ls.document_for(params.text_document.uri)
        if document is None:
            return _empty_report()
        outcome = await ls.run(ls.session.current_outcome, document)
        if params.previous_result_id is not None and params.previous_result_id == outcome.result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=outcome.result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=outcome.lsp_diagnostics, result_id=outcome.result_id)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    @_guard()
    async def code_action(ls: SuitelintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        document = ls.document_for(params.text_document.uri)
        if document is None:
            return None
        only = params.context.only
        outcome = await ls.run(ls.session.current_outcome, document)
        index = outcome.index
        versioned = ls._client_supports("workspace.workspace_edit.document_changes")
        actions: list[types.CodeAction] = []
        found = targets(index, params.range, params.context.diagnostics or [],
                        list(zip(outcome.diagnostics, outcome.lsp_diagnostics, strict=True)))
        if kind_requested(types.CodeActionKind.QuickFix, only):
            actions.extend(quick_fixes(document.uri, document.version, index, found, versioned))
            actions.extend(suppressions(document.uri, document.version, index, found, versioned))
        safe = [d for d in outcome.diagnostics if d.fix is not None and d.fix.is_safe]
        explicitly = bool(only) and kind_requested(FIX_ALL_KIND, only)
        worth_offering = len(safe) > 1 and any(t.fix is not None and t.fix.is_safe for t in found)
        if safe and (explicitly or (not only and worth_offering)):
            fixed = await ls.run(ls.session.fix_all, document)
            if fixed is not None:
                actions.append(fix_all(document.uri, document.version, index, fixed, versioned))
        return actions or None

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @_guard()
    async def hover(ls: SuitelintServer, params: types.HoverParams) -> types.Hover | None:
        document = ls.document_for(params.text_document.uri)
        if document is None:
            return None
        index = LineIndex(document.text, ls.session.encoding)
        position = index.from_lsp(params.position.line, params.position.character)
        kind = ls._markup_kind()
        code = code_at(index.line(params.position.line), position.column - 1)
        if code is not None:
            text = rule_markdown(code)
            return types.Hover(contents=types.MarkupContent(kind=kind, value=text)) if text else None
        found = await ls.run(ls.session.fixtures_at, document, position)
        if found is None:
            return None
        reference, resolution = found
        display = await ls.run(_display_paths, ls.session, resolution.definitions)
        text = fixture_markdown(reference.name, resolution, display)
        return types.Hover(contents=types.MarkupContent(kind=kind, value=text), range=lsp_range(index, reference.span))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @_guard()
    async def definition(ls: SuitelintServer, params: types.DefinitionParams) -> list[types.Location] | None:
        document = ls.document_for(params.text_document.uri)
        if document is None:
            return None
        index = LineIndex(document.text, ls.session.encoding)
        position = index.from_lsp(params.position.line, params.position.character)
        found = await ls.run(ls.session.fixtures_at, document, position)
        if found is None or not found[1].definitions:
            return None
        location = await ls.run(ls.session.location, found[1].definitions[0])
        return [location] if location is not None else None

    return server


def _display_paths(session: Session, definitions: list[FixtureDefinition]) -> dict[Path, str]:
    return {d.path: session.display_path(d.path) for d in definitions if d.path is not None}


def main(argv: list[str] | None = None) -> int:
    """Run the language server on stdin/stdout until the client says exit."""
    parser = argparse.ArgumentParser(prog="suitelint lsp", description="suitelint language server (stdio)")
    parser.add_argument("--log-file", type=Path, help="write the server's own log (timings) to this file")
    args = parser.parse_args(argv if argv is not None else [])
    if args.log_file is not None:
        logging.basicConfig(filename=args.log_file, level=logging.DEBUG,
                            format="%(asctime)s %(name)s %(levelname)s %(message)s")
        logging.getLogger("pygls").setLevel(logging.WARNING)  # one line per message is too much
    else:
        logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    problem = prepare_process()
    server = create_server()
    server.startup_problem = problem
    server.start_io()
    return 0


def prepare_process() -> str | None:
    """Import every rule now (not in the first lint) and keep the collector off long-lived objects.

    pygls, lsprotocol and the rules are tens of thousands of objects that live
    as long as the process; frozen, full collections no longer walk them
    (they caused the slowest lints). Like ``suitelint check``, the young
    generation is collected less often: the parser allocates many small objects.
    """
    from suitelint.core.registry import load_rules

    problem = None
    try:
        load_rules()
    except Exception:  # a broken rule module: told to the client once it is connected
        problem = f"suitelint: some rules could not be imported and do not run:\n{traceback.format_exc()}"
        logger.error(problem)
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    return problem


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
