"""Build a :class:`~suitelint.project.summary.ModuleSummary` in one stdlib-``ast`` pass.

Never astroid here: summaries are built for every module the project model
touches, and ``ast`` is an order of magnitude cheaper.  Names are resolved
syntactically (imports, module-level definitions, function locals and
parameters that shadow them, ``self``/``cls`` in methods) into encoded
qualified names (see :mod:`suitelint.project.summary`).

What runs at import time: module and class bodies, decorators, default
argument values and class bases; not function or lambda bodies, not
``if __name__ == "__main__":`` blocks, not ``if TYPE_CHECKING:`` blocks.
"""

from __future__ import annotations

from suitelint.core.parsing import parse as parse_cached

import ast
import builtins
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from itertools import accumulate
from typing import Any, cast

from suitelint.project.env_access import (
    DOTENV_LOADERS,
    ENVIRON,
    ENVIRON_GET,
    GETENV,
    default_of,
    env_sets_in_call,
    failing_use,
    raises_when_unset,
)
from suitelint.project.pydantic_fields import class_settings_config, field_of
from suitelint.project.summary import (
    AT_IMPORT,
    IN_FUNCTION,
    TYPE_CHECKING_ONLY,
    CallSite,
    ClassInfo,
    EnvRead,
    EnvWrite,
    FieldInfo,
    FunctionInfo,
    ImportSite,
    Loc,
    ModuleSummary,
)

BUILTINS = frozenset(dir(builtins))
IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
TYPE_CHECKING_NAMES = frozenset({"typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING", "TYPE_CHECKING"})
DYNAMIC_GLOBALS = frozenset({"globals", "vars", "locals"})
FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)
MAX_TEXT = 60
TRY_NODES: tuple[type[ast.stmt], ...] = (ast.Try, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# attributes of calls that may write the environment (os.environ.update/setdefault, <mp>.setenv, patch.dict)
ENV_WRITE_ATTRS = frozenset({"update", "setdefault", "setenv", "dict"})
# last names of the calls `_record_call` looks at besides collecting them (env reads and writes, dotenv
# loaders, sys.modules updates): a method call with another name, in a body whose calls are not
# collected, needs no name resolution
CALL_ATTRS_OF_INTEREST = frozenset({
    *(name.rsplit(".", 1)[-1] for name in (ENVIRON_GET, GETENV, *DOTENV_LOADERS)),
    "update", "setdefault", *ENV_WRITE_ATTRS,
})
# The body of a function whose calls are not collected (see `_record_call`) records nothing unless it
# imports (import sites), declares globals (`defined`), assigns with `:=` (`defined`), holds a lambda (its
# locals are kept under a key a later function of the same name shares) or touches the environment: a
# body whose text shows none of these is not walked.  Its other effects are on the locals of its own
# functions, which only resolve names for calls that are not recorded, and are reset when a function of
# the same name is walked.  The environment is touched through names that can be told from the text
# (`environ`, `getenv`...; `<x>.dict(...)`, which patches it when its argument is `os.environ`, maybe a
# string hiding `environ` in escapes), unless some import binds an environment-related target to a name
# that is not (`from os import environ as env`), or the text is not ASCII (identifiers are
# NFKC-normalised): when the whole module (normalised) names nothing environment-related, only the
# first words matter.
ENV_WORDS = ("environ", "getenv", "setenv", "putenv", "dotenv", "read_env")
# (a comment runs to its newline: one way to match, not exponentially many)
DICT_ATTRIBUTE = re.compile(r"\.(?:[\s\\]|#[^\n]*\n)*dict\b")
QUIET_BODY_STOP = re.compile(rb"import|global|nonlocal|lambda|:=")
QUIET_ENV_BODY_STOP = re.compile(
    rb"import|global|nonlocal|lambda|:=|environ|getenv|setenv|putenv|dotenv|read_env|[\x80-\xff]"
    rb"|\.(?:[\s\\]|#[^\n]*\n)*dict\b")
# which names an expression walk visits (see `_Builder._expr`)
NAMES_NONE, NAMES_LOADED, NAMES_STORED = "none", "loaded", "stored"
# fields never holding code worth walking (annotations are not evaluated for our purposes)
SKIPPED_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "annotation", "returns", "type_params",
                            "id", "attr", "arg", "kind", "conversion", "is_async", "name", "names", "level",
                            "module", "pattern"})


def summarize_source(source: str, filename: str = "<module>") -> ModuleSummary:
    """The summary of a module's text; ``parsed=False`` when it does not parse."""
    try:
        tree = parse_cached(source, filename)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ModuleSummary(parsed=False)
    return summarize(tree, source)


def summarize(tree: ast.Module, source: str | None = None) -> ModuleSummary:
    """The summary of a parsed module (the tree is not modified); ``source`` gives exact texts."""
    try:
        return _Builder(tree, source).build()
    except RecursionError:  # pathologically nested code: know nothing rather than crash
        return ModuleSummary(parsed=False)


def loc(node: ast.AST) -> Loc:
    line = getattr(node, "lineno", 1)
    col = getattr(node, "col_offset", 0)
    return Loc(line, col, getattr(node, "end_lineno", None) or line, getattr(node, "end_col_offset", None) or col + 1)


def dotted(node: ast.AST) -> str | None:
    """A Name/Attribute chain as written (``self.client.get``)."""
    attrs: list[str] = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(attrs)])


def is_main_guard(test: ast.expr) -> bool:
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
        sides = [test.left, *test.comparators]
        return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
            isinstance(s, ast.Constant) and s.value == "__main__" for s in sides
        )
    return False


