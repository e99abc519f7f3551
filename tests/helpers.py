"""Shared test helpers: build a project in a temporary directory and analyze it."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path
from typing import Mapping

from analyzer.readers.config import Config, from_table
from analyzer.engine.run import analyze
from analyzer.types import Report


def write_project(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            if content.startswith("\n"):
                content = textwrap.dedent(content[1:])
            path.write_text(content, encoding="utf-8")
    return root


def run(root: Path, select: tuple[str, ...] | None = None, config: Mapping | None = None,
        resolve: bool = False) -> Report:
    cfg = from_table(dict(config), "test config") if config else Config()
    if resolve:
        cfg = dataclasses.replace(cfg, resolve=True)
    return analyze(root, select=select, config=cfg)


def located(report: Report, code: str | None = None, with_message: bool = False) -> list[str]:
    out = []
    for f in report.active:
        if code is None or f.code == code:
            item = f"{f.path}:{f.line}:{f.column}"
            if with_message:
                item += f": {f.message}"
            out.append(item)
    return out


#: The notice of a Python project without `.python-version` (the version lean-lint assumes).
NO_PIN = (
    "no `.python-version`: lean-lint checks the code as Python 3.14, the latest stable CPython, which the "
    "platform installs without it (groups created before 2021-09-02 get Python 2.7 instead); write "
    "`.python-version` to choose"
)


def pyenv_python(version: str) -> str | None:
    """The newest pyenv CPython whose version starts with `version` ("3.8", "2.7"), or None."""
    import glob
    import os

    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = sorted(glob.glob(os.path.join(root, "versions", f"{version}.*", "bin", "python")))
    return found[-1] if found else None


_COMPILE_EACH = (
    "import json, sys\n"
    "out = []\n"
    "for s in json.load(sys.stdin):\n"
    "    try:\n"
    "        compile(s, 'case', 'exec')\n"
    "        out.append(True)\n"
    "    except SyntaxError:\n"
    "        out.append(False)\n"
    "print(json.dumps(out))\n"
)


def compiles_with(python: str, sources: list[str]) -> list[bool]:
    """Whether that interpreter compiles each source (the ground truth for a version's syntax)."""
    import json
    import subprocess

    proc = subprocess.run([python, "-c", _COMPILE_EACH], input=json.dumps(sources), capture_output=True, text=True, timeout=60)
    return json.loads(proc.stdout)
