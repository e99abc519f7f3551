"""Shared by the secrets rules (LE701)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

import libcst as cst

from analyzer.model.resolver import argument
from analyzer.support.visiting import NoFieldHooks, walk


@dataclass(frozen=True)
class Role:
    title: str  # "Master Key"
    variable: str  # the variable the platform sets
    consequence: str
    secret: bool = True


MASTER = Role(
    "Master Key",
    "LEANCLOUD_APP_MASTER_KEY",
    "whoever reads it controls all data",
)


HOOK = Role(
    "Hook Key",
    "LEANCLOUD_APP_HOOK_KEY",
    "whoever reads it can call the hooks as the platform",
)


APP_KEY = Role(
    "App Key",
    "LEANCLOUD_APP_KEY",
    "with the App ID, whoever reads it can call the API",
)


APP_ID = Role(
    "App ID",
    "LEANCLOUD_APP_ID",
    "it ties the code to one app",
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
    return f"'{text[:4]}…'"


def _string(node: cst.CSTNode) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - odd escapes
            return None
        return value if isinstance(value, str) else None
    return None


@dataclass
class Hit:
    node: cst.CSTNode  # the string literal
    role: Role
    where: str  # "passed to leancloud.init() as the App Key"
    rank: int = 0


class _Scan(NoFieldHooks, cst.CSTVisitor):
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
                self.hit(arg, role, False, f"leancloud.init()'s {label.removeprefix('the ')}", 2)
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
        walk(resolver.module, scan)
        memo[resolver.path] = scan
    return scan


def reach(resolver: Any, expr: cst.BaseExpression, via: str | None = None) -> Iterator[tuple[Any, cst.BaseExpression, str]]:
    """(resolver of the module, string literal, the name it is bound to) for each literal a name
    passed to `leancloud.init` may hold, by the resolver's provenance (`Resolver.sources`: names,
    constants of project modules, parameters, attributes, returns), and the defaults of the
    environment reads among them. `via`: the name `expr` itself was reached through."""
    for source in resolver.sources(expr):
        node, name = source.node, source.via or via
        if node is None:
            continue
        if _string(node) is not None:
            if name is not None:
                yield source.resolver, node, name
        elif isinstance(node, cst.Call) and source.resolver.qualified_name(node.func) in _ENV_READS:
            default = argument(node, 1, "default")
            if default is not None:
                yield from reach(source.resolver, default, name)
