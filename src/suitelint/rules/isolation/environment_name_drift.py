from __future__ import annotations

import difflib
from pathlib import Path

from suitelint.core.rule import Invalid, Rule, Valid
from suitelint.project.graph import depend, model_for, span_of
from suitelint.project.suite import EnvRead
from suitelint.rules.isolation.env_reads import env_reads
from suitelint.rules.isolation.source_text import confirm_facts

SIMILARITY = 0.8
# variables that tools and libraries read (never the project's own drift)
THIRD_PARTY_PREFIXES = (
    "AWS_", "AZURE_", "GOOGLE_", "GCLOUD_", "GCP_", "CLOUDSDK_", "PYTEST_", "PYTHON", "COV_", "COVERAGE_",
    "DJANGO_", "CELERY_", "HF_", "HUGGINGFACE_", "TRANSFORMERS_", "TORCH_", "CUDA_", "NVIDIA_", "OMP_", "MKL_",
    "LC_", "XDG_", "GIT_", "SSL_", "REQUESTS_", "CURL_", "OTEL_", "SENTRY_", "DD_", "NEW_RELIC_", "GITHUB_",
    "DOCKER_", "KUBERNETES_", "TOX_", "CONDA_", "PIP_", "UV_", "NUMBA_", "PYDANTIC_", "UVICORN_", "GUNICORN_",
    "REDIS_OM_", "SQLALCHEMY_", "TF_", "JAX_", "RAY_", "DASK_", "HYPOTHESIS_", "NO_", "FORCE_", "PGSSL",
    "AIRFLOW_", "KAFKA_", "MPL",
)
THIRD_PARTY_NAMES = frozenset({
    "TZ", "HOME", "PATH", "USER", "LANG", "LANGUAGE", "TMPDIR", "TEMP", "TMP", "SHELL", "TERM", "CI",
    "VIRTUAL_ENV", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "PGHOST", "PGPORT", "PGUSER",
    "PGPASSWORD", "PGDATABASE", "COLUMNS", "LINES", "PWD", "EDITOR", "PAGER", "DISPLAY",
})


class EnvironmentNameDrift(Rule):
    """
    ## What it does
    Flags test code that sets an environment variable
    (`monkeypatch.setenv`, `os.environ[...] = ...`, `os.environ.update/setdefault`,
    `patch.dict(os.environ, {...})`) that nothing in the project reads, while
    a similar name is read: `JWT_SECRET_KEY` is set, `JWT_SECRET` is read.
    Reads are collected from every project module (`os.environ[...]`,
    `.get`, `getenv`, `in os.environ`) and from pydantic-settings classes
    (env prefix + field name, `validation_alias`, `alias`, v1 `env=`). The
    message names the variable that is read and where.

    ## Why is this bad?
    The test believes it configured the code under test, but the code reads
    another variable: it runs with its default (or with whatever the
    developer's shell exports), so the test passes or fails for reasons it
    does not control. Set the name the code reads.

    Names that are read somewhere are never flagged, nor names without a
    close match among the names read (they may be read by a library), nor
    variables well-known tools read (`AWS_*`, `PYTEST_*`, `PATH`...).
    """

    code = "TST408"
    name = "environment-name-drift"
    message = "`{name}` is set but never read; project code reads `{read}` ({where})"
    examples = (
        Invalid(
            """
            import os
            from unittest import mock


            def test_token_is_signed(monkeypatch):
                monkeypatch.setenv("JWT_SECRET_KEY", "test-secret")  # [TST408]


            def test_database_url():
                with mock.patch.dict(os.environ, {"DATABASE_URI": "sqlite://"}):  # [TST408]
                    pass
            """,
            filename="tests/test_auth.py",
            files={
                "src/__init__.py": "",
                "src/config.py": (
                    "import os\n\nfrom pydantic import Field\nfrom pydantic_settings import BaseSettings\n\n\n"
                    "class Settings(BaseSettings):\n"
                    "    database_url: str = Field(validation_alias='DATABASE_URL')\n\n\n"
                    "def jwt_secret() -> str:\n    return os.environ['JWT_SECRET']\n"
                ),
            },
        ),
        Valid(
            """
            import os


            def test_settings(monkeypatch):
                monkeypatch.setenv("JWT_SECRET", "test-secret")
                monkeypatch.setenv("APP_DEBUG", "1")
                monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
                monkeypatch.setenv("SOMETHING_UNRELATED", "x")
                os.environ["JWT_SECRET"] = "other"
            """,
            filename="tests/test_settings.py",
            files={
                "src/__init__.py": "",
                "src/config.py": (
                    "import os\n\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
                    "class Settings(BaseSettings):\n"
                    "    model_config = SettingsConfigDict(env_prefix='APP_')\n"
                    "    debug: bool = False\n\n\n"
                    "SECRET = os.getenv('JWT_SECRET', '')\nREGION = os.getenv('AWS_REGION', '')\n"
                ),
            },
            title="names that are read (also through an env prefix), library and unrelated names",
        ),
    )

    def end(self) -> None:
        ctx = self.ctx
        if ctx.workspace is None or not any(word in ctx.source for word in ("environ", "setenv")):
            return
        model, node = model_for(ctx)
        sets = [w for w in model.summary(node).env_writes if w.name]
        if all(_third_party(w.name.upper()) for w in sets if w.name):
            return  # nothing set, or only variables tools read: no need for the project's reads
        confirm_facts(model, ctx.path.resolve(), ctx.source)
        deps: set[Path] = set()
        index = env_reads(model, deps)
        depend(ctx, deps)
        set_here = {w.name.upper() for w in sets if w.name}
        reported: set[tuple[int, str]] = set()
        for write in sets:
            assert write.name is not None
            upper = write.name.upper()
            if upper in index or _third_party(upper) or (write.loc.line, upper) in reported:
                continue
            candidates = [n for n in index if n not in set_here]
            close = difflib.get_close_matches(upper, candidates, n=1, cutoff=SIMILARITY)
            if not close:
                continue
            read = _best_read(index[close[0]])
            where = f"{ctx.workspace.relative(read.path)}:{read.line}" + (f", {read.via}" if read.via else "")
            reported.add((write.loc.line, upper))
            self.report(span_of(ctx, write.loc), name=write.name, read=read.name, where=where)


def _best_read(reads: list[EnvRead]) -> EnvRead:
    """A direct read first, then the first by path and line."""
    return sorted(reads, key=lambda r: (bool(r.via), str(r.path), r.line))[0]


def _third_party(name: str) -> bool:
    return name in THIRD_PARTY_NAMES or name.startswith(THIRD_PARTY_PREFIXES)

