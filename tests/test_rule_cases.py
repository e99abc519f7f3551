"""The one harness: every rule's own examples (`example`, `fires`, `near_misses`) run as tests.

A firing case (and the documented `example`) must produce exactly the findings it lists
(path:line:col, plus the exact message when given) and no other finding of that rule; a near miss
must produce none of that rule. Every case runs with LE000 visible, so a rule that raises fails even
its near misses. A case with `fixed` is then fixed as `lean-lint --fix` fixes it: each listed file
must read exactly as given, and fixing again must change nothing.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from analyzer.engine import run as engine
from analyzer.engine.fixes import fix_until_stable, plan_fixes
from analyzer.engine.registry import all_rules
from analyzer.rules.base import ProjectRule
from analyzer.types import Case, Severity
from tests.helpers import located, run, write_project

CASES = [
    pytest.param(rule, case, kind, id=f"{rule.code}-{kind}-{i}")
    for rule in all_rules()
    for kind, cases in (("example", (rule.example,) if rule.example else ()), ("fires", rule.fires), ("near_miss", rule.near_misses))
    for i, case in enumerate(cases)
]


def check_case(rule, case: Case, kind: str, root: Path) -> None:
    write_project(root, case.files)
    # A case may choose the rules that run with it (LE002 needs the rule it watches to run too).
    config = dict(case.config)
    if "select" in config:
        select = None
        config["select"] = [*config["select"], "LE000"]
    else:
        select = (rule.code, "LE000")

    def analyze():
        return run(root, select=select, config=config, resolve=getattr(rule, "online", False))

    report = analyze()
    crashes = located(report, "LE000", with_message=True) if rule.code != "LE000" else []
    assert crashes == [], f"{rule.code} raised on this case"
    if kind == "near_miss":
        assert located(report, rule.code, with_message=True) == [], case.note
        assert not case.fixed, "a near miss has nothing to fix"
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
    if not case.fixed:
        return
    before = {rel: (root / rel).read_bytes() for rel in case.fixed if (root / rel).exists()}
    report, fixed = fix_until_stable(root, _only(report, rule.code), lambda: _only(analyze(), rule.code))
    assert fixed, f"{rule.code}: the case lists `fixed` files but no fix applied"
    for rel, want in case.fixed.items():
        want = textwrap.dedent(want[1:]) if want.startswith("\n") else want
        assert (root / rel).read_text(encoding="utf-8") == want, f"{rel} after --fix"
    assert plan_fixes(root, report.active) == [], "fixing a second time changes the files again"
    assert before.keys() <= case.fixed.keys()


def _only(report, code):
    """The report with only `code`'s findings: the case's fixes, not those of LE000 or a watched rule."""
    return replace(report, findings=tuple(f for f in report.findings if f.code == code))


@pytest.mark.parametrize("rule,case,kind", CASES)
def test_rule_case(rule, case, kind, tmp_path):
    check_case(rule, case, kind, tmp_path)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_metadata(rule):
    assert rule.name and rule.name == rule.name.lower() and " " not in rule.name
    assert rule.summary.strip() and rule.why.strip()
    assert rule.code[:2] == "LE" and len(rule.code) == 5
    if rule.code not in ("LE000", "LE003"):
        assert rule.fires, f"{rule.code} has no firing example"
        assert rule.example is not None and rule.example.expect, f"{rule.code} documents no example that fires"
    docs = rule.docs_markdown()
    assert "## What it does" in docs and "## Why is this a problem on Cloud Engine?" in docs


def test_rule_names_unique():
    names = [r.name for r in all_rules()]
    assert len(names) == len(set(names))


# -- the harness itself ---------------------------------------------------------------------------


class _Raises(ProjectRule):
    """Not in analyzer/rules: never registered; raises on every input."""

    code = "LE998"
    name = "test-raises"
    severity = Severity.WARNING
    summary = "A rule that raises"
    why = "The harness must catch it."

    def check(self, project):
        raise RuntimeError("boom")


def test_a_rule_that_raises_fails_its_near_misses(tmp_path, monkeypatch):
    real = engine.all_rules()
    monkeypatch.setattr(engine, "all_rules", lambda: real + (_Raises,))
    with pytest.raises(AssertionError, match="LE998 raised on this case"):
        check_case(_Raises, Case({"wsgi.py": "application = None\n"}), "near_miss", tmp_path)


def test_a_wrong_fixed_text_fails(tmp_path):
    from analyzer.rules.requirements.le406_requirement_not_on_pypi import RequirementNotOnPypi as rule

    case = next(c for c in rule.fires if c.fixed)
    wrong = Case(case.files, case.expect, config=case.config, fixed={k: v + "# not what --fix writes\n" for k, v in case.fixed.items()})
    with pytest.raises(AssertionError, match="after --fix"):
        check_case(rule, wrong, "fires", tmp_path)


def test_every_rule_that_fixes_has_a_case_with_the_fixed_text():
    """A rule that fixes (`fixable`, checked against its examples below) shows, in at least one case,
    what the fix writes."""
    assert [r.code for r in all_rules() if r.fixable and not any(c.fixed for c in r.fires)] == []


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_fixable_matches_the_fixes_of_the_examples(rule, tmp_path):
    """`fixable` (shown by `lean-lint rules`) is true exactly for the rules whose examples get a fix."""
    fixed = False
    for i, case in enumerate(rule.fires):
        write_project(tmp_path / str(i), case.files)
        select = None if "select" in case.config else (rule.code,)
        report = run(tmp_path / str(i), select=select, config=case.config)
        fixed |= any(f.fix is not None for f in report.findings if f.code == rule.code)
    assert rule.fixable == fixed
