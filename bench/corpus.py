"""Download the pinned benchmark corpus: the test suites of ten well-known projects.

For every pinned project the sdist is fetched from the package index (PEP 691
JSON simple API, PEP 503 HTML as a fallback; the index's sha256 is verified),
then only its test directories, the conftest.py files that apply to them and
the project's root configuration files (pyproject.toml, setup.cfg, tox.ini,
pytest.ini) are extracted, so that configuration-aware rules see real configs.

Layout under ``--corpus-dir`` (default ``bench/corpus/``, git-ignored)::

    downloads/<sdist>            the verified archives
    trees/<name>-<version>/      one extracted tree per project (its own root)
    trees/suitelint.toml         empty: stops the configuration search at the
                                 corpus, so the repository's own
                                 [tool.suitelint] never applies to it
    manifest.json                what was fetched, and any version substitution

Every step is idempotent: a verified archive is not fetched again and a
complete tree (marker holding the archive's sha256) is not extracted again.
``pip download`` is not used on purpose: it prepares metadata by building the
sdist (pandas needs meson and a compiler).
"""

from __future__ import annotations

import argparse
import hashlib
import html.parser
import json
import os
import re
import shutil
import sys
import tarfile
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from benchlib import REPO_ROOT, count_lines, fmt_count, markdown_table

DEFAULT_CORPUS_DIR = REPO_ROOT / "bench" / "corpus"
DEFAULT_INDEX_URL = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple")
CONFIG_FILES = frozenset({"pyproject.toml", "setup.cfg", "tox.ini", "pytest.ini"})
COMPLETE_MARKER = ".corpus-complete"
ISOLATION_CONFIG = "suitelint.toml"
TIMEOUT = 120.0


@dataclass(frozen=True)
class Package:
    """A pinned project and where its test suite lives inside its sdist."""

    name: str
    version: str
    test_dirs: tuple[str, ...]


PINNED: tuple[Package, ...] = (
    Package("pandas", "3.1.1", ("pandas/tests",)),
    Package("aiohttp", "3.14.5", ("tests",)),
    Package("redis", "8.1.0", ("tests",)),
    Package("celery", "5.7.0", ("t",)),
    Package("pydantic", "2.14.3", ("tests",)),
    Package("pytest", "9.2.0", ("testing",)),
    Package("anyio", "4.16.0", ("tests",)),
    Package("httpx", "0.28.1", ("tests",)),
    Package("starlette", "1.10.0", ("tests",)),
    Package("pytest-asyncio", "1.5.0", ("tests",)),
)


@dataclass
class Entry:
    """One project of the corpus as fetched and extracted."""

    name: str
    pinned: str
    version: str
    sdist: str
    sha256: str
    url: str
    tree: str  # relative to the corpus directory
    files: int  # *.py files extracted
    lines: int  # lines of those files
    note: str = ""

    def tree_path(self, corpus_dir: Path) -> Path:
        return corpus_dir / self.tree


@dataclass(frozen=True)
class IndexFile:
    filename: str
    url: str
    sha256: str | None
    yanked: bool = False


# -- pure helpers ---------------------------------------------------------------------
def normalize(name: str) -> str:
    """PEP 503 project name normalisation."""
    return re.sub(r"[-_.]+", "-", name).lower()


def sdist_version(filename: str, project: str) -> str | None:
    """The version of ``project`` that sdist ``filename`` holds, else None."""
    for suffix in (".tar.gz", ".zip"):
        if filename.endswith(suffix):
            stem = filename[: -len(suffix)]
            break
    else:
        return None
    name, sep, version = stem.rpartition("-")
    if not sep or not version or normalize(name) != normalize(project):
        return None
    return version


def choose_version(pinned: str, available: Iterable[str]) -> str:
    """``pinned`` if the index has it, else the nearest final release.

    Nearest: the newest release older than the pin, or failing that the
    oldest release newer than it.
    """
    from packaging.version import InvalidVersion, Version

    versions = set(available)
    if pinned in versions:
        return pinned
    target = Version(pinned)
    finals: list[Version] = []
    for text in versions:
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if not version.is_prerelease and not version.is_devrelease:
            finals.append(version)
        if version == target:  # same version spelt differently ("1.0" vs "1.0.0")
            return text
    if not finals:
        raise LookupError(f"no release available (pinned {pinned})")
    older = [v for v in finals if v < target]
    chosen = max(older) if older else min(finals)
    return next(text for text in versions if _same(text, chosen))


def _same(text: str, version: object) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text) == version
    except InvalidVersion:
        return False


def member_destination(member: str, package: Package) -> str | None:
    """Where an sdist member goes in the extracted tree, or None to skip it.

    ``member`` is the archive path (``pandas-3.1.1/pandas/tests/x.py``).  Kept:
    everything inside a test directory, root-level pytest/tool configuration
    files, and conftest.py files in the directories above a test directory
    (pytest loads those for the tests).  Unsafe paths are never kept.
    """
    path = PurePosixPath(member)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2:
        return None
    relative = PurePosixPath(*path.parts[1:])  # drop "<name>-<version>/"
    text = relative.as_posix()
    if len(relative.parts) == 1 and text in CONFIG_FILES:
        return text
    for test_dir in package.test_dirs:
        if text.startswith(test_dir.rstrip("/") + "/"):
            return text
        if relative.name == "conftest.py":
            parent = relative.parent.as_posix()
            if parent == "." or test_dir.startswith(parent + "/"):
                return text
    return None


