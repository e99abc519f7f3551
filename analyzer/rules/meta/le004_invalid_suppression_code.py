"""LE004 invalid-suppression-code."""

from __future__ import annotations

from analyzer.rules.base import Rule
from analyzer.types import Case, Severity


class InvalidSuppressionCode(Rule):
    code = "LE004"
    name = "invalid-suppression-code"
    severity = Severity.WARNING
    precision = "very-high"
    fixable = True
    summary = "A `# lean-lint: ignore[...]` comment names a code that is no lean-lint rule."
    why = (
        "A misspelt code (`LE7O2`, `le401`, `LE999`) suppresses nothing, so the comment looks like it "
        "silences a finding while the finding is still reported, or, once the code is fixed, hides "
        "a different one. Codes are written in upper case, as `lean-lint rules` prints them. This is "
        "lean-lint's own hygiene, as ruff's RUF102 is."
    )
    example = Case(
        {"requirements.txt": "leancloud>=2.9.1  # lean-lint: ignore[le401]\n", "wsgi.py": "application = None\n"},
        ("requirements.txt:1:39: `le401` in a suppression comment is not a rule code; did you mean `LE401`?",),
    )
    fix = (
        "Write the code as `lean-lint rules` lists it (`lean-lint --fix --unsafe-fixes` applies the "
        "suggested one), or remove it (`lean-lint --fix` does when there is no suggestion)."
    )
    tags = ("lean-lint",)
    fires = (
        Case(
            {"a.py": "x = 1  # lean-lint: ignore[LE999]\n"},
            ("a.py:1:28: `LE999` in a suppression comment is not a lean-lint rule code",),
            fixed={"a.py": "x = 1\n"},
        ),
        Case(
            {"a.py": "x = 1  # lean-lint: ignore[LE001, LE999]  # keep\n"},
            ("a.py:1:35",),
            fixed={"a.py": "x = 1  # lean-lint: ignore[LE001]  # keep\n"},
        ),
        Case(
            {"a.py": "x = 1  # lean-lint: ignore[LE001, LE7O2, le401]\n"},
            (
                "a.py:1:35: `LE7O2` in a suppression comment is not a rule code; did you mean `LE702`?",
                "a.py:1:42: `le401` in a suppression comment is not a rule code; did you mean `LE401`?",
            ),
        ),
        Case(
            {"requirements.txt": "flask  # lean-lint: ignore-file[LE9]\n", "wsgi.py": "application = None\n"},
            ("requirements.txt:1:33: `LE9` in a suppression comment is not a lean-lint rule code",),
        ),
    )
    near_misses = (
        Case({"a.py": "x = 1  # lean-lint: ignore[LE001, LE2, LE]\n"}, note="codes and prefixes of rules"),
        Case({"a.py": "x = 1  # lean-lint: ignore\n"}),
        Case({"a.py": "s = '# lean-lint: ignore[LE999]'\n"}, note="not a comment"),
    )
