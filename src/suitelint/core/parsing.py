"""One parse per text per process: a small cache of stdlib ``ast`` trees.

Several parts of suitelint read the same file in one process: the engine
checking it, the project model summarising it, the fixture index, rules that
look at a conftest.py.  Parsing is the most expensive step a pure-Python
linter has (the floor of every benchmark), so they all parse through
:func:`parse`, which keeps the last few trees keyed by file name and text.
Trees are shared: callers must not modify them (the engine only adds parent
links).
"""

from __future__ import annotations

import ast
from collections import OrderedDict

_CAPACITY = 32
# keyed by text alone: the file name changes no node, only error messages
_TREES: OrderedDict[str, ast.Module] = OrderedDict()


def parse(text: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse(text, filename)``, answered from the cache when the same text was parsed recently.

    Raises what ``ast.parse`` raises (SyntaxError, ValueError, RecursionError, MemoryError).
    """
    key = text
    tree = _TREES.get(key)
    if tree is not None:
        _TREES.move_to_end(key)
        return tree
    tree = ast.parse(text, filename=filename)
    _TREES[key] = tree
    if len(_TREES) > _CAPACITY:
        _TREES.popitem(last=False)
    return tree


def clear() -> None:
    _TREES.clear()
