"""LE706-LE708: what the platform puts in the environment, and what code assumes instead.

Cloud Engine sets a fixed list of `LEANCLOUD_*` variables (and the console cannot set others with that
prefix), gives `LEANCLOUD_APP_ENV` one of three values, and says where the app's API server is in
`LEANCLOUD_API_SERVER`. These rules report code that reads a variable that is never set, compares
`LEANCLOUD_APP_ENV` with a value it never takes, or writes down an API host. All three look only at
the files the platform runs: elsewhere (tests, scripts) the developer's own tooling may set what it
likes.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Callable, Iterator

import libcst as cst

from analyzer.ftypes import Case, Severity
from analyzer.rules.base import CodeRule, NodeFix
from analyzer.values import PLATFORM_VARS, EnvRead, argument

# -- LE706 ---------------------------------------------------------------------------------------------

#: Documented by the platform (the runtime page and the platform reference).
DOCUMENTED_VARS = tuple(sorted(PLATFORM_VARS))
#: Set by the platform in some versions or regions, or by lean-cli, though not on the Python runtime
#: page: reading them is not reported, and they are never suggested.
OTHER_KNOWN_VARS = frozenset(
    {"LEANCLOUD_APP_INSTANCE", "LEANCLOUD_APP_DOMAIN", "LEANCLOUD_APP_REPO_PATH", "LEANCLOUD_APP_PROD"}
)
_ENV_READS = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault", "os.environ.pop"})
#: How a name the platform might set starts (also the rule's keywords: a file without one is skipped).
_PREFIXES = ("LEANCLOUD", "leancloud", "Leancloud", "LeanCloud")
_ENV_WRITE = re.compile(r"environ\[\s*['\"](LEANCLOUD\w*)['\"]\s*\]\s*=(?!=)")


def _squash(name: str) -> str:
    return name.upper().replace("_", "").replace("-", "")


def suggest(name: str) -> str | None:
    """The documented variable a wrong name surely means, or None: the same name in another case or
    with other underscores (`LEANCLOUD_APPID`), without or with an extra `APP` (`LEANCLOUD_MASTER_KEY`,
    `LEANCLOUD_APP_REGION`), or one typo (a swap counts as one) away from exactly one variable
    (`LEANCLOUD_APP_PORTS`). A name with a word of its own (`LEANCLOUD_TEST_APP_KEY`) gets none."""
    upper = name.upper()
    if upper in PLATFORM_VARS:
        return upper
    squashed = _squash(name)
    for var in DOCUMENTED_VARS:
        key = _squash(var)
        if squashed == key or squashed == key.replace("LEANCLOUDAPP", "LEANCLOUD", 1):
            return var
        if squashed.replace("LEANCLOUDAPP", "LEANCLOUD", 1) == key:
            return var
    distances = sorted((_distance(squashed, _squash(var)), var) for var in DOCUMENTED_VARS)
    (best, var), (second, _) = distances[0], distances[1]
    return var if best <= 1 and second > best else None


def _distance(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions, adjacent swaps)."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def _self_set(project: Any) -> frozenset[str]:
    """`LEANCLOUD_*` names the project's own code assigns with `os.environ[...] = ...`."""
    memo = project.memo.setdefault(__name__, {})
    if "self_set" not in memo:
        names: set[str] = set()
        for rel in project.python_files:
            text = project.python_text(rel)
            if text and "LEANCLOUD" in text:
                names.update(_ENV_WRITE.findall(text))
        memo["self_set"] = frozenset(names)
    return memo["self_set"]


def _platform_like(node: Any) -> bool:
    """A string literal that starts like the platform's variables (checked before any name lookup)."""
    text = _string(node)
    return text is not None and text.startswith(_PREFIXES)


def _string(node: Any) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - odd escapes
            return None
        return value if isinstance(value, str) else None
    return None


class UnknownPlatformVariable(CodeRule):
    code = "LE706"
    name = "unknown-leancloud-variable"
    severity = Severity.WARNING
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
    example = "port = int(os.environ.get('LEANCLOUD_APP_PORTS', 3000))"
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


# -- LE707 ---------------------------------------------------------------------------------------------

