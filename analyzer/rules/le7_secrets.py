"""LE701: LeanCloud keys written as literals in the code.

The platform puts the app's keys in the environment (`LEANCLOUD_APP_ID`, `LEANCLOUD_APP_KEY`,
`LEANCLOUD_APP_MASTER_KEY`, `LEANCLOUD_APP_HOOK_KEY`), so code never needs them written down; a key in
the code is in the repository, its history and every copy of the upload. The rule looks at every
uploaded file (a secret leaks whether or not the platform runs the file).

A string is reported only when both its context and its shape say it is a key:

* context: an argument of `leancloud.init(...)`; the default, fallback or new value of a key variable
  (`os.environ.get('LEANCLOUD_APP_KEY', '...')`, `os.environ['LEANCLOUD_APP_MASTER_KEY'] = '...'`); a
  value named like one (`LEANCLOUD_APP_KEY = '...'`, `{'lc_master_key': '...'}`; bare `MASTER_KEY` /
  `APP_KEY` / `APP_ID` / `HOOK_KEY` only in modules that import `leancloud`); or a constant that reaches
  `leancloud.init` through names, in the same module or imported from another (reported at the literal,
  saying where it is used);
* shape: letters and digits with both kinds, 16 to 64 characters (exactly LeanCloud's 24, plus the
  region suffix of an App ID, for the weaker bare names), and nothing of a placeholder (`your-app-key`,
  `xxx`, `changeme`, `<MASTER_KEY>`, `${...}`).

Messages show at most the first four characters of a key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

import libcst as cst

from analyzer.ftypes import Case, Severity
from analyzer.rules.base import CodeRule
from analyzer.values import argument

# -- what a key is ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    title: str  # "Master Key"
    variable: str  # the variable the platform sets
    consequence: str
    secret: bool = True


MASTER = Role(
    "Master Key",
    "LEANCLOUD_APP_MASTER_KEY",
    "it bypasses every ACL and class permission, so whoever reads the code (the repository, its history, "
    "the uploaded files) has full control of the app's data",
)
HOOK = Role(
    "Hook Key",
    "LEANCLOUD_APP_HOOK_KEY",
    "it proves a call to the app's hooks comes from the platform, so whoever reads the code can call them "
    "as the platform",
)
APP_KEY = Role(
    "App Key",
    "LEANCLOUD_APP_KEY",
    "with the App ID it lets whoever reads the code call the app's API",
)
APP_ID = Role(
    "App ID",
    "LEANCLOUD_APP_ID",
    "an App ID is no secret, but a written one ties the code to one app (deployed to another app, or to "
    "the app's staging copy, it talks to the wrong data)",
    secret=False,
)

#: How each key is spelled in names: every spelling lean-lint recognizes (also the rule's keywords).
_SPELLINGS: tuple[tuple[Role, tuple[str, ...]], ...] = (
    (MASTER, ("MASTER_KEY", "MASTERKEY", "master_key", "masterkey", "masterKey", "MasterKey", "Master_Key")),
    (HOOK, ("HOOK_KEY", "HOOKKEY", "hook_key", "hookkey", "hookKey", "HookKey", "Hook_Key")),
    (APP_KEY, ("APP_KEY", "APPKEY", "app_key", "appkey", "appKey", "AppKey", "App_Key")),
    (APP_ID, ("APP_ID", "APPID", "app_id", "appid", "appId", "appID", "AppId", "AppID", "App_Id", "App_ID")),
)
#: Names that say "LeanCloud" (a token of the name): `LEANCLOUD_APP_KEY`, `lc_master_key`, `leanAppId`.
_VENDOR_TOKENS = frozenset({"leancloud", "lean", "lc", "avos", "avoscloud", "leanengine", "lncld"})
#: Bare key names: LeanCloud's only where the module uses the `leancloud` SDK.
_BARE_NAMES = frozenset({"appid", "appkey", "masterkey", "hookkey", "appmasterkey", "apphookkey"})
_INIT_FUNCS = frozenset({"leancloud.init", "leancloud.client.init"})
#: `leancloud.init(app_id, app_key=None, master_key=None, hook_key=None)`.
_INIT_PARAMS: tuple[tuple[str, Role], ...] = (
    ("app_id", APP_ID), ("app_key", APP_KEY), ("master_key", MASTER), ("hook_key", HOOK),
)
_ENV_READS = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault", "os.environ.pop"})
_CALLEE_NAMES = frozenset({"init", "get", "getenv", "setdefault", "pop"})

_STRICT_ID = re.compile(r"^[A-Za-z0-9]{24}(?:-[A-Za-z0-9]{8})?$")
_STRICT_KEY = re.compile(r"^[A-Za-z0-9]{24}$")
_LOOSE_ID = re.compile(r"^[A-Za-z0-9]{16,64}(?:-[A-Za-z0-9]{4,12})?$")
_LOOSE_KEY = re.compile(r"^[A-Za-z0-9]{16,64}$")
_PLACEHOLDER = re.compile(
    r"(?i)your|example|xxx|placeholder|change_?me|dummy|fake|sample|test|demo|secret|replace|insert|"
    r"todo|fixme|here|app_?id|app_?key|master_?key|hook_?key|leancloud|abcdef|123456|000000|(.)\1{4}"
)


def _tokens(name: str) -> list[str]:
    """`LEANCLOUD_APP_KEY` / `leanAppKey` / `lc-master-key` -> lower-case words."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [t for t in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if t]


