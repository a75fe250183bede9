"""What one module contributes to pytest's fixture world, read from its syntax tree.

:func:`summarize` walks a module once and records its fixture definitions
(module level and per class), what it imports (fixtures can be imported into
a conftest or test module, and pytest registers them there under the local
name), its ``pytest_plugins``, its ``pytest_generate_tests``, and, for the
suite-wide view, every name it requests.  The result is plain data, cheap to
cache, and never depends on another file: resolving imports is the index's job
(:mod:`suitelint.pytest_model.fixtures`).

Definitions recognised: a function decorated with ``pytest.fixture``
(``@fixture`` from pytest, ``pytest_asyncio.fixture``, and any imported
decorator named ``fixture``/``*_fixture``, e.g. ``pytest_lsp.fixture``), and
module-level assignments ``name = pytest.fixture(...)(func)`` or
``name = pytest.fixture(func)`` (how pytest-mock defines ``mocker``), and
aliases ``other = some_fixture`` (pytest registers a fixture under every
attribute name that holds it, unless ``name=`` fixes the name).
"""

from __future__ import annotations

from suitelint.core.astwalk import CHILD_FIELDS, child_fields, iter_nodes, walk_from  # noqa: F401 - re-exported

import ast
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator

from suitelint.core.paths import resolved  # noqa: F401 - re-exported
from suitelint.pytest_model.known_fixtures import DYNAMIC_FIXTURE_MODULES

SCOPES = ("function", "class", "module", "package", "session")
SCOPE_RANK = {scope: rank for rank, scope in enumerate(SCOPES)}
FIXTURE_FUNCTIONS = frozenset({"pytest.fixture", "pytest.yield_fixture", "_pytest.fixtures.fixture"})
MOCK_MODULES = ("unittest.mock", "mock")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class FixtureDef:
    """One fixture definition.

    ``name`` is the name tests request; ``attribute`` the module or class
    attribute holding it (the function name, or the assignment target);
    ``explicit_name`` is set when ``name=`` fixes the requested name, so that
    re-exporting under another attribute name keeps it.  ``scope`` is None
    when it is computed at run time (``scope=callable``) or not known.
    """

    name: str
    attribute: str
    function: str
    path: Path | None
    line: int
    column: int = 0
    scope: str | None = "function"
    dynamic_scope: bool = False
    autouse: bool = False  # also True when computed at run time (``autouse=FLAG``): it may be
    dynamic_autouse: bool = False
    is_async: bool = False
    is_generator: bool = False
    has_params: bool = False
    argnames: tuple[str, ...] = ()
    owner: str | None = None  # class qualname ("TestA", "TestA.TestInner") for class fixtures
    origin: str = "module"  # module | builtin | installed | known | config
    plugin: str | None = None  # the providing plugin, for builtin/installed/known fixtures
    explicit_name: str | None = None
    body_key: str | None = None  # normalised body, to find copies (TST503)
    body_size: int = 0
    teardown: frozenset[str] = frozenset()  # attribute and variable names touched in teardown

    def renamed(self, attribute: str) -> FixtureDef:
        """The same fixture held by another attribute (an alias or an import as)."""
        return replace(self, attribute=attribute, name=self.explicit_name or attribute)

    @property
    def requests_itself(self) -> bool:
        return self.name in self.argnames


@dataclass(frozen=True)
class ClassSummary:
    qualname: str
    line: int
    bases: tuple[str, ...]  # dotted names as written (local names)
    fixtures: dict[str, FixtureDef]
    test_false: bool  # __test__ = False in the body
    registers_as_plugin: bool = False


@dataclass(frozen=True)
class GenerateTests:
    """What a ``pytest_generate_tests`` hook parametrizes."""

    argnames: frozenset[str]
    dynamic: bool  # argnames not literal, or metafunc handed to other code


