"""Shared by the requirements rules (LE401-LE407)."""

from __future__ import annotations

from analyzer.model.requirements import (
    RequirementEntry,
    entry_lines,
    project_requirements,
)
from analyzer.rules.base import ProjectRule
from analyzer.types import Edit, Fix

_NO_REQUIRE = {"leanengine.yaml": "install:\n  - {require: [base.txt]}\n  - {use: default}\n"}


class _ReaderProblems(ProjectRule):
    """LE402 and LE403 come from the requirements reader, which finds them while reading."""

    def check(self, project) -> None:
        if not project.python_applies:
            return
        for problem in project_requirements(project).problems:
            if problem.code == self.code:
                self.report_at(problem.path, problem.span, problem.message, hint=problem.hint,
                               severity=problem.severity)


def _bound_fix(project, entry: RequirementEntry, suggestion: str) -> Fix | None:
    """Replace the requirement's text with the bounded form (a bound at the major pip resolves
    today, so the fix changes nothing that installs now), when the requirement is the exact text at
    its span on one line. Markers, extras, hashes and comments are kept: the suggestion only
    inserts the bound."""
    if entry_lines(project, entry) is None:
        return None
    return Fix(f"Bound the major version: `{suggestion}`", (Edit(entry.path, entry.span, suggestion),))
