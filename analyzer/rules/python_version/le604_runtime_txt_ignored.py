"""LE604 runtime-txt-ignored."""

from __future__ import annotations

import re

from analyzer.readers.python import UnreadableFile
from analyzer.rules.base import ProjectRule
from analyzer.rules.python_version._python_version import (
    EXAMPLE_VERSION,
    PYTHON_VERSION,
    RUNTIME_TXT,
)
from analyzer.types import FILE_START, Case, Edit, Fix, Severity, Span


class RuntimeTxtIgnored(ProjectRule):
    code = "LE604"
    name = "runtime-txt-ignored"
    severity = Severity.WARNING
    fixable = True
    summary = "runtime.txt without `.python-version`: the platform ignores runtime.txt."
    why = (
        "runtime.txt (`python-3.10.4`) is Heroku's way to choose a Python version. The platform reads "
        "only pyenv's `.python-version`; without it, it installs the latest stable CPython (2.7 for "
        "groups created before 2021-09-02), whatever runtime.txt says."
    )
    example = Case(
        {
            "runtime.txt": "runtime.txt: python-3.10.4\n",
        },
        ("runtime.txt:1:1",),
    )
    fix = "Create `.python-version` with the version alone, e.g. `3.10.4`."
    tags = ("python-version",)
    fires = (
        Case(
            {"runtime.txt": "python-3.10.4\n", "wsgi.py": ""},
            ("runtime.txt:1:1: the platform ignores runtime.txt (Heroku's format) and, without `.python-version`, "
             "installs the latest stable CPython instead of `python-3.10.4`; create `.python-version` containing "
             "`3.10.4`",),
            fixed={
                ".python-version": "3.10.4\n",
            },
        ),
        Case(
            {"runtime.txt": "3.9 please\n"},
            ("runtime.txt:1:1: the platform ignores runtime.txt (Heroku's format) and, without `.python-version`, "
             "installs the latest stable CPython; create `.python-version` with the CPython version you want, such "
             "as `3.12`",),
        ),
        Case({"leanengine.yaml": "buildRoot: api\n", "api/runtime.txt": "python-3.11\n", "api/wsgi.py": ""},
             ("api/runtime.txt:1:1",)),
    )
    near_misses = (
        Case({"runtime.txt": "python-3.10.4\n", ".python-version": "3.10.4\n"}),
        Case({".python-version": "3.10\n"}),
        Case({"runtime.txt": "python-3.10.4\n", "leanengine.yaml": "runtime: nodejs\n"}),
        Case({"runtime.txt": "python-3.10.4\n", ".python-version": " 3.10\n"}, note="LE602 reports that file"),
    )

    def check(self, project) -> None:
        if not project.python_applies:
            return
        runtime = project.build_path(RUNTIME_TXT)
        if not project.is_file(runtime) or project.lstat(project.build_path(PYTHON_VERSION)) is not None:
            return
        try:
            text = project.read_text(runtime).lstrip("\ufeff")
        except UnreadableFile:
            text = ""
        first = text.strip().splitlines()[0].strip() if text.strip() else ""
        match = re.fullmatch(r"python-(\d+\.\d+(?:\.\d+)?)", first)
        if match:
            message = (
                "the platform ignores runtime.txt (Heroku's format) and, without `.python-version`, installs the "
                f"latest stable CPython instead of `{first}`; create `.python-version` containing `{match.group(1)}`"
            )
        else:
            message = (
                "the platform ignores runtime.txt (Heroku's format) and, without `.python-version`, installs the "
                "latest stable CPython; create `.python-version` with the CPython version you want, such as "
                f"`{EXAMPLE_VERSION}`"
            )
        fix = None
        if match:
            version = match.group(1)
            fix = Fix(
                f"Create `.python-version` containing `{version}`",
                (Edit(project.build_path(PYTHON_VERSION), Span(1, 1, 1, 1), f"{version}\n"),),
            )
        self.report_at(runtime, FILE_START, message, fix=fix)