@dataclass(frozen=True)
class ModuleSummary:
    path: Path
    module: str
    fixtures: dict[str, FixtureDef]  # attribute name -> definition, module level
    classes: dict[str, ClassSummary]
    name_imports: dict[str, tuple[str, str]]  # local name -> (absolute module, imported name)
    module_imports: dict[str, str]  # local name -> module (``import a.b as c``)
    star_imports: tuple[str, ...]
    exported: frozenset[str] | None  # a literal ``__all__`` (what a star import of this module brings)
    opaque_names: frozenset[str]  # module names that might hold a fixture we cannot see
    dynamic: bool  # fixtures created at run time (globals() tricks, pytest-factoryboy...)
    plugins: tuple[str, ...]
    plugins_line: int | None
    plugins_dynamic: bool
    generate_tests: GenerateTests | None
    imported_modules: frozenset[str]  # top-level packages imported at module level
    facts: SuiteFacts | None = None  # what the suite-wide view needs (None: not computed)


@dataclass(frozen=True)
class SuiteFacts:
    """What the suite-wide view needs from one file: every name it requests, one way or another."""

    requested: frozenset[str]  # every parameter name of every function, usefixtures names
    strings: frozenset[str]  # identifier-like string constants (getfixturevalue, lazy fixtures)
    parametrized: frozenset[str]  # parametrize argnames
    dynamic_fixture_lookup: bool  # getfixturevalue(<computed>)
    base_names: frozenset[str]  # last component of every class base
    imported_modules: frozenset[str]  # top-level packages imported anywhere in the file

    @property
    def used_names(self) -> frozenset[str]:
        return self.requested | self.strings | self.parametrized


def import_table(tree: ast.Module, module: str, is_package: bool) -> tuple[dict[str, str], list[ast.ImportFrom]]:
    """Module-level imports: local name -> qualified name, and the star imports."""
    table: dict[str, str] = {}
    stars: list[ast.ImportFrom] = []
    for stmt in module_level_statements(tree.body):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    table[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    table[top] = top
        elif isinstance(stmt, ast.ImportFrom):
            base = absolute_module(stmt, module, is_package)
            if base is None:
                continue
            for alias in stmt.names:
                if alias.name == "*":
                    stars.append(stmt)
                else:
                    table[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
    return table, stars


def absolute_module(node: ast.ImportFrom, module: str, is_package: bool) -> str | None:
    if not node.level:
        return node.module or ""
    package = module.split(".") if module else []
    if not is_package:
        package = package[:-1]
    up = node.level - 1
    if up > len(package):
        return None
    base = package[: len(package) - up]
    parts = [*base, *([node.module] if node.module else [])]
    return ".".join(p for p in parts if p) or None


def module_level_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements that run at import time, looking into if/try/with blocks."""
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        if isinstance(stmt, (ast.If, ast.Try, ast.With)) or type(stmt).__name__ == "TryStar":
            children: list[ast.stmt] = []
            for name in ("body", "orelse", "finalbody"):
                children.extend(getattr(stmt, name, ()))
            for handler in getattr(stmt, "handlers", ()):
                children.extend(handler.body)
            stack.extend(reversed(children))


def dotted(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def qualify(node: ast.AST, table: dict[str, str]) -> str | None:
    """A Name/Attribute chain's qualified name through the import table (None if not imported)."""
    name = dotted(node)
    if name is None:
        return None
    head, _, rest = name.partition(".")
    base = table.get(head)
    if base is None:
        return None
    return f"{base}.{rest}" if rest else base


def is_fixture_decorator_name(qualname: str | None) -> bool:
    if not qualname:
        return False
    if qualname in FIXTURE_FUNCTIONS:
        return True
    last = qualname.rsplit(".", 1)[-1]
    return "." in qualname and (last == "fixture" or last.endswith("_fixture"))


def fixture_decorator(func: FunctionNode, table: dict[str, str]) -> ast.expr | None:
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if is_fixture_decorator_name(qualify(target, table)):
            return decorator
    return None


@dataclass
class FixtureOptions:
    scope: str | None = "function"
    dynamic_scope: bool = False
    autouse: bool = False
    dynamic_autouse: bool = False
    has_params: bool = False
    name: str | None = None
    name_node: ast.expr | None = None


def fixture_options(decorator: ast.expr | None) -> FixtureOptions:
    options = FixtureOptions()
    if not isinstance(decorator, ast.Call):
        return options
    args = list(decorator.args)
    if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
        options.scope = args[0].value  # pytest < 8: positional scope
    for keyword in decorator.keywords:
        value = keyword.value
        if keyword.arg == "scope":
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                options.scope = value.value if value.value in SCOPE_RANK else None
            else:
                options.scope = None
                options.dynamic_scope = True
        elif keyword.arg == "autouse":
            if isinstance(value, ast.Constant):
                options.autouse = bool(value.value)
            else:
                options.autouse = options.dynamic_autouse = True
        elif keyword.arg == "params":
            options.has_params = True
        elif keyword.arg == "name":
            options.name_node = value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                options.name = value.value
        elif keyword.arg is None:  # **kwargs: we cannot know
            options.scope = None
            options.dynamic_scope = True
    return options


def requested_argnames(func: FunctionNode | ast.Lambda, *, in_class: bool, is_static: bool = False) -> list[ast.arg]:
    """The parameters pytest fills with fixtures (pytest's ``getfuncargnames``).

    Positional-or-keyword and keyword-only parameters without a default;
    the first one dropped for methods (``self``/``cls``).
    """
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    names = [arg for index, arg in enumerate(positional) if index < first_default and arg in args.args]
    names.extend(arg for arg, default in zip(args.kwonlyargs, args.kw_defaults) if default is None)
    if in_class and not is_static:
        names = names[1:]
    return names


def is_staticmethod(func: FunctionNode) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in func.decorator_list)


def has_yield(func: FunctionNode) -> bool:
    for node in walk_function_body(func):
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
    return False


_NESTED_SCOPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef})


