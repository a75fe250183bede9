"""Fixtures that exist without any file of the checked project defining them.

Three tables, all data:

* :data:`BUILTIN_FIXTURES`: pytest's own fixtures (pytest 8 and 9), with the
  internal plugin that provides each (``-p no:cacheprovider`` removes
  ``cache``).
* :data:`PYTESTER_FIXTURES`: the ``pytester`` plugin's fixtures, present only
  when a project enables it (``pytest_plugins = "pytester"`` or ``-p pytester``).
* :data:`KNOWN_PLUGINS`: fixtures of popular third-party plugins.  pre-commit
  runs suitelint in an isolated environment where the project's plugins are
  not installed, so their fixtures cannot be discovered from ``pytest11``
  entry points there.  A plugin's *distinctive* fixtures (``mocker``,
  ``httpx_mock``, ``anyio_backend``...) are trusted always: a test requesting
  one almost surely has the plugin in its real environment.  Its *generic*
  fixtures (``db``, ``client``, ``settings``, ``page``...) are trusted only
  when the project shows it uses the plugin: it declares the distribution in
  a dependency file, names its module in ``pytest_plugins``/``-p``, sets one
  of its ini keys, or its test code imports the plugin or the framework it
  serves (``django`` for pytest-django).  This keeps ``db`` requested from
  the wrong directory a finding in a FastAPI project, and silent in a
  pytest-django one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FUNCTION, CLASS, MODULE, PACKAGE, SESSION = "function", "class", "module", "package", "session"

# name -> (scope, internal plugin name that provides it; "" when it cannot be disabled)
BUILTIN_FIXTURES: dict[str, tuple[str, str]] = {
    "request": (FUNCTION, ""),  # special: available at every scope
    "pytestconfig": (SESSION, ""),
    "cache": (FUNCTION, "cacheprovider"),
    "capsys": (FUNCTION, "capture"),
    "capsysbinary": (FUNCTION, "capture"),
    "capteesys": (FUNCTION, "capture"),
    "capfd": (FUNCTION, "capture"),
    "capfdbinary": (FUNCTION, "capture"),
    "caplog": (FUNCTION, "logging"),
    "doctest_namespace": (SESSION, "doctest"),
    "monkeypatch": (FUNCTION, "monkeypatch"),
    "record_property": (FUNCTION, "junitxml"),
    "record_xml_attribute": (FUNCTION, "junitxml"),
    "record_testsuite_property": (SESSION, "junitxml"),
    "recwarn": (FUNCTION, "recwarn"),
    "subtests": (FUNCTION, "subtests"),  # pytest 9 (pytest-subtests before)
    "tmp_path": (FUNCTION, "tmpdir"),
    "tmp_path_factory": (SESSION, "tmpdir"),
    "tmpdir": (FUNCTION, "legacypath"),
    "tmpdir_factory": (SESSION, "legacypath"),
}

PYTESTER_PLUGIN_NAMES = frozenset({"pytester", "_pytest.pytester"})
PYTESTER_FIXTURES: dict[str, str] = {
    "pytester": FUNCTION,
    "testdir": FUNCTION,  # legacypath, when pytester is active
    "linecomp": FUNCTION,
    "LineMatcher": FUNCTION,
    "_pytest": FUNCTION,
    "_sys_snapshot": FUNCTION,
    "_config_for_test": FUNCTION,
}


@dataclass(frozen=True)
class KnownPlugin:
    """A third-party pytest plugin's fixtures, for environments where it is not installed."""

    name: str  # the distribution, as written on PyPI
    modules: tuple[str, ...]  # its importable modules (pytest_plugins / -p / imports)
    fixtures: dict[str, str] = field(default_factory=dict)  # distinctive: always trusted
    generic: dict[str, str] = field(default_factory=dict)  # trusted with evidence only
    ini_keys: tuple[str, ...] = ()  # pytest ini keys only this plugin reads
    requests: tuple[str, ...] = ()  # fixtures the plugin requests that users define
    other_names: tuple[str, ...] = ()  # other distribution names that ship it
    frameworks: tuple[str, ...] = ()  # imported by test code, they suggest the plugin is in use

    @property
    def all_fixtures(self) -> dict[str, str]:
        return {**self.generic, **self.fixtures}


