"""Whether a file's text can spell a name at all: a cheap pre-filter before any tree work.

Python compares identifiers after NFKC normalization (``ｓkip`` is
``skip``), so a text that is not pure ASCII is normalized before searching.
Words are found in comments and strings too: "possible" may mean nothing,
"impossible" is always right.
"""

from __future__ import annotations

import unicodedata


def may_spell(source: str, *words: str) -> bool:
    """Whether any of ``words`` can occur as (part of) an identifier of ``source``."""
    text = source if source.isascii() else unicodedata.normalize("NFKC", source)
    return any(word in text for word in words)
