"""pytest's configuration read statically, with pytest's own precedence (pytest 9 ``findpaths``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from suitelint.pytest_model.ini import find_pytest_config, read_inifile

# one file of each kind, each saying which file it is through `asyncio_mode`-free keys
CONFIGS = {
    "pytest.toml": '[pytest]\nminversion = "pytest.toml"\n',
    "pytest.ini": "[pytest]\nminversion = pytest.ini\n",
    "pyproject.toml": '[tool.pytest.ini_options]\nminversion = "pyproject.toml"\n',
    "tox.ini": "[pytest]\nminversion = tox.ini\n",
    "setup.cfg": "[tool:pytest]\nminversion = setup.cfg\n",
}
PRECEDENCE = list(CONFIGS)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("winner", PRECEDENCE)
def test_precedence_in_one_directory(tmp_path: Path, winner: str) -> None:
    for name in PRECEDENCE[PRECEDENCE.index(winner):]:
        write(tmp_path / name, CONFIGS[name])
    config = find_pytest_config(tmp_path / "test_x.py")
    assert config.inifile == tmp_path / winner
    assert config.rootdir == tmp_path
    assert config.get_str("minversion") == winner


def test_nearest_directory_wins_over_a_stronger_file_kind(tmp_path: Path) -> None:
    write(tmp_path / "pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    write(tmp_path / "sub" / "setup.cfg", "[tool:pytest]\nasyncio_mode = strict\n")
    config = find_pytest_config(tmp_path / "sub" / "tests" / "test_x.py")
    assert config.inifile == tmp_path / "sub" / "setup.cfg"
    assert config.rootdir == tmp_path / "sub"
    assert config.asyncio_mode == "strict"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", '[project]\nname = "demo"\n'),
        ("pyproject.toml", "[tool.pytest]\n"),
        ("tox.ini", "[tox]\nenvlist = py311\n"),
        ("setup.cfg", "[metadata]\nname = demo\n"),
    ],
)
def test_files_without_pytest_settings_are_passed_over(tmp_path: Path, name: str, text: str) -> None:
    write(tmp_path / "pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    write(tmp_path / "pkg" / name, text)
    config = find_pytest_config(tmp_path / "pkg" / "test_x.py")
    assert config.inifile == tmp_path / "pytest.ini"
    assert config.asyncio_mode == "auto"


def test_pytest_ini_without_section_is_still_the_inifile(tmp_path: Path) -> None:
    write(tmp_path / "pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    write(tmp_path / "pkg" / "pytest.ini", "# empty on purpose\n")
    config = find_pytest_config(tmp_path / "pkg" / "test_x.py")
    assert config.inifile == tmp_path / "pkg" / "pytest.ini"
    assert config.ini == {}
    assert config.asyncio_mode == "strict"


def test_without_any_configuration_the_nearest_pyproject_is_the_rootdir(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "demo"\n')
    write(tmp_path / "pkg" / "setup.py", "")
    config = find_pytest_config(tmp_path / "pkg" / "test_x.py")
    assert config.rootdir == tmp_path
    assert config.inifile == tmp_path / "pyproject.toml"
    assert config.ini == {}


def test_native_toml_table_keeps_lists_and_booleans(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.pytest]\naddopts = ["-ra", "--asyncio-mode", "auto"]\ntrio_mode = true\n'
                                       'python_files = ["check_*.py"]\n')
    config = find_pytest_config(tmp_path)
    assert config.addopts == ["-ra", "--asyncio-mode", "auto"]
    assert config.asyncio_mode == "auto"
    assert config.get_str("trio_mode") == "true"
    assert config.matches_python_files(tmp_path / "check_api.py")
    assert not config.matches_python_files(tmp_path / "test_api.py")


def test_ini_options_and_ini_files_read_strings(tmp_path: Path) -> None:
    write(tmp_path / "setup.cfg", "[tool:pytest]\naddopts = -ra -p no:cacheprovider\n"
                                  "markers =\n    slow: slow tests\n    db(name): needs a database\n"
                                  "Asyncio_Mode = auto\n")
    config = find_pytest_config(tmp_path)
    assert config.addopts == ["-ra", "-p", "no:cacheprovider"]
    assert config.markers == ("slow", "db")
    assert config.plugin_disabled("cacheprovider")
    # keys are case-sensitive in pytest: this is not asyncio_mode
    assert config.asyncio_mode == "strict"


@pytest.mark.parametrize(
    ("addopts", "mode"),
    [
        ("--asyncio-mode=auto", "auto"),
        ("--asyncio-mode auto", "auto"),
        ("--asyncio-mode=auto --asyncio-mode=strict", "strict"),
        ("-o asyncio_mode=auto", "auto"),
        ("--override-ini=asyncio_mode=auto", "auto"),
        ("-oasyncio_mode=auto", "auto"),
        ("--asyncio-mode=bogus", "strict"),
    ],
)
def test_addopts_options_win_over_the_ini_value(tmp_path: Path, addopts: str, mode: str) -> None:
    write(tmp_path / "pytest.ini", f"[pytest]\nasyncio_mode = strict\naddopts = -ra {addopts}\n")
    assert find_pytest_config(tmp_path).asyncio_mode == mode


def test_plugins_named_in_addopts(tmp_path: Path) -> None:
    write(tmp_path / "tox.ini", "[pytest]\naddopts = -p pytest_asyncio -pxdist -p no:randomly\n")
    config = find_pytest_config(tmp_path)
    assert config.plugins == ("pytest_asyncio", "xdist", "no:randomly")
    assert config.plugin_disabled("randomly")
    assert not config.plugin_disabled("xdist")


def test_read_inifile_on_unrelated_and_broken_files(tmp_path: Path) -> None:
    assert read_inifile(write(tmp_path / "README.md", "# demo\n")) is None
    assert read_inifile(write(tmp_path / "pyproject.toml", "[tool.pytest\n")) is None
    assert read_inifile(write(tmp_path / "pytest.toml", '[pytest]\nxfail_strict = true\n')) == {"xfail_strict": "true"}
