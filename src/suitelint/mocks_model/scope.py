"""Where an expression is evaluated: a module, or a function of one (a method of a class)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator

from suitelint.mocks_model.project import ClassInfo, FunctionNode, ModuleInfo
from suitelint.mocks_model.symbols import Arguments


@dataclass(frozen=True, eq=False)
class Scope:
    """A module, or a function in it; ``cls`` is the class of a method, ``parent`` the enclosing scope."""

    module: ModuleInfo
    function: FunctionNode | ast.Lambda | None = None
    cls: ClassInfo | None = None
    parent: Scope | None = None
    arguments: Arguments | None = None  # the constructor call, when evaluating ``__init__``

    @property
    def module_scope(self) -> Scope:
        return Scope(self.module)

    @cached_property
    def identity(self) -> tuple[int, ...]:
        """The ids of everything an evaluation in this scope depends on (the scope and its parents)."""
        own = (id(self.module), id(self.function), id(self.cls), id(self.arguments))
        return own + self.parent.identity if self.parent is not None else own

    def functions(self) -> Iterator[Scope]:
        """This scope and the enclosing function scopes, innermost first."""
        scope: Scope | None = self
        while scope is not None and scope.function is not None:
            yield scope
            scope = scope.parent
