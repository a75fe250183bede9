"""Fast iteration over stdlib ``ast`` trees, shared by the engine and the summarisers.

``ast.walk`` and ``ast.iter_child_nodes`` visit every field of every node,
including identifiers and the shared singleton nodes of expression contexts
and operators (``Load``, ``Add``...): a third of a tree's nodes.  The table
here lists, per node class, only the fields that can hold child nodes worth
visiting, computed once per class.
"""

from __future__ import annotations

import ast
from typing import Iterator

# Fields that never hold a node worth visiting: identifiers, flags, and the shared
# singleton nodes of expression contexts and operators (``Load``, ``Add``, ``Eq``...).
LEAF_FIELDS = frozenset({
    "ctx", "op", "ops", "id", "attr", "arg", "name", "kind", "type_comment", "module", "asname", "level",
    "is_async", "conversion", "simple", "tag", "n", "s",
})
CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(cls: type) -> tuple[str, ...]:
    """The fields of a node class that may hold child nodes (computed once per class)."""
    fields = CHILD_FIELDS.get(cls)
    if fields is None:
        if cls is ast.Constant:
            fields = ()
        else:
            fields = tuple(
                f for f in getattr(cls, "_fields", ())
                if f not in LEAF_FIELDS or (f == "name" and cls.__name__ == "TypeAlias")  # 3.12: a Name node
            )
        CHILD_FIELDS[cls] = fields
    return fields


def iter_nodes(root: ast.AST) -> Iterator[ast.AST]:
    """Every node under ``root`` (itself included), like :func:`ast.walk` but faster.

    The expression-context and operator singletons are not yielded.
    """
    return walk_from([root], frozenset())


def walk_from(stack: list[ast.AST], skip: frozenset[type] | set[type]) -> Iterator[ast.AST]:
    """Pop-and-yield over ``stack``, pushing children whose class is not in ``skip``."""
    pop = stack.pop
    push = stack.append
    table = CHILD_FIELDS
    node_type = ast.AST
    while stack:
        node = pop()
        yield node
        cls = node.__class__
        fields = table.get(cls)
        if fields is None:
            fields = child_fields(cls)
        for name in fields:
            value = getattr(node, name, None)
            if value is None:
                continue
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, node_type) and item.__class__ not in skip:
                        push(item)
            elif isinstance(value, node_type) and value.__class__ not in skip:
                push(value)