ENV_VAR = "LEANCLOUD_APP_ENV"
ENV_VALUES = ("development", "stage", "production")
#: Values people write for LEANCLOUD_APP_ENV, and what they mean.
_MEANT = {
    "staging": "stage", "stg": "stage", "pre": "stage", "preview": "stage", "preprod": "stage",
    "prod": "production", "prd": "production", "product": "production", "live": "production",
    "online": "production", "release": "production",
    "dev": "development", "develop": "development", "devel": "development", "local": "development",
    "debug": "development",
}
_CASE_METHODS = {"lower": str.lower, "casefold": str.casefold, "upper": str.upper, "strip": str.strip}
_VALUES_TEXT = "'production' in production, 'stage' on staging, 'development' (or nothing) locally"


def meant(value: str) -> str | None:
    low = value.strip().lower()
    if low in ENV_VALUES:
        return low
    if low in _MEANT:
        return _MEANT[low]
    close = difflib.get_close_matches(low, ENV_VALUES, n=1, cutoff=0.75)
    return close[0] if close else None


class WrongAppEnvValue(CodeRule):
    code = "LE707"
    name = "wrong-app-env-value"
    severity = Severity.WARNING
    summary = "LEANCLOUD_APP_ENV is compared with a value it never takes ('staging', 'prod', 'dev'...)."
    why = (
        "The platform sets `LEANCLOUD_APP_ENV` to `production` in the production environment and to `stage` "
        "(not `staging`) in the staging environment; locally it is `development` under `lean up`, or unset. "
        "A comparison with any other value (`'staging'`, `'prod'`, `'dev'`, `'Production'`) is never true "
        "(or, with `!=`, always true), so the code behaves the same everywhere, usually as in development. "
        "lean-lint reports `==`, `!=`, `in` / `not in` (only the wrong members of the tuple) and `match` cases "
        "against an expression it can trace to `os.environ.get('LEANCLOUD_APP_ENV')` (also through names and "
        "`.lower()`); a value the code gives as the read's own default is fine, since it is what the "
        "variable falls back to when unset."
    )
    example = "if os.environ.get('LEANCLOUD_APP_ENV') == 'staging':\n    DEBUG = True"
    fix = (
        "Compare with the values the platform uses: 'production', 'stage', 'development' (or unset).\n"
        "```\n"
        "if os.environ.get('LEANCLOUD_APP_ENV') == 'stage':\n"
        "    DEBUG = True\n"
        "```"
    )
    tags = ("python", "environment")
    keywords = ()  # the variable may be read in another module: `from config import ENV`

    fires = (
        Case(
            {
                "wsgi.py": """
                    import os
                    application = None
                    ENV = os.environ.get('LEANCLOUD_APP_ENV', 'development')
                    if ENV == 'staging':
                        pass
                    DEBUG = os.environ.get('LEANCLOUD_APP_ENV') != 'prod'
                """
            },
            (
                "wsgi.py:4:11: LEANCLOUD_APP_ENV is never 'staging': the platform sets it to " + _VALUES_TEXT
                + ", so this comparison is never true; use 'stage'",
                "wsgi.py:6:48: LEANCLOUD_APP_ENV is never 'prod': the platform sets it to " + _VALUES_TEXT
                + ", so this comparison is always true; use 'production'",
            ),
        ),
        Case(
            {
                "wsgi.py": """
                    from config import ENV
                    application = None
                    IS_LIVE = ENV.lower() in ('prod', 'production')
                    match ENV:
                        case 'dev' | 'development':
                            pass
                        case 'Production':
                            pass
                """,
                "config.py": "import os\nENV = os.getenv('LEANCLOUD_APP_ENV') or 'development'\n",
            },
            ("wsgi.py:3:27", "wsgi.py:5:10", "wsgi.py:7:10"),
        ),
    )
    near_misses = (
        Case(
            {
                "wsgi.py": """
                    import os
                    application = None
                    ENV = os.environ.get('LEANCLOUD_APP_ENV', 'local')
                    LOCAL = ENV == 'local'
                    PROD = ENV in ('production',)
                    STAGE = os.environ.get('LEANCLOUD_APP_ENV') == 'stage'
                    UNSET = os.environ.get('LEANCLOUD_APP_ENV') is None or ENV == ''
                    DEV = os.environ.get('FLASK_ENV') == 'dev'
                    STARTS = ENV.startswith('prod')
                """
            },
            note="valid values, the read's own default, another variable",
        ),
        Case(
            {
                "wsgi.py": """
                    import os, sys
                    application = None
                    ENV = os.environ.get('LEANCLOUD_APP_ENV') if len(sys.argv) < 2 else sys.argv[1]
                    if ENV == 'staging':
                        pass
                """
            },
            note="a value that is LEANCLOUD_APP_ENV on one branch only",
        ),
    )

    active = False

    def visit_Module(self, node: cst.Module) -> None:
        self.active = self._mentions_env()

    def _mentions_env(self) -> bool:
        """The variable's name is in this module or a project module it imports (what the resolver
        can follow); otherwise nothing here can be traced to it."""
        project = self.ctx.project
        seen: set[str] = set()
        stack = [self.ctx.path]
        while stack and len(seen) < 50:
            rel = stack.pop()
            if rel in seen:
                continue
            seen.add(rel)
            text = project.python_text(rel) or ""
            if ENV_VAR in text:
                return True
            info = project.file_info(rel)
            for ref in info.imports + info.dead_main_imports:
                for name in (ref.module, *(f"{ref.module}.{n}" for n in ref.names)):
                    target = project.module_file(name) if name else None
                    if target and target not in seen:
                        stack.append(target)
        return False

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if not self.active:
            return
        left = node.left
        for target in node.comparisons:
            op = target.operator
            right = target.comparator
            if isinstance(op, (cst.Equal, cst.NotEqual)):
                for env_side, other in ((left, right), (right, left)):
                    if _string(other) is None:
                        continue  # only literals are judged: no need to trace the other side
                    traced = self._trace(env_side)
                    if traced is not None:
                        always = "always true" if isinstance(op, cst.NotEqual) else "never true"
                        self._judge(other, traced, f"so this comparison is {always}")
                        break
            elif isinstance(op, (cst.In, cst.NotIn)) and isinstance(right, (cst.Tuple, cst.List, cst.Set)):
                if not any(_string(e.value) is not None for e in right.elements if isinstance(e, cst.Element)):
                    left = right
                    continue
                traced = self._trace(left)
                if traced is not None:
                    for element in right.elements:
                        if not isinstance(element, cst.StarredElement):
                            self._judge(element.value, traced, "so this member never matches")
            left = right

    def visit_Match(self, node: cst.Match) -> None:
        if not self.active:
            return
        traced = self._trace(node.subject)
        if traced is None:
            return
        for case in node.cases:
            for value in _pattern_values(case.pattern):
                self._judge(value, traced, "so this case never matches")

    def _trace(self, expr: cst.BaseExpression) -> tuple[Callable[[str], str], set[str]] | None:
        """(the case transform applied, the defaults of the read) when `expr` is LEANCLOUD_APP_ENV on
        every branch, possibly through `.lower()` / `.strip()` / `.upper()`."""
        transform: Callable[[str], str] = lambda s: s  # noqa: E731
        while (
            isinstance(expr, cst.Call)
            and not expr.args
            and isinstance(expr.func, cst.Attribute)
            and expr.func.attr.value in _CASE_METHODS
        ):
            method = _CASE_METHODS[expr.func.attr.value]
            transform = (lambda f, g: (lambda s: f(g(s))))(method, transform)
            expr = expr.func.value
        value = self.ctx.resolver.resolve(expr)
        if not value.all(lambda o: isinstance(o, EnvRead) and o.name == ENV_VAR):
            return None
        return transform, set(_defaults(self.ctx.resolver, expr))

    def _judge(self, node: cst.BaseExpression, traced: tuple[Callable[[str], str], set[str]], outcome: str) -> None:
        text = _string(node)
        if text is None or text == "":
            return
        transform, defaults = traced
        valid = {transform(v) for v in ENV_VALUES} | {transform(d) for d in defaults}
        if text in valid:
            return
        guess = meant(text)
        use = f"; use {transform(guess)!r}" if guess else f"; it is one of {', '.join(repr(transform(v)) for v in ENV_VALUES)}"
        self.report(
            node,
            f"{ENV_VAR} is never {text!r}: the platform sets it to {_VALUES_TEXT}, {outcome}{use}",
            hint=f"Use {transform(guess)!r}." if guess else "",
        )


