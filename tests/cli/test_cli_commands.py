"""``suitelint rules``, ``rule CODE``, ``clean`` and ``lsp``."""

from __future__ import annotations

import importlib.util
import json

from suitelint.core.registry import REGISTRY


def test_rules_lists_every_rule(run):
    outcome = run("rules")
    assert outcome.code == 0
    for rule in REGISTRY.all():
        assert rule.code in outcome.out
        assert rule.name in outcome.out
    sleep_row = next(line for line in outcome.out.splitlines() if "TST406" in line)
    assert "sleep-in-test" in sleep_row
    assert " on " in sleep_row
    fixable_row = next(line for line in outcome.out.splitlines() if "TST201" in line)
    assert " yes " in fixable_row


def test_rules_as_json(run):
    data = json.loads(run("rules", "--format", "json").out)
    sleep = next(item for item in data if item["code"] == "TST406")
    assert sleep["name"] == "sleep-in-test"
    assert sleep["fix"] is None
    assert sleep["default"] is True
    rule = REGISTRY.get("TST406")
    assert rule is not None
    assert sleep["summary"] == rule.summary()
    assert sleep["url"].endswith("/docs/rules/TST406.md")


def test_rule_prints_its_documentation(run):
    outcome = run("rule", "TST406")
    assert outcome.code == 0
    assert outcome.out.startswith("# TST406: sleep-in-test")
    assert "## What it does" in outcome.out
    assert "## Why is this bad?" in outcome.out
    assert run("rule", "sleep-in-test").out == outcome.out
    assert run("rule", "tst406").out == outcome.out


def test_unknown_rule_suggests_the_closest(run):
    outcome = run("rule", "TST46")
    assert outcome.code == 2
    assert outcome.err.startswith("suitelint: error: unknown rule 'TST46'; did you mean TST406 (sleep-in-test)?")
    by_name = run("rule", "sleep-in-tests")
    assert by_name.code == 2
    assert "did you mean TST406 (sleep-in-test)?" in by_name.err


def test_clean_removes_the_cache_directory(project, run):
    cache = project / ".suitelint_cache"
    (cache / "results").mkdir(parents=True)
    (cache / "results" / "entry").write_text("x", encoding="utf-8")
    outcome = run("clean")
    assert outcome.code == 0
    assert not cache.exists()
    assert run("clean").out.startswith("No cache to remove")


def test_lsp_without_pygls_explains_the_extra(run, monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: None if name == "pygls" else real_find_spec(name, *args))
    outcome = run("lsp")
    assert outcome.code == 2
    assert outcome.err == "suitelint lsp needs the lsp extra: pip install 'suitelint[lsp]'\n"


def test_help_exits_zero(run):
    outcome = run("check", "--help")
    assert outcome.code == 0
    assert "--extend-select" in outcome.out
    assert "--write-baseline" in outcome.out
