"""The project's target Python, read once per run from `.python-version` at the build root.

What the versions mean is platform data (analyzer/platform/python_target.py); this module reads the
file as lean-cli does (raw bytes) and gives the PythonTarget every Python file is parsed for.
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.platform.python_target import DEFAULT_TARGET, PYTHON_VERSION, PythonTarget, version_of
from analyzer.readers.python import UnreadableFile


@dataclass
class VersionFile:
    """`.python-version` as lean-cli sees it."""

    path: str
    data: bytes | None  # None when it cannot be read
    unreadable: str = ""

    @property
    def accepted(self) -> bool:
        return self.data is not None and self.data.startswith((b"2.", b"3."))

    @property
    def first_token(self) -> str:
        text = (self.data or b"").decode("utf-8", errors="replace").lstrip("\ufeff")
        words = text.split()
        return words[0] if words else ""


def read_version_file(project) -> VersionFile | None:
    rel = project.build_path(PYTHON_VERSION)
    if project.lstat(rel) is None:
        return None
    try:
        return VersionFile(rel, project.read_bytes(rel))
    except UnreadableFile as exc:
        return VersionFile(rel, None, str(exc))


def python_target(project) -> PythonTarget:
    """The project's target, read once per run."""
    cached = project.target_python
    if cached is None:
        vf = read_version_file(project)
        version = version_of(vf.first_token) if vf is not None and vf.data is not None else None
        if version is None:
            cached = DEFAULT_TARGET
        else:
            cached = PythonTarget(version, vf.path if vf is not None else None)
        project.target_python = cached
    return cached


def default_notice(project) -> str | None:
    """The notice for a Python project without `.python-version` (None when it has one)."""
    if python_target(project).source is not None or read_version_file(project) is not None:
        return None
    return (
        f"no `{project.build_path(PYTHON_VERSION)}`: lean-lint checks the code as Python {DEFAULT_TARGET.label}, "
        "the latest stable CPython, which the platform installs without it (groups created before 2021-09-02 "
        "get Python 2.7 instead); write `.python-version` to choose"
    )