class _LinkParser(html.parser.HTMLParser):
    """Anchors of a PEP 503 simple page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, bool]] = []
        self._href: str | None = None
        self._yanked = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            values = dict(attrs)
            self._href = values.get("href")
            self._yanked = "data-yanked" in values
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip(), self._yanked))
            self._href = None


def parse_simple_html(text: str, base_url: str) -> list[IndexFile]:
    parser = _LinkParser()
    parser.feed(text)
    files = []
    for href, label, yanked in parser.links:
        url, _, fragment = urllib.parse.urljoin(base_url, href).partition("#")
        digest = fragment[len("sha256=") :] if fragment.startswith("sha256=") else None
        filename = label or urllib.parse.unquote(url.rsplit("/", 1)[-1])
        files.append(IndexFile(filename, url, digest, yanked))
    return files


def parse_simple_json(data: dict[str, Any], base_url: str) -> list[IndexFile]:
    files = []
    for item in data.get("files", []):
        hashes = item.get("hashes") or {}
        files.append(
            IndexFile(
                filename=str(item["filename"]),
                url=urllib.parse.urljoin(base_url, str(item["url"])),
                sha256=hashes.get("sha256"),
                yanked=bool(item.get("yanked")),
            )
        )
    return files


# -- network ------------------------------------------------------------------------
def fetch_index(index_url: str, project: str) -> list[IndexFile]:
    """Every file the index lists for ``project``."""
    base = index_url.rstrip("/") + "/" + normalize(project) + "/"
    request = urllib.request.Request(
        base,
        headers={"Accept": "application/vnd.pypi.simple.v1+json, text/html;q=0.1"},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        content_type = response.headers.get("Content-Type", "")
        body = response.read()
    if "json" in content_type:
        return parse_simple_json(json.loads(body), base)
    return parse_simple_html(body.decode("utf-8", "replace"), base)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download(file: IndexFile, destination: Path) -> str:
    """Fetch ``file`` to ``destination`` unless a verified copy is there; its sha256."""
    if destination.is_file():
        existing = sha256_of(destination)
        if file.sha256 is None or existing == file.sha256:
            return existing
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".part")
    digest = hashlib.sha256()
    with (
        urllib.request.urlopen(file.url, timeout=TIMEOUT) as response,
        partial.open("wb") as out,
    ):
        for block in iter(lambda: response.read(1 << 20), b""):
            digest.update(block)
            out.write(block)
    if file.sha256 is not None and digest.hexdigest() != file.sha256:
        partial.unlink()
        raise ValueError(
            f"{file.filename}: sha256 {digest.hexdigest()} != index {file.sha256}"
        )
    partial.replace(destination)
    return digest.hexdigest()


# -- extraction -------------------------------------------------------------------
def _members(archive: Path) -> Iterator[tuple[str, bytes]]:
    """(path, content) of every regular file of a .tar.gz or .zip sdist."""
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if not info.is_dir():
                    yield info.filename, zf.read(info)
        return
    with tarfile.open(archive) as tf:
        for member in tf:
            if member.isfile():
                handle = tf.extractfile(member)
                if handle is not None:
                    yield member.name, handle.read()


def extract(
    archive: Path, sha256: str, tree: Path, package: Package
) -> tuple[int, int]:
    """Extract the wanted members into ``tree`` (replaced atomically); (py files, lines)."""
    marker = tree / COMPLETE_MARKER
    if marker.is_file():
        try:
            recorded = json.loads(marker.read_text(encoding="utf-8"))
            if recorded.get("sha256") == sha256:
                return int(recorded["files"]), int(recorded["lines"])
        except (ValueError, KeyError, TypeError):
            pass
    staging = tree.with_name(tree.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    files = lines = 0
    for name, data in _members(archive):
        relative = member_destination(name, package)
        if relative is None:
            continue
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if relative.endswith(".py"):
            files += 1
            lines += count_lines(data)
    if files == 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise ValueError(
            f"{archive.name}: nothing under {', '.join(package.test_dirs)}"
        )
    (staging / COMPLETE_MARKER).write_text(
        json.dumps({"sha256": sha256, "files": files, "lines": lines}), encoding="utf-8"
    )
    shutil.rmtree(tree, ignore_errors=True)
    staging.replace(tree)
    return files, lines


def write_isolation_config(trees: Path) -> None:
    """An empty suitelint.toml above the trees (see the module docstring)."""
    path = trees / ISOLATION_CONFIG
    text = (
        "# Written by bench/corpus.py: ends the search for [tool.suitelint] here, so\n"
        "# the corpus is checked with default settings (none of these projects\n"
        "# configures suitelint), never with the enclosing repository's settings.\n"
    )
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


# -- the whole corpus ---------------------------------------------------------------
def cached_entry(
    package: Package, corpus_dir: Path, manifest: dict[str, Any]
) -> Entry | None:
    """The manifest's entry for ``package`` if its archive and tree are intact (no network)."""
    for item in manifest.get("packages", []):
        if (
            not isinstance(item, dict)
            or item.get("name") != package.name
            or item.get("pinned") != package.version
        ):
            continue
        try:
            entry = Entry(**item)
        except TypeError:
            return None
        marker = entry.tree_path(corpus_dir) / COMPLETE_MARKER
        archive = corpus_dir / "downloads" / entry.sdist
        try:
            recorded = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if recorded.get("sha256") == entry.sha256 and archive.is_file():
            return entry
    return None