def name_role(name: str, uses_sdk: bool) -> tuple[Role, bool] | None:
    """(the key a name holds, whether the name alone says LeanCloud), or None.

    `LEANCLOUD_APP_MASTER_KEY`, `lc_app_key`, `leanAppId` name LeanCloud keys anywhere; a bare
    `MASTER_KEY` / `app_key` / `APP_ID` only in a module that imports the SDK."""
    role = next((r for r, spellings in _SPELLINGS if any(s in name for s in spellings)), None)
    if role is None:
        return None
    tokens = _tokens(name)
    if _VENDOR_TOKENS.intersection(tokens):
        return role, True
    if uses_sdk and "".join(tokens) in _BARE_NAMES:
        return role, False
    return None


def looks_like_key(text: str, role: Role, strict: bool) -> bool:
    """Letters and digits of a key's length, with both kinds, and no placeholder word."""
    pattern = (_STRICT_ID if role is APP_ID else _STRICT_KEY) if strict else (_LOOSE_ID if role is APP_ID else _LOOSE_KEY)
    if not pattern.match(text):
        return False
    body = text.split("-")[0]
    if not (re.search(r"[0-9]", body) and re.search(r"[A-Za-z]", body)) or len(set(body)) < 10:
        return False
    return not _PLACEHOLDER.search(text)


def shown(text: str) -> str:
    """A key as messages show it: never more than its first four characters."""
    return f"'{text[:4]}…' ({len(text)} characters)"


def _string(node: cst.CSTNode) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - odd escapes
            return None
        return value if isinstance(value, str) else None
    return None


# -- one module's own findings -------------------------------------------------------------------------


@dataclass
class Hit:
    node: cst.CSTNode  # the string literal
    role: Role
    where: str  # "passed to leancloud.init() as the App Key"
    rank: int = 0