def walk_function_body(func: FunctionNode | ast.Lambda) -> Iterator[ast.AST]:
    """Nodes of a function's body, not descending into nested functions and classes.

    The expression-context and operator singletons (``Load``, ``Add``...) are
    not yielded.
    """
    body = func.body if isinstance(func.body, list) else [func.body]
    nested = _NESTED_SCOPES
    return walk_from([node for node in reversed(body) if node.__class__ not in nested], nested)


def teardown_attributes(func: FunctionNode) -> frozenset[str]:
    """Attribute and variable names touched after the first ``yield``, in ``finally`` blocks and finalizers."""
    names: set[str] = set()
    first_yield: int | None = None
    uses_finalizer = False
    for node in walk_function_body(func):
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            line = node.lineno
            first_yield = line if first_yield is None else min(first_yield, line)
        elif isinstance(node, ast.Attribute) and node.attr in ("addfinalizer", "addCleanup", "callback"):
            uses_finalizer = True
    for node in iter_nodes(func):
        if first_yield is not None and getattr(node, "lineno", 0) > first_yield:
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.Name):
                names.add(node.id)
        if isinstance(node, ast.Try):
            for stmt in node.finalbody:
                names.update(n.attr for n in iter_nodes(stmt) if isinstance(n, ast.Attribute))
        elif uses_finalizer and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) \
                and node is not func:
            names.update(n.attr for n in iter_nodes(node) if isinstance(n, ast.Attribute))
    return frozenset(names)


def body_key(func: FunctionNode, decorator: ast.expr | None) -> tuple[str | None, int]:
    """A position-free dump of the fixture's parameters, options and body, and its size."""
    body = list(func.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(
        body[0].value.value, str
    ):
        body = body[1:]
    if not body:
        return None, 0
    size = sum(1 for stmt in body for node in ast.walk(stmt) if not isinstance(node, ast.expr_context))
    options = ""
    if isinstance(decorator, ast.Call):
        kept = [k for k in decorator.keywords if k.arg != "name"]
        try:
            options = ast.dump(ast.Call(func=ast.Name("f"), args=decorator.args, keywords=kept), annotate_fields=False)
        except RecursionError:
            return None, size
    params = ",".join(a.arg for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs])
    try:
        dumped = "|".join(ast.dump(s, annotate_fields=False) for s in body)
    except RecursionError:  # ast.dump recurses once per nesting level: a monster body has no comparable key
        return None, size
    key = f"{type(func).__name__}|{params}|{options}|" + dumped
    return key, size


