from __future__ import annotations

import ast
import io
import re
import tokenize

from suitelint.core.diagnostic import Position, Span
from suitelint.core.rule import ALL_FILES, Invalid, Rule, Valid


class UntrackedTodo(Rule):
    """
    ## What it does
    Flags a `TODO`, `FIXME`, `XXX` or `HACK` comment (the tags are
    configurable with `todo-tags`) in any checked file, source or test, that
    does not reference an issue. The reference may stand in the tag's
    parentheses or anywhere in the comment's text, including the comment
    lines that directly continue it; by default it is `#123`, `ABC-123` or an
    `http(s)://` URL (configurable with `todo-issue-pattern`, a regular
    expression).

    Only comments count (strings and docstrings do not), and a tag counts
    only where a comment starts: at the beginning of the comment, or after a
    further `#` in it (`# type: ignore  # TODO ...`), as a whole word. Tags
    are case-sensitive, as written in `todo-tags` (uppercase by default), so
    `# see the TODO in utils.py`, `# todo list`, `# TODOS` and `# mastodon`
    are not reported; add lowercase spellings to `todo-tags` to catch them.

    ## Why is this bad?
    A TODO without a ticket is a decision nobody will revisit: it has no
    owner, no priority and no place in the backlog, and test suites collect
    them next to the skipped tests and workarounds they explain. Linking the
    issue makes the debt visible and lets the comment be removed when the
    issue is closed.
    """

    code = "TST701"
    name = "untracked-todo"
    message = "`{tag}` comment without an issue reference; {hint}"
    applies_to = ALL_FILES
    examples = (
        Invalid(
            """
            def test_export(client):
                # TODO: also check the CSV header  # [TST701]
                assert client.get("/export").ok

            RETRIES = 3  # FIXME(alice) flaky on CI  # [TST701]
            """
        ),
        Invalid(
            """
            # HACK: the sandbox has no DNS,  # [TST701]
            # so we pin the address.
            ADDRESS = "10.0.0.1"
            value = compute()  # type: ignore  # XXX remove once typed  # [TST701]
            café = "# TODO"  # TODO: rename  # [TST701]
            MESSAGE = (
                "first line "
                # FIXME: say what to do next  # [TST701]
                "second line # TODO"
            )
            """,
            filename="app/network.py",
            title="any checked file, and tags after another comment",
            in_docs=False,
        ),
        Valid(
            """
            def test_export(client):
                # TODO(#412): also check the CSV header
                assert client.get("/export").ok

            RETRIES = 3  # FIXME(ATOM-214) flaky on CI
            # TODO(https://github.com/acme/app/issues/9): drop the retry
            # TODO: see #12
            # FIXME: the upstream fix is tracked
            #   in https://github.com/acme/lib/issues/77
            """
        ),
        Valid(
            '''
            TODOS = ["write docs"]
            todo_list = []

            def test_todos():
                """TODO: docstrings are not comments."""
                # see the TODO in utils.py
                # todo list handling
                # mastodon and XXXL sizes
                text = "# TODO inside a string"
                assert TODOS and text

            TEMPLATE = """
            # TODO: a line of a multi-line string
            """
            LABEL = f"{TEMPLATE!r} # FIXME"
            ''',
            title="identifiers, strings and words that are not tags",
            in_docs=False,
        ),
    )

    def begin(self) -> None:
        ctx = self.ctx
        tags = ctx.settings.todo_tags
        source = ctx.source
        if not tags or not any(tag in source for tag in tags):
            return  # the common case: no tag anywhere
        alternatives = "|".join(re.escape(t) for t in sorted(tags, key=len, reverse=True))
        tag_re = re.compile(r"(?<!#)#+[ \t]*(" + alternatives + r")(?!\w)")
        issue_re = ctx.settings.todo_issue_re
        lines = ctx.lines
        reported: set[int] = set()
        line_index, counted_to = 0, 0
        for match in tag_re.finditer(source):
            line_index += source.count("\n", counted_to, match.start())
            counted_to = match.start()
            if line_index + 1 in reported:
                continue
            line = lines[line_index]
            line_start = source.rfind("\n", 0, match.start()) + 1
            column = match.start() - line_start
            if _inside_string(ctx.tree, lines, line_index + 1, column):
                continue
            text = line[match.end() - line_start:]
            if not line[:column].strip():  # a comment of its own: the following comment lines continue it
                text += _continuation(ctx.tree, lines, line_index, column, tag_re)
            reported.add(line_index + 1)
            if issue_re.search(text):
                continue
            tag = match.group(1)
            hint = f"link one, e.g. `{tag}(#123)`" if issue_re.search("#123") else f"add one matching `{issue_re.pattern}`"
            tag_column = match.start(1) - line_start
            self.report(Span(Position(line_index + 1, tag_column + 1), Position(line_index + 1, len(line) + 1)),
                        tag=tag, hint=hint)


def _continuation(tree: ast.Module, lines: list[str], index: int, column: int, tag_re: re.Pattern[str]) -> str:
    """The text of the comment-only lines that directly follow, at the same indentation, up to another tag."""
    parts: list[str] = []
    for following in range(index + 1, len(lines)):
        line = lines[following]
        if not line.startswith("#", column) or line[:column].strip() or tag_re.match(line, column):
            break
        if _inside_string(tree, lines, following + 1, column):
            break
        parts.append(line[column:].lstrip("#"))
    return "\n" + "\n".join(parts) if parts else ""


def _inside_string(tree: ast.Module, lines: list[str], line: int, column: int) -> bool:
    """Whether (line, codepoint column) falls inside a string literal (a ``#`` there starts no comment).

    Descends only into the nodes whose lines include ``line``, so it costs a
    few nodes per candidate rather than a walk of the whole module.
    """
    position = (line, len(lines[line - 1][:column].encode("utf-8")))
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            start = getattr(child, "lineno", None)
            if start is None:
                stack.append(child)  # e.g. `arguments`, `comprehension`: no position of their own
                continue
            end = getattr(child, "end_lineno", None) or start
            if start > line or end < line:
                continue
            if isinstance(child, ast.JoinedStr) or (
                isinstance(child, ast.Constant) and isinstance(child.value, (str, bytes))
            ):
                if (start, child.col_offset) <= position < (end, child.end_col_offset or 0):
                    # implicitly concatenated pieces may have comments between them
                    return start == end or not _comment_at(lines, start, end, line, column)
                continue
            stack.append(child)
    return False


def _comment_at(lines: list[str], start: int, end: int, line: int, column: int) -> bool:
    """Whether a comment starts at (line, column) among the lines ``start..end`` of a string literal."""
    text = "\n".join(lines[start - 1:end]) + "\n"
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and token.start == (line - start + 1, column):
                return True
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # the lines are a fragment: the tokens read so far are what we have
    return False
