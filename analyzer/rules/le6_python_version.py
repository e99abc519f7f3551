"""LE601-LE604: which Python the platform installs (`.python-version`, and runtime.txt it ignores).

lean-cli reads `.python-version` at the build root as raw bytes and refuses the deploy unless they start
exactly with `2.` or `3.` (`strings.HasPrefix`): a BOM, a leading space or blank line, `system`, a bare
`3` or an implementation name fail. Only the start is checked, so a pyenv file with several versions, one
a line, passes when its first line does. These findings are about the whole file: they point at 1:1.
"""

from __future__ import annotations

import re

from analyzer.ftypes import FILE_START, Case, Edit, Fix, Severity, Span
from analyzer.platform.python_target import (
    EMBEDDED_VERSION_RE,
    LANGUAGE_VERSION_RE,
    PYTHON_VERSION,
    VersionFile,
    other_implementation,
    read_version_file,
)
from analyzer.rules.base import ProjectRule
from analyzer.sources import UnreadableFile

__all__ = ["PYTHON_VERSION", "VersionFile", "other_implementation", "read_version_file"]

RUNTIME_TXT = "runtime.txt"
EXAMPLE_VERSION = "3.12"


class OtherImplementation(ProjectRule):
    code = "LE601"
    name = "python-version-not-cpython"
    severity = Severity.ERROR
    summary = "`.python-version` names another Python implementation than CPython (PyPy, Jython, Anaconda...)."
    why = (
        "The platform runs CPython only: PyPy, Jython, IronPython, GraalPy and the other implementations "
        "and distributions pyenv knows are not supported, and lean-cli refuses a `.python-version` that "
        "does not start with `2.` or `3.`, so the deploy stops."
    )
    example = "pypy3.10-7.3.15"
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


class RefusedPythonVersion(ProjectRule):
    code = "LE602"
    name = "python-version-refused"
    severity = Severity.ERROR
    summary = "`.python-version` does not start exactly with `2.` or `3.`, so lean-cli refuses the deploy."
    why = (
        "lean-cli checks that the raw content of `.python-version` starts with `2.` or `3.` and "
        "refuses the deploy otherwise (\"错误的 pyenv 版本\"). A leading space or blank line, a UTF-8 "
        "byte order mark (which some Windows editors add), pyenv's `system`, a bare `3`, `python-3.10` "
        "or an empty file all fail, although pyenv itself may accept some of them. Other "
        "implementations (`pypy3.10`) are LE601."
    )
    example = "python-3.10"
    fix = "Write only the version, at the very start of the file: `3.10`."
    tags = ("python-version",)
    fires = (
        Case(
            {".python-version": " 3.10\n"},
            (".python-version:1:1: lean-cli refuses to deploy: `.python-version` must start with `2.` or `3.`, "
             "but it starts with whitespace; write `3.10` at the start of the file",),
        ),
        Case(
            {".python-version": b"\xef\xbb\xbf3.11\n"},
            (".python-version:1:1: lean-cli refuses to deploy: `.python-version` must start with `2.` or `3.`, "
             "but it starts with a UTF-8 byte order mark (BOM); write `3.11` at the start of the file",),
        ),
        Case(
            {".python-version": "system\n"},
            (".python-version:1:1: lean-cli refuses to deploy: `.python-version` must start with `2.` or `3.`, "
             "but it says `system` (pyenv's name for the machine's own Python, not a version); write a CPython "
             "version such as `3.12`",),
        ),
        Case(
            {".python-version": "3\n"},
            (".python-version:1:1: lean-cli refuses to deploy: `.python-version` must start with `2.` or `3.`, "
             "but it says `3`, without a minor version; write a CPython version such as `3.12`",),
        ),
        Case(
            {".python-version": ""},
            (".python-version:1:1: lean-cli refuses to deploy: `.python-version` must start with `2.` or `3.`, "
             "but it is empty; write a CPython version such as `3.12`",),
        ),
        Case(
            {".python-version": "python-3.10.4\n"},
            (".python-version:1:1: lean-cli refuses to deploy: `.python-version` must start with `2.` or `3.`, "
             "but it starts with `python-3.10.4`; write `3.10.4` at the start of the file",),
        ),
        Case({".python-version": b"\n3.10\n"}, (".python-version:1:1",),
             note="a blank first line (bytes: the harness dedents text that starts with a newline)"),
        Case({".python-version": "latest"}, (".python-version:1:1",)),
        Case({".python-version/x": ""}, (".python-version:1:1",), note="a directory"),
    )
    near_misses = (
        Case({".python-version": "3.10"}),
        Case({".python-version": "3.12.1\n"}),
        Case({".python-version": "2.7\n"}, note="LE603"),
        Case({".python-version": "3.13t\n"}),
        Case({".python-version": "3.9\n3.8\n"}),
        Case({".python-version": "pypy3.10-7.3.15\n"}, note="LE601 only"),
        Case({".python-version": "system\n", "leanengine.yaml": "runtime: static\n"}),
    )

    def check(self, project) -> None:
        if not project.python_applies:
            return
        vf = read_version_file(project)
        if vf is None or vf.accepted:
            return
        if vf.data is None:
            self.report_at(
                vf.path,
                FILE_START,
                f"lean-cli cannot read `.python-version` ({vf.unreadable}) and refuses to deploy; make it a file "
                f"holding a CPython version such as `{EXAMPLE_VERSION}`",
            )
            return
        token = vf.first_token
        if other_implementation(token):
            return  # LE601
        reason, version = self._diagnose(vf.data, token)
        advice = (
            f"write `{version}` at the start of the file"
            if version
            else f"write a CPython version such as `{EXAMPLE_VERSION}`"
        )
        self.report_at(
            vf.path,
            FILE_START,
            f"lean-cli refuses to deploy: `.python-version` must start with `2.` or `3.`, but {reason}; {advice}",
            fix=_strip_fix(vf.path, vf.data),
        )

    @staticmethod
    def _diagnose(data: bytes, token: str) -> tuple[str, str | None]:
        embedded = EMBEDDED_VERSION_RE.search(token)
        version = embedded.group(1) if embedded else None
        if not data.strip():
            return "it is empty", None
        if data.startswith(b"\xef\xbb\xbf"):
            return "it starts with a UTF-8 byte order mark (BOM)", version
        if data[:1].isspace():
            what = "a blank line" if data[:1] in (b"\n", b"\r") else "whitespace"
            return f"it starts with {what}", version
        if token == "system":
            return "it says `system` (pyenv's name for the machine's own Python, not a version)", None
        if re.fullmatch(r"[23]", token):
            return f"it says `{token}`, without a minor version", None
        shown = token if len(token) <= 30 else token[:27] + "..."
        return f"it starts with `{shown}`", version


