"""Settings an editor sends: ``initializationOptions`` and ``workspace/configuration``.

Both carry the same object (optionally nested under a ``"suitelint"`` key)::

    {"select": ["TST2"], "ignore": ["TST406"], "extend-select": ["TST702"], "debounce-ms": 200}

``select``, ``ignore`` and ``extend-select`` override the same keys of the
project's ``[tool.suitelint]``; keys the editor does not send keep the
project's values.  ``extendSelect`` / ``extend_select`` are accepted too
(editors written in JSON-land prefer camel case).  Bad values are dropped and
reported, never fatal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from suitelint.core.registry import valid_selector

_CODE_KEYS = {
    "select": "select",
    "ignore": "ignore",
    "extend-select": "extend_select",
    "extend_select": "extend_select",
    "extendSelect": "extend_select",
}
_DEBOUNCE_KEYS = ("debounce-ms", "debounce_ms", "debounceMs")
MAX_DEBOUNCE_MS = 5000


@dataclass
class ClientSettings:
    overrides: dict[str, tuple[str, ...]] = field(default_factory=dict)  # Settings field -> codes
    debounce_ms: int | None = None
    problems: list[str] = field(default_factory=list)

    def merged(self, other: ClientSettings) -> ClientSettings:
        """These settings with ``other``'s values taking precedence."""
        return ClientSettings(
            overrides={**self.overrides, **other.overrides},
            debounce_ms=other.debounce_ms if other.debounce_ms is not None else self.debounce_ms,
            problems=[*self.problems, *other.problems],
        )


def parse_client_settings(raw: Any, where: str) -> ClientSettings:
    """Read the editor's settings object; ``where`` names its origin in problem messages."""
    result = ClientSettings()
    if raw is None:
        return result
    if isinstance(raw, dict) and isinstance(raw.get("suitelint"), dict):
        raw = raw["suitelint"]
    if not isinstance(raw, dict):
        result.problems.append(f"{where}: expected an object with select/ignore/extend-select, got {raw!r}")
        return result
    for key, value in raw.items():
        if key in _CODE_KEYS:
            codes = _codes(value, f"{where}: '{key}'", result.problems)
            if codes is not None:
                result.overrides[_CODE_KEYS[key]] = codes
        elif key in _DEBOUNCE_KEYS:
            if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= MAX_DEBOUNCE_MS:
                result.debounce_ms = int(value)
            else:
                result.problems.append(f"{where}: '{key}' must be a number of milliseconds (0-{MAX_DEBOUNCE_MS})")
        else:
            result.problems.append(f"{where}: unknown key '{key}' (known: select, ignore, extend-select, debounce-ms)")
    return result


def _codes(value: Any, where: str, problems: list[str]) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.append(f"{where} must be a list of rule codes or prefixes, got {value!r}")
        return None
    codes: list[str] = []
    for item in value:
        code = item.strip().upper()
        if valid_selector(code):
            codes.append(code)
        else:
            problems.append(f"{where}: '{item}' is not a rule code or prefix (e.g. TST201, TST2); ignored")
    return tuple(codes)
