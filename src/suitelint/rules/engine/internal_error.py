from __future__ import annotations

from suitelint.core.rule import ALL_FILES, Rule


class InternalError(Rule):
    """
    ## What it does
    Reports that one of suitelint's rules crashed on this file. The other
    rules still ran and their findings are reported; only the crashed rule's
    findings for this file are missing.

    ## Why is this bad?
    It is a bug in suitelint, not in your code. The message names the rule
    and where it failed: please report it with the smallest file that
    reproduces it. Silence it meanwhile with `# noqa: TST002` on line 1 or
    `per-file-ignores`.
    """

    code = "TST002"
    name = "internal-error"
    message = "{detail}"
    applies_to = ALL_FILES
    engine_rule = True
