"""LE601 python-version-not-cpython."""

from __future__ import annotations

from analyzer.rules.base import ProjectRule
from analyzer.rules.python_version._python_version import (
    LANGUAGE_VERSION_RE,
    EXAMPLE_VERSION,
    other_implementation,
    read_version_file,
)
from analyzer.types import FILE_START, Case, Severity


class PythonVersionNotCpython(ProjectRule):
    code = "LE601"
    name = "python-version-not-cpython"
    severity = Severity.ERROR
    summary = "`.python-version` names another Python implementation than CPython (PyPy, Jython, Anaconda...)."
    why = (
        "The platform runs CPython only: PyPy, Jython, IronPython, GraalPy and the other implementations "
        "and distributions pyenv knows are not supported, and lean-cli refuses a `.python-version` that "
        "does not start with `2.` or `3.`, so the deploy stops."
    )
    example = Case(
        {
            ".python-version": "pypy3.10-7.3.15\n",
        },
        (".python-version:1:1",),
    )
    fix = "Write the CPython version the app is tested with, e.g. `3.10`."
    tags = ("python-version",)
    fires = (
        Case(
            {".python-version": "pypy3.10-7.3.15\n"},
            (".python-version:1:1: `.python-version` asks for PyPy (`pypy3.10-7.3.15`), but the platform runs "
             "CPython only and lean-cli refuses the deploy; write `3.10`",),
        ),
        Case(
            {".python-version": "miniconda3-latest\n"},
            (".python-version:1:1: `.python-version` asks for Miniconda (`miniconda3-latest`), but the platform runs "
             "CPython only and lean-cli refuses the deploy; write a CPython version such as `3.12`",),
        ),
        Case({".python-version": "jython-2.7.2"}, (".python-version:1:1",)),
        Case({".python-version": "GraalPy-24.0.0\n"}, (".python-version:1:1",)),
        Case({".python-version": " pypy3.9\n"}, (".python-version:1:1",), note="LE601 only, not LE602 as well"),
        Case({"leanengine.yaml": "buildRoot: api\n", "api/.python-version": "stackless-3.7.5\n", "api/wsgi.py": ""},
             ("api/.python-version:1:1",)),
    )
    near_misses = (
        Case({".python-version": "3.10\n"}),
        Case({".python-version": "3.12.1\n"}),
        Case({".python-version": "2.7\n"}),
        Case({".python-version": "3.11\npypy3.10\n"}, note="lean-cli checks the start only"),
        Case({".python-version": "pypy3.10\n", "leanengine.yaml": "runtime: nodejs\n"}),
    )

    def check(self, project) -> None:
        if not project.python_applies:
            return
        vf = read_version_file(project)
        if vf is None or vf.data is None or vf.accepted:
            return
        token = vf.first_token
        label = other_implementation(token)
        if label is None:
            return
        match = LANGUAGE_VERSION_RE.match(token)
        version = (match.group(1) or match.group(2)) if match else None
        advice = f"write `{version}`" if version and version.startswith("3.") else (
            f"write a CPython version such as `{EXAMPLE_VERSION}`"
        )
        self.report_at(
            vf.path,
            FILE_START,
            f"`.python-version` asks for {label} (`{token}`), but the platform runs CPython only and lean-cli "
            f"refuses the deploy; {advice}",
        )
