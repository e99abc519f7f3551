"""Which Python the platform runs for a project: `.python-version`, else the platform's default.

The facts and the reading of a version word live here; analyzer/model/target.py reads the project's
file.

lean-cli reads `.python-version` at the build root as raw bytes and refuses the deploy unless they
start exactly with `2.` or `3.`; the build then installs that version with pyenv, which reads the
first line (pyenv allows several versions, one a line). Without the file the platform installs the
latest stable CPython (Python 2.7 for groups created before 2021-09-02, which lean-lint cannot see).

The target decides which syntax is valid (see analyzer/readers/syntax_versions.py and analyzer/readers/python2.py).
A file the deploy refuses (LE601/LE602) still gets a target: the version its first word carries
(`pypy3.10` -> 3.10, `python-3.10.4` -> 3.10), else the default, so the code is checked against the
version the user most likely meant while LE601/LE602 report the file itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


PYTHON_VERSION = ".python-version"

#: The platform's default without `.python-version`: "the latest stable CPython". This is the newest
#: CPython whose syntax lean-lint knows (analyzer/readers/syntax_versions.py); raise both together.
DEFAULT_VERSION = (3, 14)

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
LANGUAGE_VERSION_RE = re.compile(
    r"^(?:pypy(\d\.\d+)|(?:stackless|cinder|nogil|activepython)-(\d\.\d+(?:\.\d+)?))", re.I
)
#: A `2.x` / `3.x` version inside a longer word (`python-3.10.4`, `v3.10`).
EMBEDDED_VERSION_RE = re.compile(r"(?<![\d.])([23]\.\d+(?:\.\d+)?)(?![\d])")
_LEADING_VERSION_RE = re.compile(r"([23])\.(\d{1,3})(?!\d)")


def other_implementation(token: str) -> str | None:
    lowered = token.lower()
    for prefix, label in OTHER_IMPLEMENTATIONS:
        if lowered.startswith(prefix):
            return label
    return None


@dataclass(frozen=True)
class PythonTarget:
    """The Python version a project's code must parse under."""

    version: tuple[int, int]
    #: The `.python-version` the version comes from, or None for the platform's default.
    source: str | None = None

    @property
    def label(self) -> str:
        return f"{self.version[0]}.{self.version[1]}"

    @property
    def python2(self) -> bool:
        return self.version[0] == 2

    @property
    def asked(self) -> str:
        """How a message names the target: "`.python-version` asks for 3.8"."""
        if self.source is None:
            return f"lean-lint assumes {self.label}, the platform's default without `.python-version`"
        return f"`.python-version` asks for {self.label}"

    @property
    def key(self) -> str:
        """What cache keys carry: every result that depends on the target."""
        return self.label


DEFAULT_TARGET = PythonTarget(DEFAULT_VERSION)


def version_of(token: str) -> tuple[int, int] | None:
    """The (major, minor) a `.python-version` word asks for, in the forms pyenv and lean-cli take:
    `3.10`, `3.10.4`, `3.13t`, `3.11-dev`, `2.7.18`; `2.` alone is 2.7 (the only Python 2 the platform
    installs). Words the deploy refuses give the version they carry (`pypy3.10`, `python-3.10.4`);
    `system`, a virtualenv name or a bare `3` give None."""
    match = _LEADING_VERSION_RE.match(token)
    if match:
        return int(match.group(1)), int(match.group(2))
    if token == "2.":
        return (2, 7)
    language = LANGUAGE_VERSION_RE.match(token)
    found = (language.group(1) or language.group(2)) if language else None
    if found is None:
        embedded = EMBEDDED_VERSION_RE.search(token)
        found = embedded.group(1) if embedded else None
    if found is None:
        return None
    major, minor = found.split(".")[:2]
    return (int(major), int(minor)) if len(minor) <= 3 else None
