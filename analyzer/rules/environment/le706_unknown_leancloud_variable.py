"""LE706 unknown-leancloud-variable."""

from __future__ import annotations

import libcst as cst

from analyzer.model.resolver import argument
from analyzer.platform.environment import PLATFORM_VARS
from analyzer.rules.base import CodeRule, NodeFix
from analyzer.rules.environment._environment import (
    _ENV_READS,
    _PREFIXES,
    DOCUMENTED_VARS,
    OTHER_KNOWN_VARS,
    _platform_like,
    _self_set,
    _string,
    suggest,
)
from analyzer.types import Case, Severity


class UnknownLeancloudVariable(CodeRule):
    code = "LE706"
    name = "unknown-leancloud-variable"
    severity = Severity.WARNING
    fixable = True
    summary = "The code reads a LEANCLOUD_* environment variable that the platform does not set."
    why = (
        "Cloud Engine sets these variables: " + ", ".join(f"`{v}`" for v in DOCUMENTED_VARS) + ". The "
        "console cannot set any other variable whose name starts with `LEANCLOUD`, so reading a name "
        "outside the list (`LEANCLOUD_APPID`, `LEANCLOUD_APP_PORTS`, `LEANCLOUD_MASTER_KEY`) always gets "
        "nothing on the platform: the default applies, or the read raises `KeyError`. Names are "
        "case-sensitive. lean-lint reads `os.environ[...]`, `os.environ.get`, `os.getenv`, "
        "`os.environ.setdefault` / `pop` and `'...' in os.environ` in the files the platform runs (tests "
        "and scripts may be run with variables of their own), suggests the nearest real name when one "
        "stands out, and stays quiet about names the project sets itself with `os.environ[...] = ...` and "
        "about names older platform versions set (`LEANCLOUD_APP_INSTANCE`, `LEANCLOUD_APP_DOMAIN`, "
        "`LEANCLOUD_APP_REPO_PATH`)."
    )
    example = Case(
        {
            "wsgi.py": """
                import os

                from flask import Flask

                application = Flask(__name__)
                port = int(os.environ.get('LEANCLOUD_APP_PORTS', 3000))
                """,
        },
        ("wsgi.py:6:27",),
    )
    fix = (
        "Use the name the platform sets; `lean-lint --fix` corrects it when the intended name is clear.\n"
        "```\n"
        "port = int(os.environ.get('LEANCLOUD_APP_PORT', 3000))\n"
        "```"
    )
    tags = ("python", "environment")
    keywords = _PREFIXES

    fires = (
        Case(
            {
                "wsgi.py": """
                    import os
                    application = None
                    APP_ID = os.environ['LEANCLOUD_APPID']
                    PORT = int(os.environ.get("LEANCLOUD_APP_PORTS", 3000))
                """
            },
            (
                "wsgi.py:3:21: the platform sets no LEANCLOUD_APPID (and the console cannot set names starting "
                "with LEANCLOUD), so this read gets nothing on Cloud Engine; the variable is LEANCLOUD_APP_ID",
                "wsgi.py:4:27: the platform sets no LEANCLOUD_APP_PORTS (and the console cannot set names "
                "starting with LEANCLOUD), so this read gets nothing on Cloud Engine; the variable is "
                "LEANCLOUD_APP_PORT",
            ),
            fixed={
                "wsgi.py": """
                    import os
                    application = None
                    APP_ID = os.environ['LEANCLOUD_APP_ID']
                    PORT = int(os.environ.get("LEANCLOUD_APP_PORT", 3000))
                    """,
            },
        ),
        Case(
            {
                "wsgi.py": """
                    import os
                    from os import environ, getenv
                    application = None
                    a = getenv('LEANCLOUD_MASTER_KEY')
                    b = 'LEANCLOUD_ENV' in environ
                    c = os.environ.get('leancloud_app_key')
                    d = os.environ.get('LEANCLOUD_SECRET')
                """
            },
            ("wsgi.py:4:12", "wsgi.py:5:5", "wsgi.py:6:20", "wsgi.py:7:20"),
        ),
    )
    near_misses = (
        Case(
            {
                "wsgi.py": """
                    import os
                    application = None
                    names = [os.environ.get(v) for v in ('LEANCLOUD_APP_ID', 'LEANCLOUD_APP_GROUP')]
                    instance = os.environ.get('LEANCLOUD_APP_INSTANCE')
                    os.environ['LEANCLOUD_FEATURE_X'] = '1'
                    flag = os.environ.get('LEANCLOUD_FEATURE_X')
                    message = 'set LEANCLOUD_APPID in the console'
                """
            },
            note="documented and legacy names; a name the project sets; a string that is not a read",
        ),
        Case(
            {"tests/test_app.py": "import os\nKEY = os.environ.get('LEANCLOUD_TEST_APP_KEY')\n", "wsgi.py": "application = None\n"},
            note="a file the platform does not run",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        key = argument(node, 0, "key")
        if _platform_like(key) and self.ctx.resolver.qualified_name(node.func) in _ENV_READS:
            self._check(key)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        parent = self.ctx.parent
        if isinstance(parent, (cst.AssignTarget, cst.Del)):
            return  # a write
        key = node.slice[0].slice.value
        if _platform_like(key) and self.ctx.resolver.qualified_name(node.value) == "os.environ":
            self._check(key)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        left = node.left
        for target in node.comparisons:
            if isinstance(target.operator, (cst.In, cst.NotIn)) and _platform_like(left):
                if self.ctx.resolver.qualified_name(target.comparator) == "os.environ":
                    self._check(left)
            left = target.comparator

    def _check(self, key: cst.BaseExpression) -> None:
        name = _string(key)
        if name is None or not name.startswith(_PREFIXES):
            return
        if name in PLATFORM_VARS or name in OTHER_KNOWN_VARS or name in _self_set(self.ctx.project):
            return
        guess = suggest(name)
        message = (
            f"the platform sets no {name} (and the console cannot set names starting with LEANCLOUD), so this "
            "read gets nothing on Cloud Engine; "
        )
        if guess is not None:
            message += f"the variable is {guess}"
            if guess == name.upper():
                message += " (names are case-sensitive)"
        else:
            message += "it sets " + ", ".join(DOCUMENTED_VARS)
        fix = None
        if guess is not None and isinstance(key, cst.SimpleString) and key.raw_value == name and "b" not in key.prefix.lower():
            fix = NodeFix(f"Use {guess}", [(key, f"{key.prefix}{key.quote}{guess}{key.quote}")])
        self.report(key, message, hint=f"Use {guess}." if guess else "", fix=fix)