class PythonTwo(ProjectRule):
    code = "LE603"
    name = "python-version-2"
    severity = Severity.WARNING
    summary = "`.python-version` asks for Python 2."
    why = (
        "The platform installs the Python 2 interpreter `.python-version` asks for, but Python 2.7 "
        "reached its end of life in 2020: no security fixes, and current libraries, including the "
        "leancloud SDK 3.x (Python 3.6 or later), no longer install on it."
    )
    example = "2.7"
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


class RuntimeTxtIgnored(ProjectRule):
    code = "LE604"
    name = "runtime-txt-ignored"
    severity = Severity.WARNING
    summary = "runtime.txt without `.python-version`: the platform ignores runtime.txt."
    why = (
        "runtime.txt (`python-3.10.4`) is Heroku's way to choose a Python version. The platform reads "
        "only pyenv's `.python-version`; without it, it installs the latest stable CPython (2.7 for "
        "groups created before 2021-09-02), whatever runtime.txt says."
    )
    example = "runtime.txt: python-3.10.4"
    fix = "Create `.python-version` with the version alone, e.g. `3.10.4`."
    tags = ("python-version",)
    fires = (
        Case(
            {"runtime.txt": "python-3.10.4\n", "wsgi.py": ""},
            ("runtime.txt:1:1: the platform ignores runtime.txt (Heroku's format) and, without `.python-version`, "
             "installs the latest stable CPython instead of `python-3.10.4`; create `.python-version` containing "
             "`3.10.4`",),
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


def _strip_fix(path: str, data: bytes) -> Fix | None:
    """LE602's fix: delete the BOM and blanks before the version, when a `2.`/`3.` version follows."""
    from analyzer.sources import decode_text

    text = decode_text(data)
    start = len(text) - len(text.lstrip("\ufeff \t\n"))
    if start == 0 or not text[start:].startswith(("2.", "3.")):
        return None
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Fix("Remove what comes before the version", (Edit(path, Span(1, 1, line, column), ""),))
