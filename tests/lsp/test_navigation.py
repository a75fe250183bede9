"""Fixture go-to-definition and hovers (fixtures, rule codes in noqa comments)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import open_document, wait_for_diagnostics, write_project
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.asyncio

PROJECT = {
    "tests/conftest.py": """\
        import pytest


        @pytest.fixture(scope="session")
        def database():
            \"\"\"A database shared by the whole run.\"\"\"
            return {}


        @pytest.fixture
        def user(database):
            return "alice"
        """,
    "tests/api/conftest.py": """\
        import pytest


        @pytest.fixture
        def user(user):
            return user.upper()
        """,
    "tests/api/test_users.py": """\
        import pytest


        def test_lookup(database, user, tmp_path):
            assert user


        @pytest.mark.usefixtures("database")
        class TestAdmin:
            @pytest.fixture
            def user(self):
                return "root"

            def test_admin(self, user):
                assert user
        """,
}


async def definition(client: LanguageClient, uri: str, line: int, character: int) -> list[types.Location]:
    result = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=character)))
    if result is None:
        return []
    return [item for item in (result if isinstance(result, list) else [result]) if isinstance(item, types.Location)]


async def hover(client: LanguageClient, uri: str, line: int, character: int) -> str | None:
    result = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=character)))
    if result is None:
        return None
    assert isinstance(result.contents, types.MarkupContent)
    assert result.contents.kind == types.MarkupKind.Markdown
    return result.contents.value


async def test_definition_of_a_test_parameter_goes_up_the_conftest_chain(client: LanguageClient, project: Path) -> None:
    write_project(project, PROJECT)
    uri = open_document(client, project / "tests/api/test_users.py")

    # `database` (line 3) is defined two directories up
    (location,) = await definition(client, uri, 3, 18)
    assert location.uri == (project / "tests/conftest.py").as_uri()
    assert location.range.start == types.Position(line=4, character=4)
    assert location.range.end == types.Position(line=4, character=12)

    # `user` resolves to the nearest conftest, which overrides the outer one
    (location,) = await definition(client, uri, 3, 28)
    assert location.uri == (project / "tests/api/conftest.py").as_uri()
    assert location.range.start.line == 4


async def test_a_fixture_requesting_its_own_name_gets_the_overridden_one(client: LanguageClient, project: Path) -> None:
    write_project(project, PROJECT)
    uri = open_document(client, project / "tests/api/conftest.py")
    (location,) = await definition(client, uri, 4, 10)  # def user(user)
    assert location.uri == (project / "tests/conftest.py").as_uri()
    assert location.range.start.line == 10


async def test_class_fixtures_and_usefixtures_strings(client: LanguageClient, project: Path) -> None:
    write_project(project, PROJECT)
    uri = open_document(client, project / "tests/api/test_users.py")
    (location,) = await definition(client, uri, 13, 25)  # def test_admin(self, user)
    assert location.uri == uri
    assert location.range.start.line == 10

    (location,) = await definition(client, uri, 7, 28)  # usefixtures("database")
    assert location.uri == (project / "tests/conftest.py").as_uri()


async def test_builtin_fixtures_resolve_to_pytest(client: LanguageClient, project: Path) -> None:
    write_project(project, PROJECT)
    uri = open_document(client, project / "tests/api/test_users.py")
    (location,) = await definition(client, uri, 3, 35)  # tmp_path
    assert location.uri.endswith("/_pytest/tmpdir.py")
    text = await hover(client, uri, 3, 35)
    assert text is not None and "built-in fixture `tmp_path`" in text


async def test_nothing_for_names_that_are_not_fixture_requests(client: LanguageClient, project: Path) -> None:
    write_project(project, PROJECT)
    uri = open_document(client, project / "tests/api/test_users.py")
    assert await definition(client, uri, 13, 21) == []  # `self`
    assert await definition(client, uri, 4, 11) == []  # a name in the body
    assert await hover(client, uri, 0, 3) is None


async def test_hover_shows_scope_definition_and_what_is_overridden(client: LanguageClient, project: Path) -> None:
    write_project(project, PROJECT)
    uri = open_document(client, project / "tests/api/test_users.py")

    text = await hover(client, uri, 3, 18)  # database
    assert text is not None
    assert "conftest fixture `database`** (scope `session`)" in text
    assert "Defined in `tests/conftest.py:5` as `database`" in text
    assert "A database shared by the whole run." in text

    text = await hover(client, uri, 3, 28)  # user
    assert text is not None
    assert "Defined in `tests/api/conftest.py:5`" in text
    assert "Overrides:\n- `tests/conftest.py:11` (scope `function`)" in text


async def test_hover_on_a_noqa_code_shows_the_rule_docs(client: LanguageClient, project: Path) -> None:
    source = "import time\n\n\ndef test_slow():\n    time.sleep(1)  # noqa: E501, TST406\n"
    write_project(project, {"tests/test_slow.py": source})
    uri = open_document(client, project / "tests/test_slow.py")
    assert await wait_for_diagnostics(client, uri) == []

    text = await hover(client, uri, 4, 33)
    assert text is not None
    assert text.startswith("**TST406** `sleep-in-test`")
    assert "### What it does" in text
    assert "https://github.com/suitelint/suitelint/blob/main/docs/rules/TST406.md" in text
    assert await hover(client, uri, 4, 28) is None  # E501 is not ours


async def test_hover_on_a_noqa_prefix_lists_the_rules_it_covers(client: LanguageClient, project: Path) -> None:
    source = "import time\n\n\ndef test_slow():\n    time.sleep(1)  # noqa: TST4\n"
    write_project(project, {"tests/test_slow.py": source})
    uri = open_document(client, project / "tests/test_slow.py")
    text = await hover(client, uri, 4, 28)
    assert text is not None and "**TST4** suppresses" in text and "`sleep-in-test`" in text


async def test_hover_on_a_fixture_nobody_defines(client: LanguageClient, project: Path) -> None:
    write_project(project, {"tests/test_orphan.py": "def test_orphan(nowhere_to_be_found):\n    pass\n"})
    uri = open_document(client, project / "tests/test_orphan.py")
    text = await hover(client, uri, 0, 20)
    assert text == "**`nowhere_to_be_found`**: no fixture of this name is visible from here"
    assert await definition(client, uri, 0, 20) == []
