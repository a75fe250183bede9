"""The cheap line scan behind TST205's name filter: a superset of coroutine names, imports resolved."""

from __future__ import annotations

from suitelint.mocks_model.scan import scan_text

SOURCE = '''
"""A docstring mentioning def fake(): and an open bracket (
"""
import os, app.sub as sub
from . import sibling
from .pkg import (
    a,
    b as bee,  # a comment (
)
from x.y import *

x = f("(")
y = "def not_code(): ..."


@decorator(
    arg=1,
)
def decorated():
    ...


def plain():
    return "async def nope"


class Service:
    async def method(self):
        ...

    @property
    def prop(self):
        ...

    def sync(self):
        ...
'''


def test_names_and_imports() -> None:
    scan = scan_text(SOURCE, "app.mod", is_package=False)
    assert scan.maybe_coroutine_names == {"decorated", "method", "prop"}
    assert scan.imported_names == ("os", "app.sub", "app", "app.sibling", "app.pkg", "app.pkg.a", "app.pkg.b", "x.y")


def test_relative_imports_of_a_package() -> None:
    scan = scan_text("from .models import User\nfrom .. import top\n", "app.api", is_package=True)
    assert scan.imported_names == ("app.api.models", "app.api.models.User", "app", "app.top")