class Frame:
    """Where a node is: which scope, and under which guards (copied on change, never mutated)."""

    __slots__ = ("scope", "function", "scopes", "owner", "self_class", "self_name", "main_guard",
                 "type_checking", "guarded", "guarded_import", "validating", "loop_values", "condition")

    def __init__(self) -> None:
        self.scope = "module"  # "module", "class", "function"
        self.function = ""  # dotted name of the enclosing def within the module
        self.scopes: tuple[str, ...] = ()  # enclosing defs, innermost last (for closures)
        self.owner = ""  # class whose body holds the node (import time)
        self.self_class = ""  # class that `self`/`cls` stand for in a method
        self.self_name = ""
        self.main_guard = False
        self.type_checking = False
        self.guarded = False  # inside `try:` with handlers
        self.guarded_import = False  # ... whose handlers catch ImportError
        # inside the test of an import-time `assert` ("assert") or `if ...: raise` ("if"): (mode, test)
        self.validating: tuple[str, ast.expr] | None = None
        # loop variables iterating over a literal list of strings: name -> the strings
        self.loop_values: tuple[tuple[str, tuple[str, ...]], ...] = ()
        # "" when the code runs whenever its scope runs; "if" under a condition (if/while/for bodies,
        # except handlers, `and`/`or` operands, conditional expressions); "env" when that condition
        # reads the environment
        self.condition = ""

    def but(self, **changes: object) -> Frame:
        copy = Frame.__new__(Frame)
        copy.scope = self.scope
        copy.function = self.function
        copy.scopes = self.scopes
        copy.owner = self.owner
        copy.self_class = self.self_class
        copy.self_name = self.self_name
        copy.main_guard = self.main_guard
        copy.type_checking = self.type_checking
        copy.guarded = self.guarded
        copy.guarded_import = self.guarded_import
        copy.validating = self.validating
        copy.loop_values = self.loop_values
        copy.condition = self.condition
        for slot, value in changes.items():
            setattr(copy, slot, value)
        return copy

    @property
    def import_time(self) -> bool:
        return self.scope != "function" and not self.main_guard and not self.type_checking

    def under(self, condition: str) -> Frame:
        """This frame inside a condition ("if" or "env")."""
        combined = "env" if "env" in (self.condition, condition) else "if"
        return self if combined == self.condition else self.but(condition=combined)


