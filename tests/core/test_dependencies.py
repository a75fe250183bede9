"""Summary dependencies keep large updates as groups, and behave as a set of paths."""

from __future__ import annotations

from pathlib import Path

from suitelint.core.dependencies import GROUP_MIN, SummaryDependencies


def test_small_updates_are_singles_and_large_ones_groups() -> None:
    deps = SummaryDependencies()
    deps.add(Path("a.py"))
    deps.update([Path("b.py"), Path("c.py")])
    many = {Path(f"m{i}.py") for i in range(GROUP_MIN)}
    deps.update(many)
    deps.update(set(many))  # the same files again: still one group
    assert deps.singles == {Path("a.py"), Path("b.py"), Path("c.py")}
    assert list(deps.groups) == [frozenset(many)]
    assert Path("m0.py") in deps and Path("b.py") in deps and Path("z.py") not in deps
    assert set(deps) == {Path("a.py"), Path("b.py"), Path("c.py"), *many}
    assert len(deps) == 3 + GROUP_MIN
    assert deps | {Path("z.py")} == {*deps, Path("z.py")}
