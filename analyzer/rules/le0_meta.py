"""LE000-LE003: findings about lean-lint's own run (the engine reports these, not visitors)."""

from __future__ import annotations

from analyzer.ftypes import Case, Severity
from analyzer.rules.base import Rule


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


class ParseError(Rule):
    code = "LE001"
    name = "python-syntax-error"
    severity = Severity.ERROR
    summary = "A Python file cannot be parsed by the target Python (syntax error, newer syntax, undecodable bytes)."
    why = (
        "The platform imports wsgi.py, or runs the `run:` program, with the CPython `.python-version` asks "
        "for (the latest stable one without it). A module that does not parse under that version, "
        "including syntax newer than it (`match` under 3.8), makes the app die at startup, and the deploy "
        "is aborted when the health check never answers. With a 2.x version, Python 2 syntax is valid and "
        "the file must parse as Python 2. A file nothing that runs imports (an offline script, a vendored "
        "tool) does not stop the deploy: there it is a warning."
    )
    example = 'match event:  # with `.python-version` 3.8'
    fix = "Fix the syntax at the reported line for the target Python, or raise `.python-version`."
    tags = ("python",)
    fires = (
        Case({"wsgi.py": "application = (\n"}, ("wsgi.py:1:15: '(' was never closed",)),
        Case({"lib/old.py": 'print "hello"\n'}, ("lib/old.py:1:1",)),
        Case({"bad.py": b"# coding: utf-8\nx = '\xff'\n"}, ("bad.py:2:1",)),
        Case(
            {".python-version": "3.8\n", "app.py": "match x:\n    case 1:\n        pass\n"},
            ("app.py:1:1: `match` needs Python 3.10; `.python-version` asks for 3.8",),
        ),
        Case(
            {".python-version": "2.7\n", "wsgi.py": "application = None\n", "tools/x.py": "print 'a' 1\n"},
            ("tools/x.py:1:11: invalid Python 2 syntax at `1`; `.python-version` asks for 2.7 (nothing the platform "
             "runs imports this file)",),
        ),
    )
    near_misses = (
        Case({"latin.py": b"# -*- coding: latin-1 -*-\nx = '\xe9'\n"}),
        Case({"bom.py": b"\xef\xbb\xbfx = 1\r\ny = 2\r\n"}),
        Case({"node_modules/x/bad.py": "print 'x'\n"}, note="vendored folders are skipped"),
        Case({".python-version": "2.7\n", "old.py": "print 'x'\nexcept_ = `x`\n"}, note="valid Python 2"),
        Case({".python-version": "3.10\n", "app.py": "match x:\n    case 1:\n        pass\n"}),
    )


class FileSkipped(Rule):
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


class UnusedSuppression(Rule):
    code = "LE002"
    name = "unused-suppression"
    severity = Severity.WARNING
    summary = "A `# lean-lint: ignore[...]` comment that suppressed nothing."
    why = (
        "A suppression outlives the problem it hid: once the code is fixed, a stale comment silently "
        "hides the next real finding on that line. This is not a platform fact but lean-lint's own "
        "hygiene, as ruff's RUF100 is."
    )
    example = "leancloud>=2.9.1,<3.0.0  # lean-lint: ignore[LE401]"
    fix = "Remove the comment (`lean-lint --fix` does), or the codes in it that no longer apply."
    tags = ("lean-lint",)
    fires = (
        Case(
            {"a.py": "x = 1  # lean-lint: ignore[LE001]\n"},
            ("a.py:1:8: `# lean-lint: ignore[LE001]` suppresses nothing: no LE001 finding here",),
            config={"select": ["LE001", "LE002"]},
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
