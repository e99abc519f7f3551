"""Value types shared by the engine, the rules and the output formats.

Everything here is a small immutable dataclass or enum, so findings can be hashed, sorted, cached and
compared in tests without surprises.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Iterable, Mapping


class Severity(enum.IntEnum):
    """How bad a finding is. Ordered, so `--fail-on warning` means `severity >= WARNING`."""

    NOTE = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or note)") from None


@dataclass(frozen=True)
class Span:
    """A region of a file. Lines and columns are 1-based; `end_column` is exclusive."""

    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def __post_init__(self) -> None:
        if self.end_line is None:
            object.__setattr__(self, "end_line", self.line)
        if self.end_column is None:
            object.__setattr__(
                self, "end_column", self.column + 1 if self.end_line == self.line else 1
            )


FILE_START = Span(1, 1, 1, 1)


@dataclass(frozen=True)
class Edit:
    """Replace the text in `span` (end exclusive; an empty span inserts) of `path` with `text`."""

    path: str
    span: Span
    text: str


@dataclass(frozen=True)
class Fix:
    """A change that resolves a finding. `safe` fixes are applied by `--fix`; the others only with
    `--unsafe-fixes`, because they may change what the code means."""

    description: str
    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(frozen=True)
class RelatedLocation:
    """Another place a finding is about, such as the first of two lines that clash (SARIF's
    `relatedLocations`; `path` relative to the analyzed directory, as a finding's)."""

    path: str
    span: Span
    message: str = ""


@dataclass(frozen=True)
class Finding:
    """One problem at one place.

    `path` is relative to the directory lean-lint was asked to analyze, in POSIX form.
    `suppressed` is set by an inline `# lean-lint: ignore` comment: suppressed findings are not
    reported or counted, but SARIF keeps them (GitHub shows them as dismissed in source).
    `baselined` likewise for findings recorded in a baseline file.
    """

    code: str
    severity: Severity
    message: str
    path: str
    span: Span = FILE_START
    hint: str = ""
    suppressed: bool = False
    fingerprint: str = ""
    fix: Fix | None = None
    #: In the baseline given with `--baseline`: not reported; SARIF marks it suppressed (external).
    baselined: bool = False
    #: The other places the finding names (the line a duplicate repeats).
    related: tuple[RelatedLocation, ...] = ()

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.code, self.message)


@dataclass(frozen=True)
class Case:
    """An example a rule must handle: a tiny project and the findings the rule gives on it.

    `files` maps POSIX paths to contents. A `str` value that starts with a newline is dedented, so
    examples can be written as indented triple-quoted strings. `expect` lists the findings of the rule
    under test, each as `"path:line:col"` or `"path:line:col: exact message"`; an empty `expect`
    marks a near miss that must stay quiet. `fixed` maps each file `lean-lint --fix` changes to its
    whole expected text afterwards (dedented like `files`); applying the fixes again must change
    nothing. The one harness in tests/test_rule_cases.py runs them all, with LE000 (a rule that
    raised) visible: a rule that crashes fails its near misses too.
    """

    files: Mapping[str, str | bytes]
    expect: tuple[str, ...] = ()
    note: str = ""
    config: Mapping[str, object] = field(default_factory=dict)
    fixed: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleInfo:
    """What the outputs know of a rule: its metadata and the text `lean-lint explain` prints."""

    code: str
    name: str
    severity: Severity
    summary: str
    why: str
    tags: tuple[str, ...] = ()
    security_severity: str | float | None = None
    docs_text: str = ""
    docs_markdown: str = ""
    docs_url: str = ""
    #: How often a finding is right: GitHub's `precision` (very-high, high, medium, low).
    precision: str = "high"


def count_by_severity(findings: "Iterable[Finding]") -> dict[str, int]:
    """{"error": n, "warning": n, "note": n} over unsuppressed findings."""
    out = {"error": 0, "warning": 0, "note": 0}
    for f in findings:
        if not f.suppressed:
            out[f.severity.label] += 1
    return out


@dataclass(frozen=True)
class Report:
    """The result of a run, everything an output format needs and nothing it must fetch itself: the
    formats neither import rules nor read the project's files.

    `findings` include the suppressed and baselined ones (SARIF keeps them); `rules` are the rules
    that ran plus the rule of any finding among them; `line_hashes` maps (path, line) of each finding
    to GitHub's `primaryLocationLineHash` of that line in the file as it is on disk."""

    root: str
    rules: tuple[RuleInfo, ...]
    findings: tuple[Finding, ...] = ()
    notices: tuple[str, ...] = ()
    #: (hits, misses) of the cache when one was used.
    cache_stats: tuple[int, int] | None = None
    line_hashes: Mapping[tuple[str, int], str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if not (f.suppressed or f.baselined)]

    def counts(self) -> dict[str, int]:
        return count_by_severity(self.active)
