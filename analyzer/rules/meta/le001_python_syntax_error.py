"""LE001 python-syntax-error."""

from __future__ import annotations

from analyzer.rules.base import Rule
from analyzer.types import Case, Severity


class PythonSyntaxError(Rule):
    code = "LE001"
    name = "python-syntax-error"
    severity = Severity.ERROR
    precision = "very-high"
    summary = "A Python file cannot be parsed by the target Python (syntax error, newer syntax, undecodable bytes)."
    why = (
        "The platform imports wsgi.py, or runs the `run:` program, with the CPython `.python-version` asks "
        "for (the latest stable one without it). A module that does not parse under that version, "
        "including syntax newer than it (`match` under 3.8), makes the app die at startup, and the deploy "
        "is aborted when the health check never answers. With a 2.x version, Python 2 syntax is valid and "
        "the file must parse as Python 2. A file nothing that runs imports (an offline script, a vendored "
        "tool) does not stop the deploy: there it is a warning."
    )
    example = Case(
        {".python-version": "3.8\n", "wsgi.py": "match event:\n    case _:\n        pass\n"},
        ("wsgi.py:1:1",),
    )
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
