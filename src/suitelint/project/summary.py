"""Per-module import-time summaries: the data the project model reasons over.

A :class:`ModuleSummary` is what one stdlib-``ast`` pass over a module learns
(built by :mod:`suitelint.project.summarize`): its imports, the names it
defines at module level, its classes (bases, pydantic-settings fields,
methods), its functions, the calls that run when it is imported, and every
environment read and write.  A summary depends on the module's text only:
names are recorded as *encoded qualified names* that do not depend on the
name under which the module is imported, so one summary serves every dotted
name of the file and can be cached on disk by content hash
(:mod:`suitelint.project.cache`).

Encoded qualified names:

- ``"pkg.mod.Name"``: absolute, through an import (``from pkg.mod import Name``);
- ``".mod.Name"``, ``"..Name"``: relative, one leading dot per level, as written
  in a relative import;
- ``":Name"``, ``":Class.method"``: defined in this module (a ``def``, a
  ``class`` or a variable).

:func:`absolute` turns one into an absolute name given the module's dotted
name.  Columns are ``ast`` offsets (UTF-8 bytes); convert them with
``FileContext.position`` before reporting.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

SCHEMA_VERSION = 5

# where an import statement runs
AT_IMPORT = "module"  # module or class body: runs when the module is imported
IN_FUNCTION = "function"  # inside a def: runs when called
TYPE_CHECKING_ONLY = "type_checking"  # under `if TYPE_CHECKING:`: never at run time


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


class _Compact:
    """Pickled as ``(class, field values)``: summaries are cached by the thousand, this halves their size."""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        kind = type(self)
        names = _FIELD_NAMES.get(kind)
        if names is None:
            names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(self))  # type: ignore[arg-type]
        return kind, tuple(getattr(self, name) for name in names)


class Loc(NamedTuple):
    line: int
    col: int
    end_line: int
    end_col: int


@dataclass(slots=True)
class ImportSite(_Compact):
    """One ``import``/``from ... import`` statement."""

    loc: Loc
    is_from: bool
    level: int  # 0: absolute
    module: str | None  # `from X import ...`: X (None for `from . import x`); `import`: None
    names: tuple[tuple[str, str | None], ...]  # (name, asname); for `import a.b` the dotted name
    where: str  # AT_IMPORT, IN_FUNCTION or TYPE_CHECKING_ONLY
    guarded: bool  # inside a `try` whose handlers catch the failure (ImportError or broader)
    in_main_guard: bool = False

    @property
    def runs_at_import(self) -> bool:
        """Whether the statement runs when its module is imported."""
        return self.where == AT_IMPORT and not self.in_main_guard


@dataclass(slots=True)
class CallSite(_Compact):
    """A call, with its callee as an encoded qualified name."""

    loc: Loc
    callee: str | None  # encoded qualified name, None when not a Name/Attribute chain
    text: str  # the callee as written: `RayOrchestrator.init`
    keywords: tuple[str, ...]  # keyword argument names; "**" for `**kwargs`
    nargs: int  # positional arguments
    star: bool  # `*args` or `**kwargs` present
    first_arg: str | None  # the first positional argument when it is a string literal
    guarded: bool = False  # inside a module-level `try` with handlers
    owner: str = ""  # the class whose body holds the call (import time), else ""
    condition: str = ""  # "": always runs with its scope; "if": under a condition; "env": one that reads the env


@dataclass(slots=True)
class EnvRead(_Compact):
    """A read of an environment variable."""

    loc: Loc
    name: str | None  # None when the name is not a literal (or a module-level constant)
    kind: str  # "subscript" (os.environ[X]), "get" (environ.get), "getenv", "contains"
    has_default: bool  # a non-None default is given
    import_time: bool
    function: str  # enclosing def (dotted within the module) or "" at import time
    fails_when_unset: bool  # at import: KeyError, or the missing value is converted/validated
    how: str  # what fails: "KeyError", "`int()`", "`.split()`", "an `assert`"...
    text: str  # the read as written (shortened)
    guarded: bool = False  # inside a module-level `try` with handlers


@dataclass(slots=True)
class EnvWrite(_Compact):
    """A write to the environment (a set, or a bulk change whose names are unknown)."""

    loc: Loc
    name: str | None  # None: unknown names (`os.environ.update(mapping)`, `load_dotenv()`)
    import_time: bool
    function: str


@dataclass(slots=True)
class FieldInfo(_Compact):
    """A pydantic(-settings) field declared in a class body."""

    name: str
    line: int
    required: bool
    aliases: tuple[str, ...]  # validation_alias / alias / env= names (replace prefix + name)
    optional_annotation: bool  # `X | None` / `Optional[X]` (pydantic v1: not required)
    annotated: bool


@dataclass(slots=True)
class FunctionInfo(_Compact):
    name: str
    line: int
    kind: str  # "function", "method", "classmethod", "staticmethod", "property"
    calls: tuple[CallSite, ...]  # calls in the body (not in nested defs)
    decorators: tuple[str, ...]  # encoded qualified names


@dataclass(slots=True)
class ClassInfo(_Compact):
    name: str
    loc: Loc
    bases: tuple[str | None, ...]  # encoded qualified names, None when not a name
    keywords: tuple[tuple[str, str | None], ...]  # class keywords with literal string values
    fields: tuple[FieldInfo, ...]
    assigned: tuple[str, ...]  # other names assigned in the body (defaults for inherited fields)
    env_prefix: str | None  # model_config / class Config / class keyword
    case_sensitive: bool | None
    methods: dict[str, FunctionInfo] = field(default_factory=dict)


@dataclass(slots=True)
class ModuleSummary:
    parsed: bool = True
    imports: tuple[ImportSite, ...] = ()
    # names bound at module level at run time (not only under TYPE_CHECKING)
    defined: frozenset[str] = frozenset()
    all_names: tuple[str, ...] | None = None  # a literal `__all__`
    star_imports: tuple[tuple[int, str], ...] = ()  # (level, module) of `from X import *`
    has_getattr: bool = False  # module-level `def __getattr__`
    dynamic_globals: bool = False  # globals()[...] = / globals().update / setattr(sys.modules[__name__])
    bindings: dict[str, str] = field(default_factory=dict)  # module-level import aliases -> encoded qualname
    constants: dict[str, str] = field(default_factory=dict)  # module-level NAME = "literal"
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    functions: dict[str, FunctionInfo] = field(default_factory=dict)
    calls: tuple[CallSite, ...] = ()  # calls that run at import time (module and class bodies)
    env_reads: tuple[EnvRead, ...] = ()
    env_writes: tuple[EnvWrite, ...] = ()
    # import-time `sys.modules[...] = ...` (also update/setdefault): (module name or None, line)
    sys_modules_writes: tuple[tuple[str | None, int], ...] = ()


def package_of(module_name: str, is_package: bool) -> str:
    """The package relative imports of a module are resolved against."""
    if is_package:
        return module_name
    return module_name.rpartition(".")[0]


def resolve_relative(level: int, module: str | None, module_name: str, is_package: bool) -> str | None:
    """The absolute dotted name of ``from <level dots><module> import ...`` in ``module_name``."""
    if level == 0:
        return module or None
    package = package_of(module_name, is_package)
    parts = package.split(".") if package else []
    if level - 1 >= len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    if module:
        base = [*base, *module.split(".")]
    return ".".join(base) or None


def absolute(encoded: str, module_name: str, is_package: bool) -> str | None:
    """An encoded qualified name made absolute for the module ``module_name``."""
    if encoded.startswith(":"):
        return f"{module_name}.{encoded[1:]}" if module_name else encoded[1:]
    if encoded.startswith("."):
        stripped = encoded.lstrip(".")
        level = len(encoded) - len(stripped)
        return resolve_relative(level, stripped or None, module_name, is_package)
    return encoded


def local_part(encoded: str | None) -> str | None:
    """``"Class.method"`` for ``":Class.method"``; None for imported names."""
    if encoded is not None and encoded.startswith(":"):
        return encoded[1:]
    return None
