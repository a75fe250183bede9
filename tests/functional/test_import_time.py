"""TST101-TST107 across modules: the import chains of real failing suites, statically.

``TST102_import_triggers_side_effect/seed`` reproduces a real collection
failure: ``tests/conftest.py`` imports ``src.database.models``, whose package
``__init__`` imports ``src.config``, whose last line is ``settings =
Settings()`` with ``REDIS_URL`` unset; a worker starts Ray at import through
``RayOrchestrator.init()``; another imports a ``CircuitBreaker`` that does
not exist; an import cycle; a missing module; a module that does not parse;
and a ``pytest_configure`` that patches the settings too late.
``TST101_settings_instantiated_at_import/src_layout`` has a ``src/`` layout on
pytest's ``pythonpath`` with settings classes defined, re-exported,
subclassed and instantiated in different modules.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from suitelint.core.diagnostic import Diagnostic
from suitelint.core.engine import lint_file
from suitelint.core.workspace import Workspace

HERE = Path(__file__).resolve().parent
SEED = HERE / "TST102_import_triggers_side_effect" / "seed"
SRC_LAYOUT = HERE / "TST101_settings_instantiated_at_import" / "src_layout"
SERVICE = HERE / "TST105_environment_read_at_import" / "service"
CODES = ["TST101", "TST102", "TST103", "TST105", "TST106", "TST107"]
LintTree = Callable[..., list[Diagnostic]]

SEED_FINDINGS = {
    "src/config.py": [(17, "TST101")],
    "src/cycle_b.py": [(5, "TST103")],
    "src/workers/math_worker.py": [(7, "TST103")],
    "src/workers/webhook_worker.py": [(1, "TST106")],
    "tests/conftest.py": [(6, "TST102"), (10, "TST107"), (11, "TST107")],
    "tests/unit/test_cycle.py": [(1, "TST102")],
    "tests/unit/test_math_worker.py": [(1, "TST102")],
    "tests/unit/test_missing.py": [(2, "TST106"), (3, "TST106")],
    "tests/unit/test_webhooks.py": [(1, "TST106")],
}


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py") if ".suitelint_cache" not in p.parts)


def _found(diagnostics: list[Diagnostic]) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in diagnostics]


def _messages(lint_tree: LintTree, root: Path, relpath: str) -> dict[tuple[int, str], str]:
    return {(d.line, d.code): d.message for d in lint_tree(root, relpath, select=CODES)}


def test_seed_findings_file_by_file(lint_tree: LintTree) -> None:
    for relpath in _files(SEED):
        if relpath == "src/broken.py":
            continue
        found = _found(lint_tree(SEED, relpath, select=CODES))
        assert found == SEED_FINDINGS.get(relpath, []), relpath


def test_conftest_import_chain_through_package_init(lint_tree: LintTree) -> None:
    messages = _messages(lint_tree, SEED, "tests/conftest.py")
    assert messages[(6, "TST102")] == (
        "imports src.database.models -> src.database -> src.config:17 `Settings()` validates settings "
        "(requires DATABASE_URL, REDIS_URL, JWT_SECRET); pytest runs this while collecting: "
        "import it where it is needed or make the effect lazy"
    )


def test_settings_instantiation_names_class_and_variables(lint_tree: LintTree) -> None:
    messages = _messages(lint_tree, SEED, "src/config.py")
    assert messages[(17, "TST101")] == (
        "`Settings()` validates the environment at import time (`Settings` from src/config.py:8 requires "
        "DATABASE_URL, REDIS_URL, JWT_SECRET); create it lazily, e.g. in an `@lru_cache` function"
    )


def test_ray_started_through_a_classmethod(lint_tree: LintTree) -> None:
    worker = _messages(lint_tree, SEED, "src/workers/math_worker.py")
    assert worker[(7, "TST103")].startswith(
        "`RayOrchestrator.init() -> ray.init()` starts or connects to a Ray cluster at import time;")
    test = _messages(lint_tree, SEED, "tests/unit/test_math_worker.py")
    assert test[(1, "TST102")].startswith(
        "imports src.workers.math_worker:7 `RayOrchestrator.init() -> ray.init()` starts or connects to a Ray cluster;")


def test_import_cycle_is_followed_once(lint_tree: LintTree) -> None:
    messages = _messages(lint_tree, SEED, "tests/unit/test_cycle.py")
    assert messages[(1, "TST102")].startswith(
        "imports src.cycle_a -> src.cycle_b:5 `logging.basicConfig()` configures the root logger")


def test_missing_name_and_missing_modules(lint_tree: LintTree) -> None:
    worker = _messages(lint_tree, SEED, "src/workers/webhook_worker.py")
    assert worker[(1, "TST106")] == (
        "`src.webhooks.dispatcher` (src/webhooks/dispatcher.py) does not define `CircuitBreaker` "
        "(did you mean `CircuitBreakerOpen`?): ImportError when this module is imported"
    )
    test = _messages(lint_tree, SEED, "tests/unit/test_webhooks.py")
    assert test[(1, "TST106")].startswith(
        "imports src.workers.webhook_worker (src/workers/webhook_worker.py:1), where `src.webhooks.dispatcher`")
    assert test[(1, "TST106")].endswith("ImportError when pytest collects this file")
    missing = _messages(lint_tree, SEED, "tests/unit/test_missing.py")
    assert missing[(2, "TST106")] == (
        "there is no module `src.nonexistent` in the project: ImportError when pytest collects this file")
    assert missing[(3, "TST106")].startswith("`src.webhooks` (src/webhooks/__init__.py) does not define `retry`")


def test_module_that_does_not_parse(lint_tree: LintTree) -> None:
    broken = lint_tree(SEED, "src/broken.py")
    assert [d.code for d in broken] == ["TST001"]
    # importing it is neither a crash nor a finding: nothing is known about it
    assert not any(d.code == "TST002" for d in lint_tree(SEED, "tests/unit/test_missing.py"))


def test_configuration_patched_too_late(lint_tree: LintTree) -> None:
    messages = _messages(lint_tree, SEED, "tests/conftest.py")
    assert messages[(10, "TST107")] == (
        '`patch("src.config.Settings", MagicMock())` in `pytest_configure` comes too late: `src.config` '
        "(imported on line 6) already called `src.config.Settings` when it was imported (src/config.py:17 "
        "`Settings()`); patch it before the imports, or create the object lazily"
    )
    assert messages[(11, "TST107")].startswith(
        '`os.environ["REDIS_URL"] = ...` in `pytest_configure` comes too late: `src.config` (imported on line 6) '
        "already read `REDIS_URL`")


def test_conftest_preconditions_defuse_the_effects(lint_tree: LintTree) -> None:
    """tests/integration/conftest.py sets the variables and mocks `ray` before test_api.py imports."""
    assert lint_tree(SEED, "tests/integration/test_api.py", select=CODES) == []
    assert lint_tree(SEED, "tests/integration/conftest.py", select=CODES) == []


def test_lazy_look_alikes_stay_silent(lint_tree: LintTree) -> None:
    assert lint_tree(SEED, "tests/unit/test_lazy.py", select=CODES) == []
    assert lint_tree(SEED, "src/lazy.py", select=CODES) == []


def test_src_layout_with_reexported_settings_base(lint_tree: LintTree) -> None:
    main = _messages(lint_tree, SRC_LAYOUT, "src/app/main.py")
    assert sorted(main) == [(8, "TST101"), (9, "TST101")]
    assert "(`ApiSettings` from src/app/main.py:4 requires APP_SECRET_KEY)" in main[(8, "TST101")]
    assert "(`DatabaseSettings` from src/app/settings/database.py:6 requires DATABASE_URL)" in main[(9, "TST101")]
    legacy = _messages(lint_tree, SRC_LAYOUT, "src/app/legacy.py")
    assert "requires LEGACY_BROKER)" in legacy[(14, "TST101")]
    assert lint_tree(SRC_LAYOUT, "src/app/deps.py", select=CODES) == []
    test = _messages(lint_tree, SRC_LAYOUT, "tests/test_main.py")
    assert test[(1, "TST102")].startswith(
        "imports app.main:8 `ApiSettings()` validates settings (requires APP_SECRET_KEY);")


def test_environment_reads_at_import(lint_tree: LintTree) -> None:
    config = _messages(lint_tree, SERVICE, "src/service/config.py")
    assert sorted(config) == [(3, "TST105"), (4, "TST105")]
    assert config[(4, "TST105")] == (
        '`os.getenv("PORT")` at import time fails with `int()` when `PORT` is unset; '
        "read it when needed or give it a default"
    )
    assert lint_tree(SERVICE, "src/service/dotenv_config.py", select=CODES) == []
    test = _messages(lint_tree, SERVICE, "tests/test_config.py")
    assert test[(1, "TST102")].startswith(
        'imports service.config:3 `os.environ["DATABASE_URL"]` fails with KeyError when `DATABASE_URL` is unset;')
    assert lint_tree(SERVICE, "tests/test_dotenv.py", select=CODES) == []


@pytest.mark.parametrize("root", [SEED, SRC_LAYOUT, SERVICE], ids=["seed", "src_layout", "service"])
def test_one_file_gives_the_findings_of_a_full_run(root: Path, tmp_path: Path) -> None:
    """What pre-commit does (one changed file, fresh process) equals a full run, file by file."""
    full = Workspace(cwd=root)
    full.extensions["cache_dir"] = tmp_path / "cache"
    full_run = {rel: lint_file(root / rel, full, select=CODES).diagnostics for rel in _files(root)}
    for rel in reversed(_files(root)):
        alone = Workspace(cwd=root)
        alone.extensions["cache_dir"] = None
        assert lint_file(root / rel, alone, select=CODES).diagnostics == full_run[rel], rel


def test_findings_depend_on_the_files_they_read(tmp_path: Path) -> None:
    workspace = Workspace(cwd=SEED)
    workspace.extensions["cache_dir"] = None
    result = lint_file(SEED / "tests" / "conftest.py", workspace, select=CODES)
    dependencies = {p.relative_to(SEED).as_posix() for p in result.summary_dependencies if SEED in p.parents}
    assert {"src/__init__.py", "src/config.py", "src/database/__init__.py", "src/database/models.py"} <= dependencies
