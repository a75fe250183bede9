from __future__ import annotations

from pathlib import Path

from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.project.cache import summary_memory
from suitelint.project.graph import (
    ModuleNode,
    ProjectModel,
    depend,
    model_for,
    project_model,
    span_of,
)
from suitelint.project.suite import module_names, name_roots, nested_roots
from suitelint.project.summary import ImportSite
from suitelint.rules.isolation.imported_names import (
    imported_names,
    imports_one_name_only,
    may_be_imported_as,
    other_names,
)
from suitelint.rules.isolation.source_text import PREFIX, confirm_facts

MODELS = "from enum import Enum\n\n\nclass Role(Enum):\n    ADMIN = 'admin'\n"


class ModuleImportedTwice(Rule):
    """
    ## What it does
    Flags an import in test code that imports a project file under a dotted
    name different from the one other test code (or the project modules it
    imports) uses for the same file: `models` in one test and `src.models`
    in another, both resolving to `src/models.py` because the rootdir and
    `src/` (pytest's `pythonpath`) are both on `sys.path`.

    ## Why is this bad?
    Python caches modules by name, not by file: the file is executed twice
    and every class in it exists twice. SQLAlchemy then raises "Table ... is
    already defined" or mapper conflicts, `isinstance` checks and enum
    comparisons fail between the two copies, and registries, singletons and
    patches apply to one copy only. Import the file under one name
    everywhere.
    """

    code = "TST404"
    name = "module-imported-twice"
    message = (
        "`{name}` is {path}, which {where} imports as `{other}`: the file runs twice and its classes exist "
        "twice; import it as one name everywhere"
    )
    examples = (
        Invalid(
            """
            from models import Role  # [TST404]


            def test_admin_role() -> None:
                assert Role.ADMIN.value == "admin"
            """,
            filename="tests/test_roles.py",
            files={
                "src/models.py": MODELS,
                "tests/conftest.py": "from src.models import Role\n",
            },
            pytest_ini={"pythonpath": "src"},
        ),
        Valid(
            """
            from src.models import Role


            def test_admin_role() -> None:
                assert Role.ADMIN.value == "admin"
            """,
            filename="tests/test_roles.py",
            files={
                "src/models.py": MODELS,
                "tests/conftest.py": "from src.models import Role\n",
            },
            pytest_ini={"pythonpath": "src"},
        ),
    )

    def end(self) -> None:
        ctx = self.ctx
        if ctx.workspace is None:
            return
        path = ctx.path.resolve()
        if path not in summary_memory(ctx.workspace):  # try to do without building the file's summary
            model = project_model(ctx.workspace, ctx.path, ctx.settings.side_effect_calls)
            if not nested_roots(model, model.node_for_file(path, ctx.module_name).root):
                return  # no project file has two dotted names
            if imports_one_name_only(model, path, ctx.source):
                depend(ctx, set(imported_names(model).files))
                return
        model, node = model_for(ctx)
        summary = model.summary(node)
        candidates: list[tuple[int, ModuleNode, ImportSite]] = []
        for site in summary.imports:
            if site.where == "type_checking":
                continue
            targets, _ = model.import_targets(node, site)
            for target in targets:
                if self._has_other_names(model, target):
                    candidates.append((site.loc.line, target, site))
        if not candidates or not nested_roots(model, node.root):
            return  # no project file has two dotted names: nothing to compare, nothing to parse
        roots = name_roots(model)
        alternatives = {other for _, target, _ in candidates for other in other_names(target, roots)}
        if not alternatives:
            return  # no root gives a target another name
        confirm_facts(model, path, ctx.source)
        if not any(may_be_imported_as(model, other) for other in sorted(alternatives)):
            depend(ctx, set(imported_names(model).files))  # no import statement anywhere can spell another name
            return
        deps: set[Path] = set()
        index = module_names(model, deps)
        depend(ctx, deps)
        reported: set[int] = set()
        for line, target, site in candidates:
            if line in reported:
                continue
            others = {name: used for name, used in index.get(target.path, {}).items() if name != target.name}
            if not others:
                continue
            other_name = sorted(others)[0]
            used = others[other_name]
            where = f"{ctx.workspace.relative(used.path)}:{used.line}"
            if used.path == ctx.path.resolve():
                where = f"line {used.line}"
            reported.add(line)
            self.report(span_of(ctx, site.loc), name=target.name, path=ctx.workspace.relative(target.path),
                        where=where, other=other_name)

    @staticmethod
    def _has_other_names(model: ProjectModel, target: ModuleNode) -> bool:
        """Cheap test: can the file be imported under more than one name at all?"""
        memo = model.memo.setdefault(f"{PREFIX}has_other_names", {})
        found = memo.get(target)
        if found is None:
            names = set(model.modules.names_for(target.path))
            names.add(target.name)
            names.add(model.workspace.module_name(target.path))
            found = memo[target] = len(names) > 1
        return found
