"""LE602 python-version-refused."""

from __future__ import annotations

import re

from analyzer.rules.base import ProjectRule
from analyzer.rules.python_version._python_version import (
    EMBEDDED_VERSION_RE,
    EXAMPLE_VERSION,
    _strip_fix,
    other_implementation,
    read_version_file,
)
from analyzer.types import FILE_START, Case, Severity


class PythonVersionRefused(ProjectRule):
    code = "LE602"
    name = "python-version-refused"
    severity = Severity.ERROR
    fixable = True
    summary = "`.python-version` does not start exactly with `2.` or `3.`, so lean-cli refuses the deploy."
    why = (
        "lean-cli checks that the raw content of `.python-version` starts with `2.` or `3.` and "
        "refuses the deploy otherwise (\"错误的 pyenv 版本\"). A leading space or blank line, a UTF-8 "
        "byte order mark (which some Windows editors add), pyenv's `system`, a bare `3`, `python-3.10` "
        "or an empty file all fail, although pyenv itself may accept some of them. Other "
        "implementations (`pypy3.10`) are LE601."
    )
    example = Case(
        {
            ".python-version": "python-3.10\n",
        },
        (".python-version:1:1",),
    )
    fix = "Write only the version, at the very start of the file: `3.10`."
    tags = ("python-version",)
    fires = (
        Case(
            {".python-version": " 3.10\n"},
            (".python-version:1:1: lean-cli refuses to deploy: `.python-version` must start with `2.` or `3.`, "
             "but it starts with whitespace; write `3.10` at the start of the file",),
            fixed={
                ".python-version": "3.10\n",
            },
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
