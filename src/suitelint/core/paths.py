"""Resolving paths once per process.

``Path.resolve`` walks the file system (an ``lstat`` per part of the path,
and ``realpath`` in Python); a run resolves the same directories thousands
of times (every file's configuration, pytest's rootdir, fixture visibility).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1 << 16)
def resolved(path: Path) -> Path:
    """``path.resolve()``, once per path per process (resolving walks the file system).

    An absolute path whose last part is no symbolic link resolves to its
    resolved directory plus that part: one ``lstat`` instead of one per part.
    """
    name = path.name
    if not name or name == ".." or not path.is_absolute() or os.path.islink(path):
        return path.resolve()
    return resolved(path.parent) / name
