"""Editor latency of ``suitelint lsp``: from ``didChange`` to ``publishDiagnostics``.

Generates a project of 200 modules (a ``src/`` package whose modules import
each other, test packages with conftest chains, and one 1,000-line test
module that uses fixtures, async tests and the project's modules), starts the
real server over stdio (as an editor would) and measures, with the wall clock
of this client process:

- cold: a fresh server process; ``didOpen`` of the 1,000-line module until
  its first ``publishDiagnostics`` (rule modules imported, project
  configuration and conftest chain read for the first time); one sample per
  server start;
- warm: one-character edits (``didChange``, incremental) of the same module
  after a pause, until the diagnostics of that version arrive;
- burst: five edits 40 ms apart (typing), from the last edit until its
  diagnostics arrive: the debounce waits for typing to pause, so this is
  about the debounce plus one lint.

Each edit changes the findings (a ``time.sleep`` is added or removed) and
produces a text the server has never seen, so nothing can be answered from a
cache.  Reported: median and p95 per
kind, plus the engine's own lint time of the module in-process for reference.

    python bench/lsp_latency.py [--cold 10] [--warm 60] [--bursts 10] [--keep DIR] [--select TST2,TST4]

``--select`` sends a rule selection as ``initializationOptions``: with cheap
rules only, what remains is the server's own cost (transport, scheduling,
conversion) plus parsing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.protocol import LanguageServerProtocol

SERVER = [sys.executable, "-m", "suitelint.lsp.server"]
SOURCE_MODULES = 150
TEST_MODULES = 44  # + big module + 3 conftest.py + 2 package __init__ = 200 modules
BIG_MODULE = "tests/unit/test_orders.py"
BIG_LINES = 1000
PAUSE = 0.5  # seconds between warm edits: longer than the debounce


# -- the generated project -----------------------------------------------------------------
def _source_module(index: int) -> str:
    imports = "".join(
        f"from app.mod{dep:03d} import Service{dep:03d}\n"
        for dep in (index // 2, index // 3)
        if dep < index
    )
    return textwrap.dedent(f'''
        """Service {index}."""
        from __future__ import annotations

        import asyncio
        import dataclasses
        {imports.strip()}


        @dataclasses.dataclass
        class Record{index:03d}:
            key: str
            value: int = 0


        class Service{index:03d}:
            def __init__(self, prefix: str = "s{index}") -> None:
                self.prefix = prefix
                self.items: dict[str, Record{index:03d}] = {{}}

            def put(self, key: str, value: int) -> Record{index:03d}:
                record = Record{index:03d}(self.prefix + key, value)
                self.items[record.key] = record
                return record

            async def fetch(self, key: str) -> Record{index:03d} | None:
                await asyncio.sleep(0)
                return self.items.get(self.prefix + key)


        def helper_{index:03d}(values: list[int]) -> int:
            return sum(value * {index} for value in values)
        ''').lstrip()


def _test_module(index: int) -> str:
    service = index % SOURCE_MODULES
    return textwrap.dedent(f"""
        import pytest

        from app.mod{service:03d} import Service{service:03d}, helper_{service:03d}


        @pytest.fixture
        def service():
            return Service{service:03d}()


        def test_put(service, database):
            assert service.put("a", 1).value == 1


        @pytest.mark.asyncio
        async def test_fetch(service):
            service.put("a", 2)
            assert (await service.fetch("a")).value == 2


        @pytest.mark.parametrize("values", [[1, 2], [3]])
        def test_helper(values):
            assert helper_{service:03d}(values) >= 0
        """).lstrip()


def _big_module() -> str:
    head = textwrap.dedent('''
        """Orders: the suite's largest module (generated for the latency benchmark)."""
        import asyncio
        import time

        import pytest

        from app.mod001 import Service001
        from app.mod042 import Service042, helper_042
        from app.mod149 import Service149


        @pytest.fixture
        def orders():
            return Service001()


        @pytest.fixture(scope="module")
        def archive():
            return Service149("archive")
        ''').lstrip()
    blocks: list[str] = [head]
    index = 0
    while sum(block.count("\n") for block in blocks) < BIG_LINES - 20:
        kind = index % 4
        if kind == 0:
            blocks.append(
                textwrap.dedent(f"""

                def test_order_{index}(orders, database, user):
                    record = orders.put("o{index}", {index})
                    assert record.value == {index}
                    assert helper_042([{index}, 1]) > 0
                """)
            )
        elif kind == 1:
            blocks.append(
                textwrap.dedent(f"""

                @pytest.mark.asyncio
                async def test_fetch_{index}(orders):
                    orders.put("o{index}", {index})
                    found = await orders.fetch("o{index}")
                    await asyncio.sleep(0)
                    assert found is not None
                """)
            )
        elif kind == 2:
            blocks.append(
                textwrap.dedent(f"""

                class TestArchive{index}:
                    def test_put(self, archive):
                        assert archive.put("k{index}", 1).key.endswith("k{index}")

                    def test_service(self):
                        assert Service042().prefix
                """)
            )
        else:
            blocks.append(
                textwrap.dedent(f"""

                @pytest.mark.parametrize("n", [1, 2, 3])
                def test_many_{index}(n, orders):
                    for i in range(n):
                        orders.put(str(i), i)
                    assert len(orders.items) == n
                """)
            )
        index += 1
    text = "".join(blocks)
    lines = text.splitlines()
    lines.extend(["", "", "def test_tail(orders):", "    assert orders"])
    while len(lines) < BIG_LINES:
        lines.insert(len(lines) - 1, "    assert orders.items is not None")
    return "\n".join(lines[:BIG_LINES]) + "\n"


def generate_project(root: Path) -> Path:
    files: dict[str, str] = {
        "pyproject.toml": textwrap.dedent("""
            [project]
            name = "app"
            version = "0"

            [tool.pytest.ini_options]
            testpaths = ["tests"]
            pythonpath = ["src"]
            asyncio_mode = "strict"
            """).lstrip(),
        "src/app/__init__.py": '"""The application."""\n',
        "tests/conftest.py": textwrap.dedent("""
            import pytest


            @pytest.fixture(scope="session")
            def database():
                return {}
            """).lstrip(),
        "tests/unit/__init__.py": "",
        "tests/unit/conftest.py": textwrap.dedent("""
            import pytest


            @pytest.fixture
            def user(database):
                return "alice"
            """).lstrip(),
        "tests/integration/conftest.py": textwrap.dedent("""
            import pytest


            @pytest.fixture
            def client():
                return object()
            """).lstrip(),
        BIG_MODULE: _big_module(),
    }
    for index in range(SOURCE_MODULES - 1):
        files[f"src/app/mod{index:03d}.py"] = _source_module(index)
    files[f"src/app/mod{SOURCE_MODULES - 1:03d}.py"] = _source_module(
        SOURCE_MODULES - 1
    )
    for index in range(TEST_MODULES):
        folder = "unit" if index % 2 else "integration"
        files[f"tests/{folder}/test_feature_{index:03d}.py"] = _test_module(index)
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    modules = sum(1 for _ in root.rglob("*.py"))
    assert modules == 200, modules
    return root / BIG_MODULE


# -- the client ----------------------------------------------------------------------------------
class _TimestampingProtocol(LanguageServerProtocol):
    """Notes when a publishDiagnostics arrives, before pygls turns it into objects.

    An editor's JSON parsing is part of the editor; pygls's (cattrs) object
    conversion on this side is not what a user waits for.
    """

    probe: Probe | None = None

    def structure_message(self, data: dict[str, Any]) -> Any:
        if (
            data.get("method") == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
            and self.probe is not None
        ):
            params = data.get("params") or {}
            if params.get("uri") == self.probe.uri:
                self.probe.arrived(
                    params.get("version"), len(params.get("diagnostics") or ())
                )
        return super().structure_message(data)


class Probe:
    """A client that timestamps each publishDiagnostics of the measured document."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.client = LanguageClient(
            "suitelint-latency-bench", "1", protocol_cls=_TimestampingProtocol
        )
        self.client.protocol.probe = self  # type: ignore[attr-defined]
        self.arrivals: dict[int | None, tuple[float, int]] = {}
        self.changed = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            pass  # timed in _TimestampingProtocol

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def logged(params: types.LogMessageParams) -> None:
            if params.type == types.MessageType.Error:
                print(f"server error: {params.message}", file=sys.stderr)

    def arrived(self, version: int | None, findings: int) -> None:
        self.arrivals[version] = (time.perf_counter(), findings)
        self.changed.set()

    async def start(self, root: Path, options: dict[str, Any] | None) -> None:
        await self.client.start_io(*SERVER)
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                workspace_folders=[
                    types.WorkspaceFolder(uri=root.as_uri(), name=root.name)
                ],
                initialization_options=options,
            )
        )
        self.client.initialized(types.InitializedParams())

    async def wait_for(self, version: int, timeout: float = 60.0) -> tuple[float, int]:
        deadline = time.perf_counter() + timeout
        while version not in self.arrivals:
            self.changed.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no diagnostics for version {version}")
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass
        return self.arrivals[version]

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def _next_text(current: str, version: int) -> str:
    """The next statement of the edited line: a sleep (TST406) or an assert, never a text seen before."""
    return (
        f"assert orders, {version}"
        if current.startswith("time.sleep")
        else f"time.sleep({version})"
    )


def _edit(
    uri: str, version: int, line: int, old: str, new: str
) -> types.DidChangeTextDocumentParams:
    """Replace ``old`` (at the start of ``line``'s text after 4 spaces) with ``new``."""
    return types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[
            types.TextDocumentContentChangePartial(
                range=types.Range(
                    start=types.Position(line=line, character=4),
                    end=types.Position(line=line, character=4 + len(old)),
                ),
                text=new,
            )
        ],
    )


async def measure(
    root: Path,
    big: Path,
    cold_runs: int,
    warm_runs: int,
    bursts: int,
    options: dict[str, Any] | None = None,
) -> dict[str, list[float]]:
    uri = big.as_uri()
    text = big.read_text(encoding="utf-8")
    # the line we edit: an assert in the last test; toggling it into a sleep changes the findings
    target_line = len(text.splitlines()) - 1
    original = "assert orders"
    assert text.splitlines()[target_line].strip() == original
    results: dict[str, list[float]] = {"cold": [], "warm": [], "burst": []}

    for run in range(cold_runs):
        probe = Probe(uri)
        await probe.start(root, options)
        sent = time.perf_counter()
        probe.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=text
                )
            )
        )
        arrived, _ = await probe.wait_for(1)
        results["cold"].append(arrived - sent)
        if run < cold_runs - 1:
            await probe.stop()

    # warm: the last server of the cold runs has linted the module once
    version = 1
    current = original
    for _ in range(warm_runs):
        await asyncio.sleep(PAUSE)
        version += 1
        replacement = _next_text(current, version)
        sent = time.perf_counter()
        probe.client.text_document_did_change(
            _edit(uri, version, target_line, current, replacement)
        )
        current = replacement
        arrived, _ = await probe.wait_for(version)
        results["warm"].append(arrived - sent)

    for _ in range(bursts):
        await asyncio.sleep(PAUSE)
        for step in range(5):
            version += 1
            replacement = _next_text(current, version)
            sent = time.perf_counter()
            probe.client.text_document_did_change(
                _edit(uri, version, target_line, current, replacement)
            )
            current = replacement
            if step < 4:
                await asyncio.sleep(0.04)
        arrived, _ = await probe.wait_for(version)
        results["burst"].append(arrived - sent)
    await probe.stop()
    return results


def engine_lint_time(
    root: Path, big: Path, select: list[str] | None, runs: int = 20
) -> list[float]:
    from suitelint.core.engine import lint_file
    from suitelint.core.workspace import Workspace

    workspace = Workspace(
        cwd=root, overrides={"select": tuple(select)} if select else None
    )
    lines = big.read_text(encoding="utf-8").splitlines()
    lint_file(big, workspace, source="\n".join(lines) + "\n")
    samples = []
    current = lines[-1].strip()
    for run in range(runs):
        # the same edits as the server gets: a text never linted before (caches keyed by text miss)
        current = _next_text(current, run + 2)
        text = "\n".join([*lines[:-1], "    " + current]) + "\n"
        started = time.perf_counter()
        lint_file(big, workspace, source=text)
        samples.append(time.perf_counter() - started)
    return samples


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def report(results: dict[str, list[float]]) -> str:
    lines = [
        "| measurement | samples | median | p95 | max |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, samples in results.items():
        if not samples:
            continue
        lines.append(
            f"| {name} | {len(samples)} | {statistics.median(samples) * 1000:.0f} ms | "
            f"{_percentile(samples, 0.95) * 1000:.0f} ms | {max(samples) * 1000:.0f} ms |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--cold", type=int, default=10, help="server starts (cold samples)"
    )
    parser.add_argument(
        "--warm", type=int, default=60, help="single edits after a pause"
    )
    parser.add_argument(
        "--bursts", type=int, default=10, help="bursts of five quick edits"
    )
    parser.add_argument(
        "--keep", type=Path, help="generate the project here and keep it"
    )
    parser.add_argument(
        "--select",
        help="comma-separated codes/prefixes sent as initializationOptions "
        "(default: the project's selection, i.e. every rule on by default)",
    )
    args = parser.parse_args(argv)
    select = [code.strip() for code in args.select.split(",")] if args.select else None
    options = {"select": select} if select else None

    with tempfile.TemporaryDirectory(prefix="suitelint-lsp-bench-") as scratch:
        root = (args.keep or Path(scratch)).resolve()
        big = generate_project(root)
        print(
            f"project: {root} (200 modules; {BIG_MODULE}: {len(big.read_text().splitlines())} lines)"
        )
        results: dict[str, Any] = asyncio.run(
            measure(root, big, max(args.cold, 1), args.warm, args.bursts, options)
        )
        results["engine lint_file (in-process, warm)"] = engine_lint_time(
            root, big, select
        )
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}; "
        f"rules: {', '.join(select) if select else 'default selection'}"
    )
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
