"""LE406 requirement-not-on-pypi: the interpreter or a standard-library module as a requirement."""

from __future__ import annotations

from analyzer.model.requirements import (
    RequirementEntry,
    entry_lines,
    project_requirements,
)
from analyzer.model.target import python_target
from analyzer.platform.stdlib import (
    INTERPRETER_NAMES,
    stdlib_requirement_names,
    target_version,
)
from analyzer.rules.base import ProjectRule
from analyzer.types import Case, Edit, Fix, Severity, Span


class RequirementNotOnPypi(ProjectRule):
    code = "LE406"
    name = "requirement-not-on-pypi"
    severity = Severity.ERROR
    fixable = True
    summary = "A requirement names the Python interpreter or a standard-library module (`python==3.10`, `sqlite3`, `json`)."
    why = (
        "pip installs distributions from PyPI. The interpreter (`python`) and the standard library's "
        "modules (`json`, `sqlite3`, `hashlib`...) come with Python and are no distributions there, so "
        "pip stops with \"No matching distribution found\" and the deploy's install step fails. The "
        "standard library checked is the one of the Python version `.python-version` asks for (2.7, "
        "3.6 to 3.13, from `sys.stdlib_module_names` of each); without one, or for another version, "
        "only modules that every one of them has. Names that are also PyPI projects (`argparse`, "
        "`typing` and `dataclasses` backports, Zope's `datetime`) install and are not reported, nor "
        "are lines with an environment marker and lines of a `-c` constraints file."
    )
    example = Case(
        {
            "requirements.txt": """
                python==2.7.11
                sqlite3
                Flask>=2,<3
                """,
        },
        ("requirements.txt:1:1", "requirements.txt:2:1"),
    )
    fix = "Delete the line: the module comes with Python. Choose the interpreter's version with `.python-version`."
    tags = ("requirements",)
    fires = (
        Case(
            {"requirements.txt": "Flask>=2,<3\npython==2.7.11\n"},
            ("requirements.txt:2:1: `python==2.7.11` names the Python interpreter, which is no distribution on PyPI: "
             "pip stops with \"No matching distribution found for python\" and the install step fails; delete the "
             "line and choose the version with `.python-version`",),
        ),
        Case(
            {"requirements.txt": "# db\n  sqlite3  # builtin\nFlask>=2,<3\n"},
            ("requirements.txt:2:3: `sqlite3` is a module of Python's standard library, which is no distribution "
             "on PyPI: pip stops with \"No matching distribution found for sqlite3\" and the install step fails; "
             "delete the line",),
            fixed={"requirements.txt": "# db\nFlask>=2,<3\n"},
        ),
        Case(
            {"requirements.txt": "-r base.txt\n", "base.txt": "hashlib>=1.0\n",
             "leanengine.yaml": "install:\n  - {require: [base.txt]}\n  - {use: default}\n"},
            ("base.txt:1:1",),
        ),
        Case(
            {"requirements.txt": "tomllib\n", ".python-version": "3.11.7\n"},
            ("requirements.txt:1:1: `tomllib` is a module of the standard library of Python 3.11, which "
             "`.python-version` asks for, and no distribution on PyPI: pip stops with \"No matching distribution "
             "found for tomllib\" and the install step fails; delete the line",),
            note="a module only newer versions have: the target's standard library",
        ),
        Case({"requirements.txt": "Python3\n"}, ("requirements.txt:1:1",)),
        Case({"requirements.txt": "JSON==2.0.9\n"}, ("requirements.txt:1:1",), note="names are case-insensitive"),
    )
    near_misses = (
        Case({"requirements.txt": "argparse\ntyping\ndataclasses\nenum34\nconfigparser\ndatetime\n"},
             note="backports and other projects of the same name on PyPI install"),
        Case({"requirements.txt": "tomllib\n"}, note="3.11+ only: the target (unset) may be older"),
        Case({"requirements.txt": "tomllib\n", ".python-version": "3.10\n"}, note="not in 3.10's standard library"),
        Case({"requirements.txt": 'json; python_version < "2.6"\n'}, note="a marker decides"),
        Case({"requirements.txt": "-c c.txt\nFlask>=2,<3\n", "c.txt": "json==1\n"}, note="a constraint installs nothing"),
        Case({"requirements.txt": "python-dateutil>=2,<3\npython2\npysqlite3\n"}),
        Case({"requirements.txt": "sqlite3\n", "leanengine.yaml": "runtime: nodejs\n"}),
    )

    def check(self, project) -> None:
        for entry, what, tail in stdlib_requirements(project):
            self.report_at(
                entry.path, entry.span,
                f"`{entry.raw}` {what} no distribution on PyPI: pip stops with \"No matching distribution found for "
                f"{entry.name}\" and the install step fails; {tail}",
                hint="Delete the line: it comes with Python.",
                fix=_delete_line(project, entry),
            )


def stdlib_requirements(project) -> list[tuple[RequirementEntry, str, str]]:
    """The requirements naming the interpreter or a module of the target's standard library, each
    with what it is and what to do (LE401 leaves them to LE406)."""
    if not project.python_applies:
        return []
    target = python_target(project)
    # Unpinned: the platform's default may be newer than lean-lint's data, so only the modules
    # every version has are judged.
    version = target_version(target.label) if target.source is not None else None
    stdlib = stdlib_requirement_names(version)
    found = []
    for entry in project_requirements(project).requirements:
        if not entry.is_versioned or entry.marker_text or entry.normalized is None:
            continue
        if entry.normalized in INTERPRETER_NAMES:
            found.append((entry, "names the Python interpreter, which is",
                          "delete the line and choose the version with `.python-version`"))
        elif entry.normalized in stdlib:
            if version is not None and entry.normalized not in stdlib_requirement_names(None):
                what = (f"is a module of the standard library of Python {version}, which `.python-version` "
                        "asks for, and")
            else:
                what = "is a module of Python's standard library, which is"
            found.append((entry, what, "delete the line"))
    return found


def _delete_line(project, entry: RequirementEntry) -> Fix | None:
    """Delete the requirement's line, when the line holds it alone (no `\\` continuation either side)."""
    lines = entry_lines(project, entry)
    if lines is None:
        return None
    here = lines[entry.line - 1]
    before = lines[entry.line - 2] if entry.line > 1 else ""
    if here.rstrip().endswith("\\") or before.rstrip().endswith("\\"):
        return None
    return Fix(f"Delete `{entry.raw}`", (Edit(entry.path, Span(entry.line, 1, entry.line + 1, 1), ""),))
