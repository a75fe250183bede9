"""The registry of rule classes and code selection (`--select`, `--ignore`).

Rules register themselves when their class is created; :func:`load_rules`
imports every module below ``suitelint.rules`` once so that the registry is
complete.  Selection follows ruff: codes or prefixes (``TST2``, ``TST30``);
for a code, the most specific matching prefix decides, and on a tie ``ignore``
wins.  Rules that are off by default (``default_enabled = False``) are turned
on only by naming their full code in ``select`` or ``extend-select``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import TYPE_CHECKING, Iterable, Iterator

if TYPE_CHECKING:
    from suitelint.core.rule import Rule

PREFIX_RE = re.compile(r"^(ALL|TST\d{0,3})$")


class Registry:
    def __init__(self) -> None:
        self._rules: dict[str, type[Rule]] = {}
        self._names: dict[str, str] = {}
        self._loaded = False

    def register(self, rule: type[Rule]) -> None:
        existing = self._rules.get(rule.code)
        if existing is not None and existing.__qualname__ != rule.__qualname__:
            raise TypeError(f"rule code {rule.code} is used by both {existing.__qualname__} and {rule.__qualname__}")
        other = self._names.get(rule.name)
        if other is not None and other != rule.code:
            raise TypeError(f"rule name {rule.name} is used by both {other} and {rule.code}")
        self._rules[rule.code] = rule
        self._names[rule.name] = rule.code

    def all(self) -> list[type[Rule]]:
        load_rules()
        return [self._rules[code] for code in sorted(self._rules)]

    def get(self, code_or_name: str) -> type[Rule] | None:
        load_rules()
        code = self._names.get(code_or_name, code_or_name).upper()
        return self._rules.get(code)

    def codes(self) -> list[str]:
        return [rule.code for rule in self.all()]

    def select(
        self,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] = (),
        extend_select: Iterable[str] = (),
    ) -> list[type[Rule]]:
        return [rule for rule in self.all() if is_enabled(rule.code, rule.default_enabled, select, ignore, extend_select)]


def valid_selector(selector: str) -> bool:
    return bool(PREFIX_RE.match(selector))


def _specificity(code: str, selectors: Iterable[str]) -> int:
    best = -1
    for selector in selectors:
        if selector == "ALL":
            best = max(best, 0)
        elif code.startswith(selector):
            best = max(best, len(selector))
    return best


def is_enabled(
    code: str,
    default_enabled: bool,
    select: Iterable[str] | None,
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
) -> bool:
    chosen = list(select) if select is not None else ["TST"]
    chosen += list(extend_select)
    on = _specificity(code, chosen)
    off = _specificity(code, ignore)
    if on < 0 or off >= on:
        return False
    if not default_enabled:
        return code in chosen
    return True


REGISTRY = Registry()


def _walk_rule_modules() -> Iterator[str]:
    import suitelint.rules as package

    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        yield info.name


def load_rules() -> None:
    if REGISTRY._loaded:
        return
    REGISTRY._loaded = True
    try:
        for module in sorted(_walk_rule_modules()):
            importlib.import_module(module)
    except BaseException:
        REGISTRY._loaded = False  # a broken rule module must not leave a half-loaded registry
        raise
