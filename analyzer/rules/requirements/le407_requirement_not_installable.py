"""LE407 requirement-not-installable: what pip's resolver says of requirements.txt (`--resolve` only)."""

from __future__ import annotations

from analyzer.rules.base import ProjectRule
from analyzer.rules.requirements._resolve import project_resolution
from analyzer.types import Case, Severity


class RequirementNotInstallable(ProjectRule):
    code = "LE407"
    name = "requirement-not-installable"
    severity = Severity.ERROR
    #: Its examples run with `--resolve` (tests/test_rule_cases.py); they need no network (`--no-index`).
    online = True
    summary = "With `--resolve`: pip cannot install a requirement for the platform's Python on Linux x86_64."
    why = (
        "The deploy runs `pip install -r requirements.txt` for the Python version the app asks for "
        "(`.python-version`, else the platform's latest) on Linux x86_64. A line can be valid and still "
        "fail there: no distribution has that name on the index, no version of it supports that Python "
        "(Requires-Python) or matches the range asked for, or two requirements need conflicting versions "
        "of a third. With `--resolve` (or the Action's `resolve: true`), lean-lint runs pip's own "
        "resolver in a subprocess (`pip install --dry-run --report`, wheels only, so nothing is built or "
        "installed) and reports each such line. A distribution that has no wheel for the platform is a "
        "note: pip builds it from source during the deploy, which needs a compiler and the C libraries "
        "it links to (`systemDependencies` provides some). Without `--resolve`, this rule does nothing "
        "and lean-lint makes no network access."
    )
    example = Case(
        {"requirements.txt": "--no-index\npython-dateutils==2.8   # a typo: python-dateutil\n"},
        ("requirements.txt:2:1",),
        note="run with `lean-lint --resolve`; `--no-index` keeps the example offline",
    )
    fix = "Fix the name or the range, or choose the Python version with `.python-version`; for a conflict, loosen one of the ranges pip names."
    tags = ("requirements", "resolve")
    fires = (
        Case(
            {"requirements.txt": "--no-index\nno-such-distribution-here==1.0\n"},
            ("requirements.txt:2:1: `no-such-distribution-here==1.0`: the index has no distribution named "
             "no-such-distribution-here for Linux x86_64 and Python 3.13 (the platform's default) (no such name, or "
             "files for other platforms or Pythons only): pip stops with \"No matching distribution found\" and the "
             "install step fails",),
            note="--no-index: pip looks nowhere, so the example needs no network",
        ),
    )
    near_misses = (
        Case({"requirements.txt": "--no-index\n"}, note="nothing to resolve"),
        Case({"requirements.txt": "--no-index\n-e .\n", "setup.py": ""}, note="paths and URLs are not given to pip"),
        Case({"requirements.txt": "--no-index\nnope==1.0\n", "leanengine.yaml": "runtime: nodejs\n"}),
    )

    def check(self, project) -> None:
        resolution = project_resolution(project)
        if resolution is None:
            return
        for problem in resolution.problems:
            self.report_at(
                problem.entry.path, problem.entry.span, problem.message,
                severity=Severity.NOTE if problem.kind == "build" else None, hint=_HINTS[problem.kind],
            )


_HINTS = {
    "missing": "Check the name on the index (a typo, or a module name instead of the distribution's).",
    "python": "Choose a range with a version for that Python, or another Python in `.python-version`.",
    "range": "Widen the range to a version the index has.",
    "conflict": "Loosen one of the ranges pip names, so that one version satisfies both.",
    "build": "Prefer a version with a wheel for Linux x86_64, or make sure the build's libraries are there.",
}
