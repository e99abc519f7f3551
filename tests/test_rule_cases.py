"""The one harness: every rule's own examples (`fires`, `near_misses`) run as tests.

A `fires` case must produce exactly the findings it lists (path:line:col, plus the exact message when
given) and no other finding of that rule; a near miss must produce none of that rule.
"""

from __future__ import annotations

import pytest

from analyzer.engine.registry import all_rules
from tests.helpers import located, run, write_project

CASES = [
    pytest.param(rule, case, kind, id=f"{rule.code}-{kind}-{i}")
    for rule in all_rules()
    for kind, cases in (("fires", rule.fires), ("near_miss", rule.near_misses))
    for i, case in enumerate(cases)
]


@pytest.mark.parametrize("rule,case,kind", CASES)
def test_rule_case(rule, case, kind, tmp_path):
    write_project(tmp_path, case.files)
    # A case may choose the rules that run with it (LE002 needs the rule it watches to run too).
    select = None if "select" in case.config else (rule.code,)
    report = run(tmp_path, select=select, config=case.config)
    if kind == "near_miss":
        assert located(report, rule.code, with_message=True) == [], case.note
        return
    assert case.expect, f"{rule.code}: a firing case must list its findings"
    got_plain = located(report, rule.code)
    got_full = located(report, rule.code, with_message=True)
    expected = sorted(case.expect)
    actual = sorted(
        full if any(e.startswith(plain + ": ") for e in expected) else plain
        for plain, full in zip(got_plain, got_full)
    )
    assert actual == expected, case.note


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_metadata(rule):
    assert rule.name and rule.name == rule.name.lower() and " " not in rule.name
    assert rule.summary.strip() and rule.why.strip()
    assert rule.code[:2] == "LE" and len(rule.code) == 5
    if rule.code not in ("LE000", "LE003"):
        assert rule.fires, f"{rule.code} has no firing example"
    docs = rule.docs_markdown()
    assert "## What it does" in docs and "## Why is this a problem on Cloud Engine?" in docs


def test_rule_names_unique():
    names = [r.name for r in all_rules()]
    assert len(names) == len(set(names))