def make_fixture(func: FunctionNode, decorator: ast.expr | None, path: Path | None, owner: str | None,
                 in_class: bool, *, bodies: bool = True) -> FixtureDef:
    options = fixture_options(decorator)
    params = requested_argnames(func, in_class=in_class, is_static=is_staticmethod(func))
    key, size = body_key(func, decorator) if bodies else (None, 0)
    return FixtureDef(
        name=options.name or func.name,
        attribute=func.name,
        function=func.name,
        path=path,
        line=func.lineno,
        column=func.col_offset,
        scope=options.scope,
        dynamic_scope=options.dynamic_scope,
        autouse=options.autouse,
        dynamic_autouse=options.dynamic_autouse,
        is_async=isinstance(func, ast.AsyncFunctionDef),
        is_generator=has_yield(func),
        has_params=options.has_params,
        argnames=tuple(a.arg for a in params),
        owner=owner,
        explicit_name=options.name,
        body_key=key,
        body_size=size,
        teardown=teardown_attributes(func),
    )


def string_names(node: ast.AST) -> list[str] | None:
    """Names from a parametrize/usefixtures argument: "a,b", ["a", "b"], ("a",); None if not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [part.strip() for part in node.value.split(",") if part.strip()]
    if isinstance(node, (ast.List, ast.Tuple)):
        names: list[str] = []
        for element in node.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                names.append(element.value.strip())
            else:
                return None
        return names
    return None


def plugin_entries(value: ast.expr) -> list[str] | None:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [value.value]
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        entries: list[str] = []
        for element in value.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                entries.append(element.value)
            else:
                return None
        return entries
    return None


def _generate_tests(func: FunctionNode) -> GenerateTests:
    argnames: set[str] = set()
    dynamic = False
    metafunc = func.args.args[0].arg if func.args.args else "metafunc"
    for node in iter_nodes(func):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr == "parametrize":
            first = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "argnames"), None)
            names = string_names(first) if first is not None else None
            if names is None:
                dynamic = True
            else:
                argnames.update(names)
        elif any(isinstance(a, ast.Name) and a.id == metafunc for a in node.args) or any(
            isinstance(k.value, ast.Name) and k.value.id == metafunc for k in node.keywords
        ):
            dynamic = True
    return GenerateTests(frozenset(argnames), dynamic)


def summarize(tree: ast.Module, path: Path, module: str, *, is_package: bool | None = None,
              full: bool = True) -> ModuleSummary:
    """Everything fixture-related one module defines and imports.

    ``full`` adds what only the suite-wide view needs: the names the module
    requests (:class:`SuiteFacts`) and the fixtures' normalised bodies.
    """
    if is_package is None:
        is_package = path.name == "__init__.py"
    table, stars = import_table(tree, module, is_package)
    fixtures: dict[str, FixtureDef] = {}
    classes: dict[str, ClassSummary] = {}
    name_imports: dict[str, tuple[str, str]] = {}
    module_imports: dict[str, str] = {}
    star_imports: list[str] = []
    opaque: set[str] = set()
    dynamic = False
    plugins: tuple[str, ...] = ()
    plugins_line: int | None = None
    plugins_dynamic = False
    exported: frozenset[str] | None = None
    generate: GenerateTests | None = None
    functions: dict[str, FunctionNode] = {}
    skip_strings: set[int] = set()

    for stmt in module_level_statements(tree.body):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    module_imports[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    module_imports[top] = top
        elif isinstance(stmt, ast.ImportFrom):
            base = absolute_module(stmt, module, is_package)
            for alias in stmt.names:
                if alias.name == "*":
                    if base is None:
                        dynamic = True
                    else:
                        star_imports.append(base)
                elif base is None:
                    opaque.add(alias.asname or alias.name)
                else:
                    name_imports[alias.asname or alias.name] = (base, alias.name)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions[stmt.name] = stmt
            name_imports.pop(stmt.name, None)
            decorator = fixture_decorator(stmt, table)
            if decorator is not None:
                fixtures[stmt.name] = make_fixture(stmt, decorator, path, None, in_class=False, bodies=full)
                options = fixture_options(decorator)
                if options.name_node is not None:
                    skip_strings.add(id(options.name_node))
            else:
                fixtures.pop(stmt.name, None)
            if stmt.name == "pytest_generate_tests":
                generate = _generate_tests(stmt)
            elif stmt.name == "__getattr__":
                dynamic = True
        elif isinstance(stmt, ast.ClassDef):
            _summarize_class(stmt, stmt.name, table, path, classes, skip_strings, full)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            value = stmt.value
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if "__all__" in names and value is not None:
                entries = plugin_entries(value)
                exported = frozenset(entries) if entries is not None and not isinstance(stmt, ast.AugAssign) else None
                continue
            if "pytest_plugins" in names and value is not None:
                entries = plugin_entries(value)
                plugins_line = stmt.lineno
                if entries is None or isinstance(stmt, ast.AugAssign):
                    plugins_dynamic = True
                    plugins = plugins + tuple(entries or ())
                else:
                    plugins = tuple(entries)
                continue
            for target in targets:
                if isinstance(target, ast.Subscript) and _is_globals_call(target.value):
                    dynamic = True
            if value is None or not names:
                continue
            for name in names:
                name_imports.pop(name, None)
                fixtures.pop(name, None)
                defined = _assigned_fixture(value, name, table, functions, fixtures, path, stmt)
                if defined is not None:
                    fixtures[name] = defined
                elif isinstance(value, ast.Name) and value.id in name_imports:
                    name_imports[name] = name_imports[value.id]
                elif isinstance(value, (ast.Call, ast.Attribute, ast.Subscript, ast.Name)):
                    opaque.add(name)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            call = stmt.value
            callee = dotted(call.func) or ""
            if callee.endswith("globals().update") or callee in ("exec", "setattr"):
                dynamic = True
            elif isinstance(call.func, ast.Attribute) and call.func.attr == "update" \
                    and _is_globals_call(call.func.value):
                dynamic = True

    imported_tops = {q.split(".", 1)[0] for q in table.values()} | {m.split(".", 1)[0] for m in star_imports}
    if imported_tops & DYNAMIC_FIXTURE_MODULES:
        dynamic = True
    return ModuleSummary(
        path=path,
        module=module,
        fixtures=fixtures,
        classes=classes,
        name_imports=name_imports,
        module_imports=module_imports,
        star_imports=tuple(star_imports),
        exported=exported,
        opaque_names=frozenset(opaque),
        dynamic=dynamic,
        plugins=plugins,
        plugins_line=plugins_line,
        plugins_dynamic=plugins_dynamic,
        generate_tests=generate,
        imported_modules=frozenset(imported_tops),
        facts=suite_facts(tree, skip_strings) if full else None,
    )


def _is_globals_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("globals", "vars", "locals")
    )


def _assigned_fixture(value: ast.expr, name: str, table: dict[str, str], functions: dict[str, FunctionNode],
                      fixtures: dict[str, FixtureDef], path: Path, stmt: ast.stmt) -> FixtureDef | None:
    """``name = pytest.fixture(...)(func)``, ``name = pytest.fixture(func)``, ``name = other_fixture``."""
    if isinstance(value, ast.Name) and value.id in fixtures:
        return fixtures[value.id].renamed(name)
    if not isinstance(value, ast.Call):
        return None
    decorator: ast.expr | None = None
    function_node: ast.expr | None = None
    if isinstance(value.func, ast.Call) and is_fixture_decorator_name(qualify(value.func.func, table)):
        decorator = value.func
        function_node = value.args[0] if value.args else None
    elif is_fixture_decorator_name(qualify(value.func, table)):
        decorator = ast.Call(func=value.func, args=value.args[1:], keywords=value.keywords)
        function_node = value.args[0] if value.args else None
    if decorator is None:
        return None
    options = fixture_options(decorator)
    func = functions.get(function_node.id) if isinstance(function_node, ast.Name) else None
    if func is not None:
        base = make_fixture(func, decorator, path, None, in_class=False)
        return replace(base, name=options.name or name, attribute=name, line=stmt.lineno, column=stmt.col_offset)
    return FixtureDef(
        name=options.name or name, attribute=name, function=name, path=path, line=stmt.lineno,
        column=stmt.col_offset, scope=options.scope if func else None, dynamic_scope=options.dynamic_scope,
        autouse=options.autouse, has_params=options.has_params, explicit_name=options.name,
    )


def _summarize_class(node: ast.ClassDef, qualname: str, table: dict[str, str], path: Path,
                     classes: dict[str, ClassSummary], skip_strings: set[int], bodies: bool) -> None:
    fixtures: dict[str, FixtureDef] = {}
    test_false = False
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            decorator = fixture_decorator(stmt, table)
            if decorator is not None:
                fixtures[stmt.name] = make_fixture(stmt, decorator, path, qualname, in_class=True, bodies=bodies)
                options = fixture_options(decorator)
                if options.name_node is not None:
                    skip_strings.add(id(options.name_node))
            else:
                fixtures.pop(stmt.name, None)
        elif isinstance(stmt, ast.ClassDef):
            _summarize_class(stmt, f"{qualname}.{stmt.name}", table, path, classes, skip_strings, bodies)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name) and target.id == "__test__":
                    test_false = isinstance(stmt.value, ast.Constant) and not stmt.value.value
                elif isinstance(target, ast.Name) and isinstance(stmt.value, ast.Name) and stmt.value.id in fixtures:
                    fixtures[target.id] = fixtures[stmt.value.id].renamed(target.id)
    bases = tuple(name for name in (dotted(base) for base in node.bases) if name)
    classes[qualname] = ClassSummary(qualname, node.lineno, bases, fixtures, test_false)


def suite_facts(tree: ast.Module, skip_strings: set[int] | None = None, *,
                name_table: dict[str, str] | None = None) -> SuiteFacts:
    """One walk collecting every name a file requests, for the suite-wide view.

    String constants whose ids are in ``skip_strings`` are not requests; with
    ``name_table`` (the module's import table) the ``name="..."`` strings of
    every fixture decorator in the file are skipped too (a fixture's own name
    does not request it).
    """
    skip = set(skip_strings) if skip_strings else set()
    requested: set[str] = set()
    parametrized: set[str] = set()
    base_names: set[str] = set()
    imported: set[str] = set()
    dynamic_lookup = False
    # every Constant node, looked at once the walk is done: the walk handles a node before its
    # descendants, so by then the `name=` strings of every fixture decorator are in `skip`
    constants: list[ast.Constant] = []
    keep = constants.append
    constant, call, classdef, attribute, name_node = ast.Constant, ast.Call, ast.ClassDef, ast.Attribute, ast.Name
    function_def, async_def, lambda_ = ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda
    import_, import_from = ast.Import, ast.ImportFrom
    assign, expression, list_, tuple_, compare, assert_ = ast.Assign, ast.Expr, ast.List, ast.Tuple, ast.Compare, ast.Assert
    arguments_, arg_, subscript, dict_ = ast.arguments, ast.arg, ast.Subscript, ast.Dict
    # the node classes with a list field that may hold something else than nodes (identifiers, None)
    mixed_lists = frozenset({ast.Dict, ast.Global, ast.Nonlocal, ast.MatchClass, ast.arguments})
    table = CHILD_FIELDS
    node_type = ast.AST
    stack: list[ast.AST] = [tree]
    pop = stack.pop
    push = stack.append
    extend = stack.extend
    # the most frequent node classes first, and their children pushed field by field (names and
    # attributes record nothing but what they hold; aliases hold nothing); the rest generically
    while True:
        try:
            node: Any = pop()
        except IndexError:
            break
        kind = node.__class__
        if kind is name_node:
            continue
        if kind is constant:
            keep(node)
            continue
        if kind is attribute:
            push(node.value)
            continue
        if kind is call:
            func = node.func
            attr = func.attr if type(func) is attribute else func.id if type(func) is name_node else ""
            arguments = node.args
            if attr == "parametrize" and arguments:
                names = string_names(arguments[0])
                if names:
                    parametrized.update(names)
            elif attr == "getfixturevalue" and arguments and not isinstance(arguments[0], (ast.Constant, ast.Name)):
                dynamic_lookup = True
            while func.__class__ is attribute:
                func = func.value
            if func.__class__ is not name_node:
                push(func)
            extend(arguments)
            for keyword in node.keywords:
                push(keyword.value)
            continue
        if kind is assign:
            extend(node.targets)
            push(node.value)
            continue
        if kind is list_ or kind is tuple_:
            extend(node.elts)
            continue
        if kind is arg_:
            if node.annotation is not None:
                push(node.annotation)
            continue
        if kind is expression:
            push(node.value)
            continue
        if kind is assert_:
            push(node.test)
            if node.msg is not None:
                push(node.msg)
            continue
        if kind is compare:
            push(node.left)
            extend(node.comparators)
            continue
        if kind is arguments_:
            extend(node.posonlyargs)
            extend(node.args)
            if node.vararg is not None:
                push(node.vararg)
            extend(node.kwonlyargs)
            for default in node.kw_defaults:
                if default is not None:
                    push(default)
            if node.kwarg is not None:
                push(node.kwarg)
            extend(node.defaults)
            continue
        if kind is subscript:
            push(node.value)
            push(node.slice)
            continue
        if kind is dict_:
            for key in node.keys:
                if key is not None:  # `**mapping`
                    push(key)
            extend(node.values)
            continue
        if kind is function_def or kind is async_def or kind is lambda_:
            args = node.args
            for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
                requested.add(arg.arg)
            if name_table is not None and kind is not lambda_:
                decorator = fixture_decorator(node, name_table)
                if decorator is not None:
                    fixture_name = fixture_options(decorator).name_node
                    if fixture_name is not None:
                        skip.add(id(fixture_name))
        elif kind is classdef:
            for base in node.bases:
                name = dotted(base)
                if name:
                    base_names.add(name.rsplit(".", 1)[-1])
        elif kind is import_:
            imported.update(alias.name.split(".", 1)[0] for alias in node.names)
            continue
        elif kind is import_from:
            if node.module and not node.level:
                imported.add(node.module.split(".", 1)[0])
            continue
        fields = table.get(kind)
        if fields is None:
            fields = child_fields(kind)
        for field_name in fields:
            value = getattr(node, field_name, None)
            if value is None:
                continue
            if value.__class__ is list:
                if kind in mixed_lists:
                    for item in value:
                        if isinstance(item, node_type):
                            push(item)
                else:
                    extend(value)
            elif isinstance(value, node_type):
                push(value)
    strings: set[str] = set()
    identifier = IDENTIFIER.match
    for string in constants:
        value = string.value
        if type(value) is str and len(value) < 80 and id(string) not in skip:
            if identifier(value):
                strings.add(value)
            elif "," in value:
                strings.update(p.strip() for p in value.split(",") if identifier(p.strip()))
    return SuiteFacts(frozenset(requested), frozenset(strings), frozenset(parametrized), dynamic_lookup,
                      frozenset(base_names), frozenset(imported))


def mock_patch_count(func: FunctionNode, qualify_name: Callable[[ast.AST], str | None]) -> int | None:
    """How many leading parameters ``mock.patch`` decorators fill (None: cannot tell).

    pytest drops that many parameters after ``self`` (``num_mock_patch_args``):
    each ``patch(...)``/``patch.object(...)`` without ``new`` injects one mock.
    ``patch.multiple`` injects keyword arguments, which we cannot map: None.
    """
    count = 0
    for decorator in func.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        name = qualify_name(decorator.func) or ""
        for module in MOCK_MODULES:
            if name == f"{module}.patch":
                if len(decorator.args) < 2 and not any(k.arg == "new" for k in decorator.keywords):
                    count += 1
            elif name == f"{module}.patch.object":
                if len(decorator.args) < 3 and not any(k.arg == "new" for k in decorator.keywords):
                    count += 1
            elif name == f"{module}.patch.multiple":
                return None
    return count


__all__ = [
    "ClassSummary",
    "FixtureDef",
    "GenerateTests",
    "ModuleSummary",
    "SCOPES",
    "SCOPE_RANK",
    "child_fields",
    "fixture_decorator",
    "fixture_options",
    "iter_nodes",
    "mock_patch_count",
    "requested_argnames",
    "string_names",
    "summarize",
    "walk_function_body",
]
