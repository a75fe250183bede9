"""An on-disk store of per-file facts, shared by every process of a run.

Each entry is keyed by a *kind* (``"results"``, ``"imports"``, ``"fixtures"``...)
and a file path, and is valid while the file's (mtime, size) — or, when only
the mtime moved, its content hash — is unchanged, for this suitelint version
and the given ``salt`` (a fingerprint of the configuration that shaped it).

Entries are small pickle files, one per (kind, path), written atomically
(temporary file + ``os.replace``), so CLI worker processes, flake8 ``-j``
workers and the language server can all read and write without locks.  A
corrupted, truncated or foreign-version entry is ignored and rebuilt, never
trusted.  A cache directory that cannot be written (at start, or when a
write fails mid-run: a full disk) degrades to in-memory operation and says
so once (``warning``; the runner carries workers' warnings to the command).
Misses and writes are reported to :mod:`suitelint.core.guards`: computing
another file's entry is shared work, not charged to a file's time budget.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

from suitelint.core.fingerprint import code_fingerprint
from suitelint.core import guards

T = TypeVar("T")
FORMAT = 1
GITIGNORE = "# created by suitelint: this directory is a cache\n*\n"
DEFAULT_DIRNAME = ".suitelint_cache"


@dataclass(frozen=True)
class FileStamp:
    mtime_ns: int
    size: int

    @classmethod
    def of(cls, path: Path | str) -> FileStamp | None:
        try:
            stat = os.stat(path)
        except (OSError, ValueError):
            return None
        return cls(stat.st_mtime_ns, stat.st_size)


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_hash(path: Path) -> str | None:
    try:
        return content_hash(path.read_bytes())
    except OSError:
        return None


class Store:
    """Per-file facts on disk (``directory``) and in memory; ``directory=None`` disables the disk."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.memory: dict[tuple[str, str], Any] = {}
        self.warning: str | None = None
        self._prepared = False
        self._made: set[Path] = set()  # directories known to exist
        self._names = itertools.count()  # numbers this process's temporary files
        self._digests: dict[str, tuple[FileStamp, str]] = {}  # content hashes of files, by stamp

    # -- locations -------------------------------------------------------------
    def _entry_path(self, kind: str, path: Path) -> Path:
        assert self.directory is not None
        digest = hashlib.blake2b(str(path).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
        return Path(f"{self.directory}/{kind}/{digest[:2]}/{digest}.pickle")

    def _blob_path(self, kind: str, key: str) -> Path:
        assert self.directory is not None
        return self.directory / kind / key[:2] / f"{key}.pickle"

    def _prepare(self) -> bool:
        if self.directory is None:
            return False
        if self._prepared:
            return True
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text(GITIGNORE, encoding="utf-8")
            tag = self.directory / "CACHEDIR.TAG"
            if not tag.exists():
                tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# suitelint cache\n", encoding="utf-8")
            probe = self.directory / f".probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            self._disable(exc)
            return False
        self._prepared = True
        return True

    def writable(self) -> bool:
        """Prepare the directory now; False (with ``warning`` set) when it cannot be used."""
        return self._prepare()

    def _disable(self, exc: OSError) -> None:
        if self.warning is None:
            self.warning = (f"cache directory {self.directory} is not writable "
                            f"({exc.strerror or exc}); continuing without the cache")
        self.directory = None

    # -- reading and writing -----------------------------------------------------
    def get(self, kind: str, path: Path, salt: str = "", data: bytes | None = None,
            on_stale: Callable[[Any], None] | None = None) -> Any | None:
        """The stored value for ``path`` if still valid, else None.

        ``on_stale`` receives the value stored for an older content of the
        file (same kind and salt), which the caller may mine for what did not
        change (the results cache reuses its dependencies' tokens).
        """
        value = self._get(kind, path, salt, data, on_stale)
        if value is None:
            # the caller now computes the entry: shared work, not charged to the file being linted
            guards.store_miss(kind, path)
        return value

    def _get(self, kind: str, path: Path, salt: str, data: bytes | None,
             on_stale: Callable[[Any], None] | None = None) -> Any | None:
        key = (kind, str(path))
        stamp = FileStamp.of(path)
        cached = self.memory.get(key)
        if cached is not None and cached[0] == stamp and cached[2] == salt:
            return cached[3]
        if self.directory is None or stamp is None:
            return None
        try:
            with self._entry_path(kind, path).open("rb") as handle:
                entry = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception:  # corrupted/truncated/foreign: rebuild, never trust
            return None
        if not (isinstance(entry, tuple) and len(entry) == 6 and entry[0] == (FORMAT, code_fingerprint())):
            return None
        _, entry_path, entry_stamp, entry_hash, entry_salt, value = entry
        if entry_path != str(path) or entry_salt != salt:
            return None
        if entry_stamp != stamp:
            current = content_hash(data) if data is not None else file_hash(path)
            if current != entry_hash:
                if on_stale is not None:
                    on_stale(value)
                return None
        self.memory[key] = (stamp, entry_hash, salt, value)
        return value

    def put(self, kind: str, path: Path, value: Any, salt: str = "", data: bytes | None = None) -> None:
        try:
            self._put(kind, path, value, salt, data)
        finally:
            guards.store_write(kind, path)

    def _put(self, kind: str, path: Path, value: Any, salt: str, data: bytes | None) -> None:
        stamp = FileStamp.of(path)
        if stamp is None:
            return
        on_disk = self._prepare()
        # (the content hash only validates entries read back from disk)
        digest = self._digest(path, stamp, data) if on_disk else None
        self.memory[(kind, str(path))] = (stamp, digest, salt, value)
        if on_disk:
            self._write(self._entry_path(kind, path),
                        ((FORMAT, code_fingerprint()), str(path), stamp, digest, salt, value))

    def _digest(self, path: Path, stamp: FileStamp, data: bytes | None) -> str | None:
        """The content hash of ``path`` as of ``stamp`` (read once for the entries of every kind)."""
        name = str(path)
        known = self._digests.get(name)
        if known is not None and known[0] == stamp:
            return known[1]
        digest = content_hash(data) if data is not None else file_hash(path)
        if digest is not None:
            self._digests[name] = (stamp, digest)
        return digest

    def _write(self, target: Path, entry: tuple[Any, ...]) -> None:
        """Write ``entry`` to ``target`` atomically (readers see the old file or the new one).

        The temporary file is named after this process and a counter
        (``tempfile.mkstemp`` costs a random name and more system calls per
        entry), and directories are made once per process.
        """
        try:
            fd, tmp = self._temporary(target.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(entry, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, target)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError as exc:
            self._disable(exc)

    def _temporary(self, directory: Path) -> tuple[int, str]:
        """A new temporary file in ``directory`` (made if needed), opened for writing."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        for attempt in range(16):
            if directory not in self._made or attempt:
                directory.mkdir(parents=True, exist_ok=True)  # (again: someone may have removed it)
                self._made.add(directory)
            name = f"{directory}/.tmp-{os.getpid()}-{next(self._names)}"
            try:
                return os.open(name, flags, 0o600), name
            except (FileExistsError, FileNotFoundError):
                continue  # left by a process of the same pid, or the directory went away
        raise FileExistsError(f"no temporary file could be made in {directory}")

    # -- sharing with other processes ------------------------------------------------
    def export(self, kinds: tuple[str, ...], paths: list[Path]) -> dict[tuple[str, str], Any]:
        """This process's entries of ``kinds`` for ``paths``, for :meth:`adopt` in another process."""
        found: dict[tuple[str, str], Any] = {}
        for path in paths:
            name = str(path)
            for kind in kinds:
                entry = self.memory.get((kind, name))
                if entry is not None:
                    found[(kind, name)] = entry
        return found

    def adopt(self, entries: dict[tuple[str, str], Any]) -> None:
        """Take entries another process computed (:meth:`export`); each still checks its file's stamp."""
        for key, entry in entries.items():
            self.memory.setdefault(key, entry)

    # -- content-addressed values ---------------------------------------------------
    def get_blob(self, kind: str, key: str) -> Any | None:
        """The value stored under ``key`` by :meth:`put_blob` (None when absent or unreadable)."""
        memory_key = (kind, "#" + key)
        if memory_key in self.memory:
            return self.memory[memory_key]
        if self.directory is None:
            return None
        try:
            with self._blob_path(kind, key).open("rb") as handle:
                entry = pickle.load(handle)
        except Exception:  # absent, corrupted, truncated, foreign: never trusted
            return None
        if not (isinstance(entry, tuple) and len(entry) == 3 and entry[0] == (FORMAT, code_fingerprint())
                and entry[1] == key):
            return None
        self.memory[memory_key] = entry[2]
        return entry[2]

    def put_blob(self, kind: str, key: str, value: Any) -> None:
        """Store ``value`` under ``key``, a digest of the value itself (once per process)."""
        if (kind, "#" + key) not in self.memory:
            # written even when the file exists: it may hold the same key from other code (a foreign version)
            self._keep_blob(kind, key, value)

    def get_named(self, kind: str, name: str) -> Any | None:
        """The value last stored under ``name`` by :meth:`put_named` (None when absent or unreadable)."""
        return self.get_blob(kind, _name_key(name))

    def put_named(self, kind: str, name: str, value: Any) -> None:
        """Store ``value`` under ``name``, replacing what was there (a value that changes, unlike a blob)."""
        self._keep_blob(kind, _name_key(name), value)

    def _keep_blob(self, kind: str, key: str, value: Any) -> None:
        self.memory[(kind, "#" + key)] = value
        if self._prepare():
            self._write(self._blob_path(kind, key), ((FORMAT, code_fingerprint()), key, value))

    def get_or_compute(self, kind: str, path: Path, compute: Callable[[], T], salt: str = "") -> T:
        value = self.get(kind, path, salt)
        if value is None:
            value = compute()
            self.put(kind, path, value, salt)
        return value


def _name_key(name: str) -> str:
    return hashlib.blake2b(name.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def store_for(workspace: Any) -> Store:
    """The workspace's store: ``workspace.extensions["store"]``, created on first use.

    The cache directory is ``workspace.extensions["cache_dir"]`` when set
    (``None`` there disables the disk cache), else ``.suitelint_cache`` in the
    project root of the working directory.
    """
    store = workspace.extensions.get("store")
    if store is None:
        if "cache_dir" in workspace.extensions:
            directory = workspace.extensions["cache_dir"]
        else:
            directory = workspace.settings_for(workspace.cwd).root / DEFAULT_DIRNAME
        store = workspace.extensions["store"] = Store(Path(directory) if directory is not None else None)
    return store
