"""Shared by the python_version rules (LE601, LE602, LE603, LE604)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzer.readers.python import UnreadableFile, decode_text
from analyzer.types import Edit, Fix, Span

PYTHON_VERSION = ".python-version"


RUNTIME_TXT = "runtime.txt"


EXAMPLE_VERSION = "3.12"


#: pyenv's names of other Python implementations and distributions, by prefix (lowercase).
OTHER_IMPLEMENTATIONS = (
    ("pypy", "PyPy"),
    ("jython", "Jython"),
    ("ironpython", "IronPython"),
    ("graalpython", "GraalPy"),
    ("graalpy", "GraalPy"),
    ("micropython", "MicroPython"),
    ("stackless", "Stackless Python"),
    ("anaconda", "Anaconda"),
    ("miniconda", "Miniconda"),
    ("mambaforge", "Mambaforge"),
    ("miniforge", "Miniforge"),
    ("pyston", "Pyston"),
    ("activepython", "ActivePython"),
    ("cinder", "Cinder"),
    ("nogil", "nogil Python"),
)


#: Implementations whose name carries the Python language version they implement.
_LANGUAGE_VERSION_RE = re.compile(
    r"^(?:pypy(\d\.\d+)|(?:stackless|cinder|nogil|activepython)-(\d\.\d+(?:\.\d+)?))", re.I
)


_EMBEDDED_VERSION_RE = re.compile(r"(?<![\d.])([23]\.\d+(?:\.\d+)?)(?![\d])")


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


def other_implementation(token: str) -> str | None:
    lowered = token.lower()
    for prefix, label in OTHER_IMPLEMENTATIONS:
        if lowered.startswith(prefix):
            return label
    return None


def _strip_fix(path: str, data: bytes) -> Fix | None:
    """LE602's fix: delete the BOM and blanks before the version, when a `2.`/`3.` version follows.
    None for a UTF-16 or UTF-32 file: a fix keeps the file's encoding, and lean-cli reads bytes, so
    no edit of its text can make it start with `3.` (the file has to be saved as UTF-8)."""

    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return None
    text = decode_text(data)
    start = len(text) - len(text.lstrip("\ufeff \t\n"))
    if start == 0 or not text[start:].startswith(("2.", "3.")):
        return None
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Fix("Remove what comes before the version", (Edit(path, Span(1, 1, line, column), ""),))
