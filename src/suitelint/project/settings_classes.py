"""pydantic-settings classes: recognised by qualified name, resolved through the project.

A class is a settings class when one of its bases is a known ``BaseSettings``
(:data:`SETTINGS_BASES`, matched by qualified import name, so this works when
pydantic is not installed) or a project class that is one, through any depth
of project subclasses and re-exports (``from .base import AppSettings`` in a
package ``__init__``).  Fields are merged along the bases (a subclass
redeclaring a field, or assigning it a default, wins).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from suitelint.project.summary import ClassInfo, FieldInfo, absolute

if TYPE_CHECKING:
    from suitelint.project.graph import ModuleNode, ProjectModel

SETTINGS_BASES: dict[str, str] = {
    "pydantic_settings.BaseSettings": "v2",
    "pydantic_settings.main.BaseSettings": "v2",
    "pydantic.BaseSettings": "v1",
    "pydantic.env_settings.BaseSettings": "v1",
    "pydantic.v1.BaseSettings": "v1",
    "pydantic.v1.env_settings.BaseSettings": "v1",
}
MAX_DEPTH = 12


@dataclass(frozen=True)
class SettingsClass:
    name: str
    node: ModuleNode
    cls: ClassInfo
    flavour: str  # "v1" or "v2"
    fields: tuple[FieldInfo, ...]
    env_prefix: str
    case_sensitive: bool

    def required_fields(self) -> list[FieldInfo]:
        return [f for f in self.fields if f.required and not (self.flavour == "v1" and f.optional_annotation)]

    def env_names(self, field: FieldInfo) -> tuple[str, ...]:
        names = field.aliases or (self.env_prefix + field.name,)
        return names if self.case_sensitive else tuple(n.upper() for n in names)

    def all_env_names(self) -> list[tuple[str, FieldInfo]]:
        return [(name, f) for f in self.fields for name in self.env_names(f)]


def settings_class(model: ProjectModel, node: ModuleNode, name: str, _depth: int = 0) -> SettingsClass | None:
    """The settings class ``name`` defined in ``node``, or None when it is not one."""
    if _depth > MAX_DEPTH:
        return None
    return model.cached("settings_classes", (node, name), lambda: _settings_class(model, node, name, _depth), None)


def _settings_class(model: ProjectModel, node: ModuleNode, name: str, _depth: int) -> SettingsClass | None:
    summary = model.summary(node)
    cls = summary.classes.get(name)
    if cls is None:
        return None
    flavour: str | None = None
    fields: dict[str, FieldInfo] = {}
    prefix: str | None = None
    case: bool | None = None
    for base in reversed(cls.bases):  # the first base has the highest precedence
        if base is None:
            continue
        qualified = absolute(base, node.name, node.is_package)
        if qualified is None:
            continue
        known = SETTINGS_BASES.get(qualified)
        if known is not None:
            flavour = flavour or known
            continue
        symbol = model.resolve_symbol(qualified, origin=node)
        if symbol is None:
            flavour = flavour or _installed_settings_base(qualified)
            continue
        if symbol.kind != "class":
            continue
        parent = settings_class(model, symbol.node, symbol.name, _depth + 1)
        if parent is None:
            continue
        flavour = parent.flavour if flavour is None else flavour
        fields.update({f.name: f for f in parent.fields})
        prefix = parent.env_prefix or prefix
        case = parent.case_sensitive if case is None else case
    result: SettingsClass | None = None
    if flavour is not None:
        for assigned in cls.assigned:
            inherited = fields.get(assigned)
            if inherited is not None and inherited.required:
                fields[assigned] = FieldInfo(inherited.name, inherited.line, False, inherited.aliases,
                                             inherited.optional_annotation, inherited.annotated)
        fields.update({f.name: f for f in cls.fields})
        if cls.env_prefix is not None:
            prefix = cls.env_prefix
        if cls.case_sensitive is not None:
            case = cls.case_sensitive
        result = SettingsClass(name, node, cls, flavour, tuple(fields.values()), prefix or "", bool(case))
    return result


@lru_cache(maxsize=1024)
def _installed_settings_base(qualified: str) -> str | None:
    """The pydantic flavour of a settings base from an installed library (astroid), if it is one.

    Only names that look like settings classes are looked up: loading a
    library with astroid is not free, and a base named ``Base`` or ``Model``
    is almost never a ``BaseSettings``.
    """
    if "Settings" not in qualified.rsplit(".", 1)[-1]:
        return None
    from suitelint import inference

    for ancestor in inference.installed_class_ancestors(qualified) or ():
        flavour = SETTINGS_BASES.get(ancestor)
        if flavour is not None:
            return flavour
    return None


def missing_required(settings: SettingsClass, keywords: tuple[str, ...], star: bool) -> list[FieldInfo]:
    """Required fields a call ``Settings(**keywords)`` does not pass (none when ``**kwargs``)."""
    if star or "**" in keywords:
        return []
    passed = set(keywords)
    missing = []
    for field in settings.required_fields():
        if field.name in passed or any(alias in passed for alias in field.aliases):
            continue
        missing.append(field)
    return missing
