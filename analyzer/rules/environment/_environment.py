"""Shared by the environment rules (LE706, LE707, LE708)."""

from __future__ import annotations

import difflib
import re
from typing import Any, Iterator

import libcst as cst

from analyzer.model.resolver import argument
from analyzer.platform.environment import ENV_VALUES, PLATFORM_VARS

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


#: Values people write for LEANCLOUD_APP_ENV, and what they mean.
_MEANT = {
    "staging": "stage", "stg": "stage", "pre": "stage", "preview": "stage", "preprod": "stage",
    "prod": "production", "prd": "production", "product": "production", "live": "production",
    "online": "production", "release": "production",
    "dev": "development", "develop": "development", "devel": "development", "local": "development",
    "debug": "development",
}


_CASE_METHODS = {"lower": str.lower, "casefold": str.casefold, "upper": str.upper, "strip": str.strip}


def meant(value: str) -> str | None:
    low = value.strip().lower()
    if low in ENV_VALUES:
        return low
    if low in _MEANT:
        return _MEANT[low]
    close = difflib.get_close_matches(low, ENV_VALUES, n=1, cutoff=0.75)
    return close[0] if close else None


def _pattern_values(pattern: Any) -> Iterator[cst.BaseExpression]:
    if isinstance(pattern, cst.MatchValue):
        yield pattern.value
    elif isinstance(pattern, cst.MatchOr):
        for element in pattern.patterns:
            yield from _pattern_values(element.pattern)
    elif isinstance(pattern, cst.MatchAs) and pattern.pattern is not None:
        yield from _pattern_values(pattern.pattern)


def _defaults(resolver: Any, expr: cst.BaseExpression) -> Iterator[str]:
    """The strings `expr` holds off the platform, where its environment reads are unset: the
    defaults of those reads (`os.environ.get(name, 'local')`) and the other strings its value may
    come from (`os.getenv(name) or 'dev'`), by the resolver's provenance (`Resolver.sources`)."""
    for source in resolver.sources(expr):
        node = source.node
        if isinstance(node, cst.Call) and source.resolver.qualified_name(node.func) in _ENV_READS:
            default = argument(node, 1, "default")
            if default is not None:
                yield from _strings_of(source.resolver, default)
        elif node is not None:
            yield from _strings_of(source.resolver, node)


def _strings_of(resolver: Any, expr: cst.BaseExpression) -> Iterator[str]:
    value = resolver.resolve(expr)
    for option in value.options:
        if isinstance(option, str):
            yield option


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
