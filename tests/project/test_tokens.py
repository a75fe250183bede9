"""Summary tokens: equal for edits no summary records, stable across processes and the store."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from suitelint.core.workspace import Workspace
from suitelint.project.tokens import canonical_digest, summary_token

MODULE = '''\
import os
import pytest
from app import models as m, settings

pytest_plugins = ["tests.plugins.db", "tests.plugins.web"]
__all__ = ["alpha", "beta", "gamma"]


@pytest.fixture(scope="module", params=[1, 2])
def alpha(request, beta, gamma, delta):
    os.environ["ALPHA_URL"] = "x"
    yield request.param
    settings.reset()
    m.Base.metadata.clear()


@pytest.fixture
def beta():
    return os.getenv("BETA_TOKEN")


@pytest.mark.parametrize("one, two, three", [(1, 2, 3)])
def test_gamma(alpha, one, two, three, request):
    request.getfixturevalue("epsilon")
    assert alpha
'''


def _token(tmp_path: Path, text: str) -> str | None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    path = tmp_path / "tests" / "test_mod.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return summary_token(Workspace(cwd=tmp_path), path.resolve())


def test_a_comment_or_trailing_blank_lines_keep_the_token(tmp_path: Path) -> None:
    original = _token(tmp_path, MODULE)
    assert original is not None
    assert _token(tmp_path, MODULE + "\n\n# a comment nobody reads\n") == original
    assert _token(tmp_path, MODULE.replace("    assert alpha\n", "    assert alpha  # really\n")) == original


def test_code_that_a_summary_records_changes_the_token(tmp_path: Path) -> None:
    original = _token(tmp_path, MODULE)
    assert _token(tmp_path, MODULE.replace("def beta():", "def beta_renamed():")) != original
    assert _token(tmp_path, MODULE.replace('"BETA_TOKEN"', '"OTHER_TOKEN"')) != original
    # lines moved: findings that name a line elsewhere must not be reused
    assert _token(tmp_path, "\n" + MODULE) != original


def test_the_token_survives_a_round_trip_through_the_store(tmp_path: Path) -> None:
    from suitelint.project.cache import summary_of_file
    from suitelint.pytest_model.fixtures import fixture_index

    assert _token(tmp_path, MODULE) is not None
    workspace = Workspace(cwd=tmp_path)
    path = (tmp_path / "tests" / "test_mod.py").resolve()
    pair = (summary_of_file(workspace, path), fixture_index(workspace).summary(path))
    assert canonical_digest(pickle.loads(pickle.dumps(pair))) == canonical_digest(pair)


def test_the_token_does_not_depend_on_string_hashing(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    path = tmp_path / "tests" / "test_mod.py"
    path.parent.mkdir()
    path.write_text(MODULE)
    script = (
        "import sys; from pathlib import Path; from suitelint.core.workspace import Workspace; "
        "from suitelint.project.tokens import summary_token; "
        "root = Path(sys.argv[1]); "
        "print(summary_token(Workspace(cwd=root), (root / 'tests' / 'test_mod.py').resolve()))"
    )
    tokens = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], env=env, capture_output=True,
                              text=True, check=True, cwd=tmp_path)
        tokens.add(done.stdout.strip())
    assert len(tokens) == 1 and "None" not in tokens


def test_files_that_are_not_python_have_no_token(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("pytest\n")
    workspace = Workspace(cwd=tmp_path)
    assert summary_token(workspace, tmp_path / "requirements.txt") is None
    assert summary_token(workspace, tmp_path / "absent.py") is None
