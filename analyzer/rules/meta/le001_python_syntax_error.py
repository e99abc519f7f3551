"""LE001 python-syntax-error."""

from __future__ import annotations

from analyzer.rules.base import Rule
from analyzer.types import Case, Severity


class PythonSyntaxError(Rule):
    code = "LE001"
    name = "python-syntax-error"
    severity = Severity.ERROR
    summary = "A Python file cannot be parsed (syntax error, Python 2 syntax, undecodable bytes)."
    why = (
        "The platform imports wsgi.py, or runs the `run:` program, with CPython 3 (unless "
        "`.python-version` asks for 2.x). A module that does not parse makes the app die at startup, "
        "and the deploy is aborted when the health check never answers."
    )
    example = Case(
        {
            "wsgi.py": 'print "hello"  # Python 2\n',
        },
        ("wsgi.py:1:1",),
    )
    fix = "Fix the syntax at the reported line (for Python 2 code, port it to Python 3)."
    tags = ("python",)
    fires = (
        Case({"wsgi.py": "application = (\n"}, ("wsgi.py:1:15: '(' was never closed",)),
        Case({"lib/old.py": 'print "hello"\n'}, ("lib/old.py:1:1",)),
        Case({"bad.py": b"# coding: utf-8\nx = '\xff'\n"}, ("bad.py:2:1",)),
    )
    near_misses = (
        Case({"latin.py": b"# -*- coding: latin-1 -*-\nx = '\xe9'\n"}),
        Case({"bom.py": b"\xef\xbb\xbfx = 1\r\ny = 2\r\n"}),
        Case({"node_modules/x/bad.py": "print 'x'\n"}, note="vendored folders are skipped"),
    )
