"""The only place astroid is called.

Modules are built lazily, one at a time, when a rule asks to infer something
in them; nothing raises into rules (``safe_infer`` discipline from pylint).
astroid never imports checked code: we build from source text, never let
it load C extensions of the checked project, and refuse (in this thread)
every import of code outside the standard library and installed packages
while astroid works (:class:`suitelint.core.guards.ImportBlocker`).

Inference is bounded (see :mod:`suitelint.core.guards`): one inference may
visit at most ``MAX_NODES_INFERRED`` nodes and follow a chain at most
``MAX_INFERENCE_DEPTH`` deep, stops as soon as the current file's time
budget is spent, and a ``RecursionError`` means "cannot tell".
"""

from __future__ import annotations

import ast
import threading
from pathlib import Path
from typing import Any, Iterator

from suitelint.core import guards

_MAX_INFERRED = 8
_state = threading.local()


def _manager() -> Any:
    from astroid import MANAGER

    # never load C extensions or run anything: pure source analysis
    MANAGER.always_load_extensions = False
    MANAGER.extension_package_whitelist = set()
    _bound_inference()
    return MANAGER


class _BoundedMaxInferred:
    """``InferenceContext.max_inferred``, bounded while suitelint infers (in this thread).

    astroid compares every inferred result's running count of inferred nodes
    with ``context.max_inferred`` and answers Uninferable past it; as a
    descriptor it also stops inference chains deeper than
    ``MAX_INFERENCE_DEPTH`` and, once the file's budget is spent, everything.
    Other users of astroid in the process (other threads) see astroid's value.
    """

    def __init__(self, default: int) -> None:
        self.default = default

    def __get__(self, context: Any, owner: type | None = None) -> int:
        if context is None or not (getattr(_state, "inferring", 0) or guards.current() is not None):
            return self.default
        if guards.expired_soon() or len(context.path) > guards.MAX_INFERENCE_DEPTH:
            return -1
        return min(self.default, guards.MAX_NODES_INFERRED)


def _bound_inference() -> None:
    from astroid.context import InferenceContext

    current = InferenceContext.__dict__.get("max_inferred")
    if not isinstance(current, _BoundedMaxInferred):
        InferenceContext.max_inferred = _BoundedMaxInferred(current if isinstance(current, int) else 100)


def build_module(source: str, module_name: str, path: Path) -> Any:
    """Build ``source`` as an astroid module, or None if astroid cannot (or the budget is spent)."""
    if guards.expired():
        return None
    try:
        from astroid.builder import AstroidBuilder

        builder = AstroidBuilder(_manager())
        with guards.no_imports():
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
    if guards.expired():
        return results
    _manager()
    _state.inferring = getattr(_state, "inferring", 0) + 1
    try:
        with guards.no_imports():
            for value in node.infer():
                if value is util.Uninferable:
                    return []
                results.append(value)
                if len(results) >= limit:
                    break
    except Exception:  # includes RecursionError: a chain too deep to follow is "cannot tell"
        return []
    finally:
        _state.inferring -= 1
    return results


def safe_infer(node: Any) -> Any:
    """The single value astroid infers for ``node``, or None when ambiguous."""
    values = safe_infer_all(node, limit=2)
    return values[0] if len(values) == 1 else None


def installed_class_ancestors(qualified: str) -> tuple[str, ...] | None:
    """Qualified names of the ancestors of a class of an *installed* library, or None if unknown.

    For names outside the checked project only (astroid reads the installed
    module's source; nothing is imported or executed).  ``"corp_config.AppSettings"``
    -> ``("pydantic_settings.main.BaseSettings", "pydantic.main.BaseModel", ...)``.
    """
    module_name, _, class_name = qualified.rpartition(".")
    if not module_name or not class_name:
        return None
    try:
        module = _manager().ast_from_module_name(module_name)
        for value in module.igetattr(class_name):
            if type(value).__name__ == "ClassDef":
                return tuple(ancestor.qname() for ancestor in value.ancestors())
    except Exception:  # not installed, or astroid cannot read it: unknown
        return None
    except RecursionError:  # pragma: no cover
        return None
    return None