def read_manifest(corpus_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((corpus_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def fetch_package(
    package: Package, corpus_dir: Path, index_url: str, log: bool = True
) -> Entry:
    files = [
        f
        for f in fetch_index(index_url, package.name)
        if sdist_version(f.filename, package.name)
    ]
    by_version: dict[str, list[IndexFile]] = {}
    for file in files:
        by_version.setdefault(
            sdist_version(file.filename, package.name) or "", []
        ).append(file)
    usable = {
        v: fs for v, fs in by_version.items() if any(not f.yanked for f in fs)
    } or by_version
    version = choose_version(package.version, usable)
    note = (
        ""
        if version == package.version
        else f"pinned {package.version} not on the index; used {version}"
    )
    if note and log:
        print(f"warning: {package.name}: {note}", file=sys.stderr)
    candidates = sorted(
        usable[version], key=lambda f: (f.yanked, not f.filename.endswith(".tar.gz"))
    )
    chosen = candidates[0]
    archive = corpus_dir / "downloads" / chosen.filename
    sha256 = download(chosen, archive)
    tree_name = f"{normalize(package.name)}-{version}"
    tree = corpus_dir / "trees" / tree_name
    count, lines = extract(archive, sha256, tree, package)
    return Entry(
        name=package.name,
        pinned=package.version,
        version=version,
        sdist=chosen.filename,
        sha256=sha256,
        url=chosen.url,
        tree=f"trees/{tree_name}",
        files=count,
        lines=lines,
        note=note,
    )


def ensure_corpus(
    corpus_dir: Path,
    index_url: str = DEFAULT_INDEX_URL,
    packages: Sequence[Package] = PINNED,
    log: bool = True,
) -> list[Entry]:
    """Fetch and extract every package (idempotent); the manifest entries."""
    corpus_dir = corpus_dir.resolve()
    (corpus_dir / "trees").mkdir(parents=True, exist_ok=True)
    write_isolation_config(corpus_dir / "trees")
    manifest = read_manifest(corpus_dir)
    entries = []
    for package in packages:
        entry = cached_entry(package, corpus_dir, manifest)
        if entry is None:
            if log:
                print(
                    f"corpus: fetching {package.name} {package.version} ...",
                    file=sys.stderr,
                    flush=True,
                )
            entry = fetch_package(package, corpus_dir, index_url, log)
        entries.append(entry)
    fetched = {e.name for e in entries}
    kept = [
        item
        for item in manifest.get("packages", [])
        if isinstance(item, dict) and item.get("name") not in fetched
    ]  # a run over some packages keeps the others' entries
    manifest = {"index_url": index_url, "packages": kept + [asdict(e) for e in entries]}
    text = json.dumps(manifest, indent=2) + "\n"
    path = corpus_dir / "manifest.json"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return entries


def summary_table(entries: Sequence[Entry]) -> str:
    rows = [
        [
            e.name,
            e.version if not e.note else f"{e.version} (pinned {e.pinned})",
            e.sdist,
            fmt_count(e.files),
            fmt_count(e.lines),
        ]
        for e in entries
    ]
    rows.append(
        [
            "**total**",
            "",
            "",
            fmt_count(sum(e.files for e in entries)),
            fmt_count(sum(e.lines for e in entries)),
        ]
    )
    return markdown_table(
        ["project", "version", "sdist", "files", "lines"], rows, "lllrr"
    )


def corpus_argument(parser: argparse.ArgumentParser) -> None:
    """The options every bench script shares to find (and fetch) the corpus."""
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        default=DEFAULT_CORPUS_DIR,
        help="where sdists are cached and extracted (default: bench/corpus/, git-ignored)",
    )
    parser.add_argument(
        "--index-url",
        default=DEFAULT_INDEX_URL,
        help="simple-API index to fetch from (default: $PIP_INDEX_URL or https://pypi.org/simple)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Download the pinned sdists and extract their test suites (idempotent).",
    )
    corpus_argument(parser)
    args = parser.parse_args(argv)
    try:
        entries = ensure_corpus(args.corpus_dir, args.index_url)
    except (OSError, ValueError, LookupError) as exc:
        print(f"corpus: {exc}", file=sys.stderr)
        return 1
    print(summary_table(entries))
    print(f"\ntrees: {args.corpus_dir.resolve() / 'trees'}")
    for entry in entries:
        if entry.note:
            print(f"note: {entry.name}: {entry.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
