"""TST404 and TST408 decide from file texts which files can matter; these trees need the files that do.

``TST404_module_imported_twice/nested_relative``: pandas' layout (``pkg/``
holds a conftest.py and no ``__init__.py``, so pytest names the tests
``tests.*``); one test imports ``pkg.tests.util``, another ``.util``, which
is ``tests.util``.  ``nested_one_name``: the same layout where every import
says ``pkg.tests`` (``tests`` appears only in a docstring and a variable).
``excluded_helpers``: the only import naming ``models`` is in ``tools/``, a
directory the project walk excludes.  ``TST408_environment_name_drift/
aliased_settings``: a settings class whose base is re-exported under an
alias (``from .base import AppSettings as Config``), in a file that never
spells ``Settings``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from suitelint.core.diagnostic import Diagnostic
from suitelint.rules.isolation.source_text import imports_of_text, words_of_text

HERE = Path(__file__).resolve().parent
TWICE = HERE / "TST404_module_imported_twice"
DRIFT = HERE / "TST408_environment_name_drift"
LintTree = Callable[..., list[Diagnostic]]


def test_relative_import_is_another_name(lint_tree: LintTree) -> None:
    tree = TWICE / "nested_relative"
    absolute = lint_tree(tree, "pkg/tests/test_absolute.py", select=["TST404"])
    assert [(d.line, d.code) for d in absolute] == [(1, "TST404")]
    assert "which pkg/tests/test_relative.py:1 imports as `tests.util`" in absolute[0].message
    relative = lint_tree(tree, "pkg/tests/test_relative.py", select=["TST404"])
    assert [(d.line, d.code) for d in relative] == [(1, "TST404")]
    assert relative[0].message.startswith("`tests.util` is pkg/tests/util.py, which pkg/tests/test_absolute.py:1")


def test_one_name_everywhere_is_silent(lint_tree: LintTree) -> None:
    tree = TWICE / "nested_one_name"
    assert lint_tree(tree, "pkg/tests/test_absolute.py", select=["TST404"]) == []
    assert lint_tree(tree, "pkg/tests/test_other.py", select=["TST404"]) == []


def test_import_from_an_excluded_directory(lint_tree: LintTree) -> None:
    found = lint_tree(TWICE / "excluded_helpers", "tests/conftest.py", select=["TST404"])
    assert [(d.line, d.code) for d in found] == [(1, "TST404")]
    assert "which tools/__init__.py:1 imports as `models`" in found[0].message


def test_settings_class_through_an_alias(lint_tree: LintTree) -> None:
    found = lint_tree(DRIFT / "aliased_settings", "tests/test_mail.py", select=["TST408"])
    assert [(d.line, d.message) for d in found] == [
        (2, ("`APP_SMTP_HOSTNAME` is set but never read; project code reads `APP_SMTP_HOST` "
             "(src/app/mail.py:5, field `smtp_host` of `MailConfig`)")),
        (3, ("`APP_TOKENS` is set but never read; project code reads `APP_TOKEN` "
             "(src/app/base.py:6, field `token` of `AppSettings`)")),
    ]


def test_imported_modules_from_text() -> None:
    """Every module an import statement names is found, however the statement is written."""
    source = (
        "import a.b as c, d\n"
        "from e . f import (g,\n    h)\n"
        "from\\\n  i.fromage import j\n"
        "x = 1; import k\n"
        "if x: import  l\n"
        "def f():\n    from m.n import o\n"
        "# taken from nowhere \\\nimport p\n"
        "import ｑ\n"
        "importlib.import_module('r')\n"
    )
    facts = imports_of_text(source)
    assert {"a.b", "d", "e.f", "i.fromage", "k", "l", "m.n", "p", "q"} <= facts.modules
    assert {"e.f", "i.fromage", "m.n"} <= facts.bases
    assert "r" not in facts.modules
    assert not facts.relative
    assert imports_of_text("from . import x\n").relative == {(1, "")}
    assert imports_of_text("from.y import z\n").relative == {(1, "y")}
    assert imports_of_text("from ... a . b import w\n").relative == {(3, "a.b")}


def test_environment_words_from_text() -> None:
    assert words_of_text("from os import getenv\n").env
    assert words_of_text("import os\nos.ｅnviron['X']\n").env  # identifiers compare after NFKC
    assert not words_of_text("import os\nos.getcwd()  # the environment\n").env
    assert words_of_text("class S(BaseSettings): pass\n").settings
