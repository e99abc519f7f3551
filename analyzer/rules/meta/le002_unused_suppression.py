"""LE002 unused-suppression."""

from __future__ import annotations

from analyzer.rules.base import Rule
from analyzer.types import Case, Severity


class UnusedSuppression(Rule):
    code = "LE002"
    name = "unused-suppression"
    severity = Severity.WARNING
    precision = "very-high"
    fixable = True
    summary = "A `# lean-lint: ignore[...]` comment that suppressed nothing."
    why = (
        "A suppression outlives the problem it hid: once the code is fixed, a stale comment silently "
        "hides the next real finding on that line. This is not a platform fact but lean-lint's own "
        "hygiene, as ruff's RUF100 is."
    )
    example = Case(
        {
            "requirements.txt": "leancloud>=2.9.1,<3.0.0  # lean-lint: ignore[LE401]\n",
        },
        ("requirements.txt:1:26",),
        config={"select": ["LE401", "LE002"]},
    )
    fix = "Remove the comment (`lean-lint --fix` does), or the codes in it that no longer apply."
    tags = ("lean-lint",)
    fires = (
        Case(
            {"a.py": "x = 1  # lean-lint: ignore[LE001]\n"},
            ("a.py:1:8: `# lean-lint: ignore[LE001]` suppresses nothing: no LE001 finding here",),
            config={"select": ["LE001", "LE002"]},
            fixed={
                "a.py": "x = 1\n",
            },
        ),
        Case(
            {"a.py": "x = (  # lean-lint: ignore[LE001, LE003]\n"},
            ("a.py:1:8: `# lean-lint: ignore[LE001, LE003]`: LE003 suppresses nothing here",),
            config={"select": ["LE001", "LE002", "LE003"]},
        ),
    )
    near_misses = (
        Case({"a.py": "x = (  # lean-lint: ignore[LE001]\n"}, config={"select": ["LE001", "LE002"]}),
        Case({"a.py": "x = 1  # lean-lint: ignore[LE001]\n"}, note="LE001 did not run, so the comment may be needed"),
        Case({"a.py": "s = '# lean-lint: ignore[LE001]'\n"}, config={"select": ["LE001", "LE002"]}, note="not a comment"),
    )
