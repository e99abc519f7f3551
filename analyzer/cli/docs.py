"""The README's rule table, generated from the rules themselves so it cannot drift.

`python -m analyzer.cli.docs` rewrites the block between the rules-table markers in README.md;
tests/test_docs.py fails when the README is out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from analyzer.engine.registry import all_rules

START, END = "<!-- rules-table-start -->", "<!-- rules-table-end -->"


def rules_table() -> str:
    rows = ["| code | name | severity | what it reports |", "|---|---|---|---|"]
    for rule in all_rules():
        summary = rule.summary.replace("|", "\\|")
        rows.append(f"| {rule.code} | `{rule.name}` | {rule.severity.label} | {summary} |")
    return "\n".join(rows)


def update_readme(text: str) -> str:
    block = f"{START}\n{rules_table()}\n{END}"
    return re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, text, flags=re.DOTALL)


def main() -> int:
    readme = Path(__file__).resolve().parents[2] / "README.md"
    readme.write_text(update_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
