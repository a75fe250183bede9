"""Member lookup: ``owner.name`` for modules, classes, instances and mocks, and dotted names.

A lookup answers a symbol, ``None`` (cannot tell) or :class:`~.symbols.Missing`
(the owner is fully known and lacks the name: no dynamic module attributes,
every base class in the project, no metaclass or unknown class decorator).
Instances see the attributes their class's methods set through ``self``
(``__init__`` parameters evaluated from the constructor call), class-level
annotations and the return annotations of properties.
"""

from __future__ import annotations

import ast
import difflib
from typing import TYPE_CHECKING, Hashable

from suitelint.mocks_model.memo import MAX_REEXPORTS, Entry, Recursion
from suitelint.mocks_model.project import ClassInfo, FunctionNode, ModuleInfo
from suitelint.mocks_model.scope import Scope
from suitelint.mocks_model.symbols import (
    EXISTS,
    ClassSym,
    ConstSym,
    ExternalSym,
    InstanceSym,
    Missing,
    MockSym,
    ModuleSym,
    PropertySym,
    Symbol,
    same,
)

if TYPE_CHECKING:
    from suitelint.mocks_model.project import Binding

HARMLESS_BASES = frozenset({
    "object", "abc.ABC", "typing.Generic", "typing.Protocol", "typing_extensions.Protocol",
})
KNOWN_CLASS_DECORATORS = frozenset({"dataclasses.dataclass", "functools.total_ordering", "typing.final",
                                    "typing_extensions.final"})
_MAX_BASES_DEPTH = 48  # base classes followed before giving up
# attributes of a mock that are not child mocks
MOCK_OWN_ATTRIBUTES = frozenset({
    "called", "call_count", "call_args", "call_args_list", "mock_calls", "method_calls", "side_effect",
    "await_count", "await_args", "await_args_list", "reset_mock", "configure_mock", "attach_mock",
    "mock_add_spec", "start", "stop",
})