KNOWN_PLUGINS: tuple[KnownPlugin, ...] = (
    KnownPlugin(
        "pytest-mock", ("pytest_mock",),
        fixtures={"mocker": FUNCTION, "class_mocker": CLASS, "module_mocker": MODULE,
                  "package_mocker": PACKAGE, "session_mocker": SESSION},
        ini_keys=("mock_traceback_monkeypatch", "mock_use_standalone_module"),
    ),
    KnownPlugin(
        "pytest-asyncio", ("pytest_asyncio",),
        fixtures={"event_loop_policy": SESSION, "unused_tcp_port": FUNCTION, "unused_udp_port": FUNCTION,
                  "unused_tcp_port_factory": SESSION, "unused_udp_port_factory": SESSION,
                  "event_loop": FUNCTION},
        ini_keys=("asyncio_mode", "asyncio_default_fixture_loop_scope", "asyncio_default_test_loop_scope",
                  "asyncio_debug"),
    ),
    KnownPlugin(
        "anyio", ("anyio", "anyio.pytest_plugin"),
        fixtures={"anyio_backend": MODULE, "anyio_backend_name": FUNCTION, "anyio_backend_options": FUNCTION,
                  "free_tcp_port": FUNCTION, "free_udp_port": FUNCTION,
                  "free_tcp_port_factory": SESSION, "free_udp_port_factory": SESSION},
    ),
    KnownPlugin(
        "pytest-trio", ("pytest_trio",),
        fixtures={"autojump_clock": FUNCTION, "mock_clock": FUNCTION},
        generic={"nursery": FUNCTION},
        ini_keys=("trio_mode", "trio_run"),
        frameworks=("trio",),
    ),
    KnownPlugin(
        "pytest-django", ("pytest_django", "pytest_django.plugin"),
        fixtures={"django_db_setup": SESSION, "django_db_modify_db_settings": SESSION,
                  "django_db_modify_db_settings_parallel_suffix": SESSION,
                  "django_db_modify_db_settings_tox_suffix": SESSION,
                  "django_db_modify_db_settings_xdist_suffix": SESSION,
                  "django_db_use_migrations": SESSION, "django_db_keepdb": SESSION,
                  "django_db_createdb": SESSION, "django_db_blocker": SESSION,
                  "django_db_reset_sequences": FUNCTION, "django_db_serialized_rollback": FUNCTION,
                  "django_user_model": FUNCTION, "django_username_field": FUNCTION,
                  "django_assert_num_queries": FUNCTION, "django_assert_max_num_queries": FUNCTION,
                  "django_capture_on_commit_callbacks": FUNCTION, "django_mail_patch_dns": FUNCTION,
                  "django_mail_dnsname": FUNCTION, "django_test_environment": SESSION,
                  "django_testcase_class": FUNCTION},
        generic={"db": FUNCTION, "transactional_db": FUNCTION, "client": FUNCTION, "async_client": FUNCTION,
                 "admin_client": FUNCTION, "async_admin_client": FUNCTION, "admin_user": FUNCTION,
                 "rf": FUNCTION, "async_rf": FUNCTION, "settings": FUNCTION, "live_server": SESSION,
                 "mailoutbox": FUNCTION},
        ini_keys=("DJANGO_SETTINGS_MODULE", "django_find_project", "django_debug_mode", "FAIL_INVALID_TEMPLATE_VARS"),
        frameworks=("django",),
    ),
    KnownPlugin(
        "pytest-flask", ("pytest_flask", "pytest_flask.plugin"),
        fixtures={"client_class": CLASS, "accept_json": FUNCTION, "accept_jsonp": FUNCTION,
                  "accept_any": FUNCTION, "accept_mimetype": FUNCTION, "request_ctx": FUNCTION},
        generic={"client": FUNCTION, "config": FUNCTION, "live_server": FUNCTION},
        requests=("app",),
        frameworks=("flask",),
    ),
    KnownPlugin(
        "pytest-tornado", ("pytest_tornado", "pytest_tornado.plugin"),
        generic={"io_loop": FUNCTION, "http_server": FUNCTION, "http_client": FUNCTION,
                 "http_port": FUNCTION, "base_url": FUNCTION},
        requests=("app",),
        frameworks=("tornado",),
    ),
    KnownPlugin("pytest-xdist", ("xdist", "xdist.plugin"), fixtures={"worker_id": SESSION, "testrun_uid": SESSION}),
    KnownPlugin("pytest-benchmark", ("pytest_benchmark", "pytest_benchmark.plugin"),
                fixtures={"benchmark": FUNCTION, "benchmark_weave": FUNCTION}),
    KnownPlugin("pytest-httpx", ("pytest_httpx",), fixtures={"httpx_mock": FUNCTION},
                requests=("assert_all_responses_were_requested", "non_mocked_hosts")),
    KnownPlugin("respx", ("respx", "respx.plugin"), fixtures={"respx_mock": FUNCTION}),
    KnownPlugin("requests-mock", ("requests_mock", "requests_mock.contrib._pytest_plugin"),
                fixtures={"requests_mock": FUNCTION}),
    KnownPlugin("pytest-freezer", ("pytest_freezer",), fixtures={"freezer": FUNCTION},
                other_names=("pytest-freezegun",)),
    KnownPlugin("time-machine", ("time_machine",), fixtures={"time_machine": FUNCTION}),
    KnownPlugin("pytest-subtests", ("pytest_subtests",), fixtures={"subtests": FUNCTION}),
    KnownPlugin(
        "pytest-aiohttp", ("pytest_aiohttp", "aiohttp.pytest_plugin"),
        fixtures={"aiohttp_client": FUNCTION, "aiohttp_server": FUNCTION, "aiohttp_raw_server": FUNCTION,
                  "aiohttp_unused_port": FUNCTION, "aiohttp_client_cls": FUNCTION},
        generic={"loop": FUNCTION, "unused_port": FUNCTION},
        frameworks=("aiohttp",),
    ),
    KnownPlugin(
        "pytest-httpserver", ("pytest_httpserver",),
        fixtures={"httpserver_listen_address": SESSION, "httpserver_ssl_context": SESSION,
                  "make_httpserver": SESSION, "httpserver_ipv4": FUNCTION, "httpserver_ipv6": FUNCTION,
                  "make_httpserver_ipv4": SESSION, "make_httpserver_ipv6": SESSION},
        generic={"httpserver": FUNCTION},
    ),
    KnownPlugin("pytest-localserver", ("pytest_localserver",),
                fixtures={"httpsserver": FUNCTION, "smtpserver": FUNCTION}, generic={"httpserver": FUNCTION}),
    KnownPlugin(
        "pytest-postgresql", ("pytest_postgresql", "pytest_postgresql.plugin"),
        fixtures={"postgresql_proc": SESSION, "postgresql_noproc": SESSION},
        generic={"postgresql": FUNCTION},
    ),
    KnownPlugin(
        "pytest-redis", ("pytest_redis", "pytest_redis.plugin"),
        fixtures={"redis_proc": SESSION, "redis_nooproc": SESSION, "redisdb": FUNCTION},
    ),
    KnownPlugin(
        "pytest-mongodb", ("pytest_mongodb",), fixtures={"mongodb": FUNCTION},
    ),
    KnownPlugin(
        "celery", ("celery.contrib.pytest",),
        fixtures={"celery_app": FUNCTION, "celery_worker": FUNCTION, "celery_config": SESSION,
                  "celery_parameters": SESSION, "celery_includes": SESSION, "celery_session_app": SESSION,
                  "celery_session_worker": SESSION, "celery_enable_logging": SESSION,
                  "use_celery_app_trap": SESSION, "celery_worker_pool": SESSION,
                  "celery_worker_parameters": SESSION, "celery_class_tasks": SESSION,
                  "depends_on_current_app": FUNCTION},
        other_names=("pytest-celery",),
    ),
    KnownPlugin("syrupy", ("syrupy",), fixtures={"snapshot": FUNCTION}, other_names=("pytest-snapshot",)),
    KnownPlugin("faker", ("faker", "faker.contrib.pytest.plugin"),
                fixtures={"faker": FUNCTION, "_session_faker": SESSION},
                requests=("faker_locale", "faker_seed")),
    KnownPlugin("pytest-cov", ("pytest_cov", "pytest_cov.plugin"), fixtures={"no_cover": FUNCTION, "cov": FUNCTION}),
    KnownPlugin(
        "pytest-qt", ("pytestqt", "pytestqt.plugin"),
        fixtures={"qtbot": FUNCTION, "qapp": SESSION, "qapp_args": SESSION, "qapp_cls": SESSION,
                  "qtmodeltester": FUNCTION, "qtlog": FUNCTION},
        ini_keys=("qt_api", "qt_log_level_fail", "qt_no_exception_capture"),
    ),
    KnownPlugin("pytest-datadir", ("pytest_datadir", "pytest_datadir.plugin"),
                fixtures={"shared_datadir": FUNCTION, "original_datadir": FUNCTION},
                generic={"datadir": FUNCTION}),
    KnownPlugin(
        "pytest-regressions", ("pytest_regressions", "pytest_regressions.plugin"),
        fixtures={"data_regression": FUNCTION, "file_regression": FUNCTION, "num_regression": FUNCTION,
                  "dataframe_regression": FUNCTION, "image_regression": FUNCTION,
                  "ndarrays_regression": FUNCTION},
    ),
    KnownPlugin(
        "pytest-docker", ("pytest_docker",),
        fixtures={"docker_services": SESSION, "docker_compose_file": SESSION, "docker_ip": SESSION,
                  "docker_compose_project_name": SESSION, "docker_setup": SESSION, "docker_cleanup": SESSION,
                  "docker_compose_command": SESSION},
    ),
    KnownPlugin("pytest-socket", ("pytest_socket",),
                fixtures={"socket_disabled": FUNCTION, "socket_enabled": FUNCTION}),
    KnownPlugin(
        "pytest-recording", ("pytest_recording", "pytest_recording.plugin"),
        fixtures={"vcr_config": MODULE, "vcr_cassette_dir": MODULE, "default_cassette_name": FUNCTION,
                  "record_mode": SESSION},
        generic={"vcr": FUNCTION},
    ),
    KnownPlugin("pytest-vcr", ("pytest_vcr",), fixtures={"vcr_config": MODULE, "vcr_cassette_dir": MODULE,
                                                         "vcr_cassette_name": FUNCTION},
                generic={"vcr": FUNCTION}),
    KnownPlugin(
        "pytest-playwright", ("pytest_playwright", "pytest_playwright.pytest_playwright"),
        fixtures={"browser_context_args": SESSION, "browser_type_launch_args": SESSION,
                  "browser_type": SESSION, "browser_name": SESSION, "browser_channel": SESSION,
                  "launch_browser": SESSION, "is_chromium": SESSION, "is_firefox": SESSION, "is_webkit": SESSION,
                  "playwright": SESSION, "new_context": FUNCTION, "device": SESSION},
        generic={"page": FUNCTION, "browser": SESSION, "context": FUNCTION},
        frameworks=("playwright",),
    ),
    KnownPlugin("pytest-html", ("pytest_html", "pytest_html.plugin"), generic={"extras": FUNCTION, "extra": FUNCTION}),
    KnownPlugin("pytest-metadata", ("pytest_metadata", "pytest_metadata.plugin"),
                fixtures={"include_metadata_in_junit_xml": SESSION}, generic={"metadata": SESSION}),
    KnownPlugin("pytest-check", ("pytest_check", "pytest_check.plugin"), generic={"check": FUNCTION}),
    KnownPlugin("pytest-alembic", ("pytest_alembic", "pytest_alembic.plugin"),
                fixtures={"alembic_runner": FUNCTION, "alembic_config": FUNCTION, "alembic_engine": FUNCTION}),
    KnownPlugin("pytest-console-scripts", ("pytest_console_scripts",),
                fixtures={"script_runner": FUNCTION, "script_cwd": FUNCTION, "launch_mode": FUNCTION}),
    KnownPlugin("pytest-lazy-fixture", ("pytest_lazyfixture",)),
    KnownPlugin("platformdirs", ("platformdirs.pytest_plugin",), fixtures={"platformdirs_isolated": FUNCTION}),
    KnownPlugin("pytest-examples", ("pytest_examples",), fixtures={"eval_example": FUNCTION}),
    KnownPlugin("pytest-codspeed", ("pytest_codspeed", "pytest_codspeed.plugin"), fixtures={"benchmark": FUNCTION}),
    KnownPlugin("pytest-run-parallel", ("pytest_run_parallel", "pytest_run_parallel.plugin"),
                fixtures={"num_parallel_threads": FUNCTION, "num_iterations": FUNCTION, "thread_index": FUNCTION,
                          "iteration_index": FUNCTION, "thread_comp": FUNCTION}),
    KnownPlugin("pytest-json-report", ("pytest_jsonreport", "pytest_jsonreport.plugin"),
                fixtures={"json_metadata": FUNCTION}),
)

