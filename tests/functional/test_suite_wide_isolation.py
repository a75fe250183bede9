"""TST404 and TST408: findings that need the whole suite and project.

``TST404_module_imported_twice/pythonpath_src``: ``src/models.py`` is on
``sys.path`` twice (rootdir, and ``src`` through pytest's ``pythonpath``);
the conftest imports it as ``src.models``, a test and ``src/app.py`` as
``models``.  ``TST408_environment_name_drift/settings_prefix``: a
pydantic-settings class with ``env_prefix="SHOP_"`` and an alias, a module
reading ``SMTP_HOST``, and tests setting drifted names.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from suitelint.core.diagnostic import Diagnostic
from suitelint.core.engine import lint_file
from suitelint.core.workspace import Workspace

HERE = Path(__file__).resolve().parent
TWICE = HERE / "TST404_module_imported_twice" / "pythonpath_src"
DRIFT = HERE / "TST408_environment_name_drift" / "settings_prefix"
LintTree = Callable[..., list[Diagnostic]]


def test_module_imported_under_two_names(lint_tree: LintTree) -> None:
    conftest = lint_tree(TWICE, "tests/conftest.py", select=["TST404"])
    assert [(d.line, d.code) for d in conftest] == [(3, "TST404")]
    assert conftest[0].message == (
        "`src.models` is src/models.py, which tests/test_users.py:1 imports as `models`: the file runs twice "
        "and its classes exist twice; import it as one name everywhere"
    )
    users = lint_tree(TWICE, "tests/test_users.py", select=["TST404"])
    assert [(d.line, d.code) for d in users] == [(1, "TST404")]
    assert "which tests/conftest.py:3 imports as `src.models`" in users[0].message


def test_one_name_per_file_is_silent(lint_tree: LintTree) -> None:
    assert lint_tree(TWICE, "tests/test_app.py", select=["TST404"]) == []
    assert lint_tree(TWICE, "src/app.py", select=["TST404"]) == []


def test_environment_name_drift(lint_tree: LintTree) -> None:
    conftest = lint_tree(DRIFT, "tests/conftest.py", select=["TST408"])
    assert [(d.line, d.message) for d in conftest] == [
        (6, "`PAYMENT_KEY` is set but never read; project code reads `SHOP_PAYMENT_KEY` "
            "(src/shop/config.py:10, field `payment_key` of `ShopSettings`)"),
    ]
    mail = lint_tree(DRIFT, "tests/test_mail.py", select=["TST408"])
    assert [(d.line, d.message) for d in mail] == [
        (9, "`SMTP_HOSTNAME` is set but never read; project code reads `SMTP_HOST` (src/shop/mail.py:5)"),
    ]


def test_drift_needs_the_project_read_from_disk(tmp_path: Path) -> None:
    """Linting the test file alone (fresh workspace, no cache) still sees every read in the project."""
    workspace = Workspace(cwd=DRIFT)
    workspace.extensions["cache_dir"] = None
    result = lint_file(DRIFT / "tests" / "test_mail.py", workspace, select=["TST408"])
    assert [d.line for d in result.diagnostics] == [9]
    assert DRIFT / "src" / "shop" / "mail.py" in result.summary_dependencies
