"""Import-time effects of a module: the sites of TST101, TST103 and TST105.

One definition serves the rules that report an effect where it is (TST101,
TST103, TST105 on the module itself) and the rule that reports the import
that reaches it (TST102), so both always agree.

- ``settings``: a settings class instantiated at import time without every
  required field passed (pydantic-settings then validates the environment);
- ``call``: a call from the side-effect table, directly or through project
  functions, classmethods and constructors (bounded depth):
  ``RayOrchestrator.init() -> ray.init()``;
- ``env``: an environment read that fails at import when the variable is
  unset (see :mod:`suitelint.project.env_access`).

A read or a settings instantiation is not an effect when the module itself
sets the variables earlier at import time (``os.environ.setdefault(...)``,
``load_dotenv()``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from suitelint.project.settings_classes import SettingsClass, missing_required, settings_class
from suitelint.project.summary import CallSite, FunctionInfo, Loc, ModuleSummary, absolute

if TYPE_CHECKING:
    from suitelint.project.graph import ModuleNode, ProjectModel, Symbol

# variables the operating system always provides: reading them at import never fails in practice
ALWAYS_SET = frozenset({"PATH", "HOME", "PWD"})
SETTINGS = "settings"
CALL = "call"
ENV = "env"
MAX_FOLLOW_DEPTH = 3


@dataclass(frozen=True)
class Effect:
    kind: str  # SETTINGS, CALL or ENV
    loc: Loc  # of the import-time call or read in the module
    shown: str  # `Settings()`, `RayOrchestrator.init() -> ray.init()`, `os.environ["X"]`
    detail: str  # the reason (CALL), the failure (ENV), the required variables (SETTINGS)
    env: tuple[str, ...] = ()  # variables whose absence makes it fail (SETTINGS, ENV)
    callee: str = ""  # the qualified name of the effect's call (CALL, SETTINGS)
    settings: SettingsClass | None = None

    @property
    def line(self) -> int:
        return self.loc.line

    def short(self) -> str:
        """How TST102 names the effect in a chain."""
        if self.kind == SETTINGS:
            return f"`{self.shown}` validates settings (requires {', '.join(self.env)})"
        if self.kind == ENV:
            return f"`{self.shown}` fails with {self.detail} when `{self.env[0]}` is unset"
        return f"`{self.shown}` {self.detail}"


def module_effects(model: ProjectModel, node: ModuleNode) -> tuple[Effect, ...]:
    """The import-time effects of a module, in line order."""
    return model.cached("effects", node, lambda: tuple(sorted(_compute(model, node),
                                                               key=lambda e: (e.loc.line, e.loc.col))), ())


def _compute(model: ProjectModel, node: ModuleNode) -> list[Effect]:
    summary = model.summary(node)
    if not summary.parsed:
        return []
    effects: list[Effect] = []
    for call in summary.calls:
        effect = _call_effect(model, node, call, summary)
        if effect is not None:
            effects.append(effect)
    for read in summary.env_reads:
        if not (read.import_time and read.fails_when_unset and not read.guarded) or read.name is None:
            continue
        if read.name in ALWAYS_SET:
            continue
        if _set_before(summary, (read.name,), read.loc.line, case_sensitive=True):
            continue
        effects.append(Effect(ENV, read.loc, read.text, read.how, (read.name,)))
    return effects


def _set_before(summary: ModuleSummary, names: tuple[str, ...], line: int, *, case_sensitive: bool) -> bool:
    wanted = set(names) if case_sensitive else {n.upper() for n in names}
    for write in summary.env_writes:
        if not write.import_time or write.loc.line >= line:
            continue
        if write.name is None:
            return True
        wanted.discard(write.name if case_sensitive else write.name.upper())
    return not wanted


def _call_effect(model: ProjectModel, node: ModuleNode, call: CallSite, summary: ModuleSummary) -> Effect | None:
    if call.callee is None or call.condition == "env":
        return None
    found = _classify(model, node, call, 0)
    if found is None:
        return None
    kind, trail, detail, settings, callee = found
    shown = " -> ".join(trail)
    if kind == SETTINGS:
        assert settings is not None
        if call.condition:
            return None  # created only under a condition: not reported (often the test/production switch)
        names = tuple(detail.split(", "))
        if _set_before(summary, names, call.loc.line, case_sensitive=settings.case_sensitive):
            return None
        return Effect(SETTINGS, call.loc, shown, detail, names, callee, settings)
    return Effect(CALL, call.loc, shown, detail, (), callee)


Found = tuple[str, list[str], str, "SettingsClass | None", str]


def _classify(model: ProjectModel, node: ModuleNode, call: CallSite, depth: int) -> Found | None:
    """What a call does: (kind, trail of calls shown, detail, settings class, callee)."""
    if call.callee is None or call.condition == "env":
        return None
    qualified = absolute(call.callee, node.name, node.is_package)
    if qualified is None:
        return None
    shown = f"{call.text or qualified.rsplit('.', 1)[-1]}()"
    reason = model.side_effects.reason(qualified, call.first_arg)
    if reason is not None:
        return (CALL, [shown], reason, None, qualified)
    symbol = _project_symbol(model, node, call.callee, qualified)
    if symbol is None:
        return None
    if symbol.kind == "class" and not symbol.method:
        settings = settings_class(model, symbol.node, symbol.name)
        if settings is not None:
            if call.guarded:
                return None
            missing = missing_required(settings, call.keywords, call.star)
            if not missing:
                return None
            names = [settings.env_names(f)[0] for f in missing]
            return (SETTINGS, [shown], ", ".join(names), settings, qualified)
        init = model.resolve_in(symbol.node, [symbol.name, "__init__"])
        if init is None or init.kind != "function" or depth >= MAX_FOLLOW_DEPTH:
            return None
        inner = _follow(model, init, depth + 1)
        return (inner[0], [shown, *inner[1]], *inner[2:]) if inner else None
    if symbol.kind == "function" and depth < MAX_FOLLOW_DEPTH:
        inner = _follow(model, symbol, depth + 1)
        return (inner[0], [shown, *inner[1]], *inner[2:]) if inner else None
    return None


def _project_symbol(model: ProjectModel, node: ModuleNode, encoded: str, qualified: str) -> Symbol | None:
    if encoded.startswith(":"):
        return model.resolve_in(node, encoded[1:].split("."))
    return model.resolve_symbol(qualified, origin=node)


def _function_info(model: ProjectModel, symbol: Symbol) -> FunctionInfo | None:
    summary = model.summary(symbol.node)
    if symbol.method:
        cls = summary.classes.get(symbol.name)
        return cls.methods.get(symbol.method) if cls is not None else None
    return summary.functions.get(symbol.name)


def _follow(model: ProjectModel, symbol: Symbol, depth: int) -> Found | None:
    """The first effect in the body of a project function (memoized per function and depth)."""
    def compute() -> Found | None:
        info = _function_info(model, symbol)
        if info is not None:
            for call in info.calls:
                result = _classify(model, symbol.node, call, depth)
                if result is not None:
                    return result
        return None

    return model.cached("follow", (symbol, depth), compute, None)
