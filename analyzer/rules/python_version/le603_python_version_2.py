"""LE603 python-version-2."""

from __future__ import annotations

from analyzer.rules.base import ProjectRule
from analyzer.rules.python_version._python_version import (
    EXAMPLE_VERSION,
    read_version_file,
)
from analyzer.types import FILE_START, Case, Severity


class PythonVersion2(ProjectRule):
    code = "LE603"
    name = "python-version-2"
    severity = Severity.WARNING
    summary = "`.python-version` asks for Python 2."
    why = (
        "The platform installs the Python 2 interpreter `.python-version` asks for, but Python 2.7 "
        "reached its end of life in 2020: no security fixes, and current libraries, including the "
        "leancloud SDK 3.x (Python 3.6 or later), no longer install on it."
    )
    example = Case(
        {
            ".python-version": "2.7\n",
        },
        (".python-version:1:1",),
    )
    fix = "Port the app to Python 3 and write a Python 3 version, e.g. `3.12`."
    tags = ("python-version",)
    fires = (
        Case(
            {".python-version": "2.7\n"},
            (".python-version:1:1: `.python-version` asks for Python `2.7`: Python 2 reached its end of life in "
             "2020 and the leancloud SDK 3.x needs Python 3.6 or later; port the app to Python 3 and write a "
             "version such as `3.12`",),
        ),
        Case({".python-version": "2.7.18\n3.10\n"}, (".python-version:1:1",)),
    )
    near_misses = (
        Case({".python-version": "3.10\n"}),
        Case({".python-version": " 2.7\n"}, note="LE602: refused before anything is installed"),
        Case({".python-version": "pypy2.7-7.3.1\n"}, note="LE601"),
        Case({".python-version": "3.12\n2.7\n"}),
        Case({".python-version": "2.7\n", "leanengine.yaml": "runtime: nodejs\n"}),
    )

    def check(self, project) -> None:
        if not project.python_applies:
            return
        vf = read_version_file(project)
        if vf is None or vf.data is None or not vf.data.startswith(b"2."):
            return
        self.report_at(
            vf.path,
            FILE_START,
            f"`.python-version` asks for Python `{vf.first_token}`: Python 2 reached its end of life in 2020 and "
            "the leancloud SDK 3.x needs Python 3.6 or later; port the app to Python 3 and write a version such as "
            f"`{EXAMPLE_VERSION}`",
        )
