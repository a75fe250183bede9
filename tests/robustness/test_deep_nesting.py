"""Deeply nested and very wide files: a clean finding or clean findings, never a RecursionError.

The stdlib parser rejects nesting beyond about 3,000 levels (and 200
parentheses, 100 indentation levels) with a TST001 finding; anything it
accepts deeper than Python's recursion limit (1,000 frames) must not reach a
rule helper that recurses once per level.  Each shape is placed where the
rules look hardest: at import time, in a fixture body (fixture bodies are
compared), in a test body, in a decorator and in an environment write, and
the file is linted with every rule, as a test module and as a conftest.py.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from robustness_support import workspace_for, write_tree

from suitelint.core.engine import lint_file

SECONDS = 60.0  # far above what any of these takes; the point is "does not hang"


def in_test_code(expr: str) -> str:
    return (
        "import os\nimport asyncio\nimport pytest\nfrom unittest import mock\n\n"
        f"VALUE = {expr}\n\n\n"
        f"@pytest.fixture\ndef value():\n    return {expr}\n\n\n"
        f"@pytest.mark.parametrize('case', [{expr}])\n"
        f"def test_value(value, case):\n    os.environ['KEY'] = {expr}\n    assert {expr}\n"
    )


def nested_blocks(depth: int, header: str, leaf: str) -> str:
    lines = ["import os", "import pytest", ""]
    lines += ["    " * level + header.format(level=level) for level in range(depth)]
    lines.append("    " * depth + leaf)
    return "\n".join(lines) + "\n"


def chain_of_classes(depth: int) -> str:
    classes = "".join(f"class Base{i + 1}(Base{i}):\n    pass\n\n\n" for i in range(depth))
    return (f"import pytest\n\n\nclass Base0:\n    pass\n\n\n{classes}"
            f"class TestDeep(Base{depth}):\n    async def test_it(self):\n        assert True\n")


def deep_targets(depth: int) -> str:
    chain, subscripts = "os" + ".attr" * depth, "os.environ" + "['k']" * depth
    return (f"import os\nfrom unittest import mock\n\n{chain} = 1\n{subscripts} = 2\n\n\n"
            f"def test_targets():\n    {chain} = 1\n    {subscripts} += 2\n    del {chain}\n"
            f"    mock.patch.object({chain}, 'x').start()\n    with mock.patch.dict({subscripts}, {{}}):\n"
            "        assert True\n")


def sleeps(depth: int) -> str:
    minus = "-" * depth
    return (f"import asyncio\nimport time\n\n\ndef test_sleeps():\n    time.sleep({minus}1)\n"
            f"    assert True\n\n\nasync def test_async_sleeps():\n    await asyncio.sleep({minus}1)\n")


def elif_chain(length: int) -> str:
    branches = "".join(f"elif os.environ.get('K{i}'):\n    os.environ['X'] = '{i}'\n" for i in range(length))
    return (f"import os\nfrom unittest import mock\n\nif os.environ.get('K'):\n    pass\n{branches}\n\n"
            "def test_it():\n    fake = mock.MagicMock()\n    assert fake\n")


RECURSION_CRASH = "a rule helper recurses once per nesting level"

SHAPES: dict[str, tuple[str, str | None]] = {
    # name: (source, the TST001 message part when the parser refuses it, else None)
    "1,000 nested lists": ("x = " + "[" * 1000 + "]" * 1000 + "\n", "too many nested parentheses"),
    "100 nested functions": (nested_blocks(100, "def f{level}():", "return 1"), "too many levels of indentation"),
    "50,000-term binary expression": ("x = " + " + ".join(["a"] * 50_000) + "\n", "too deeply nested"),
    "99 nested test functions": (nested_blocks(99, "def test_{level}():", "assert os.environ.get('X')"), None),
    "99 nested async functions": (nested_blocks(99, "async def test_{level}():", "await pytest.helper()"), None),
    "99 nested classes": (nested_blocks(99, "class Test{level}:", "def test_x(self): pass"), None),
    "99 nested with-patch blocks": (nested_blocks(99, "with mock.patch('os.k{level}'):", "pass"), None),
    "500-deep attribute chain": (in_test_code("os" + ".attr" * 500), None),
    "1,500-deep attribute chain": (in_test_code("os" + ".attr" * 1500), None),
    "2,000-term binary expression": (in_test_code(" + ".join(["1"] * 2000)), None),
    "1,000-deep call chain": (in_test_code("os.getcwd" + "().strip" * 1000 + "()"), None),
    "1,500-deep subscript chain": (in_test_code("os.environ" + "['k']" * 1500), None),
    "1,500 nested unary minus": (in_test_code("-" * 1500 + "1"), None),
    "1,500-deep conditional expression": (in_test_code(" if os.environ else ".join(["'v'"] * 1500)), None),
    "1,500 nested lambdas": (in_test_code("lambda: " * 1500 + "1"), None),
    "2,000-branch elif chain": (elif_chain(2000), None),
    "1,500-deep assignment targets": (deep_targets(1500), None),
    "sleep for 1,500 nested minus signs": (sleeps(1500), None),
    "1,500-class inheritance chain": (chain_of_classes(1500), None),
    "20,000-element list literal": (in_test_code("[" + ", ".join(["1"] * 20_000) + "]"), None),
    "20,000-term boolean expression": (in_test_code(" and ".join(["os.environ"] * 20_000)), None),
}

# crashes found by these tests in modules outside the engine (see the report of issue 9);
# strict: when the helper is fixed the test starts passing and the mark must go
KNOWN: dict[str, str] = {}


def cases() -> list[object]:
    params = []
    for name, (source, refused) in SHAPES.items():
        for role in ("tests/test_deep.py", "tests/conftest.py"):
            case_id = f"{name} in {role.split('/')[-1]}"
            known = KNOWN.get(name) or KNOWN.get(case_id)
            marks = [pytest.mark.xfail(reason=known, strict=True)] if known else []
            params.append(pytest.param(source, refused, role, id=case_id, marks=marks))
    return params


@pytest.mark.parametrize(("source", "refused", "role"), cases())
def test_deep_or_wide_file(tmp_path: Path, source: str, refused: str | None, role: str) -> None:
    root = write_tree(tmp_path, {"pytest.ini": "[pytest]\n", role: source})
    started = time.perf_counter()
    result = lint_file((root / role).resolve(), workspace_for(root))
    elapsed = time.perf_counter() - started
    internal = [d.message for d in result.diagnostics if d.code == "TST002"]
    assert internal == []
    if refused is not None:
        assert [d.code for d in result.diagnostics] == ["TST001"]
        assert refused in result.diagnostics[0].message
    else:
        assert "TST001" not in {d.code for d in result.diagnostics}
    assert elapsed < SECONDS
