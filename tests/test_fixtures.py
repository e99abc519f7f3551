"""End-to-end: every project under tests/fixtures/ (and examples/) against its expected findings.

Each fixture directory holds `expected.txt` (the examples' live in tests/expected/, to keep the
examples clean): one finding per line, `path:line:col: CODE message`, in output order (an empty
file: no findings). `LEAN_LINT_UPDATE_FIXTURES=1 python -m pytest
tests/test_fixtures.py` rewrites them; review the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analyzer.readers.config import load_config
from analyzer.engine.run import analyze

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PROJECTS = sorted(
    [(p, p / "expected.txt") for p in (HERE / "fixtures").iterdir() if (p / "expected.txt").exists()]
    + [(p, HERE / "expected" / f"examples-{p.name}.txt") for p in (REPO / "examples").iterdir() if p.is_dir()]
)


def render(root: Path) -> str:
    report = analyze(root, config=load_config(root))
    return "".join(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}\n" for f in report.active)


@pytest.mark.parametrize("root,expected_file", PROJECTS, ids=[f"{r.parent.name}/{r.name}" for r, _ in PROJECTS])
def test_project(root, expected_file):
    actual = render(root)
    if os.environ.get("LEAN_LINT_UPDATE_FIXTURES"):
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")


def test_clean_example_has_no_findings():
    assert render(REPO / "examples" / "clean") == ""
