from __future__ import annotations

from suitelint.core.rule import ALL_FILES, Rule


class SyntaxError_(Rule):
    """
    ## What it does
    Reports a file that suitelint cannot read as Python source: a syntax
    error, a file that is not valid in its declared encoding, a binary file
    named `.py`, or a file nested too deeply for the Python parser.

    ## Why is this bad?
    pytest fails to collect such a file (a collection error stops the whole
    run with `-x` and hides every test in the module). No other rule can check
    the file either, so it is reported once and nothing else is reported for it.

    ## Example
    ```python
    def test_total(:
        assert total() == 3
    ```

    ## Use instead
    ```python
    def test_total():
        assert total() == 3
    ```
    """

    code = "TST001"
    name = "syntax-error"
    message = "{detail}"
    applies_to = ALL_FILES
    engine_rule = True
