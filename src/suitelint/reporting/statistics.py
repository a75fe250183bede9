"""``--statistics``: how many findings of each rule, instead of the findings themselves."""

from __future__ import annotations

import json
from collections import Counter
from typing import Sequence, TextIO

from rich.text import Text

from suitelint.core.baseline import Entry
from suitelint.core.diagnostic import Diagnostic
from suitelint.reporting.console import make_console


def rows(diagnostics: Sequence[Diagnostic]) -> list[dict[str, object]]:
    counts = Counter(d.code for d in diagnostics)
    names = {d.code: d.rule for d in diagnostics}
    fixable = {d.code for d in diagnostics if d.fix is not None}
    ordered = sorted(counts, key=lambda code: (-counts[code], code))
    return [{"code": code, "name": names[code], "count": counts[code], "fixable": code in fixable}
            for code in ordered]


def write_statistics(
    diagnostics: Sequence[Diagnostic],
    stream: TextIO,
    *,
    color: bool,
    as_json: bool = False,
    stale: Sequence[Entry] = (),
) -> None:
    table_rows = rows(diagnostics)
    if as_json:
        data = {"rules": table_rows, "stale_baseline_entries": [
            {"path": entry.path.as_posix(), "code": entry.code, "line": entry.line, "fingerprint": entry.fingerprint}
            for entry in stale
        ]}
        json.dump(data, stream, indent=2)
        stream.write("\n")
        return
    console = make_console(stream, color)
    if table_rows:
        count_width = max(len(str(row["count"])) for row in table_rows)
        name_width = max(len(str(row["name"])) for row in table_rows)
        for row in table_rows:
            line = Text(str(row["count"]).rjust(count_width) + "  ")
            line.append(str(row["code"]), style="bold red")
            line.append("  " + (str(row["name"]).ljust(name_width) + "  [*]" if row["fixable"] else str(row["name"])))
            console.print(line)
    if stale:
        noun = "stale baseline entry" if len(stale) == 1 else "stale baseline entries"
        console.print(f"{len(stale)} {noun} (fixed, or the flagged line changed); "
                      "refresh the baseline with --write-baseline:", highlight=False, markup=False)
        for entry in stale:
            console.print(f"  {entry.path.as_posix()}:{entry.line} {entry.code} {entry.message}",
                          highlight=False, markup=False)
