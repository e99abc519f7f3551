"""LE708 hardcoded-api-host."""

from __future__ import annotations

import libcst as cst

from analyzer.model.resolver import argument
from analyzer.rules.base import CodeRule
from analyzer.rules.environment._environment import (
    _ENV_READS,
    _fstring_text,
    _string,
    api_hosts,
)
from analyzer.types import Case, Severity


class HardcodedApiHost(CodeRule):
    code = "LE708"
    name = "hardcoded-api-host"
    severity = Severity.WARNING
    summary = "A LeanCloud API host (api.leancloud.cn, *.lncld.net...) is written in the code instead of read from LEANCLOUD_API_SERVER."
    why = (
        "The platform gives the app the address of its API server in `LEANCLOUD_API_SERVER`: it differs by "
        "region and data center (`*.lncld.net` in North China, `*.lncldapi.com` in East China, "
        "`*.lncldglobal.com` in the US, or the app's own API domain) and can change, and the platform's "
        "documentation asks REST calls to storage and other services to use it. The leancloud SDK reads it "
        "by itself. A hard-coded host (`api.leancloud.cn`, `us-api.leancloud.cn`, `xxxx.api.lncld.net`, "
        "`xxxx.api.lncldglobal.com`, the shared `*.lc-cn-n1-shared.com` domains, the legacy `avoscloud` "
        "hosts) keeps pointing at one place when the app is deployed to another region, or after its domain "
        "changes. lean-lint reports such strings (f-strings and partial hosts such as '.api.lncld.net' "
        "included) in the files the platform runs, but not docstrings, the default of an environment read "
        "(`os.environ.get('LEANCLOUD_API_SERVER', 'https://api.leancloud.cn')`: on the platform the "
        "variable is set) or strings a host is compared with. The app's own domains (`*.leanapp.cn`) are "
        "fine."
    )
    example = Case(
        {
            "wsgi.py": """
                requests.get('https://api.leancloud.cn/1.1/classes/Todo', headers=headers)
                """,
        },
        ("wsgi.py:1:14",),
    )
    fix = (
        "Read the API server from LEANCLOUD_API_SERVER, or let the leancloud SDK make the call.\n"
        "```\n"
        "API = os.environ['LEANCLOUD_API_SERVER']\n"
        "requests.get(f'{API}/1.1/classes/Todo', headers=headers)\n"
        "```"
    )
    tags = ("python", "environment", "http")
    keywords = ("leancloud.cn", "lncld", "lc-cn-", "avoscloud")

    fires = (
        Case(
            {
                "wsgi.py": """
                    import requests
                    application = None
                    def count(app_id):
                        url = 'https://api.leancloud.cn/1.1/classes/Todo'
                        other = f'https://{app_id[:8].lower()}.api.lncld.net/1.1/users'
                        return requests.get(url), requests.get(other)
                    count('x')
                """
            },
            (
                "wsgi.py:4:11: API host api.leancloud.cn is hardcoded: the platform gives the "
                "app's in LEANCLOUD_API_SERVER",
                "wsgi.py:5:13: API host {...}.api.lncld.net is hardcoded: the platform gives the "
                "app's in LEANCLOUD_API_SERVER",
            ),
        ),
        Case(
            {
                "wsgi.py": """
                    import os
                    application = None
                    os.environ['LEANCLOUD_API_SERVER'] = 'https://abcd1234.api.lncldglobal.com'
                    HOST = 'https://' + 'abcd1234' + '.lc-cn-n1-shared.com'
                    SERVERS = {'US': 'us-api.leancloud.cn'}
                """
            },
            ("wsgi.py:3:38", "wsgi.py:4:34", "wsgi.py:5:18"),
        ),
    )
    near_misses = (
        Case(
            {
                "wsgi.py": '''
                    """Talks to https://api.leancloud.cn through the SDK."""
                    import os
                    application = None
                    API = os.environ.get('LEANCLOUD_API_SERVER', 'https://api.leancloud.cn')
                    SITE = 'https://myapp.leanapp.cn'
                    FILES = 'https://lc-abc.cn-n1.lcfile.com/x.png'
                    CONSOLE = 'https://cn-n1-console-api.leancloud.cn'
                    def is_leancloud(host):
                        """Hosts like xxx.api.lncld.net."""
                        return host.endswith('.lncld.net') or host == 'api.leancloud.cn'
                    # requests.get('https://api.leancloud.cn/1.1/date')
                '''
            },
            note="docstrings, env defaults, app and file domains, comparisons, comments",
        ),
        Case(
            {"scripts/seed.py": "URL = 'https://api.leancloud.cn/1.1/batch'\n", "wsgi.py": "application = None\n"},
            note="a file the platform does not run",
        ),
    )

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if not isinstance(self.ctx.parent, cst.ConcatenatedString):
            self._check(node, _string(node))

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        if not isinstance(self.ctx.parent, cst.ConcatenatedString):
            self._check(node, _fstring_text(node))

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        if not isinstance(self.ctx.parent, cst.ConcatenatedString):
            self._check(node, _fstring_text(node))

    def _check(self, node: cst.BaseExpression, text: str | None) -> None:
        if not text or not any(k in self.ctx.parsed.module.code_for_node(node) for k in self.keywords):
            return  # a host spelled with escapes or split in parts: as the keyword prefilter sees it
        hosts = api_hosts(text)
        if not hosts or self._exempt(node):
            return
        host = hosts[0].replace("\x00", "{...}")
        self.report(
            node,
            f"API host {host} is hardcoded: the platform gives the app's in LEANCLOUD_API_SERVER",
        )

    def _exempt(self, node: cst.BaseExpression) -> bool:
        """A docstring or bare string statement, the default of an environment read, or a value a host
        is compared with (`==`, `in`, `startswith` / `endswith`, also as a member of a tuple)."""
        ancestors = self.ctx.ancestors
        i = len(ancestors) - 2
        while i >= 0 and isinstance(ancestors[i], (cst.Element, cst.Tuple, cst.List, cst.Set)):
            i -= 1  # a member of a tuple of hosts
        parent = ancestors[i] if i >= 0 else None
        if isinstance(parent, cst.Expr) and i == len(ancestors) - 2:
            return True  # a docstring, or a string statement that does nothing
        if isinstance(parent, (cst.Comparison, cst.ComparisonTarget)):
            return True
        if isinstance(parent, cst.Arg) and i >= 1 and isinstance(ancestors[i - 1], cst.Call):
            call = ancestors[i - 1]
            func = call.func
            if isinstance(func, cst.Attribute) and func.attr.value in ("startswith", "endswith"):
                return True
            if i == len(ancestors) - 2 and self.ctx.resolver.qualified_name(func) in _ENV_READS:
                return argument(call, 0, "key") is not node
        return False
