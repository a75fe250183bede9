"""Environment reads and writes, recognised syntactically.

Shared by the summary builder (every module) and the rules that look at the
checked file itself (TST107, TST408).  Functions take a ``qualname`` callback
(``node -> qualified name or None``) so that they work both on summaries
(encoded names) and on a :class:`~suitelint.core.context.FileContext`.

When is a read *validated or converted at import* (TST105)?  A read without
a default (``os.getenv("X")``, ``os.environ.get("X")``) yields ``None`` when
the variable is unset; that fails at once when the value is

- converted: ``int(...)``, ``float(...)``, ``Path(...)``, ``json.loads(...)``,
  ``Decimal(...)``, ``UUID(...)``, ``len(...)``... (see :data:`CONVERTERS`);
- used as an object: ``.split()``, ``.lower()``, any attribute, a subscript;
- an operand of arithmetic or concatenation (``None + "/x"``), except as the
  right operand of ``%`` (``"%s" % None`` works);
- checked by an import-time ``assert`` or an ``if ...: raise`` whose test
  is true when the value is missing.

Formatting it (``f"{os.getenv('X')}"``, ``str(...)``), comparing it, or
giving it a fallback (``os.getenv("X") or "x"``) never raises, so those are
not import-time failures.  A read with a non-None default cannot fail when
the variable is unset.  ``os.environ["X"]`` raises KeyError when unset.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

ENVIRON = "os.environ"
ENVIRON_GET = "os.environ.get"
GETENV = "os.getenv"
PUTENV = "os.putenv"

QualnameFn = Callable[[ast.AST], "str | None"]
LiteralFn = Callable[[ast.AST], "str | None"]

# callables that raise when given None (first positional argument)
CONVERTERS = frozenset({
    "int", "float", "complex", "len", "bytes", "bytearray", "open", "ord",
    "decimal.Decimal", "fractions.Fraction",
    "json.loads", "ast.literal_eval",
    "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath",
    "os.path.join", "os.path.expanduser", "os.path.expandvars", "os.path.abspath", "os.path.exists",
    "os.path.isfile", "os.path.isdir", "os.fspath",
    "uuid.UUID", "base64.b64decode", "base64.urlsafe_b64decode", "bytes.fromhex",
    "datetime.datetime.fromisoformat", "datetime.date.fromisoformat", "datetime.time.fromisoformat",
    "ipaddress.ip_address", "ipaddress.ip_network", "re.compile", "shlex.split",
    "distutils.util.strtobool", "str.lower", "str.upper", "str.split", "str.strip",
})
# loaders that fill the environment with names we cannot see
DOTENV_LOADERS = frozenset({
    "dotenv.load_dotenv", "dotenv.main.load_dotenv", "environ.Env.read_env", "environs.Env.read_env",
})


def bulk_env_write(callee: str) -> bool:
    """Whether a call fills the environment with unknown names (``load_dotenv()``)."""
    return callee in DOTENV_LOADERS


def _dict_keys(node: ast.AST, literal: LiteralFn) -> list[str | None]:
    if isinstance(node, ast.Dict):
        return [literal(k) if k is not None else None for k in node.keys]
    return [None]


def env_set_names(call: ast.Call, callee: str, literal: LiteralFn) -> list[str | None]:
    """Names set by ``os.environ.setdefault/update`` or ``patch.dict(os.environ, ...)`` (None: unknown)."""
    names: list[str | None] = []
    if callee.endswith(".setdefault"):
        names.append(literal(call.args[0]) if call.args else None)
        return names
    values = call.args[1:] if callee == "patch.dict" or callee.endswith("patch.dict") else call.args
    if callee == "patch.dict" or callee.endswith("patch.dict"):
        for keyword in call.keywords:
            if keyword.arg == "values":
                values = [keyword.value]
    for value in values[:1]:
        names.extend(_dict_keys(value, literal))
    names.extend(k.arg for k in call.keywords if k.arg not in (None, "values", "clear"))
    if any(k.arg is None for k in call.keywords):
        names.append(None)
    return names


def env_sets_in_call(call: ast.Call, qualname: QualnameFn, literal: LiteralFn) -> list[str | None] | None:
    """What a call sets in the environment, or None when it sets nothing.

    ``os.environ.setdefault/update``, ``patch.dict(os.environ, {...})`` (also
    ``mocker.patch.dict`` and the ``"os.environ"`` string target),
    ``<monkeypatch>.setenv("X", v)``, ``os.putenv("X", v)``, ``load_dotenv()``.
    """
    callee = qualname(call.func)
    if callee in (f"{ENVIRON}.setdefault", f"{ENVIRON}.update"):
        return env_set_names(call, callee, literal)
    if callee is not None and bulk_env_write(callee):
        return [None]
    if callee == PUTENV:
        return [literal(call.args[0]) if call.args else None]
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "setenv" and call.args:
        return [literal(call.args[0])]
    if isinstance(func, ast.Attribute) and func.attr == "dict" and call.args:
        target = call.args[0]
        name = target.value if isinstance(target, ast.Constant) else qualname(target)
        if name == ENVIRON and (callee is None or callee.endswith("patch.dict")):
            return env_set_names(call, "patch.dict", literal)
    return None


def default_of(call: ast.Call) -> ast.expr | None:
    default: ast.expr | None = call.args[1] if len(call.args) > 1 else None
    for keyword in call.keywords:
        if keyword.arg == "default":
            default = keyword.value
    if isinstance(default, ast.Constant) and default.value is None:
        return None
    return default


def failing_use(node: ast.AST, parent: ast.AST | None, qualname: QualnameFn) -> str:
    """How using a possibly-None value ``node`` inside ``parent`` fails ("" if it does not)."""
    if isinstance(parent, ast.Call) and parent.args and parent.args[0] is node:
        name = qualname(parent.func)
        if name in CONVERTERS:
            return f"`{name.rsplit('.', 1)[-1]}()`"
        return ""
    if isinstance(parent, ast.Attribute) and parent.value is node:
        return f"`.{parent.attr}`"
    if isinstance(parent, ast.Subscript) and parent.value is node:
        return "subscripting"
    if isinstance(parent, ast.BinOp):
        if parent.left is node or not isinstance(parent.op, ast.Mod):
            return "an arithmetic operation"
    return ""


def _missing_is_true(test: ast.AST, node: ast.AST) -> bool:
    """Whether ``test`` is true when ``node`` evaluates to None (or empty)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return test.operand is node
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and test.left is node:
        right = test.comparators[0]
        missing = isinstance(right, ast.Constant) and right.value in (None, "")
        return missing and isinstance(test.ops[0], (ast.Is, ast.Eq))
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return any(_missing_is_true(value, node) for value in test.values)
    return False


def _missing_is_false(test: ast.AST, node: ast.AST) -> bool:
    """Whether ``test`` is false when ``node`` evaluates to None (or empty)."""
    if test is node:
        return True
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and test.left is node:
        right = test.comparators[0]
        not_none = isinstance(test.ops[0], (ast.IsNot, ast.NotEq))
        return isinstance(right, ast.Constant) and right.value is None and not_none
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_missing_is_false(value, node) for value in test.values)
    return False


def raises_when_unset(mode: str, test: ast.AST, node: ast.AST) -> bool:
    """Whether an import-time ``if test: raise`` (mode "if") or ``assert test`` fails when ``node`` is None."""
    if mode == "if":
        return _missing_is_true(test, node)
    return _missing_is_false(test, node)
