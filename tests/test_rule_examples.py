"""Every rule's Valid/Invalid examples, run as tests (``pytest -k TST406``)."""

from __future__ import annotations

import pytest

from suitelint.core.registry import REGISTRY
from suitelint.core.rule import Example, Invalid, Rule
from suitelint.core.testing import lint_example, relint_fixed


def _cases() -> list[tuple[type[Rule], Example, str]]:
    cases = []
    for rule in REGISTRY.all():
        for index, example in enumerate(rule.examples):
            kind = "invalid" if isinstance(example, Invalid) else "valid"
            cases.append(pytest.param(rule, example, id=f"{rule.code}-{kind}-{index}"))
    return cases


@pytest.mark.parametrize(("rule", "example"), _cases())
def test_example(rule: type[Rule], example: Example) -> None:
    diagnostics, fixed = lint_example(rule, example)
    found = sorted((d.line, d.code) for d in diagnostics)
    assert found == example.expected(), "\n".join(f"{d.line}:{d.column} {d.code} {d.message}" for d in diagnostics)
    for diagnostic in diagnostics:
        assert diagnostic.message and "{" not in diagnostic.message
    if example.fixed is not None:
        assert fixed == example.fixed
        assert relint_fixed(rule, example, fixed) == []


def test_every_rule_has_examples_of_both_kinds() -> None:
    for rule in REGISTRY.all():
        if rule.engine_rule:
            continue
        kinds = {type(example).__name__ for example in rule.examples}
        assert kinds == {"Valid", "Invalid"}, rule.code


def test_codes_and_names_are_unique() -> None:
    rules = REGISTRY.all()
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)
