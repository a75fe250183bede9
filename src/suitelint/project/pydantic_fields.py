"""pydantic(-settings) fields and settings configuration, read from a class body.

Only syntax: whether a class *is* a settings class is decided later by the
project model (:mod:`suitelint.project.settings_classes`), through its bases.
What a field needs to say: is it required (no default: a bare annotation,
``= ...``, ``Field(...)``, ``Field(validation_alias="X")``), and under which
environment names it is read (``validation_alias``/``alias`` in pydantic v2,
``env=`` in v1; otherwise env prefix + field name).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from suitelint.project.summary import FieldInfo

QualnameFn = Callable[[ast.AST], "str | None"]

ALIAS_CHOICES = ("AliasChoices", "AliasPath")
NOT_FIELDS = frozenset({"model_config", "Config", "__slots__", "__annotations__"})


def _strings(node: ast.AST | None, qualname: QualnameFn) -> tuple[str, ...]:
    """String aliases: "X", ["A", "B"], AliasChoices("A", "B"), AliasPath("A", 0)."""
    if node is None:
        return ()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return tuple(e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    if isinstance(node, ast.Call):
        name = (qualname(node.func) or "").rsplit(".", 1)[-1]
        if name == "AliasChoices":
            found: list[str] = []
            for arg in node.args:
                found.extend(_strings(arg, qualname))
            return tuple(found)
        if name == "AliasPath" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                return (first.value,)
    return ()


def _is_field_call(node: ast.AST, qualname: QualnameFn) -> bool:
    if not isinstance(node, ast.Call):
        return False
    name = qualname(node.func) or ""
    return name.rsplit(".", 1)[-1] == "Field"


def _is_classvar(annotation: ast.AST, qualname: QualnameFn) -> bool:
    target = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    name = qualname(target) or (target.id if isinstance(target, ast.Name) else "")
    return name.rsplit(".", 1)[-1] in ("ClassVar", "InitVar")


def _is_optional(annotation: ast.AST, qualname: QualnameFn) -> bool:
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        sides = (annotation.left, annotation.right)
        return any(isinstance(side, ast.Constant) and side.value is None for side in sides) or any(
            _is_optional(side, qualname) for side in sides)
    if isinstance(annotation, ast.Subscript):
        name = (qualname(annotation.value) or "").rsplit(".", 1)[-1]
        if name == "Optional":
            return True
        if name == "Union":
            inner = annotation.slice
            items = inner.elts if isinstance(inner, ast.Tuple) else [inner]
            return any(isinstance(i, ast.Constant) and i.value is None for i in items)
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        text = annotation.value.replace(" ", "")
        return text.startswith("Optional[") or text.endswith("|None") or text.startswith("None|")
    return False


def field_of(stmt: ast.stmt, qualname: QualnameFn) -> FieldInfo | None:
    """The field an annotated class-body statement declares, if it is one."""
    if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
        return None
    name = stmt.target.id
    if name.startswith("_") or name in NOT_FIELDS or _is_classvar(stmt.annotation, qualname):
        return None
    value = stmt.value
    required = False
    aliases: tuple[str, ...] = ()
    if value is None or (isinstance(value, ast.Constant) and value.value is Ellipsis):
        required = True
    elif _is_field_call(value, qualname):
        assert isinstance(value, ast.Call)
        keywords = {k.arg: k.value for k in value.keywords if k.arg}
        first = value.args[0] if value.args else None
        if first is not None:
            required = isinstance(first, ast.Constant) and first.value is Ellipsis
        elif "default" in keywords:
            default = keywords["default"]
            required = isinstance(default, ast.Constant) and default.value is Ellipsis
        else:
            required = "default_factory" not in keywords and not any(k.arg is None for k in value.keywords)
        for key in ("validation_alias", "alias", "env"):
            aliases = _strings(keywords.get(key), qualname)
            if aliases:
                break
    return FieldInfo(name, stmt.lineno, required, aliases, _is_optional(stmt.annotation, qualname), True)


def _config_values(call_or_dict: ast.AST) -> dict[str, ast.AST]:
    if isinstance(call_or_dict, ast.Call):
        return {k.arg: k.value for k in call_or_dict.keywords if k.arg}
    if isinstance(call_or_dict, ast.Dict):
        return {k.value: v for k, v in zip(call_or_dict.keys, call_or_dict.values, strict=True)
                if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    return {}


def _named(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def class_settings_config(node: ast.ClassDef, qualname: QualnameFn) -> tuple[str | None, bool | None]:
    """``env_prefix`` and ``case_sensitive`` from model_config, ``class Config`` or class keywords."""
    values: dict[str, ast.AST] = {k.arg: k.value for k in node.keywords if k.arg}
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and any(_named(t, "model_config") for t in stmt.targets):
            values.update(_config_values(stmt.value))
        elif isinstance(stmt, ast.AnnAssign) and _named(stmt.target, "model_config") and stmt.value is not None:
            values.update(_config_values(stmt.value))
        elif isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for inner in stmt.body:
                if isinstance(inner, ast.Assign):
                    for target in inner.targets:
                        if isinstance(target, ast.Name):
                            values[target.id] = inner.value
                elif isinstance(inner, ast.AnnAssign) and isinstance(inner.target, ast.Name) and inner.value:
                    values[inner.target.id] = inner.value
    prefix_node = values.get("env_prefix")
    prefix = prefix_node.value if isinstance(prefix_node, ast.Constant) and isinstance(prefix_node.value, str) else None
    case_node = values.get("case_sensitive")
    case = case_node.value if isinstance(case_node, ast.Constant) and isinstance(case_node.value, bool) else None
    return prefix, case
