"""The parse floor: read and ``ast.parse`` every Python file under the given roots.

No Python-based linter can be faster than this, so the benchmark states the
other tools' times as multiples of it.  With ``--jobs N`` > 1 the files are
spread over a ``multiprocessing`` pool of N workers (start-up included, as for
any other tool).  Prints one JSON object: files, lines, syntax errors, seconds.
"""

from __future__ import annotations

import argparse
import ast
import json
import multiprocessing
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

from benchlib import count_lines, python_files


def parse_one(path: str) -> tuple[int, bool]:
    """(lines, parsed) of one file; unreadable or invalid files count as not parsed."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return 0, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning on invalid escapes
            ast.parse(data, filename=path)
    except (SyntaxError, ValueError):
        return count_lines(data), False
    return count_lines(data), True


def parse_all(paths: Sequence[str], jobs: int) -> tuple[int, int]:
    """(lines, failures) over all paths."""
    if jobs <= 1:
        results = map(parse_one, paths)
        lines = failures = 0
        for count, ok in results:
            lines += count
            failures += not ok
        return lines, failures
    lines = failures = 0
    with multiprocessing.Pool(jobs) as pool:
        for count, ok in pool.imap_unordered(parse_one, paths, chunksize=8):
            lines += count
            failures += not ok
    return lines, failures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Read and ast.parse every *.py file under ROOTS."
    )
    parser.add_argument("roots", nargs="+", type=Path, help="directories to walk")
    parser.add_argument(
        "--jobs", type=int, default=1, help="worker processes (default 1: no pool)"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    paths = [str(p) for root in args.roots for p in python_files(root)]
    # biggest first: the pool's tail is not one huge file
    if args.jobs > 1:
        paths.sort(key=lambda p: -Path(p).stat().st_size)
    lines, failures = parse_all(paths, args.jobs)
    elapsed = time.perf_counter() - start
    print(
        json.dumps(
            {
                "files": len(paths),
                "lines": lines,
                "syntax_errors": failures,
                "seconds": elapsed,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
