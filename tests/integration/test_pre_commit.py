"""The pre-commit hooks end to end, with the real pre-commit package.

``pre-commit try-repo`` installs this repository into an isolated environment
(where the checked project's dependencies are NOT installed) and runs the hook
on the staged files of a temporary git repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)


def _try_repo(project: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--verbose"],
        cwd=project, capture_output=True, text=True, env=env, timeout=900, check=False,
    )


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("pre_commit")
    return tmp_path_factory.mktemp("pre-commit-home")


def _project(root: Path) -> Path:
    project = root / "project"
    (project / "tests").mkdir(parents=True)
    (project / "app").mkdir()
    (project / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (project / "app" / "__init__.py").write_text("", encoding="utf-8")
    (project / "app" / "config.py").write_text(
        "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
        "    redis_url: str\n\n\nsettings = Settings()\n",
        encoding="utf-8",
    )
    (project / "tests" / "conftest.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef db_session():\n    return {}\n", encoding="utf-8"
    )
    (project / "tests" / "test_legacy.py").write_text(
        "import time\n\n\ndef test_legacy():\n    time.sleep(5)\n    assert True\n", encoding="utf-8"
    )
    _git(project, "init", "-q")
    _git(project, "config", "user.email", "dev@example.com")
    _git(project, "config", "user.name", "dev")
    _git(project, "add", ".")
    _git(project, "commit", "-qm", "legacy suite")
    return project


def test_hook_fails_on_findings_in_staged_files_and_passes_when_clean(tmp_path: Path, pre_commit_home: Path) -> None:
    project = _project(tmp_path)
    new_test = project / "tests" / "test_users.py"
    new_test.write_text(
        "from app.config import settings\n\n\nasync def test_users(db):\n    assert settings\n", encoding="utf-8"
    )
    _git(project, "add", "tests/test_users.py")

    failed = _try_repo(project, "suitelint", pre_commit_home)
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    # the staged file is checked, with context (conftest.py, app/config.py) read from disk
    assert "tests/test_users.py:1:1 TST102" in output or "tests/test_users.py:1:1: TST102" in output, output
    assert "TST201" in output and "TST501" in output and "db_session" in output, output
    # files that are not staged are not reported
    assert "test_legacy.py" not in output, output

    new_test.write_text(
        "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_users(db_session):\n    assert db_session == {}\n",
        encoding="utf-8",
    )
    _git(project, "add", "tests/test_users.py")
    passed = _try_repo(project, "suitelint", pre_commit_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_fix_hook_applies_safe_fixes(tmp_path: Path, pre_commit_home: Path) -> None:
    project = _project(tmp_path)
    new_test = project / "tests" / "test_async.py"
    new_test.write_text("import pytest\n\n\nasync def test_ping():\n    assert True\n", encoding="utf-8")
    _git(project, "add", "tests/test_async.py")
    result = _try_repo(project, "suitelint-fix", pre_commit_home)
    assert result.returncode == 1, result.stdout + result.stderr  # files were modified
    assert "@pytest.mark.asyncio\nasync def test_ping" in new_test.read_text(encoding="utf-8")