class _Builder:
    def __init__(self, tree: ast.Module, source: str | None = None) -> None:
        self.tree = tree
        self.source = source
        self._lines: list[str] | None = None
        # the source as UTF-8 (what column offsets count) and, per line, the bytes before it without the
        # newlines, when exact: see `_quiet_body`
        self._data: bytes | None = None
        self._line_starts: list[int] = []
        self._env_free: bool | None = None
        self._env_aliases: bool | None = None
        self.bindings: dict[str, str] = {}
        self.local_defs: set[str] = set()
        self.defined: set[str] = set()
        self.constants: dict[str, str] = {}
        self.all_names: tuple[str, ...] | None = None
        self.all_dynamic = False  # `__all__` built by code we do not evaluate
        self.star_imports: list[tuple[int, str]] = []
        self.has_getattr = False
        self.dynamic_globals = False
        self.imports: list[ImportSite] = []
        self.calls: list[CallSite] = []
        self.env_reads: list[EnvRead] = []
        self.env_writes: list[EnvWrite] = []
        self.sys_modules_writes: list[tuple[str | None, int]] = []
        self.classes: dict[str, ClassInfo] = {}
        self.functions: dict[str, FunctionInfo] = {}
        # calls per function being collected: dotted function name -> calls
        self.function_calls: dict[str, list[CallSite]] = {}
        # module-level variables holding an env read without default: name -> index in env_reads
        self.env_vars: dict[str, int] = {}
        # functions and methods whose calls are being collected
        self.pending: list[tuple[str, str, FunctionInfo, list[CallSite]]] = []
        # per function (dotted name within the module): local names, import aliases, `global` names
        self.fn_locals: dict[str, set[str]] = {}
        self.fn_imports: dict[str, dict[str, str]] = {}
        self.fn_globals: dict[str, set[str]] = {}

    # -- pass 1: module-level names ------------------------------------------------
    def build(self) -> ModuleSummary:
        self._module_names(self.tree.body, type_checking=False)
        self._walk()
        self._finish_functions()
        return ModuleSummary(
            parsed=True,
            imports=tuple(self.imports),
            defined=frozenset(self.defined),
            all_names=None if self.all_dynamic else self.all_names,
            star_imports=tuple(self.star_imports),
            has_getattr=self.has_getattr,
            dynamic_globals=self.dynamic_globals,
            bindings=self.bindings,
            constants=self.constants,
            classes=self.classes,
            functions=self.functions,
            calls=tuple(self.calls),
            env_reads=tuple(self.env_reads),
            env_writes=tuple(self.env_writes),
            sys_modules_writes=tuple(self.sys_modules_writes),
        )

    def _module_names(self, body: Iterable[ast.stmt], *, type_checking: bool) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                self._bind_import(stmt, runtime=not type_checking)
            elif isinstance(stmt, (*FUNCTION_NODES, ast.ClassDef)):
                self.bindings.setdefault(stmt.name, ":" + stmt.name)
                self.local_defs.add(stmt.name)
                if not type_checking:
                    self.defined.add(stmt.name)
                if stmt.name == "__getattr__" and isinstance(stmt, FUNCTION_NODES):
                    self.has_getattr = True
            elif isinstance(stmt, ast.If):
                branch: ast.If | None = stmt
                while branch is not None:  # `elif` chains without recursion
                    if not is_main_guard(branch.test):
                        checking = type_checking or self._is_type_checking(branch.test)
                        self._module_names(branch.body, type_checking=checking)
                    orelse = branch.orelse
                    branch = orelse[0] if len(orelse) == 1 and isinstance(orelse[0], ast.If) else None
                    if branch is None:
                        self._module_names(orelse, type_checking=type_checking)
            elif isinstance(stmt, TRY_NODES):
                block = cast(ast.Try, stmt)  # `try` or `try`/`except*`: the same fields
                self._module_names(block.body, type_checking=type_checking)
                for handler in block.handlers:
                    self._module_names(handler.body, type_checking=type_checking)
                self._module_names(block.orelse, type_checking=type_checking)
                self._module_names(block.finalbody, type_checking=type_checking)
            elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
                if isinstance(stmt, (ast.For, ast.AsyncFor)):
                    self._bind_targets(stmt.target, type_checking)
                self._module_names(stmt.body, type_checking=type_checking)
                self._module_names(stmt.orelse, type_checking=type_checking)
            elif isinstance(stmt, (ast.With, ast.AsyncWith)):
                for item in stmt.items:
                    if item.optional_vars is not None:
                        self._bind_targets(item.optional_vars, type_checking)
                self._module_names(stmt.body, type_checking=type_checking)
            elif isinstance(stmt, ast.Match):
                for case in stmt.cases:
                    for node in ast.walk(case.pattern):
                        name = getattr(node, "name", None) or getattr(node, "rest", None)
                        if isinstance(name, str) and not type_checking:
                            self.defined.add(name)
                    self._module_names(case.body, type_checking=type_checking)
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    self._bind_targets(target, type_checking)
                    if isinstance(target, ast.Name):
                        self._assigned_value(target.id, stmt.value)
            elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
                if isinstance(stmt, ast.AugAssign) or stmt.value is not None:
                    self._bind_targets(stmt.target, type_checking)
                    if isinstance(stmt.target, ast.Name) and stmt.value is not None:
                        if isinstance(stmt, ast.AnnAssign):
                            self._assigned_value(stmt.target.id, stmt.value)
                        elif stmt.target.id == "__all__":
                            self._extend_all(stmt.value)
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                self._all_extension_call(stmt.value)

    def _is_type_checking(self, test: ast.expr) -> bool:
        name = dotted(test)
        if name is None:
            return False
        first, _, rest = name.partition(".")
        base = self.bindings.get(first, first)
        full = f"{base}.{rest}" if rest else base
        return full in TYPE_CHECKING_NAMES or name == "TYPE_CHECKING"

    def _bind_import(self, stmt: ast.Import | ast.ImportFrom, *, runtime: bool) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    bound, target = alias.asname, alias.name
                else:
                    bound = target = alias.name.split(".", 1)[0]
                self.bindings.setdefault(bound, target)
                if runtime:
                    self.defined.add(bound)
            return
        prefix = "." * stmt.level + (stmt.module or "")
        for alias in stmt.names:
            if alias.name == "*":
                if runtime:
                    self.star_imports.append((stmt.level, stmt.module or ""))
                continue
            bound = alias.asname or alias.name
            target = f"{prefix}.{alias.name}" if stmt.module else f"{prefix}{alias.name}"
            self.bindings.setdefault(bound, target)
            if runtime:
                self.defined.add(bound)

    def _bind_targets(self, target: ast.expr, type_checking: bool) -> None:
        for node in ast.walk(target):
            if isinstance(node, ast.Name) and not type_checking:
                self.defined.add(node.id)

    def _assigned_value(self, name: str, value: ast.expr) -> None:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            self.constants.setdefault(name, value.value)
        if name == "__all__":
            self.all_names = ()
            self._extend_all(value)

    def _extend_all(self, value: ast.expr) -> None:
        """Add a literal ``__all__`` part; anything computed makes ``__all__`` unknown for good."""
        if self.all_dynamic:
            return
        if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
            literals = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(literals) == len(value.elts):
                self.all_names = (*(self.all_names or ()), *literals)
            else:
                self.all_dynamic = True
        elif isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
            self._extend_all(value.left)
            self._extend_all(value.right)
        else:
            self.all_dynamic = True

    def _all_extension_call(self, call: ast.Call) -> None:
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "__all__"
            and func.attr in ("extend", "append", "insert", "remove")
            and call.args
        ):
            if func.attr in ("insert", "remove"):
                self.all_dynamic = True
                return
            arg = call.args[0]
            if func.attr == "append":
                arg = ast.List(elts=[arg], ctx=ast.Load())
            self._extend_all(arg)

    # -- name resolution ---------------------------------------------------------------
    def qualname(self, node: ast.AST, frame: Frame) -> str | None:
        """The encoded qualified name of a Name/Attribute chain in ``frame``."""
        written = dotted(node)
        return self._resolve(written, frame) if written is not None else None

    def _resolve(self, written: str, frame: Frame) -> str | None:
        first, _, rest = written.partition(".")
        base: str | None = None
        if frame.scope == "function":
            if frame.self_name and first == frame.self_name:
                base = ":" + frame.self_class
            else:
                # names known so far in the enclosing functions, innermost first
                for scope in reversed(frame.scopes):
                    imported = self.fn_imports.get(scope)
                    if imported and first in imported:
                        base = imported[first]
                        break
                    local_names = self.fn_locals.get(scope)
                    if local_names and first in local_names:
                        return None
                else:
                    base = self._module_qualname(first)
        else:
            base = self._module_qualname(first)
        if base is None:
            return None
        return f"{base}.{rest}" if rest else base

    def _module_qualname(self, name: str) -> str | None:
        bound = self.bindings.get(name)
        if bound is not None:
            return bound
        if name in self.defined:
            return ":" + name
        if name in BUILTINS:
            return name
        return None

    # -- pass 2: the walk (statements structurally, expressions with a flat stack) ----------
    def _walk(self) -> None:
        self._stmts(self.tree.body, Frame())

    def _stmts(self, body: list[ast.stmt], frame: Frame) -> None:
        handlers = self._handlers
        for stmt in body:
            handler = handlers.get(type(stmt))
            if handler is not None:
                handler(stmt, frame)
            else:
                self._generic_stmt(stmt, frame)

    @property
    def _handlers(self) -> dict[type, Callable[[Any, Frame], None]]:
        handlers = self.__dict__.get("_handler_table")
        if handlers is None:
            handlers = {
                ast.FunctionDef: self._function, ast.AsyncFunctionDef: self._function,
                ast.ClassDef: self._class, ast.If: self._if, ast.Try: self._try,
                ast.Assert: self._assert, ast.Import: self._import, ast.ImportFrom: self._import,
                ast.For: self._for, ast.AsyncFor: self._for, ast.Assign: self._assign,
                ast.AugAssign: self._augassign, ast.AnnAssign: self._annassign,
                ast.Global: self._global, ast.Nonlocal: self._global,
            }
            for kind in TRY_NODES:
                handlers[kind] = self._try
            self.__dict__["_handler_table"] = handlers
        return handlers

    def _generic_stmt(self, stmt: ast.stmt, frame: Frame) -> None:
        body_frame = frame.under("if") if type(stmt) in (ast.While, ast.Match) else frame
        for field in _stmt_fields(type(stmt)):
            value = getattr(stmt, field, None)
            if value is None:
                continue
            if isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    self._stmts(value, body_frame)
                    continue
                for item in value:
                    if isinstance(item, ast.expr):
                        self._expr(item, stmt, frame)
                    elif isinstance(item, ast.withitem):
                        self._expr(item.context_expr, stmt, frame)
                        if item.optional_vars is not None:
                            self._expr(item.optional_vars, stmt, frame)
                    elif isinstance(item, ast.match_case):
                        if item.guard is not None:
                            self._expr(item.guard, stmt, body_frame)
                        self._stmts(item.body, body_frame)
            elif isinstance(value, ast.expr):
                self._expr(value, stmt, frame)

    def _expr(self, root: ast.expr, parent: ast.AST, frame: Frame) -> None:
        stack: list[tuple[Any, ast.AST]] = [(root, parent)]
        pop = stack.pop
        push = stack.append
        function_scope = frame.scope == "function"
        track_vars = bool(self.env_vars) and frame.import_time
        # a Name matters only as a use of an env variable (loaded at import time, see
        # `_record_env_var_use`) or as a function local (stored in a function): the others are not pushed
        if function_scope:
            names_mode = NAMES_STORED
        elif track_vars:
            names_mode = NAMES_LOADED
        else:
            names_mode = NAMES_NONE
        # method calls whose callee `_record_call` would not even resolve (see there)
        skip_methods = function_scope and (frame.main_guard or frame.function not in self.function_calls)
        fields_of = _FIELDS
        node_type = ast.AST
        name_type = ast.Name
        constant_type = ast.Constant
        attribute_type = ast.Attribute
        call_type = ast.Call
        keyword_type = ast.keyword
        comprehension_type = ast.comprehension
        load_type = ast.Load
        record_call = self._record_call
        while stack:
            node, above = pop()
            kind = node.__class__
            while kind is attribute_type:  # an attribute records nothing: on to its value
                above = node
                node = node.value
                kind = node.__class__
            if kind is name_type:
                if node.ctx.__class__ is load_type:
                    if track_vars:
                        self._record_env_var_use(node, above, frame)
                elif function_scope:
                    self._local(node.id, frame)
                continue
            if kind is constant_type:
                continue
            if kind is call_type:
                func = node.func
                if not (skip_methods and func.__class__ is attribute_type and func.attr not in CALL_ATTRS_OF_INTEREST):
                    record_call(node, above, frame)
            elif kind is ast.Subscript:
                value = node.value
                value_kind = value.__class__
                last = value.attr if value_kind is attribute_type else value.id if value_kind is name_type else ""
                if last == "environ" or last == "modules":
                    self._record_subscript(node, above, frame)
            elif kind is ast.Compare:
                self._record_contains(node, frame)
            elif kind is ast.Lambda:
                self._lambda(node, frame)
                continue
            elif kind is ast.NamedExpr and type(node.target) is ast.Name:
                self.defined.add(node.target.id)
            elif kind is ast.BoolOp:
                values = node.values
                later = frame.under("if")
                for value in values[1:]:
                    self._expr(value, node, later)
                push((values[0], node))
                continue
            elif kind is ast.IfExp:
                later = frame.under("if")
                self._expr(node.body, node, later)
                self._expr(node.orelse, node, later)
                push((node.test, node))
                continue
            elif kind in COMPREHENSIONS and not frame.condition:
                self._expr(node, above, frame.under("if"))
                continue
            # children pushed last-first so that they pop in source order; constants and attribute chains
            # down to a constant, and names that cannot matter here, are never pushed: visiting them does
            # nothing
            fields = fields_of.get(kind)
            if fields is None:
                fields = _fields(kind)
            for field in reversed(fields):
                value = getattr(node, field)
                if value is None:
                    continue
                items: Iterable[Any]
                if value.__class__ is list:
                    items = reversed(value)
                else:
                    items = (value,)
                for item in items:
                    item_kind = item.__class__
                    if item_kind is keyword_type:
                        item = item.value
                        item_kind = item.__class__
                    elif item_kind is comprehension_type:
                        for child in reversed(item.ifs):
                            push((child, node))
                        push((item.iter, node))
                        push((item.target, node))
                        continue
                    holder = node
                    while item_kind is attribute_type:
                        holder = item
                        item = item.value
                        item_kind = item.__class__
                    if item_kind is name_type:
                        if names_mode is NAMES_NONE:
                            continue
                        if (item.ctx.__class__ is load_type) is (names_mode is NAMES_LOADED):
                            push((item, holder))
                    elif item_kind is not constant_type and isinstance(item, node_type):
                        push((item, holder))

    def _local(self, name: str, frame: Frame) -> None:
        if name not in self.fn_globals.get(frame.function, ()):
            self.fn_locals.setdefault(frame.function, set()).add(name)

    def _lambda(self, node: ast.Lambda, frame: Frame) -> None:
        for default in (*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)):
            self._expr(default, node, frame)
        key = f"{frame.function}.<lambda>" if frame.function else "<lambda>"
        self.fn_locals.setdefault(key, set()).update(_argument_names(node.args))
        inner = frame.but(scope="function", function=key, scopes=(*frame.scopes, key), owner="", self_name="")
        self._expr(node.body, node, inner)

    # -- statements -----------------------------------------------------------------------
    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, frame: Frame) -> None:
        args = node.args
        for expr in node.decorator_list:
            self._expr(expr, node, frame)
        for expr in args.defaults:
            self._expr(expr, node, frame)
        for default in args.kw_defaults:
            if default is not None:
                self._expr(default, node, frame)
        if frame.scope == "function":
            self._local(node.name, frame)
        name = f"{frame.function}.{node.name}" if frame.function else (
            f"{frame.owner}.{node.name}" if frame.owner else node.name)
        self_class = self_name = ""
        kind = "function"
        decorators: tuple[str, ...] = ()
        if node.decorator_list:
            decorators = tuple(q for q in (self.qualname(d.func if isinstance(d, ast.Call) else d, frame)
                                           for d in node.decorator_list) if q)
        if frame.scope == "class" and frame.owner and "." not in frame.owner:
            kind = "method"
            if "staticmethod" in decorators:
                kind = "staticmethod"
            elif "classmethod" in decorators:
                kind = "classmethod"
            elif "property" in decorators or any(d.endswith(".setter") for d in decorators):
                kind = "property"
            positional = [*node.args.posonlyargs, *node.args.args]
            if kind != "staticmethod" and positional:
                self_class, self_name = frame.owner, positional[0].arg
        self.fn_locals[name] = set(_argument_names(args)) - {self_name}
        inner = Frame.__new__(Frame)  # frame.but(...) with every slot but two changed
        inner.scope = "function"
        inner.function = name
        inner.scopes = (*frame.scopes, name)
        inner.owner = ""
        inner.self_class = self_class
        inner.self_name = self_name
        inner.main_guard = frame.main_guard
        inner.type_checking = frame.type_checking
        inner.guarded = inner.guarded_import = False
        inner.validating = None
        inner.loop_values = ()
        inner.condition = ""
        info = FunctionInfo(node.name, node.lineno, kind, (), decorators)
        # the calls of a body matter only when something calls the function at import time (TST101/TST103
        # follow them); tests (`test_*`, methods of `Test*` classes) never are, and they are most of a suite
        is_test = node.name.startswith("test") or frame.owner.startswith("Test")
        if frame.scope == "module" and not frame.function or kind != "function":
            calls: list[CallSite] = []
            if not is_test:
                self.function_calls[name] = calls
            self.pending.append((frame.owner if kind != "function" else "", node.name, info, calls))
        if (inner.main_guard or name not in self.function_calls) and self._quiet_body(node.body, inner):
            return
        self._stmts(node.body, inner)

    def _quiet_body(self, body: list[ast.stmt], frame: Frame) -> bool:
        """Whether the body of a function whose calls are not collected records nothing (see ENV_WORDS)."""
        env_free = self._env_free
        if env_free is None:
            env_free = self._env_free = self._scan_source()
        data = self._data
        if data is None:
            return False
        first, last = body[0], body[-1]
        starts = self._line_starts
        # `starts[i]` counts the bytes of the lines before line i + 1 without their newlines
        start = starts[first.lineno - 1] + first.lineno - 1 + first.col_offset
        end = starts[last.end_lineno - 1] + last.end_lineno - 1 + last.end_col_offset  # type: ignore[operator]
        if env_free:
            return QUIET_BODY_STOP.search(data, start, end) is None
        if self._env_aliases is None:
            self._env_aliases = any(_short_names_env(target) and not _short_names_env(bound)
                                    for bound, target in self.bindings.items())
        if self._env_aliases:
            return False
        for scope in frame.scopes:
            imported = self.fn_imports.get(scope)
            if imported and any(_short_names_env(target) for target in imported.values()):
                return False
        return QUIET_ENV_BODY_STOP.search(data, start, end) is None

    def _scan_source(self) -> bool:
        """Whether the source is exact and (NFKC-normalised) names nothing environment-related.

        Keeps the source as UTF-8 (what column offsets count) and its line offsets when they are exact:
        the source is known, and its lines end with ``\\n`` only.
        """
        source = self.source
        if source is None or "\r" in source or source.startswith("\ufeff"):
            return False
        try:
            data = self._data = source.encode("utf-8")
        except UnicodeEncodeError:
            return False
        self._line_starts = [0, *accumulate(map(len, data.split(b"\n")))]
        if _names_env(source) or ("dict" in source and DICT_ATTRIBUTE.search(source) is not None):
            return False
        if not source.isascii():
            normal = unicodedata.normalize("NFKC", source)
            if _names_env(normal) or ("dict" in normal and DICT_ATTRIBUTE.search(normal) is not None):
                return False
        return True

    def _class(self, node: ast.ClassDef, frame: Frame) -> None:
        for expr in (*node.decorator_list, *node.bases, *(k.value for k in node.keywords)):
            self._expr(expr, node, frame)
        if frame.scope == "function":
            self._local(node.name, frame)
            inner = frame.but(owner="")  # a class inside a function: still function time
        else:
            owner = f"{frame.owner}.{node.name}" if frame.owner else node.name
            inner = frame.but(scope="class", owner=owner)
            if frame.scope == "module" and not frame.owner:
                self._record_class(node, frame)
        self._stmts(node.body, inner)

    def _if(self, node: ast.If, frame: Frame) -> None:
        while True:  # an `elif` chain is a loop here, not a recursion (thousands of branches happen)
            if frame.scope != "function" and is_main_guard(node.test):
                self._expr(node.test, node, frame)
                self._stmts(node.body, frame.but(main_guard=True))
                orelse_frame = frame
            elif self._is_type_checking(node.test):
                self._stmts(node.body, frame.but(type_checking=True))
                orelse_frame = frame
            else:
                test_frame = frame
                if frame.import_time and any(isinstance(s, ast.Raise) for s in node.body):
                    test_frame = frame.but(validating=("if", node.test))
                reads = len(self.env_reads)
                self._expr(node.test, node, test_frame)
                orelse_frame = frame.under("env" if len(self.env_reads) > reads else "if")
                self._stmts(node.body, orelse_frame)
            if len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
                node, frame = node.orelse[0], orelse_frame
                continue
            self._stmts(node.orelse, orelse_frame)
            return

    def _try(self, node: ast.Try, frame: Frame) -> None:
        if node.handlers:
            catches_import = any(self._catches_import(h, frame) for h in node.handlers)
            self._stmts(node.body, frame.but(guarded=True, guarded_import=frame.guarded_import or catches_import))
        else:
            self._stmts(node.body, frame)
        for handler in node.handlers:
            if handler.type is not None:
                self._expr(handler.type, handler, frame)
            if handler.name and frame.scope == "function":
                self._local(handler.name, frame)
            self._stmts(handler.body, frame.under("if"))
        self._stmts(node.orelse, frame)
        self._stmts(node.finalbody, frame)

    def _assert(self, node: ast.Assert, frame: Frame) -> None:
        self._expr(node.test, node, frame.but(validating=("assert", node.test)) if frame.import_time else frame)
        if node.msg is not None:
            self._expr(node.msg, node, frame)

    def _import(self, node: ast.Import | ast.ImportFrom, frame: Frame) -> None:
        self._record_import(node, frame)
        if frame.scope != "function":
            return
        imports = self.fn_imports.setdefault(frame.function, {})
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    imports[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    imports[top] = top
        else:
            prefix = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name != "*":
                    imports[alias.asname or alias.name] = (
                        f"{prefix}.{alias.name}" if node.module else f"{prefix}{alias.name}")

    def _for(self, node: ast.For | ast.AsyncFor, frame: Frame) -> None:
        self._expr(node.target, node, frame)
        self._expr(node.iter, node, frame)
        values = _string_literals(node.iter)
        if values is not None and isinstance(node.target, ast.Name):
            inner = frame.but(loop_values=(*frame.loop_values, (node.target.id, values)))
        else:
            inner = frame.under("if")  # the loop may run zero times
        self._stmts(node.body, inner)
        self._stmts(node.orelse, frame)

    def _assign(self, node: ast.Assign, frame: Frame) -> None:
        if frame.scope == "module" and frame.import_time and self.env_vars:
            self._track_env_var(node)
        for target in node.targets:
            self._expr(target, node, frame)
        self._expr(node.value, node, frame)

    def _augassign(self, node: ast.AugAssign, frame: Frame) -> None:
        self._record_augassign(node, frame)
        self._expr(node.target, node, frame)
        self._expr(node.value, node, frame)

    def _annassign(self, node: ast.AnnAssign, frame: Frame) -> None:
        self._expr(node.target, node, frame)
        if node.value is not None:
            self._expr(node.value, node, frame)

    def _global(self, node: ast.Global | ast.Nonlocal, frame: Frame) -> None:
        if isinstance(node, ast.Global):
            self.defined.update(node.names)
        if frame.scope == "function":
            self.fn_globals.setdefault(frame.function, set()).update(node.names)
            locals_ = self.fn_locals.get(frame.function)
            if locals_:
                locals_.difference_update(node.names)

    def _catches_import(self, handler: ast.ExceptHandler, frame: Frame) -> bool:
        if handler.type is None:
            return True
        types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        for item in types:
            name = self.qualname(item, frame) or ""
            if name.rsplit(".", 1)[-1] in IMPORT_ERRORS:
                return True
        return False

    # -- records -------------------------------------------------------------------------
    def _record_import(self, node: ast.Import | ast.ImportFrom, frame: Frame) -> None:
        if frame.type_checking:
            where = TYPE_CHECKING_ONLY
        elif frame.scope == "function":
            where = IN_FUNCTION
        else:
            where = AT_IMPORT
        names = tuple((a.name, a.asname) for a in node.names)
        if isinstance(node, ast.Import):
            site = ImportSite(loc(node), False, 0, None, names, where, frame.guarded_import, frame.main_guard)
        else:
            site = ImportSite(loc(node), True, node.level, node.module, names, where, frame.guarded_import,
                              frame.main_guard)
        self.imports.append(site)

    def _call_site(self, node: ast.Call, callee: str | None, written: str | None, frame: Frame) -> CallSite:
        text = written or ""
        if len(text) > MAX_TEXT:
            text = text[:MAX_TEXT]
        keywords = tuple(k.arg if k.arg is not None else "**" for k in node.keywords)
        star = "**" in keywords or any(type(a) is ast.Starred for a in node.args)
        first = node.args[0] if node.args else None
        first_arg = first.value if type(first) is ast.Constant and isinstance(first.value, str) else None
        return CallSite(loc(node), callee, text, keywords, len(node.args), star, first_arg, frame.guarded,
                        frame.owner if frame.scope == "class" else "", frame.condition)

    def _record_call(self, node: ast.Call, parent: ast.AST | None, frame: Frame) -> None:
        func = node.func
        if (func.__class__ is ast.Attribute and frame.scope == "function"
                and func.attr not in CALL_ATTRS_OF_INTEREST
                and (frame.main_guard or frame.function not in self.function_calls)):
            # a method call in a body whose calls are not collected: `x.attr(...)` resolves to
            # `....attr`, which is none of the calls recorded below, so its callee is not needed
            return
        written = dotted(func)
        callee = self._resolve(written, frame) if written is not None else None
        if frame.import_time:
            self.calls.append(self._call_site(node, callee, written, frame))
        elif callee is not None and frame.scope == "function" and not frame.main_guard:
            calls = self.function_calls.get(frame.function)
            if calls is not None:
                calls.append(self._call_site(node, callee, written, frame))
        if callee in (ENVIRON_GET, GETENV):
            self._record_get(node, parent, callee, frame)
            return
        if callee in ("sys.modules.update", "sys.modules.setdefault"):
            if frame.import_time:
                self._record_sys_modules_call(node, callee)
            return
        if callee == "setattr":
            if node.args and self._is_this_module(node.args[0]) and frame.scope != "function":
                self.dynamic_globals = True
            return
        if callee == "exec" and frame.scope != "function":
            self.dynamic_globals = True
            return
        func = node.func
        attr = func.attr if type(func) is ast.Attribute else ""
        if (attr in ("update", "setdefault", "__setitem__") and type(func.value) is ast.Call  # type: ignore[attr-defined]
                and type(func.value.func) is ast.Name and func.value.func.id in DYNAMIC_GLOBALS  # type: ignore[attr-defined]
                and frame.scope != "function"):
            self.dynamic_globals = True
            return
        if attr in ENV_WRITE_ATTRS or (callee is not None and callee in DOTENV_LOADERS):
            names = env_sets_in_call(node, lambda n: self.qualname(n, frame), self._literal)
            for name in names or ():
                self._add_write(node, name, frame)

    def _possible_literals(self, node: ast.AST, frame: Frame) -> list[str | None]:
        """The strings an expression can be: a literal, a constant, a loop variable over literals."""
        value = self._literal(node)
        if value is not None:
            return [value]
        if isinstance(node, ast.Name):
            for name, values in reversed(frame.loop_values):
                if name == node.id:
                    return list(values)
        return [None]

    def _literal(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return self.constants.get(node.id)
        return None

    def _is_this_module(self, node: ast.AST) -> bool:
        return (isinstance(node, ast.Subscript) and dotted(node.value) in ("sys.modules",)
                and isinstance(node.slice, ast.Name) and node.slice.id == "__name__")

    def _add_write(self, node: ast.AST, name: str | None, frame: Frame) -> None:
        self.env_writes.append(EnvWrite(loc(node), name, frame.import_time, frame.function))

    def _record_get(self, node: ast.Call, parent: ast.AST | None, callee: str, frame: Frame) -> None:
        name = self._literal(node.args[0]) if node.args else None
        has_default = default_of(node) is not None
        kind = "getenv" if callee == GETENV else "get"
        how = ""
        if frame.import_time and not has_default and not frame.guarded and not frame.condition:
            how = self._failure(node, parent, frame)
        self._add_read(node, name, kind, has_default, frame, bool(how), how)
        if isinstance(parent, ast.Assign) and frame.scope == "module" and frame.import_time and not has_default:
            for target in parent.targets:
                if isinstance(target, ast.Name):
                    self.env_vars[target.id] = len(self.env_reads) - 1

    def _failure(self, node: ast.AST, parent: ast.AST | None, frame: Frame) -> str:
        """How a possibly-None value fails at import in its context ("" if it does not)."""
        if frame.validating is not None:
            mode, test = frame.validating
            if raises_when_unset(mode, test, node):
                return "an `assert`" if mode == "assert" else "a `raise`"
        return failing_use(node, parent, lambda n: self.qualname(n, frame))

    def _record_subscript(self, node: ast.Subscript, parent: ast.AST | None, frame: Frame) -> None:
        if _last_name(node.value) not in ("environ", "modules"):
            return
        target = self.qualname(node.value, frame)
        if target == ENVIRON:
            name = self._literal(node.slice)
            if isinstance(node.ctx, ast.Store):
                for value in self._possible_literals(node.slice, frame):
                    self._add_write(node, value, frame)
            elif isinstance(node.ctx, ast.Load):
                fails = frame.import_time and not frame.guarded and not frame.condition
                self._add_read(node, name, "subscript", False, frame, fails, "KeyError" if fails else "")
        elif target == "sys.modules" and isinstance(node.ctx, ast.Store) and frame.import_time:
            for value in self._possible_literals(node.slice, frame):
                self.sys_modules_writes.append((value, node.lineno))

    def _record_sys_modules_call(self, node: ast.Call, callee: str) -> None:
        names: list[str | None] = []
        if callee.endswith("setdefault") and node.args:
            names.append(self._literal(node.args[0]))
        elif node.args and isinstance(node.args[0], ast.Dict):
            names.extend(self._literal(k) if k is not None else None for k in node.args[0].keys)
        else:
            names.append(None)
        names.extend(k.arg for k in node.keywords)
        for name in names:
            self.sys_modules_writes.append((name, node.lineno))

    def _record_contains(self, node: ast.Compare, frame: Frame) -> None:
        for op, right in zip(node.ops, node.comparators, strict=True):
            if type(op) not in (ast.In, ast.NotIn) or _last_name(right) != "environ":
                continue
            if self.qualname(right, frame) == ENVIRON:
                self._add_read(node, self._literal(node.left), "contains", True, frame, False, "")

    def _record_augassign(self, node: ast.AugAssign, frame: Frame) -> None:
        if type(node.op) is not ast.BitOr or _last_name(node.target) != "environ":
            return
        if self.qualname(node.target, frame) == ENVIRON:
            if isinstance(node.value, ast.Dict):
                for key in node.value.keys:
                    self._add_write(node, self._literal(key) if key is not None else None, frame)
            else:
                self._add_write(node, None, frame)

    def _add_read(self, node: ast.AST, name: str | None, kind: str, has_default: bool, frame: Frame,
                  fails: bool, how: str) -> None:
        text = _shorten(self._segment(node))
        self.env_reads.append(EnvRead(loc(node), name, kind, has_default, frame.import_time, frame.function,
                                      fails, how, text, frame.guarded))

    def _track_env_var(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id in self.env_vars:
                # rebinding: the variable no longer holds the read
                value = node.value
                if not (isinstance(value, ast.Call) and self.qualname(value.func, Frame()) in (ENVIRON_GET, GETENV)):
                    del self.env_vars[target.id]

    def _record_env_var_use(self, node: ast.Name, parent: ast.AST | None, frame: Frame) -> None:
        index = self.env_vars.get(node.id)
        if index is None or frame.guarded or frame.condition:
            return
        read = self.env_reads[index]
        if read.fails_when_unset:
            return
        how = self._failure(node, parent, frame)
        if how:
            text = read.text or _shorten(f"{node.id} = {'os.getenv' if read.kind == 'getenv' else 'os.environ.get'}"
                                         f"({read.name!r})")
            self.env_reads[index] = replace(read, fails_when_unset=True, how=f"{how} (line {node.lineno})", text=text)

    def _segment(self, node: ast.AST) -> str:
        """The source text of a node (single line: exact; otherwise unparsed)."""
        if self.source is not None and node.lineno == node.end_lineno:  # type: ignore[attr-defined]
            if self._lines is None:
                self._lines = self.source.split("\n")
            index = node.lineno - 1  # type: ignore[attr-defined]
            if 0 <= index < len(self._lines):
                data = self._lines[index].encode("utf-8")
                return data[node.col_offset:node.end_col_offset].decode("utf-8", "replace")  # type: ignore[attr-defined]
        return ast.unparse(node)

    # -- classes ---------------------------------------------------------------------------
    def _record_class(self, node: ast.ClassDef, frame: Frame) -> None:
        bases = tuple(self.qualname(base, frame) for base in node.bases)
        keywords = tuple(
            (k.arg, k.value.value if isinstance(k.value, ast.Constant) and isinstance(k.value.value, str) else None)
            for k in node.keywords if k.arg
        )
        fields: list[FieldInfo] = []
        assigned: list[str] = []
        for stmt in _class_statements(node.body):
            field = field_of(stmt, lambda n: self.qualname(n, frame))
            if field is not None:
                fields.append(field)
            elif isinstance(stmt, ast.Assign):
                assigned.extend(t.id for t in stmt.targets if isinstance(t, ast.Name))
        prefix, case_sensitive = class_settings_config(node, lambda n: self.qualname(n, frame))
        self.classes.setdefault(node.name, ClassInfo(node.name, loc(node), bases, keywords, tuple(fields),
                                                     tuple(assigned), prefix, case_sensitive, {}))

    def _finish_functions(self) -> None:
        for owner, name, info, calls in self.pending:
            info = replace(info, calls=tuple(calls))
            if not owner:
                self.functions.setdefault(name, info)
            else:
                cls = self.classes.get(owner)
                if cls is not None:
                    cls.methods.setdefault(name, info)


def _class_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    for stmt in body:
        if isinstance(stmt, ast.If) and not is_main_guard(stmt.test):
            yield from _class_statements(stmt.body)
            yield from _class_statements(stmt.orelse)
        else:
            yield stmt


def _string_literals(node: ast.AST) -> tuple[str, ...] | None:
    """The strings of a literal list/tuple/set made only of strings, else None."""
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)) or not node.elts:
        return None
    values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return tuple(values) if len(values) == len(node.elts) else None


def _argument_names(args: ast.arguments) -> frozenset[str]:
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    if args.vararg:
        names.append(args.vararg.arg)
    if args.kwarg:
        names.append(args.kwarg.arg)
    return frozenset(names)


def _names_env(text: str) -> bool:
    return any(word in text for word in ENV_WORDS)


_short_names_env = re.compile("|".join(ENV_WORDS)).search  # the same, faster on short texts


def _last_name(node: ast.AST) -> str:
    if type(node) is ast.Attribute:
        return node.attr
    if type(node) is ast.Name:
        return node.id
    return ""


_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(kind: type) -> tuple[str, ...]:
    """The fields of an ast node class that can hold code we walk."""
    found = _FIELDS.get(kind)
    if found is None:
        found = _FIELDS[kind] = tuple(f for f in getattr(kind, "_fields", ()) if f not in SKIPPED_FIELDS)
    return found


_stmt_fields = _fields


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3] + "..."