def _pattern_values(pattern: Any) -> Iterator[cst.BaseExpression]:
    if isinstance(pattern, cst.MatchValue):
        yield pattern.value
    elif isinstance(pattern, cst.MatchOr):
        for element in pattern.patterns:
            yield from _pattern_values(element.pattern)
    elif isinstance(pattern, cst.MatchAs) and pattern.pattern is not None:
        yield from _pattern_values(pattern.pattern)


def _defaults(resolver: Any, expr: cst.BaseExpression, depth: int = 0) -> Iterator[str]:
    """The string defaults and fallbacks of the environment reads behind `expr`
    (`os.environ.get(name, 'local')`, `os.getenv(name) or 'dev'`), through names."""
    if depth > 8:
        return
    if isinstance(expr, cst.Call):
        if resolver.qualified_name(expr.func) in _ENV_READS:
            default = argument(expr, 1, "default")
            if default is not None:
                yield from _strings_of(resolver, default)
        return
    if isinstance(expr, cst.BooleanOperation):
        yield from _defaults(resolver, expr.left, depth + 1)
        yield from _strings_of(resolver, expr.right)
        return
    if isinstance(expr, cst.IfExp):
        yield from _defaults(resolver, expr.body, depth + 1)
        yield from _defaults(resolver, expr.orelse, depth + 1)
        return
    if isinstance(expr, cst.Name):
        for binding in resolver.lookup(expr) or ():
            if binding.kind == "value":
                yield from _defaults(resolver, binding.expr, depth + 1)
            elif binding.kind == "import" and binding.qualname:
                found = resolver.split_project_name(binding.qualname)
                if found is not None:
                    other, name = found
                    for inner in other.module_bindings(name) or ():
                        if inner.kind == "value":
                            yield from _defaults(other, inner.expr, depth + 1)


