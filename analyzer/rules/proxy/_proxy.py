"""Shared by the proxy rules (LE702, LE703)."""

from __future__ import annotations

import re
from typing import Any

import libcst as cst

#: werkzeug's ProxyFix (also `werkzeug.contrib.fixers.ProxyFix`, Hypercorn's `ProxyFixMiddleware`).
_PROXY_FIX = re.compile(r"\bProxyFix(?:Middleware)?\s*\(")


_TORNADO_XHEADERS = re.compile(r"\bxheaders\s*=\s*True\b")


#: uvicorn / gunicorn trusting the balancer: `forwarded_allow_ips=`, `--forwarded-allow-ips`,
#: `FORWARDED_ALLOW_IPS`; or uvicorn's proxy-headers middleware added by hand.
_FORWARDED_ALLOW = re.compile(r"(?i)forwarded[_-]allow[_-]ips|ProxyHeadersMiddleware")


#: A Django middleware (or code) that puts the client's address into REMOTE_ADDR itself.
_REMOTE_ADDR_REWRITE = re.compile(r"META\[\s*['\"]REMOTE_ADDR['\"]\s*\]\s*=(?!=)|XForwardedForMiddleware|django_xff")


#: Reading one of the balancer's headers: the socket address is then a fallback.
_PROXY_HEADER = re.compile(r"(?i)x[-_]real[-_]ip|x[-_]forwarded[-_]for|\bforwarded\b")


#: Django told to trust the balancer's scheme header (`SECURE_PROXY_SSL_HEADER = ...`, or as a key).
_PROXY_SSL_HEADER = re.compile(r"SECURE_PROXY_SSL_HEADER['\"]?\s*[:=](?!=)")


_PROTO_HEADER = re.compile(r"(?i)x[-_]forwarded[-_]proto|\bforwarded\b|x[-_]forwarded[-_]ssl")


def _runtime_texts_match(project: Any, pattern: re.Pattern, key: str) -> bool:
    """Does any file the platform runs, or the `run:` command, match `pattern`? (Memoized per run.)"""
    memo = project.memo.setdefault(__name__, {})
    if key not in memo:
        run = project.le_value("run")
        found = isinstance(run, str) and bool(pattern.search(run))
        if not found:
            for rel in sorted(project.runtime_files):
                text = project.python_text(rel)
                if text and pattern.search(text):
                    found = True
                    break
        memo[key] = found
    return memo[key]


def _imports(project: Any, rel: str, *tops: str) -> bool:
    info = project.file_info(rel)
    return any(ref.module.split(".")[0] in tops for ref in info.imports + info.dead_main_imports)


def _runtime_imports(project: Any, *tops: str) -> bool:
    memo = project.memo.setdefault(__name__, {})
    key = "imports:" + ",".join(tops)
    if key not in memo:
        memo[key] = any(_imports(project, rel, *tops) for rel in project.runtime_files)
    return memo[key]


def _string(node: Any) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - odd escapes
            return None
        return value if isinstance(value, str) else None
    return None


_FLASK_REQUESTS = ("flask.request", "quart.request", "flask.globals.request")


_WERKZEUG_REQUESTS = frozenset(
    {"werkzeug.wrappers.Request", "werkzeug.wrappers.request.Request", "werkzeug.Request", "flask.Request", "flask.wrappers.Request"}
)


#: Rate-limit key functions that return the socket's peer address.
_KEY_FUNCS = {
    "flask_limiter.util.get_remote_address": ("Flask-Limiter's get_remote_address returns request.remote_addr", "flask"),
    "slowapi.util.get_remote_address": ("slowapi's get_remote_address returns request.client.host", "asgi"),
}


_BALANCER = (
    "behind Cloud Engine's load balancer, that is the balancer's address, the same for every client; the "
    "client's address is in the X-Real-IP header the balancer sets"
)


_HTTPS_REDIRECT_MIDDLEWARE = frozenset(
    {
        "starlette.middleware.httpsredirect.HTTPSRedirectMiddleware",
        "fastapi.middleware.httpsredirect.HTTPSRedirectMiddleware",
    }
)


_FLASK_REDIRECTS = frozenset({"flask.redirect", "werkzeug.utils.redirect", "quart.redirect"})


_FLASK_SCHEME = frozenset(
    {f"{r}.{a}" for r in _FLASK_REQUESTS for a in ("is_secure", "scheme")}
)


_LOOP = (
    "behind Cloud Engine's load balancer, which terminates HTTPS, every request reaches the app as plain HTTP, "
    "so the app redirects to HTTPS forever (the browser gives up with too many redirects)"
)


_PLATFORM_REDIRECT = "or let the platform redirect (Force HTTPS in the domain's settings)"
