"""The only place astroid is called.

Modules are built lazily, one at a time, when a rule asks to infer something
in them; nothing raises into rules (``safe_infer`` discipline from pylint).
astroid never imports checked code: we build from source text and never let
it load C extensions of the checked project.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, Iterator

_MAX_INFERRED = 8


def _manager() -> Any:
    from astroid import MANAGER

    # never load C extensions or run anything: pure source analysis
    MANAGER.always_load_extensions = False
    MANAGER.extension_package_whitelist = set()
    return MANAGER


def build_module(source: str, module_name: str, path: Path) -> Any:
    """Build ``source`` as an astroid module, or None if astroid cannot."""
    try:
        from astroid.builder import AstroidBuilder

        builder = AstroidBuilder(_manager())
        return builder.string_build(source, modname=module_name, path=str(path))
    except Exception:  # astroid raises many kinds; a rule then gets no inference
        return None
    except RecursionError:  # pragma: no cover - deeply nested sources
        return None


def evict(module_name: str) -> None:
    """Forget a cached module (an edited buffer must not be linted stale)."""
    try:
        _manager().astroid_cache.pop(module_name, None)
    except Exception:  # pragma: no cover
        pass


def clear_inference_cache() -> None:
    """Forget inferred values cached on modules still in the cache.

    After evicting an edited module, modules that imported it may still hold
    inference results pointing into its old copy (LSP, cross-file edits).
    """
    try:
        from astroid import context

        context._invalidate_cache()
    except Exception:  # pragma: no cover - astroid moved its private cache
        pass


def _walk(node: Any) -> Iterator[Any]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.get_children())


_ASTROID_NAMES = {
    "Name": ("Name", "AssignName", "DelName"),
    "Attribute": ("Attribute", "AssignAttr", "DelAttr"),
    "arg": ("AssignName",),
}


def find_node(module: Any, node: ast.AST) -> Any:
    """The astroid node at the position (and of the kind) of a stdlib node."""
    if module is None or not hasattr(node, "lineno"):
        return None
    index = getattr(module, "_sl_index", None)
    if index is None:
        index = {}
        for candidate in _walk(module):
            key = (getattr(candidate, "lineno", None), getattr(candidate, "col_offset", None))
            index.setdefault(key, []).append(candidate)
        module._sl_index = index
    wanted = _ASTROID_NAMES.get(type(node).__name__, (type(node).__name__,))
    end = (getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None))
    for candidate in index.get((node.lineno, node.col_offset), ()):  # type: ignore[attr-defined]
        if type(candidate).__name__ in wanted and (
            (getattr(candidate, "end_lineno", None), getattr(candidate, "end_col_offset", None)) == end
        ):
            return candidate
    return None


def safe_infer_all(node: Any, limit: int = _MAX_INFERRED) -> list[Any]:
    """Every value astroid infers for ``node`` (at most ``limit``), none on error."""
    from astroid import util

    results: list[Any] = []
    try:
        for value in node.infer():
            if value is util.Uninferable:
                return []
            results.append(value)
            if len(results) >= limit:
                break
    except Exception:
        return []
    except RecursionError:  # pragma: no cover
        return []
    return results


def safe_infer(node: Any) -> Any:
    """The single value astroid infers for ``node``, or None when ambiguous."""
    values = safe_infer_all(node, limit=2)
    return values[0] if len(values) == 1 else None
