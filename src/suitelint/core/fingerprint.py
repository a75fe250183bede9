"""A fingerprint of the installed suitelint code, for cache keys.

The version number alone is not enough: an editable install (or a patched
one) changes rules without changing ``__version__``, and a cache must never
serve findings computed by other code.  Stat-ing the package's own files is
cheap (about a hundred ``stat`` calls, once per process).
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache

from suitelint import __version__


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parts = [__version__]
    for directory, dirnames, filenames in os.walk(package):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                parts.append(f"{os.path.relpath(path, package)}:{stat.st_mtime_ns}:{stat.st_size}")
    return __version__ + "+" + hashlib.blake2b("\n".join(parts).encode(), digest_size=8).hexdigest()
