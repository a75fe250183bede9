"""What test code has set up before an import runs: environment variables, mocked modules.

pytest imports the conftest.py files from the rootdir down to a test's
directory before the test module, so what their top level sets (an
``os.environ.setdefault``, ``load_dotenv()``, ``sys.modules["ray"] = Mock()``)
is in place when the test module's imports run; within one file, what the
top level set on earlier lines.  An import-time effect that these make
harmless (the variables a ``Settings()`` requires are set, the module a
side-effect call belongs to is mocked) is not reported by TST102/TST106.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from suitelint.project.effects import CALL, Effect
from suitelint.project.summary import ModuleSummary

if TYPE_CHECKING:
    from suitelint.core.context import FileContext
    from suitelint.project.graph import ProjectModel


@dataclass
class Preconditions:
    env: set[str] = field(default_factory=set)  # upper-cased names
    env_unknown: bool = False  # something set names we cannot see (load_dotenv, update(mapping))
    mocked: set[str] = field(default_factory=set)  # sys.modules keys
    mocked_unknown: bool = False

    def add(self, summary: ModuleSummary, before_line: int | None = None) -> None:
        for write in summary.env_writes:
            if not write.import_time or (before_line is not None and write.loc.line >= before_line):
                continue
            if write.name is None:
                self.env_unknown = True
            else:
                self.env.add(write.name.upper())
        for name, line in summary.sys_modules_writes:
            if before_line is not None and line >= before_line:
                continue
            if name is None:
                self.mocked_unknown = True
            else:
                self.mocked.add(name)

    def copy(self) -> Preconditions:
        return Preconditions(set(self.env), self.env_unknown, set(self.mocked), self.mocked_unknown)

    def defuses(self, effect: Effect) -> bool:
        """Whether the set-up makes ``effect`` harmless."""
        if effect.kind == CALL:
            if self.mocked_unknown:
                return True
            parts = effect.callee.split(".")
            return any(".".join(parts[:i]) in self.mocked for i in range(1, len(parts) + 1))
        if not effect.env:
            return False
        return self.env_unknown or all(name.upper() in self.env for name in effect.env)


def conftest_chain(ctx: FileContext, probed: set[Path] | None = None) -> list[Path]:
    """conftest.py files pytest imports before ``ctx``'s file (rootdir first), excluding the file itself.

    ``probed`` receives every candidate path, present or not (creating one changes the findings).
    """
    rootdir = ctx.pytest.rootdir.resolve()
    path = ctx.path.resolve()
    directory = path.parent.parent if path.name == "conftest.py" else path.parent
    found: list[Path] = []
    current = directory
    while True:
        candidate = current / "conftest.py"
        if candidate != path:
            if probed is not None:
                probed.add(candidate)
            if candidate.is_file():
                found.append(candidate)
        if current == rootdir or current.parent == current or rootdir not in current.parents:
            break
        current = current.parent
    found.reverse()
    return found


def inherited(ctx: FileContext, model: ProjectModel, deps: set[Path]) -> Preconditions:
    """What the conftest.py files loaded before ``ctx``'s file set up at their top level."""
    conditions = Preconditions()
    for conftest in conftest_chain(ctx, deps):
        conditions.add(model.summary(conftest))
    return conditions