class _Scan(cst.CSTVisitor):
    """The keys a module writes in a place that says so by itself, and the `leancloud.init` arguments
    that are names (followed by the rule)."""

    def __init__(self, resolver: Any) -> None:
        super().__init__()
        self.resolver = resolver
        project, rel = resolver.project, resolver.path
        info = project.file_info(rel)
        refs = info.imports + info.dead_main_imports
        self.uses_sdk = any(ref.module == "leancloud" or ref.module.startswith("leancloud.") for ref in refs)
        #: `from os import getenv as g` / `from leancloud import init`: a bare name may be one of them.
        self.imports_names = any(ref.names and ref.module.split(".")[0] in ("os", "leancloud") for ref in refs)
        self.hits: dict[int, Hit] = {}
        #: (role, keyword as passed, argument expression, the call) of `leancloud.init` arguments.
        self.init_args: list[tuple[Role, str, cst.BaseExpression, cst.Call]] = []

    def callee(self, func: cst.BaseExpression) -> str | None:
        """The qualified name of a call's target, asked of the resolver only for names that can be
        `leancloud.init` or an environment read (looking names up costs a walk of the module)."""
        if isinstance(func, cst.Attribute):
            if func.attr.value not in _CALLEE_NAMES:
                return None
        elif not isinstance(func, cst.Name) or (func.value not in _CALLEE_NAMES and not self.imports_names):
            return None
        return self.resolver.qualified_name(func)

    def is_environ(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Attribute) and expr.attr.value == "environ" or (
            isinstance(expr, cst.Name) and "env" in expr.value.lower()
        ):
            return self.resolver.qualified_name(expr) == "os.environ"
        return False

    def hit(self, expr: cst.BaseExpression, role: Role, strict: bool, where: str, rank: int = 0) -> None:
        """A key at each literal `expr` may be; `rank`: how specific the context is (an argument of
        `leancloud.init` 2, an environment variable 1, a name 0): the most specific one is told."""
        for leaf in leaves(self, expr):
            text = _string(leaf)
            known = self.hits.get(id(leaf))
            if text is not None and (known is None or known.rank < rank) and looks_like_key(text, role, strict):
                self.hits[id(leaf)] = Hit(leaf, role, where, rank)

    def env_role(self, key: cst.BaseExpression) -> tuple[Role, bool, str] | None:
        """The key a variable name written here holds (a literal: what the keyword prefilter sees)."""
        name = _string(key)
        if name is None:
            return None
        found = name_role(name, self.uses_sdk)
        return (found[0], found[1], name) if found else None

    def visit_Call(self, node: cst.Call) -> None:
        qual = self.callee(node.func)
        if qual in _INIT_FUNCS:
            for index, (keyword, role) in enumerate(_INIT_PARAMS):
                arg = argument(node, index, keyword)
                if arg is None:
                    continue
                label = "the App ID" if role is APP_ID else keyword
                self.hit(arg, role, False, f"passed to leancloud.init() as {label}", 2)
                if _string(arg) is None:
                    self.init_args.append((role, label, arg, node))
        elif qual in _ENV_READS:
            key, default = argument(node, 0, "key"), argument(node, 1, "default")
            found = self.env_role(key) if key is not None else None
            if found is not None and default is not None:
                role, vendor, name = found
                verb = "as the value of" if qual == "os.environ.setdefault" else "as the default of"
                self.hit(default, role, not vendor, f"{verb} {name}", 1)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        """`os.environ.get('LEANCLOUD_APP_KEY') or '...'`."""
        if not isinstance(node.operator, cst.Or) or not isinstance(node.left, cst.Call):
            return
        if self.callee(node.left.func) not in _ENV_READS:
            return
        key = argument(node.left, 0, "key")
        found = self.env_role(key) if key is not None else None
        if found is not None:
            self.hit(node.right, found[0], not found[1], f"as the fallback of {found[2]}", 1)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self.assigned(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.assigned(node.target, node.value)

    def assigned(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, cst.Subscript) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
            key = target.slice[0].slice.value
            if self.is_environ(target.value):
                found = self.env_role(key)
                if found is not None:
                    self.hit(value, found[0], not found[1], f"set as {found[2]}", 1)
                return
            name = _string(key)
            if name is not None:
                self.named(name, value, f"under the key {name!r}")
            return
        if isinstance(target, cst.Name):
            self.named(target.value, value, f"assigned to {target.value}")
        elif isinstance(target, cst.Attribute):
            self.named(target.attr.value, value, f"assigned to {target.attr.value}")

    def named(self, name: str, value: cst.BaseExpression, where: str) -> None:
        found = name_role(name, self.uses_sdk)
        if found is not None:
            self.hit(value, found[0], not found[1], where)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        name = _string(node.key)
        if name is not None:
            self.named(name, node.value, f"under the key {name!r}")

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.named(node.keyword.value, node.value, f"passed as {node.keyword.value}=")


def leaves(scan: _Scan, expr: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    """The string literals an expression may evaluate to, seen without following names: the
    branches of `a if c else b` and `a or b`, and the default of an environment read."""
    if _string(expr) is not None:
        yield expr
    elif isinstance(expr, cst.IfExp):
        yield from leaves(scan, expr.body)
        yield from leaves(scan, expr.orelse)
    elif isinstance(expr, cst.BooleanOperation):
        yield from leaves(scan, expr.left)
        yield from leaves(scan, expr.right)
    elif isinstance(expr, cst.Call) and scan.callee(expr.func) in _ENV_READS:
        default = argument(expr, 1, "default")
        if default is not None:
            yield from leaves(scan, default)


def own_hits(resolver: Any) -> _Scan:
    """Another module's own findings, memoized per run (its own visit stores what it found)."""
    memo = resolver.project.memo.setdefault(__name__, {})
    scan = memo.get(resolver.path)
    if scan is None:  # the nodes are the same whichever resolver of the module asks: one parse per file
        scan = _Scan(resolver)
        resolver.module.visit(scan)
        memo[resolver.path] = scan
    return scan


# -- following names to leancloud.init -------------------------------------------------------------------

_MAX_DEPTH = 8


def reach(resolver: Any, expr: cst.BaseExpression, via: str | None, depth: int = 0) -> Iterator[tuple[Any, cst.BaseExpression, str]]:
    """(resolver of the module, string literal, the name it is bound to) for each literal a name
    passed to `leancloud.init` may hold: through assignments in scope and constants of project
    modules (`from config import MASTER_KEY`, `config.MASTER_KEY`)."""
    if depth > _MAX_DEPTH:
        return
    if _string(expr) is not None:
        if via is not None:
            yield resolver, expr, via
        return
    if isinstance(expr, cst.IfExp):
        yield from reach(resolver, expr.body, via, depth + 1)
        yield from reach(resolver, expr.orelse, via, depth + 1)
        return
    if isinstance(expr, cst.BooleanOperation):
        yield from reach(resolver, expr.left, via, depth + 1)
        yield from reach(resolver, expr.right, via, depth + 1)
        return
    if isinstance(expr, cst.Call):
        if resolver.qualified_name(expr.func) in _ENV_READS:
            default = argument(expr, 1, "default")
            if default is not None:
                yield from reach(resolver, default, via, depth + 1)
        return
    if isinstance(expr, cst.Name):
        for binding in resolver.lookup(expr) or ():
            if binding.kind == "value":
                yield from reach(resolver, binding.expr, expr.value, depth + 1)
            elif binding.kind == "import" and binding.qualname:
                yield from _reach_constant(resolver, binding.qualname, depth)
        return
    if isinstance(expr, cst.Attribute):
        qual = resolver.qualified_name(expr)
        if qual:
            yield from _reach_constant(resolver, qual, depth)


def _reach_constant(resolver: Any, qualname: str, depth: int) -> Iterator[tuple[Any, cst.BaseExpression, str]]:
    found = resolver.split_project_name(qualname)
    if found is None:
        return
    other, name = found
    for binding in other.module_bindings(name) or ():
        if binding.kind == "value":
            yield from reach(other, binding.expr, name, depth + 1)
        elif binding.kind == "import" and binding.qualname:
            yield from _reach_constant(other, binding.qualname, depth + 1)


# -- the rule ----------------------------------------------------------------------------------------


class HardcodedKey(CodeRule):
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
    example = (
        "import leancloud\n"
        "leancloud.init('q3XvT9bLm2ZkR8wPd4NcH7sJ-gzGzoHsz', master_key='Tz5Rn8Wq2Lk7Xv4Mb9Pc6Hs3')"
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
                    leancloud.init('q3XvT9bLm2ZkR8wPd4NcH7sJ-gzGzoHsz', 'Vx8Kp2mQ9tLr4ZbN6wHc3JdY',
                                   master_key='Tz5Rn8Wq2Lk7Xv4Mb9Pc6Hs3')
                    application = leancloud.Engine()
                """
            },
            (
                "wsgi.py:3:16: the LeanCloud App ID 'q3Xv…' (33 characters) is written in the code (passed to "
                "leancloud.init() as the App ID): " + APP_ID.consequence + "; read it from LEANCLOUD_APP_ID, "
                "which the platform sets",
                "wsgi.py:3:53: the LeanCloud App Key 'Vx8K…' (24 characters) is written in the code (passed to "
                "leancloud.init() as app_key): " + APP_KEY.consequence + "; read it from LEANCLOUD_APP_KEY, "
                "which the platform sets; the key stays in the repository's history, so consider it leaked",
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
                "config.py:1:6: the LeanCloud Master Key 'Tz5R…' (24 characters) is written in the code "
                "(assigned to MK, which reaches leancloud.init() as master_key in wsgi.py:5): "
                + MASTER.consequence + "; read it from LEANCLOUD_APP_MASTER_KEY, which the platform sets; the "
                "key stays in the repository's history, so consider it leaked",
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
                "settings.py:2:57: the LeanCloud App Key 'Vx8K…' (24 characters) is written in the code (as "
                "the default of LEANCLOUD_APP_KEY): " + APP_KEY.consequence + "; read it from "
                "LEANCLOUD_APP_KEY, which the platform sets; the key stays in the repository's history, so consider it leaked",
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
            for other, literal, via in reach(resolver, arg, None):
                text = _string(literal)
                if text is None or not looks_like_key(text, role, False):
                    continue
                if other.path != self.ctx.path and id(literal) in own_hits(other).hits:
                    continue  # its own module reports it
                known = scan.hits.get(id(literal)) if other.path == self.ctx.path else None
                if known is not None and known.rank > 0:
                    continue  # an environment default or an init argument: told as such below
                where = f"assigned to {via}, which reaches leancloud.init() as {label}"
                if other.path != self.ctx.path:
                    where += f" in {use}"
                found.setdefault(id(literal), (other.path, literal, Hit(literal, role, where)))
        for key, hit in scan.hits.items():
            found.setdefault(key, (self.ctx.path, hit.node, hit))
        for path, literal, hit in found.values():
            message = self._message(hit, _string(literal) or "")
            severity = None if hit.role.secret else Severity.WARNING
            if path == self.ctx.path:
                self.report(literal, message, severity=severity)
            else:
                parsed = self.ctx.project.parsed(path)
                if parsed is not None:
                    self.report_at(path, parsed.span(literal), message, severity=severity)

    @staticmethod
    def _message(hit: Hit, text: str) -> str:
        role = hit.role
        advice = f"read it from {role.variable}, which the platform sets"
        if role.secret:
            advice += "; the key stays in the repository's history, so consider it leaked"
        return f"the LeanCloud {role.title} {shown(text)} is written in the code ({hit.where}): {role.consequence}; {advice}"