def _strings_of(resolver: Any, expr: cst.BaseExpression) -> Iterator[str]:
    value = resolver.resolve(expr)
    for option in value.options:
        if isinstance(option, str):
            yield option


# -- LE708 ---------------------------------------------------------------------------------------------

#: LeanCloud's API hosts: the storage / engine / push API servers of each region, the shared API
#: domains, and the legacy hosts. The app's own domains (`*.leanapp.cn`, `*.avosapps.us`) and the file
#: hosts are not API servers.
_API_HOST = re.compile(
    r"(?<![A-Za-z0-9.\-\x00])(?:"
    r"(?:us-|e1-|cn-e1-|cn-n1-)?api\.leancloud\.cn"
    r"|(?:api|cn|us)\.avoscloud\.com|avoscloud\.us"
    r"|(?:[A-Za-z0-9\-\x00]+)?(?:\.[A-Za-z0-9\-\x00]+)*\.(?:lncld\.net|lncldapi\.com|lncldglobal\.com|lc-cn-n1-shared\.com|lc-cn-e1-shared\.com)"
    r")(?![A-Za-z0-9\-]|\.[A-Za-z])"
)


def api_hosts(text: str) -> list[str]:
    return [m.group(0) for m in _API_HOST.finditer(text)]


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
    example = "requests.get('https://api.leancloud.cn/1.1/classes/Todo', headers=headers)"
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
                """
            },
            (
                "wsgi.py:4:11: the LeanCloud API host api.leancloud.cn is written in the code: the platform puts "
                "the app's API server in LEANCLOUD_API_SERVER (it depends on the region and data center, and on "
                "the app's API domain), so a written host can be the wrong one; read "
                "os.environ['LEANCLOUD_API_SERVER'] or let the leancloud SDK make the call",
                "wsgi.py:5:13: the LeanCloud API host {...}.api.lncld.net is written in the code: the platform "
                "puts the app's API server in LEANCLOUD_API_SERVER (it depends on the region and data center, and "
                "on the app's API domain), so a written host can be the wrong one; read "
                "os.environ['LEANCLOUD_API_SERVER'] or let the leancloud SDK make the call",
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
            f"the LeanCloud API host {host} is written in the code: the platform puts the app's API server in "
            "LEANCLOUD_API_SERVER (it depends on the region and data center, and on the app's API domain), so a "
            "written host can be the wrong one; read os.environ['LEANCLOUD_API_SERVER'] or let the leancloud SDK "
            "make the call",
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


def _fstring_text(node: cst.BaseExpression) -> str | None:
    """A string's text with each replacement field as one placeholder character (NUL)."""
    if isinstance(node, cst.ConcatenatedString):
        left, right = _fstring_text(node.left), _fstring_text(node.right)
        return left + right if left is not None and right is not None else None
    if isinstance(node, cst.SimpleString):
        return _string(node)
    if isinstance(node, cst.FormattedString):
        out = ""
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                out += part.value
            else:
                out += "\x00"
        return out
    return None
