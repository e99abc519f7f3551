"""LE000 internal-error."""

from __future__ import annotations

from analyzer.rules.base import Rule
from analyzer.types import Severity


class InternalError(Rule):
    code = "LE000"
    name = "internal-error"
    severity = Severity.ERROR
    summary = "A lean-lint rule failed on a file; the other rules and files were still analyzed."
    why = (
        "A check that crashes tells you nothing about the deploy. lean-lint reports the failure as a "
        "finding instead of stopping, so one bug in one rule never hides every other result."
    )
    fix = "Report the message to lean-lint's issue tracker; `--ignore LE000` hides it meanwhile."
    tags = ("lean-lint",)
