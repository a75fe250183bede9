"""``suitelint rules`` (a table of every rule) and ``suitelint rule CODE`` (its documentation)."""

from __future__ import annotations

from typing import Sequence, TextIO

from rich.markdown import Markdown
from rich.table import Table

from suitelint.core.rule import Rule
from suitelint.reporting.console import make_console


def write_rules_table(rules: Sequence[type[Rule]], stream: TextIO, *, color: bool) -> None:
    table = Table(title=None, show_lines=False, expand=False)
    table.add_column("Code", no_wrap=True, style="bold")
    table.add_column("Name", no_wrap=True)
    table.add_column("Fix", no_wrap=True)
    table.add_column("Default", no_wrap=True)
    table.add_column("What it flags")
    for rule in rules:
        fixable = {"safe": "yes", "unsafe": "unsafe"}.get(rule.fix or "", "")
        default = "on" if rule.default_enabled else "off"
        table.add_row(rule.code, rule.name, fixable, default, rule.summary())
    console = make_console(stream, color)
    console.print(table)


def write_rule_docs(markdown: str, stream: TextIO, *, color: bool) -> None:
    console = make_console(stream, color)
    console.print(Markdown(markdown, code_theme="ansi_dark" if color else "default"))
