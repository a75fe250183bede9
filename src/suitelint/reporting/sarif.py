"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning accepts it.

One run; ``tool.driver.rules`` lists every rule (``ruleIndex`` points into
it); locations are relative URIs under ``%SRCROOT%`` (the working
directory); columns are Unicode code points (``columnKind``), end exclusive,
as SARIF regions are; ``partialFingerprints`` carry the baseline fingerprint
(code + flagged source line, not the line number), so alerts follow the code
when lines move.
"""

from __future__ import annotations

import json
from typing import Any, TextIO
from urllib.parse import quote

from suitelint import __version__
from suitelint.core.baseline import fingerprints
from suitelint.core.diagnostic import Diagnostic
from suitelint.core.registry import REGISTRY
from suitelint.core.rule import Rule
from suitelint.docs import rule_url
from suitelint.reporting import Report
from suitelint.reporting.github import ERROR_CODES

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/suitelint/suitelint"
FINGERPRINT_KEY = "suitelint/v1"


def _level(code: str) -> str:
    return "error" if code in ERROR_CODES else "warning"


def _section(rule: type[Rule], title: str) -> str:
    text = rule.docs().split(f"## {title}", 1)
    if len(text) < 2:
        return ""
    return text[1].split("\n## ", 1)[0].strip()


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    summary = rule.summary() or rule.name
    full = " ".join(part for part in (_section(rule, "What it does"), _section(rule, "Why is this bad?")) if part)
    help_uri = rule_url(rule.code)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": " ".join(full.split()) or summary},
        "helpUri": help_uri,
        "help": {
            "text": f"{summary} See {help_uri}",
            "markdown": f"{summary}\n\n[{rule.code} documentation]({help_uri})",
        },
        "defaultConfiguration": {"level": _level(rule.code), "enabled": rule.default_enabled},
        "properties": {"tags": ["testing", "pytest"], "precision": "high"},
    }


def _result(diagnostic: Diagnostic, index: int, fingerprint: str) -> dict[str, Any]:
    span = diagnostic.span
    return {
        "ruleId": diagnostic.code,
        "ruleIndex": index,
        "level": _level(diagnostic.code),
        "message": {"text": diagnostic.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": quote(diagnostic.path), "uriBaseId": "%SRCROOT%"},
                "region": {
                    "startLine": span.start.line,
                    "startColumn": span.start.column,
                    "endLine": span.end.line,
                    "endColumn": span.end.column,
                },
            }
        }],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }


def sarif_log(report: Report) -> dict[str, Any]:
    rules = REGISTRY.all()
    index = {rule.code: position for position, rule in enumerate(rules)}
    diagnostics = sorted(report.diagnostics, key=Diagnostic.sort_key)
    results = [
        _result(d, index[d.code], fingerprint)
        for d, fingerprint in zip(diagnostics, fingerprints(diagnostics), strict=True)
        if d.code in index
    ]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "suitelint",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "informationUri": INFORMATION_URI,
                    "rules": [rule_descriptor(rule) for rule in rules],
                }
            },
            "originalUriBaseIds": {"%SRCROOT%": {"uri": report.cwd.as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "invocations": [{"executionSuccessful": True}],
            "results": results,
        }],
    }


class SarifReporter:
    def write(self, report: Report, stream: TextIO, *, color: bool) -> None:
        json.dump(sarif_log(report), stream, indent=2, ensure_ascii=False)
        stream.write("\n")