class Members:
    """Mixin of :class:`~.evaluate.Analysis`: member lookup and dotted-name resolution."""

    # provided by Analysis
    _mros: dict[int, list[ClassInfo | None]]
    _split: dict[str, tuple[ModuleInfo, list[str]] | None]
    _resolving: set[str]  # dotted names being resolved (re-export cycles)
    _depth: int  # evaluations under way
    _recursion: Recursion
    _resolved: dict[str, list[Entry]]  # memoised resolve_qualified
    _active: set[Hashable]  # every recursion guard's keys under way

    if TYPE_CHECKING:
        def eval(self, expr: ast.AST | None, scope: Scope) -> Symbol | None: ...
        def eval_annotation(self, annotation: ast.expr, scope: Scope,
                            cls: ClassInfo | None = None) -> Symbol | None: ...
        def qualname(self, expr: ast.AST, scope: Scope) -> str | None: ...
        def module(self, dotted: str) -> ModuleInfo | None: ...
        def mock_child(self, owner: MockSym, name: str) -> MockSym | None: ...
        def _eval_bindings(self, bindings: list[Binding], scope: Scope, use: ast.AST | None,
                           owner: ClassInfo | None = None) -> Symbol | None: ...

    def member(self, owner: Symbol, name: str) -> Symbol | Missing | None:
        """``owner.name``; :class:`Missing` when ``owner`` is known and lacks it."""
        if isinstance(owner, ModuleSym):
            return self._module_member(owner.module, name)
        if isinstance(owner, ClassSym):
            return self._class_member(owner.cls, name)
        if isinstance(owner, InstanceSym):
            return self._instance_member(owner, name)
        if isinstance(owner, MockSym):
            if name in MOCK_OWN_ATTRIBUTES or name.startswith(("assert_", "_")):
                return None
            return self.mock_child(owner, name)
        if isinstance(owner, ExternalSym):
            return ExternalSym(f"{owner.name}.{name}")
        if isinstance(owner, ConstSym):
            return ExternalSym(f"{type(owner.value).__name__}.{name}")
        return None

    def _module_member(self, module: ModuleInfo, name: str,
                       seen: frozenset[int] = frozenset()) -> Symbol | Missing | None:
        bindings = module.bindings.get(name)
        if bindings:
            return self._eval_bindings(bindings, Scope(module), None)
        if module.is_package:
            submodule = self.module(f"{module.name}.{name}") if module.name else None
            if submodule is not None:
                return ModuleSym(submodule)
            if (module.path.parent / name).is_dir():
                return None  # a namespace package inside a package
        if (name.startswith("__") and name.endswith("__")) or name in module.declared_global:
            return EXISTS
        for star in module.star_imports:
            source = self.module(star)
            if source is None or id(source) in seen or len(seen) > MAX_REEXPORTS:
                return None
            found = self._module_member(source, name, seen | {id(module)})
            if not isinstance(found, Missing):
                return found
        if module.dynamic:
            return None
        return Missing(ModuleSym(module), name, tuple(self._module_names(module)), definite=True)

    def _module_names(self, module: ModuleInfo) -> list[str]:
        names = [n for n in module.bindings if not n.startswith("__")]
        if module.is_package:
            for child in sorted(module.path.parent.iterdir()) if module.path.parent.is_dir() else []:
                if child.suffix == ".py" and child.stem != "__init__":
                    names.append(child.stem)
                elif child.is_dir() and (child / "__init__.py").is_file():
                    names.append(child.name)
        return names

    def mro(self, cls: ClassInfo, depth: int = 0) -> list[ClassInfo | None]:
        """The class and its bases, depth first; ``None`` marks a base we cannot see into.

        Inheritance deeper than a few dozen levels is cut off (``None``): the
        lookup recurses once per level.
        """
        found = self._mros.get(id(cls.node))
        if found is not None:
            guard = ("mro", id(cls.node))
            if guard in self._active:
                self._recursion.touch(guard)  # the cycle guard below answers
            return found
        if depth > _MAX_BASES_DEPTH:
            self._recursion.broken()  # the depth of this walk does not depend on where it started
            return [cls, None]
        self._mros[id(cls.node)] = [cls, None]  # cycle guard
        self._active.add(("mro", id(cls.node)))
        result: list[ClassInfo | None] = [cls]
        scope = Scope(cls.module)
        for base in cls.node.bases:
            expr = base.value if isinstance(base, ast.Subscript) else base
            name = self.qualname(expr, scope)
            if name in HARMLESS_BASES:
                continue
            value = self.eval(expr, scope)
            if isinstance(value, ClassSym):
                for klass in self.mro(value.cls, depth + 1):
                    if klass is None or all(klass is not seen for seen in result):
                        result.append(klass)
            else:
                result.append(None)
        opaque = any(k.arg == "metaclass" for k in cls.node.keywords) or any(
            (self.qualname(d.func if isinstance(d, ast.Call) else d, scope) or "") not in KNOWN_CLASS_DECORATORS
            for d in cls.node.decorator_list)
        if opaque:
            result.append(None)
        self._mros[id(cls.node)] = result
        self._active.discard(("mro", id(cls.node)))
        return result

    def _class_member(self, cls: ClassInfo, name: str) -> Symbol | Missing | None:
        for klass in self.mro(cls):
            if klass is None:
                return None
            bindings = klass.bindings.get(name)
            if bindings:
                return self._eval_bindings(bindings, Scope(klass.module), None, owner=klass)
        if name.startswith("__") and name.endswith("__"):
            return EXISTS
        names: list[str] = []
        dynamic = False
        for klass in self.mro(cls):
            if klass is None:
                continue
            names.extend(n for n in klass.bindings if not n.startswith("__"))
            names.extend(klass.instance.annotations)
            dynamic = dynamic or "__getattr__" in klass.bindings or "__getattribute__" in klass.bindings
        if dynamic:
            return None
        return Missing(ClassSym(cls), name, tuple(dict.fromkeys(names)), definite=True)

    def _instance_member(self, instance: InstanceSym, name: str) -> Symbol | Missing | None:
        mro = self.mro(instance.cls)
        init_owner = next((k for k in mro if k is None or "__init__" in k.bindings), None)
        annotation: tuple[ast.expr, ClassInfo] | None = None
        assigned: list[tuple[ast.expr | None, FunctionNode, ClassInfo]] = []
        for klass in mro:
            if klass is None:
                break
            bindings = klass.bindings.get(name)
            if bindings and any(b.kind == "def" for b in bindings):
                break  # a method or property of the class shadows nothing set later through self
            if annotation is None and name in klass.instance.annotations:
                annotation = (klass.instance.annotations[name], klass)
            assigned.extend((value, method, klass) for value, method in klass.instance.assigned.get(name, []))
        if annotation is not None:
            value = self.eval_annotation(annotation[0], Scope(annotation[1].module), annotation[1])
            if value is not None:
                return value
        if assigned:
            values: list[Symbol | None] = []
            for value_expr, method, klass in assigned:
                arguments = instance.arguments if method.name == "__init__" and klass is init_owner else None
                scope = Scope(klass.module, method, klass, parent=Scope(klass.module), arguments=arguments)
                values.append(self.eval(value_expr, scope) if value_expr is not None else None)
            known = [v for v in values if not (isinstance(v, ConstSym) and v.value is None)]
            if known and all(v is not None for v in known) and all(same(known[0], v) for v in known[1:]):
                return known[0]
            return None
        found = self._class_member(instance.cls, name)
        if isinstance(found, PropertySym):
            returns = found.func.node.returns
            if returns is None:
                return None
            return self.eval_annotation(returns, Scope(found.func.module), found.func.owner)
        if isinstance(found, Missing):
            return Missing(instance, name, found.candidates, definite=False)
        return found

    def split_module(self, dotted: str) -> tuple[ModuleInfo, list[str]] | None:
        """The longest prefix of ``dotted`` that is a project module, and the attributes after it."""
        if dotted in self._split:
            return self._split[dotted]
        found: tuple[ModuleInfo, list[str]] | None = None
        parts = dotted.split(".")
        if dotted and all(p.isidentifier() for p in parts):
            for end in range(len(parts), 0, -1):
                module = self.module(".".join(parts[:end]))
                if module is not None:
                    found = (module, parts[end:])
                    break
        self._split[dotted] = found
        return found

    def resolve_qualified(self, dotted: str) -> Symbol | Missing | None:
        """A dotted name (``pkg.mod.Class.method``): the longest project-module prefix, then attributes.

        Re-exports are followed (``from pkg.b import helper`` in ``pkg.a``); a
        cycle of them (an ImportError at run time) resolves to None.
        """
        recursion = self._recursion
        reexports = len(self._resolving)
        recursion.touch(dotted)
        recursion.check_reexports(reexports)
        if dotted in self._resolving or reexports > MAX_REEXPORTS:
            return None
        depth = self._depth
        entry = recursion.find(self._resolved.get(dotted), depth, reexports, self._active)
        if entry is not None:
            recursion.reuse(entry, depth, reexports)
            return entry.value
        frame = recursion.push(depth, reexports)
        self._resolving.add(dotted)
        self._active.add(dotted)
        value: Symbol | Missing | None = None
        try:
            value = self._resolve_qualified(dotted)
        finally:
            self._resolving.discard(dotted)
            self._active.discard(dotted)
            entry = recursion.pop(frame, value, self._active)
        if entry is not None:
            self._resolved.setdefault(dotted, []).append(entry)
        return value

    def _resolve_qualified(self, dotted: str) -> Symbol | Missing | None:
        split = self.split_module(dotted)
        if split is None:
            return ExternalSym(dotted) if dotted and all(p.isidentifier() for p in dotted.split(".")) else None
        module, attributes = split
        symbol: Symbol = ModuleSym(module)
        for attribute in attributes:
            found = self.member(symbol, attribute)
            if found is None or isinstance(found, Missing):
                return found
            symbol = found
        return symbol

    def closest(self, missing: Missing) -> str | None:
        matches = difflib.get_close_matches(missing.name, missing.candidates, n=1, cutoff=0.6)
        return matches[0] if matches else None
