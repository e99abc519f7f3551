"""LE701 hardcoded-leancloud-key."""

from __future__ import annotations

from typing import Any

import libcst as cst

from analyzer.rules.base import CodeRule
from analyzer.rules.secrets._secrets import (
    _SPELLINGS,
    APP_ID,
    APP_KEY,
    MASTER,
    Hit,
    _Scan,
    _string,
    looks_like_key,
    own_hits,
    reach,
    shown,
)
from analyzer.types import Case, Severity


class HardcodedLeancloudKey(CodeRule):
    code = "LE701"
    name = "hardcoded-leancloud-key"
    severity = Severity.ERROR
    summary = "A LeanCloud App Key, Master Key or Hook Key (or App ID) is written as a literal in the code."
    why = (
        "Cloud Engine gives the app its keys in environment variables: `LEANCLOUD_APP_ID`, "
        "`LEANCLOUD_APP_KEY`, `LEANCLOUD_APP_MASTER_KEY` and `LEANCLOUD_APP_HOOK_KEY` hold the keys of the "
        "app the code is deployed to, so code never needs them written down. A key in the code is in the "
        "repository, in its history and in every copy of the upload: the Master Key bypasses every ACL and "
        "class permission (full control of the app's data), the Hook Key lets a caller pose as the platform "
        "to the app's hooks, and the App Key opens the app's API. An App ID is not a secret, so it is "
        "reported as a warning: a written one ties the code to one app. lean-lint reports a string that "
        "looks like a key (letters and digits, with both, of a key's length, and no placeholder such as "
        "`your-app-key` or `xxx`) where the code says it is one: an argument of `leancloud.init(...)`, the "
        "default or new value of a key variable (`os.environ.get('LEANCLOUD_APP_MASTER_KEY', '...')`, "
        "`os.environ.setdefault(...)`, `os.environ[...] = ...`), a value named after a key "
        "(`LEANCLOUD_APP_KEY = '...'`, `'lc_master_key': '...'`, and a bare `MASTER_KEY`, `APP_KEY`, "
        "`HOOK_KEY` or `APP_ID` in a module that imports `leancloud`), or a constant that reaches "
        "`leancloud.init` through names, also from another module. Every uploaded file is checked, "
        "tests and scripts included: a key leaks wherever it is written. Messages show only the first "
        "four characters of a key."
    )
    example = Case(
        {
            "wsgi.py": """
                import leancloud
                leancloud.init('q3XvT9bLm2ZkR8wPd4NcH7sJ-gzGzoHsz', master_key='Tz5Rn8Wq2Lk7Xv4Mb9Pc6Hs3')
                """,
        },
        ("wsgi.py:2:16", "wsgi.py:2:64"),
    )
    fix = (
        "Read the keys from the variables the platform sets, and consider any key that was committed leaked.\n"
        "```\n"
        "leancloud.init(\n"
        "    os.environ['LEANCLOUD_APP_ID'],\n"
        "    app_key=os.environ['LEANCLOUD_APP_KEY'],\n"
        "    master_key=os.environ['LEANCLOUD_APP_MASTER_KEY'],\n"
        ")\n"
        "```\n"
        "For local runs, `lean up` sets the same variables; never give them a real key as a default."
    )
    tags = ("python", "security", "secrets")
    security_severity = "9.0"
    scope = "all"
    keywords = ("leancloud",) + tuple(s for _, spellings in _SPELLINGS for s in spellings)

    fires = (
        Case(
            {
                "wsgi.py": """
                    import os
                    import leancloud
                    def setup(secret):
                        leancloud.init(os.environ['LEANCLOUD_APP_ID'], master_key=secret)
                    setup('Tz5Rn8Wq2Lk7Xv4Mb9Pc6Hs3')
                    application = leancloud.Engine()
                """,
            },
            (
                "wsgi.py:5:7: Master Key 'Tz5R…' in the code (assigned to secret, leancloud.init()'s master_key): whoever reads it controls all data",
            ),
            note='a literal passed to a function that hands its parameter to leancloud.init',
        ),
        Case(
            {
                "wsgi.py": """
                    import os
                    import leancloud
                    application = None
                    if os.environ.get('LEANCLOUD_APP_ENV', 'development') == 'development':
                        leancloud.init('q3XvT9bLm2ZkR8wPd4NcH7sJ-gzGzoHsz', master_key='Tz5Rn8Wq2Lk7Xv4Mb9Pc6Hs3')
                """,
            },
            (
                'wsgi.py:5:20',
                'wsgi.py:5:68',
            ),
            note='in a development-only branch: never run on the platform, but committed all the same (the rule is about every uploaded file)',
        ),
        Case(
            {
                "wsgi.py": """
                    import os
                    import leancloud
                    leancloud.init('q3XvT9bLm2ZkR8wPd4NcH7sJ-gzGzoHsz', 'Vx8Kp2mQ9tLr4ZbN6wHc3JdY',
                                   master_key='Tz5Rn8Wq2Lk7Xv4Mb9Pc6Hs3')
                    application = leancloud.Engine()
                """
            },
            (
                "wsgi.py:3:16: App ID 'q3Xv…' in the code (leancloud.init()'s App ID): it ties the "
                "code to one app",
                "wsgi.py:3:53: App Key 'Vx8K…' in the code (leancloud.init()'s app_key): with the "
                "App ID, whoever reads it can call the API",
                "wsgi.py:4:27",
            ),
        ),
        Case(
            {
                "wsgi.py": """
                    import os
                    import leancloud
                    from config import MASTER_KEY
                    APP_ID = os.environ['LEANCLOUD_APP_ID']
                    leancloud.init(APP_ID, master_key=MASTER_KEY)
                    application = leancloud.Engine()
                """,
                "config.py": "MK = 'Tz5Rn8Wq2Lk7Xv4Mb9Pc6Hs3'\nMASTER_KEY = MK\n",
            },
            (
                "config.py:1:6: Master Key 'Tz5R…' in the code (assigned to MK, leancloud.init()'s "
                "master_key in wsgi.py:5): whoever reads it controls all data",
            ),
            note="a constant of another module that reaches leancloud.init",
        ),
        Case(
            {
                "settings.py": """
                    import os
                    LEANCLOUD_APP_KEY = os.environ.get('LEANCLOUD_APP_KEY', 'Vx8Kp2mQ9tLr4ZbN6wHc3JdY')
                    os.environ.setdefault('LEANCLOUD_APP_MASTER_KEY', 'Tz5Rn8Wq2Lk7Xv4Mb9Pc6Hs3')
                    HOOK = os.getenv('LEANCLOUD_APP_HOOK_KEY') or 'Hk4Lm8Np2Qr6St9Uv3Wx7Yz5'
                    CONFIG = {'lc_master_key': 'Ab3Cd5Ef7Gh9Jk2Lm4Np6Qr8'}
                """
            },
            (
                "settings.py:2:57: App Key 'Vx8K…' in the code (as the default of "
                "LEANCLOUD_APP_KEY): with the App ID, whoever reads it can call the API",
                "settings.py:3:51",
                "settings.py:4:47",
                "settings.py:5:28",
            ),
            note="defaults, setdefault, fallbacks and named values; in a file the platform does not run",
        ),
        Case(
            {
                "wsgi.py": """
                    import os
                    import leancloud
                    try:
                        APP_ID = os.environ['LEANCLOUD_APP_ID']
                        MASTER_KEY = os.environ['LEANCLOUD_APP_MASTER_KEY']
                    except KeyError:
                        APP_ID = 'q3XvT9bLm2ZkR8wPd4NcH7sJ-gzGzoHsz'
                        MASTER_KEY = 'Tz5Rn8Wq2Lk7Xv4Mb9Pc6Hs3'
                    application = None
                """
            },
            ("wsgi.py:7:14", "wsgi.py:8:18"),
            note="bare names in a module that imports the SDK",
        ),
    )
    near_misses = (
        Case(
            {
                "wsgi.py": """
                    import os
                    import leancloud
                    leancloud.init(os.environ['LEANCLOUD_APP_ID'], master_key=os.environ['LEANCLOUD_APP_MASTER_KEY'])
                    leancloud.init('your-app-id', 'your-app-key')
                    leancloud.init('<APP_ID>', master_key='xxxxxxxxxxxxxxxxxxxxxxxx')
                    MASTER_KEY = os.environ.get('LEANCLOUD_APP_MASTER_KEY', '')
                    APP_KEY = '${LEANCLOUD_APP_KEY}'
                    HOOK_KEY = 'changeme'
                    application = None
                """
            },
            note="keys from the environment, placeholders",
        ),
        Case(
            {
                "wsgi.py": """
                    WECHAT_APP_ID = 'wx4f8a9b2c3d4e5f6a7b8c9d0e'
                    APP_KEY = 'Vx8Kp2mQ9tLr4ZbN6wHc3JdY'
                    SECRET_KEY = 'Tz5Rn8Wq2Lk7Xv4Mb9Pc6Hs3'
                    application = None
                """
            },
            note="another service's keys; a bare APP_KEY where the SDK is not imported",
        ),
        Case(
            {
                "wsgi.py": """
                    import leancloud
                    MASTER_KEY_FILE = '/home/leanengine/app/keys/master.txt'
                    APP_ID = 'QXVTBLMZKRWPDNCHSJGQWERT'
                    HOOK_KEY = 'abcdefabcdefabcdefabcdef'
                    application = None
                """
            },
            note="a path, a key without digits, a pattern",
        ),
    )

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.scan = _Scan(ctx.resolver)

    # The module's own findings are collected during the engine's one pass (as `own_hits` would).
    def visit_Call(self, node: cst.Call) -> None:
        self.scan.visit_Call(node)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        self.scan.visit_BooleanOperation(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        self.scan.visit_Assign(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.scan.visit_AnnAssign(node)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        self.scan.visit_DictElement(node)

    def visit_Arg(self, node: cst.Arg) -> None:
        self.scan.visit_Arg(node)

    def leave_Module(self, node: cst.Module) -> None:
        scan = self.scan
        self.ctx.project.memo.setdefault(__name__, {}).setdefault(self.ctx.path, scan)
        resolver = self.ctx.resolver
        found: dict[int, tuple[str, cst.CSTNode, Hit]] = {}  # id(literal) -> (path, node, hit)
        for role, label, arg, call in scan.init_args:
            use = f"{self.ctx.path}:{self.ctx.parsed.span(call).line}"
            for other, literal, via in reach(resolver, arg):
                text = _string(literal)
                if text is None or not looks_like_key(text, role, False):
                    continue
                if other.path != self.ctx.path and id(literal) in own_hits(other).hits:
                    continue  # its own module reports it
                known = scan.hits.get(id(literal)) if other.path == self.ctx.path else None
                if known is not None and known.rank > 0:
                    continue  # an environment default or an init argument: told as such below
                where = f"assigned to {via}, leancloud.init()'s {label.removeprefix('the ')}"
                if other.path != self.ctx.path:
                    where += f" in {use}"
                found.setdefault(id(literal), (other.path, literal, Hit(literal, role, where)))
        for key, hit in scan.hits.items():
            found.setdefault(key, (self.ctx.path, hit.node, hit))
        for path, literal, hit in found.values():
            message = self._message(hit, _string(literal) or "")
            severity = None if hit.role.secret else Severity.WARNING
            hint = f"Read it from {hit.role.variable}, which the platform sets"
            hint += "; the key stays in the repository's history, so consider it leaked." if hit.role.secret else "."
            if path == self.ctx.path:
                self.report(literal, message, hint=hint, severity=severity)
            else:
                parsed = self.ctx.project.parsed(path)
                if parsed is not None:
                    self.report_at(path, parsed.span(literal), message, hint=hint, severity=severity)

    @staticmethod
    def _message(hit: Hit, text: str) -> str:
        role = hit.role
        return f"{role.title} {shown(text)} in the code ({hit.where}): {role.consequence}"