# ``-p NAME`` accepts entry-point names (pytest tries them before module names)
ENTRY_POINT_NAMES: dict[str, str] = {
    "asyncio": "pytest-asyncio", "pytest_mock": "pytest-mock", "anyio": "anyio", "trio": "pytest-trio",
    "django": "pytest-django", "flask": "pytest-flask", "xdist": "pytest-xdist", "benchmark": "pytest-benchmark",
    "pytest_httpx": "pytest-httpx", "respx": "respx", "requests_mock": "requests-mock",
    "freezer": "pytest-freezer", "time_machine": "time-machine", "subtests": "pytest-subtests",
    "aiohttp": "pytest-aiohttp", "pytest_httpserver": "pytest-httpserver", "localserver": "pytest-localserver",
    "pytest_postgresql": "pytest-postgresql", "pytest_redis": "pytest-redis", "celery": "celery",
    "syrupy": "syrupy", "Faker": "faker", "pytest_cov": "pytest-cov", "pytest-qt": "pytest-qt",
    "pytest-datadir": "pytest-datadir", "regressions": "pytest-regressions", "docker": "pytest-docker",
    "socket": "pytest-socket", "recording": "pytest-recording", "vcr": "pytest-vcr",
    "playwright": "pytest-playwright", "html": "pytest-html", "metadata": "pytest-metadata",
    "pytest_check": "pytest-check", "pytest_alembic": "pytest-alembic", "console-scripts": "pytest-console-scripts",
    "platformdirs": "platformdirs", "pytest_examples": "pytest-examples", "codspeed": "pytest-codspeed",
    "pytest_jsonreport": "pytest-json-report", "run-parallel": "pytest-run-parallel",
}

