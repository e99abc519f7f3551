"""Shared by the requirements rules (LE401, LE402, LE403, LE404)."""

from __future__ import annotations

from analyzer.model.requirements import RequirementEntry, project_requirements
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
    """Replace the requirement's text with the bounded form, when the requirement is the exact text
    at its span on one line (a line continued with `\\` is left to the user). Markers, extras,
    hashes and comments outside or inside the requirement are kept: the suggestion only inserts
    the bound."""
    if entry.end_line != entry.line:
        return None
    try:
        lines = project.read_text(entry.path).splitlines()
    except Exception:  # noqa: BLE001 - unreadable now: no fix
        return None
    if entry.line > len(lines) or lines[entry.line - 1][entry.column - 1 : entry.end_column - 1] != entry.raw:
        return None
    return Fix(f"Bound the major version: `{suggestion}`", (Edit(entry.path, entry.span, suggestion),))
