"""Concise messages (#16): a finding's message states the problem and the platform fact in one line,
and its fix line does not repeat it; the long explanation lives in `lean-lint explain`.

Measured over every message the rules' own firing examples produce (the harness in
test_rule_cases.py pins each of them), so a new rule or a longer wording shows up here."""

from __future__ import annotations

import statistics
from difflib import SequenceMatcher

import pytest

from analyzer.engine.registry import all_rules
from tests.helpers import run, write_project

#: The message length (characters) the median stays under, and the longest allowed (paths, names and
#: the user's own text make some longer).
MEDIAN_LIMIT = 100
MAX_LIMIT = 230
#: A fix line sharing this many consecutive characters with its message repeats it.
REPEAT = 40


@pytest.fixture(scope="module")
def case_findings(tmp_path_factory):
    found = []
    for rule in all_rules():
        for i, case in enumerate(rule.fires):
            root = tmp_path_factory.mktemp(f"{rule.code}-{i}")
            write_project(root, case.files)
            select = None if "select" in case.config else (rule.code,)
            found += [f for f in run(root, select=select, config=case.config).active if f.code == rule.code]
    return found


def test_messages_are_one_short_line(case_findings):
    lengths = sorted(len(f.message) for f in {(f.code, f.message): f for f in case_findings}.values())
    assert len(lengths) > 150  # every rule's examples were measured
    assert statistics.median(lengths) < MEDIAN_LIMIT, statistics.median(lengths)
    assert max(lengths) <= MAX_LIMIT, [f.message for f in case_findings if len(f.message) == max(lengths)]
    assert not [f.message for f in case_findings if "\n" in f.message]


def test_the_fix_line_does_not_repeat_the_message(case_findings):
    repeated = []
    for f in case_findings:
        if not f.hint:
            continue
        a, b = f.message.lower(), f.hint.lower()
        match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
        if match.size >= REPEAT:
            repeated.append((f.code, a[match.a : match.a + match.size]))
    assert repeated == []
