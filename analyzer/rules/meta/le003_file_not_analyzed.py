"""LE003 file-not-analyzed."""

from __future__ import annotations

from analyzer.rules.base import Rule
from analyzer.types import Severity


class FileNotAnalyzed(Rule):
    code = "LE003"
    name = "file-not-analyzed"
    severity = Severity.WARNING
    summary = "A file could not be read (too large, unreadable, not a regular file), so it was not analyzed."
    why = (
        "lean-lint only reads regular files up to a size limit; anything else is skipped rather than "
        "risk a hang. Whatever that file holds was not checked."
    )
    fix = "Check the file by hand, or exclude it in `[tool.lean-lint] exclude` if it is not code."
    tags = ("lean-lint",)
