"""TST601-TST605 on the edge cases of their pre-filters and of attributing walked nodes to tests.

The body rules collect ``return``/``try``/``with``/``assert`` nodes during the
engine's walk and attribute them to collected tests afterwards, and skip
files whose text cannot spell what they look for; these cases pin the
findings those shortcuts must keep.
"""

from __future__ import annotations

import pytest

from suitelint.core.registry import REGISTRY
from suitelint.core.rule import Example, Invalid, Valid
from suitelint.core.testing import lint_example

CASES = [
    pytest.param(
        "TST603",
        Invalid(
            """
            import pytest

            def test_nested():
                def key(item):
                    return item.name
                class Local:
                    def value(self):
                        return 1
                square = lambda x: x * x
                for item in items():
                    if item:
                        return item == 3  # [TST603]

            class TestBase:
                def test_inherited(self):
                    return self.value  # [TST603]

            class TestChild(TestBase):
                pass

            def helper():
                return 3

            @pytest.fixture
            def test_fixture_named():
                return 3
            """
        ),
        id="TST603-nested-scopes-and-inherited",
    ),
    pytest.param(
        "TST604",
        Invalid(
            """
            def test_late_import(client):
                with suppress(Exception):  # [TST604]
                    assert client.close()
                from contextlib import suppress

            def test_alias(client):
                with quiet(BaseException):  # [TST604]
                    assert client.close()

            def test_nested_helper(client):
                def close():
                    with quiet(Exception):
                        assert client.close()
                client.on_exit(close)

            def test_handlers(client):
                for attempt in range(3):
                    try:
                        client.sync()
                    except KeyError:
                        pass
                    except (ValueError, Exception):  # [TST604]
                        continue

            from contextlib import suppress as quiet
            """
        ),
        id="TST604-imports-seen-after-the-use",
    ),
    pytest.param(
        "TST604",
        Invalid(
            """
            import contextlib

            def test_cleanup(client):
                with contextlib.ｓuppress(Exception):  # [TST604]
                    assert client.close()
            """
        ),
        id="TST604-nfkc-spelling",
    ),
    pytest.param(
        "TST604",
        Valid(
            """
            import contextlib

            def test_guarded_then_checked(client):
                try:
                    client.warm_up()
                except Exception:
                    pass
                with contextlib.suppress(Exception):
                    client.flush()
                assert client.ready()

            def helper(client):
                try:
                    assert client.sync()
                except Exception:
                    pass
            """
        ),
        id="TST604-checks-outside-and-helpers",
    ),
    pytest.param(
        "TST601",
        Invalid(
            """
            import pytest

            def test_inner_helper_asserts(client):
                def check(value):
                    assert value
                client.on_result(check)

            def test_nothing(client):  # [TST601]
                client.get("/")

            def test_decorated_check(client):
                @client.route(verify_route("/"))
                def handler():
                    return 1

            @pytest.mark.parametrize("value", [1, 2])
            def test_raises_in_lambda_class(value):
                class Boom:
                    def __init__(self):
                        raise ValueError(value)

            class TestBase:
                def test_shared(self):  # [TST601]
                    self.client.get("/")

            class TestChild(TestBase):
                pass

            def helper():
                assert True
            """
        ),
        id="TST601-asserts-anywhere-under-the-test",
    ),
    pytest.param(
        "TST605",
        Invalid(
            """
            import pytest
            from pytest import ｓkip as leave

            def test_network(online):
                if not online:
                    leave()  # [TST605]
                assert fetch()

            @pytest.mark.skip.with_args(reason="x")
            def test_other():
                assert other()
            """
        ),
        id="TST605-nfkc-alias",
    ),
    pytest.param(
        "TST602",
        Invalid(
            """
            def test_once():
                assert once()

            def helper():
                pass

            def helper():
                pass

            def test_twice():  # [TST602]
                assert twice()

            def test_twice():
                assert again()
            """
        ),
        id="TST602-duplicates-only",
    ),
]


@pytest.mark.parametrize(("code", "example"), CASES)
def test_bodies_edge_cases(code: str, example: Example) -> None:
    rule = REGISTRY.get(code)
    assert rule is not None
    diagnostics, _ = lint_example(rule, example)
    found = sorted((d.line, d.code) for d in diagnostics)
    assert found == example.expected(), "\n".join(f"{d.line}:{d.column} {d.code} {d.message}" for d in diagnostics)
