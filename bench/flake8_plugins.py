"""Run flake8 with only the named third-party plugins loaded.

flake8 loads (and runs, whatever ``--select`` says) every plugin installed in
the environment.  To time "flake8 + flake8-pytest-style" and "flake8 with and
without suitelint" side by side from one environment, this wrapper hides the
other distributions' entry points from flake8's plugin finder.  flake8's own
checkers (pyflakes, pycodestyle) always stay: they are what a plain flake8 run
costs.

    python bench/flake8_plugins.py --plugins flake8-pytest-style -- -j 2 --select=PT DIR
    python bench/flake8_plugins.py --plugins '' -- -j 2 --select=TST DIR   # no third-party plugin
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import sys
from collections.abc import Generator, Sequence

BUILTIN = frozenset({"flake8", "pyflakes", "pycodestyle"})


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def allowed_packages(spec: str) -> frozenset[str]:
    """flake8's own plugin packages plus the comma-separated ``spec``."""
    extra = {_normalize(part.strip()) for part in spec.split(",") if part.strip()}
    return BUILTIN | extra


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run flake8 (arguments after --) with only the given third-party plugins loaded.",
    )
    parser.add_argument(
        "--plugins",
        default="",
        help="comma-separated distribution names to keep (default: none, only pyflakes/pycodestyle)",
    )
    parser.add_argument(
        "flake8_args", nargs=argparse.REMAINDER, help="arguments for flake8, after --"
    )
    args = parser.parse_args(argv)
    flake8_args = list(args.flake8_args)
    if flake8_args[:1] == ["--"]:
        flake8_args = flake8_args[1:]
    keep = allowed_packages(args.plugins)

    from flake8.main import cli
    from flake8.plugins import finder

    original = finder._find_importlib_plugins

    def filtered() -> Generator[finder.Plugin, None, None]:
        for plugin in original():
            if _normalize(plugin.package) in keep:
                yield plugin

    finder._find_importlib_plugins = filtered
    # Workers must inherit the filtered finder: flake8 only re-discovers
    # plugins in workers started with "spawn"/"forkserver".
    if "fork" in multiprocessing.get_all_start_methods():
        multiprocessing.set_start_method("fork", force=True)
    return int(cli.main(flake8_args) or 0)


if __name__ == "__main__":
    sys.exit(main())
