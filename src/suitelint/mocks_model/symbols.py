"""What an expression can stand for, as far as static analysis can tell.

Evaluation returns one of these symbols, or ``None`` when it cannot tell
(every rule stays silent on ``None``).  A member lookup can also answer
:class:`Missing`: the container is fully known and has no such attribute.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from suitelint.mocks_model.api import PatchCall
    from suitelint.mocks_model.project import ClassInfo, FunctionNode, ModuleInfo
    from suitelint.mocks_model.scope import Scope

SYNC = "sync"
ASYNC = "async"
UNKNOWN = "unknown"


@dataclass(frozen=True, eq=False)
class ModuleSym:
    module: ModuleInfo

    def key(self) -> object:
        return ("module", self.module.path)


@dataclass(frozen=True, eq=False)
class ClassSym:
    cls: ClassInfo

    def key(self) -> object:
        return ("class", id(self.cls.node))


@dataclass(frozen=True)
class Argument:
    """An argument of a constructor call and the scope to evaluate it in."""

    expr: ast.expr
    scope: Scope


@dataclass(frozen=True, eq=False)
class Arguments:
    """The arguments a class was instantiated with (to evaluate ``__init__`` parameters)."""

    positional: tuple[Argument, ...] = ()
    keywords: dict[str, Argument] = field(default_factory=dict)
    complete: bool = True  # False with *args / **kwargs


@dataclass(frozen=True, eq=False)
class InstanceSym:
    cls: ClassInfo
    arguments: Arguments | None = None  # None: not known (annotation, fixture type)

    def key(self) -> object:
        return ("instance", id(self.cls.node))


@dataclass(frozen=True, eq=False)
class FunctionInfo:
    """A def of a project module (or of the checked file), with its owning class."""

    module: ModuleInfo
    node: FunctionNode
    owner: ClassInfo | None = None

    @property
    def qualname(self) -> str:
        return f"{self.owner.qualname}.{self.node.name}" if self.owner else self.node.name


@dataclass(frozen=True, eq=False)
class FunctionSym:
    func: FunctionInfo

    def key(self) -> object:
        return ("function", id(self.func.node))


@dataclass(frozen=True, eq=False)
class PropertySym:
    func: FunctionInfo

    def key(self) -> object:
        return ("property", id(self.func.node))


@dataclass(frozen=True, eq=False)
class MockSym:
    """A mock object.

    ``kind``: ``async`` for an AsyncMock (or a mock that behaves as one),
    ``sync`` for Mock/MagicMock, ``unknown`` when it depends on something we
    cannot resolve.  ``api`` names what made it (``Mock``, ``MagicMock``,
    ``AsyncMock``, ``patch``...).  ``origin`` is the constructor call when the
    mock was made by one; ``may_return_awaitable`` is true when its calls
    can produce an awaitable anyway (``wraps=``, an async ``side_effect``, a
    future as ``return_value``).  ``configured`` records whether
    ``return_value``/``side_effect``/``spec``/keyword configuration was given.
    """

    kind: str
    api: str
    origin: ast.Call | None = None
    may_return_awaitable: bool = False
    configured: bool = False
    specced: bool = False  # made with a spec: its attributes follow the spec's
    spec: Symbol | None = None  # the spec, when it resolves

    def key(self) -> object:
        return ("mock", self.kind, self.api)


@dataclass(frozen=True, eq=False)
class PatcherSym:
    """A ``patch(...)`` object (not yet started)."""

    patch: PatchCall
    scope: Scope

    def key(self) -> object:
        return ("patcher", id(self.patch.node))


@dataclass(frozen=True, eq=False)
class ExternalSym:
    """A name from outside the project (third party or stdlib), by qualified name."""

    name: str

    def key(self) -> object:
        return ("external", self.name)


@dataclass(frozen=True, eq=False)
class ConstSym:
    value: object

    def key(self) -> object:
        return ("const", type(self.value), self.value)


@dataclass(frozen=True, eq=False)
class ExistsSym:
    """Something that exists, of a kind we do not evaluate."""

    def key(self) -> object:
        return ("exists",)


EXISTS = ExistsSym()

Symbol = Union[ModuleSym, ClassSym, InstanceSym, FunctionSym, PropertySym, MockSym, PatcherSym, ExternalSym,
               ConstSym, ExistsSym]


@dataclass(frozen=True)
class Missing:
    """A lookup in a container that has no such attribute.

    ``definite`` is true when the container is fully known (no dynamic
    attributes, every base class in the project), so the attribute cannot
    exist at run time.
    """

    owner: Symbol
    name: str
    candidates: tuple[str, ...]
    definite: bool


@dataclass(frozen=True)
class Kind:
    """Whether calling a def gives a coroutine (``async``), not (``sync``), or we cannot tell.

    ``detected`` is whether ``unittest.mock`` sees a coroutine function there
    (``patch()`` then creates an ``AsyncMock`` by itself).
    """

    value: str
    detected: bool = False


def same(a: Symbol | None, b: Symbol | None) -> bool:
    return a is not None and b is not None and a.key() == b.key()