# plugins that provide no fixtures: modules, ``-p`` entry-point names and distributions
FIXTURELESS_PLUGINS = frozenset({
    "pytest_timeout", "timeout", "pytest-timeout", "pytest_randomly", "randomly", "pytest-randomly",
    "pytest_env", "env", "pytest-env", "pytest_rerunfailures", "rerunfailures", "pytest-rerunfailures",
    "pytest_sugar", "sugar", "pytest-sugar", "pytest_instafail", "instafail", "pytest-instafail",
    "pytest_repeat", "repeat", "pytest-repeat", "pytest_order", "order", "pytest-order",
    "pytest_ordering", "pytest-ordering", "pytest_dotenv", "dotenv", "pytest-dotenv", "hypothesis",
    "hypothesispytest", "_hypothesis_pytestplugin", "xdist.looponfail", "looponfail", "pytest_forked",
    "forked", "pytest-forked", "pytest-clarity", "pytest-icdiff", "icdiff", "pytest-pretty", "pytest-split",
    "pytest-github-actions-annotate-failures", "pytest-custom-exit-code", "pytest-mypy", "pytest-flake8",
    "pytest-black", "pytest-isort", "pytest-pylint", "pytest-ruff", "pytest-testmon", "pytest-picked",
    "pytest-unordered", "pytest-reportlog", "pytest-runner", "pytest-watch", "pytest-xprocess",
    "pytest-memray", "memray", "pytest-profiling", "pytest-lazy-fixture", "pytest-lazy-fixtures",
    "pytest-asyncio-cooperative", "pytest-md-report", "pytest-durations", "pytest-timer", "pytest-emoji",
    "pytest-parallel", "pytest-benchmark[histogram]", "pytest-mypy-plugins", "pytest-doctestplus",
    "doctestplus", "pytest-remotedata", "pytest-filter-subpackage", "pytest-arraydiff", "pytest-astropy",
    "pytest-cases", "pytest-factoryboy", "pytest-bdd", "pytest-describe", "pytest-spec", "pytest-xvfb",
    "xvfb", "pytest-github-report", "pytest-print", "pytest-deadfixtures",
    "pytest-dependency", "dependency", "pytest-skip-slow", "pytest-markdown-docs", "pytest-codeblocks",
    "pytest-retry", "retry", "pytest-random-order", "random_order",
})

# modules whose presence means fixtures are created at run time from data
# (pytest-factoryboy's register(), pytest-bdd's target_fixture=, pytest-cases)
DYNAMIC_FIXTURE_MODULES = frozenset({"pytest_factoryboy", "pytest_bdd", "pytest_cases"})


def known_plugin_for_module(module: str) -> KnownPlugin | None:
    for plugin in KNOWN_PLUGINS:
        if module in plugin.modules or module.split(".", 1)[0] in plugin.modules:
            return plugin
    return None


def known_plugin_named(distribution: str) -> KnownPlugin | None:
    wanted = normalize(distribution)
    for plugin in KNOWN_PLUGINS:
        if wanted in (normalize(plugin.name), *map(normalize, plugin.other_names)):
            return plugin
    return None


def normalize(distribution: str) -> str:
    """PEP 503 normalisation of a distribution name."""
    return "-".join(part for part in distribution.lower().replace("_", "-").replace(".", "-").split("-") if part)


def is_fixtureless(name: str) -> bool:
    return name in FIXTURELESS_PLUGINS or normalize(name) in FIXTURELESS_PLUGINS
