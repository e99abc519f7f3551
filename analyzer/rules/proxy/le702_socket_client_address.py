"""LE702 socket-client-address."""

from __future__ import annotations

import libcst as cst

from analyzer.model.resolver import argument
from analyzer.rules.base import CodeRule, NodeFix
from analyzer.rules.proxy._proxy import (
    _BALANCER,
    _FLASK_REQUESTS,
    _FORWARDED_ALLOW,
    _KEY_FUNCS,
    _PROXY_FIX,
    _PROXY_HEADER,
    _REMOTE_ADDR_REWRITE,
    _TORNADO_XHEADERS,
    _WERKZEUG_REQUESTS,
    _imports,
    _runtime_imports,
    _runtime_texts_match,
    _string,
)
from analyzer.types import Case, Severity


class SocketClientAddress(CodeRule):
    code = "LE702"
    name = "socket-client-address"
    severity = Severity.WARNING
    fixable = True
    summary = "The client's address is read from the socket, which behind the load balancer is the balancer's address."
    why = (
        "Every request reaches a Cloud Engine app through the platform's load balancer. The address at the "
        "other end of the app's socket is the balancer's, the same for every client; the balancer passes the "
        "client's address in the `X-Real-IP` header (and in `Forwarded`). So Flask's `request.remote_addr`, "
        "Django's `request.META['REMOTE_ADDR']`, Tornado's `request.remote_ip` (unless the server is created "
        "with `xheaders=True`), aiohttp's `request.remote` and Starlette's / FastAPI's `request.client.host` "
        "(unless uvicorn trusts the balancer with `--forwarded-allow-ips`) all give the balancer's address: "
        "logs, rate limits, allow lists and anything keyed by the client's address see one client. "
        "lean-lint also reports the rate-limit key functions that return that address (Flask-Limiter's and "
        "slowapi's `get_remote_address`). It stays quiet where the code reads `X-Real-IP` or "
        "`X-Forwarded-For` itself with the socket address as a fallback, and where werkzeug's `ProxyFix` "
        "wraps the app."
    )
    example = Case(
        {
            "wsgi.py": """
                from flask import request

                @app.route('/')
                def index():
                    log.info('visit from %s', request.remote_addr)
                """,
        },
        ("wsgi.py:5:31",),
    )
    fix = (
        "Read the client's address from the X-Real-IP header, with the socket address as a fallback for local runs.\n"
        "```\n"
        "ip = request.headers.get('X-Real-IP', request.remote_addr)          # Flask\n"
        "ip = request.META.get('HTTP_X_REAL_IP', request.META['REMOTE_ADDR'])  # Django\n"
        "```\n"
        "`lean-lint --fix` rewrites the Flask and Django forms so. Alternatively wrap a Flask app in werkzeug's "
        "`ProxyFix`, create Tornado's server with `xheaders=True`, or run uvicorn with `--forwarded-allow-ips='*'`."
    )
    tags = ("python", "load-balancer", "http")
    keywords = ("remote", "REMOTE_ADDR", "client")

    fires = (
        Case(
            {
                "wsgi.py": """
                    from flask import Flask, request
                    app = application = Flask(__name__)
                    @app.route('/')
                    def index():
                        return request.remote_addr
                """
            },
            (
                "wsgi.py:5:12: request.remote_addr is the platform's load balancer, not the client",
            ),
            fixed={
                "wsgi.py": """
                    from flask import Flask, request
                    app = application = Flask(__name__)
                    @app.route('/')
                    def index():
                        return request.headers.get('X-Real-IP', request.remote_addr)
                    """,
            },
        ),
        Case(
            {
                "wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
                "mysite/__init__.py": "",
                "mysite/settings.py": "ROOT_URLCONF = 'mysite.urls'\n",
                "mysite/urls.py": "from django.urls import path\nfrom mysite import views\nurlpatterns = [path('', views.index)]\n",
                "mysite/views.py": """
                    from django.http import HttpResponse
                    def index(request):
                        ip = request.META['REMOTE_ADDR']
                        other = request.META.get("REMOTE_ADDR", "")
                        return HttpResponse(ip + other)
                """,
            },
            (
                "mysite/views.py:3:10: request.META['REMOTE_ADDR'] is the platform's load "
                "balancer, not the client",
                "mysite/views.py:4:13",
            ),
        ),
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": """
                    import os
                    import tornado.web
                    class Main(tornado.web.RequestHandler):
                        def get(self):
                            self.write(self.request.remote_ip)
                    app = tornado.web.Application([('/', Main)])
                    app.listen(int(os.environ['LEANCLOUD_APP_PORT']))
                """,
            },
            ("app.py:5:20",),
        ),
        Case(
            {
                "leanengine.yaml": "run: uvicorn main:app --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT}\n",
                "main.py": """
                    from fastapi import FastAPI, Request
                    from slowapi import Limiter
                    from slowapi.util import get_remote_address
                    app = FastAPI()
                    limiter = Limiter(key_func=get_remote_address)
                    @app.get('/')
                    async def index(request: Request):
                        return {'ip': request.client.host}
                """,
            },
            ("main.py:5:28", "main.py:8:19"),
        ),
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": """
                    import os
                    from aiohttp import web
                    async def index(request):
                        return web.Response(text=request.remote)
                    app = web.Application()
                    app.router.add_get('/', index)
                    web.run_app(app, port=int(os.environ['LEANCLOUD_APP_PORT']))
                """,
            },
            ("app.py:4:30",),
        ),
    )
    near_misses = (
        Case(
            {
                "wsgi.py": """
                    from flask import Flask, request
                    app = application = Flask(__name__)
                    @app.route('/')
                    def index():
                        return request.headers.get('X-Real-IP', request.remote_addr)
                    @app.route('/b')
                    def b():
                        ip = request.headers.get('X-Forwarded-For') or request.remote_addr
                        return ip
                    @app.route('/c')
                    def c():
                        forwarded = request.headers.get('x-forwarded-for')
                        if forwarded:
                            return forwarded.split(',')[0]
                        return request.remote_addr
                """
            },
            note="the proxy headers read first, the socket address as a fallback",
        ),
        Case(
            {
                "wsgi.py": """
                    from flask import Flask, request
                    from werkzeug.middleware.proxy_fix import ProxyFix
                    app = application = Flask(__name__)
                    app.wsgi_app = ProxyFix(app.wsgi_app)
                    @app.route('/')
                    def index():
                        return request.remote_addr
                """
            },
            note="ProxyFix wraps the app",
        ),
        Case(
            {
                "wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
                "mysite/__init__.py": "",
                "mysite/settings.py": "ROOT_URLCONF = 'mysite.urls'\n",
                "mysite/urls.py": "from django.urls import path\nfrom mysite import views\nurlpatterns = [path('', views.index)]\n",
                "mysite/views.py": """
                    def get_client_ip(request):
                        x_forwarded_for = request.META.get('HTTP_X_FORWARDED_FOR')
                        if x_forwarded_for:
                            return x_forwarded_for.split(',')[0]
                        return request.META.get('REMOTE_ADDR')
                    def index(request):
                        request.META['REMOTE_ADDR'] = '1.2.3.4'
                        return 'REMOTE_ADDR' in request.META
                """,
            },
            note="the classic get_client_ip; a write",
        ),
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": """
                    import os
                    import tornado.web
                    from tornado.httpserver import HTTPServer
                    class Main(tornado.web.RequestHandler):
                        def get(self):
                            self.write(self.request.remote_ip)
                    server = HTTPServer(tornado.web.Application([('/', Main)]), xheaders=True)
                    server.listen(int(os.environ['LEANCLOUD_APP_PORT']))
                """,
            },
            note="Tornado with xheaders=True",
        ),
        Case(
            {
                "leanengine.yaml": "run: uvicorn main:app --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT} --forwarded-allow-ips '*'\n",
                "main.py": "from fastapi import FastAPI, Request\napp = FastAPI()\n@app.get('/')\nasync def index(request: Request):\n"
                "    return {'ip': request.client.host}\n",
            },
            note="uvicorn trusts the balancer's headers",
        ),
        Case(
            {
                "wsgi.py": """
                    import git
                    application = None
                    def push(repo, client):
                        repo.remote().push()
                        return client.host, repo.remote
                """
            },
            note="other libraries' remote and client",
        ),
        Case(
            {"tools/report.py": "from flask import request\nprint(request.remote_addr)\n", "wsgi.py": "application = None\n"},
            note="a file the platform does not run",
        ),
    )

    def visit_Attribute(self, node: cst.Attribute) -> None:
        attr = node.attr.value
        if attr == "remote_addr":
            self._flask(node)
        elif attr == "remote_ip":
            self._tornado(node)
        elif attr == "remote":
            self._aiohttp(node)
        elif attr == "host" and isinstance(node.value, cst.Attribute) and node.value.attr.value == "client":
            self._starlette(node)
        elif attr == "META":
            self._django(node)

    def visit_Name(self, node: cst.Name) -> None:
        self._key_func(node)

    # -- frameworks ------------------------------------------------------------------------------------

    def _flask(self, node: cst.Attribute) -> None:
        resolver = self.ctx.resolver
        receiver = node.value
        qual = resolver.qualified_name(receiver)
        if qual not in _FLASK_REQUESTS and resolver.instance_of(receiver) not in _WERKZEUG_REQUESTS:
            return
        if self._is_written(node) or self._falls_back(node) or self._proxy_fix():
            return
        recv = self._code(receiver)
        quote = self._quote()
        replacement = f"{recv}.headers.get({quote}X-Real-IP{quote}, {self._code(node)})"
        self.report(
            node,
            f"{self._code(node)} is {_BALANCER}",
            hint=f"Use {recv}.headers.get('X-Real-IP', {self._code(node)}).",
            fix=NodeFix("Read the X-Real-IP header, with the socket address as a fallback", [(node, replacement)]),
        )

    def _django(self, meta: cst.Attribute) -> None:
        """`request.META['REMOTE_ADDR']` and `request.META.get('REMOTE_ADDR'...)`; `META` is Django's."""
        ancestors = self.ctx.ancestors
        parent = ancestors[-2] if len(ancestors) >= 2 else None
        node: cst.BaseExpression | None = None
        if isinstance(parent, cst.Subscript) and parent.value is meta and len(parent.slice) == 1:
            element = parent.slice[0].slice
            if isinstance(element, cst.Index) and _string(element.value) == "REMOTE_ADDR":
                node, quote_node = parent, element.value
        elif isinstance(parent, cst.Attribute) and parent.attr.value == "get" and len(ancestors) >= 3:
            call = ancestors[-3]
            if isinstance(call, cst.Call) and call.func is parent:
                key = argument(call, 0, "key")
                if key is not None and _string(key) == "REMOTE_ADDR":
                    node, quote_node = call, key
        if node is None:
            return
        project = self.ctx.project
        if not (_imports(project, self.ctx.path, "django", "rest_framework") or _runtime_imports(project, "django")):
            return
        if self._is_written(node) or self._falls_back(node):
            return
        if _runtime_texts_match(project, _REMOTE_ADDR_REWRITE, "remote-addr-rewrite"):
            return
        quote = quote_node.quote if isinstance(quote_node, cst.SimpleString) else "'"
        meta_code = self._code(meta)
        replacement = f"{meta_code}.get({quote}HTTP_X_REAL_IP{quote}, {self._code(node)})"
        self.report(
            node,
            f"{self._code(node)} is {_BALANCER}",
            hint=f"Use {meta_code}.get('HTTP_X_REAL_IP', {self._code(node)}) (X-Real-IP, as Django names it).",
            fix=NodeFix("Read the X-Real-IP header, with the socket address as a fallback", [(node, replacement)]),
        )

    def _tornado(self, node: cst.Attribute) -> None:
        """`self.request.remote_ip` / `request.remote_ip` in a module that uses Tornado."""
        receiver = node.value
        named_request = (isinstance(receiver, cst.Attribute) and receiver.attr.value == "request") or (
            isinstance(receiver, cst.Name) and receiver.value == "request"
        )
        if not named_request or not _imports(self.ctx.project, self.ctx.path, "tornado"):
            return
        if self._is_written(node) or self._falls_back(node):
            return
        if _runtime_texts_match(self.ctx.project, _TORNADO_XHEADERS, "xheaders"):
            return
        code = self._code(node)
        self.report(
            node,
            f"{code} is {_BALANCER}, without xheaders=True",
            hint="Create the server with xheaders=True: app.listen(port, xheaders=True).",
        )

    def _aiohttp(self, node: cst.Attribute) -> None:
        """`request.remote` where `request` is a handler's parameter, in a module that uses aiohttp."""
        if not self._handler_request(node.value) or not _imports(self.ctx.project, self.ctx.path, "aiohttp"):
            return
        if self._is_written(node) or self._falls_back(node):
            return
        code = self._code(node)
        recv = self._code(node.value)
        self.report(
            node,
            f"{code} is {_BALANCER}",
            hint=f"Use {recv}.headers.get('X-Real-IP', {code}).",
        )

    def _starlette(self, node: cst.Attribute) -> None:
        """`request.client.host` where `request` is a handler's parameter (Starlette, FastAPI)."""
        client = node.value
        assert isinstance(client, cst.Attribute)
        if not self._handler_request(client.value):
            return
        if not _imports(self.ctx.project, self.ctx.path, "starlette", "fastapi"):
            return
        if self._is_written(node) or self._falls_back(node) or self._forwarded_allowed():
            return
        code = self._code(node)
        recv = self._code(client.value)
        self.report(
            node,
            f"{code} is {_BALANCER} (uvicorn trusts proxy headers from 127.0.0.1 only)",
            hint=f"Use {recv}.headers.get('x-real-ip', {code}), or run uvicorn with --forwarded-allow-ips='*'.",
        )

    def _key_func(self, node: cst.Name) -> None:
        """`Limiter(key_func=get_remote_address)`: every client shares the balancer's limit."""
        ancestors = self.ctx.ancestors
        parent = ancestors[-2] if len(ancestors) >= 2 else None
        if not isinstance(parent, cst.Arg) or parent.value is not node:
            return
        if "get_remote_address" not in self.ctx.parsed.text:
            return  # no name can refer to it (checked before any name lookup)
        qual = self.ctx.resolver.qualified_name(node)
        if qual not in _KEY_FUNCS:
            return
        what, kind = _KEY_FUNCS[qual]
        if kind == "flask" and self._proxy_fix() or kind == "asgi" and self._forwarded_allowed():
            return
        self.report(
            node,
            f"{what}, {_BALANCER}: all clients share one rate limit",
            hint="Use a key function that reads X-Real-IP: key_func=lambda: request.headers.get('X-Real-IP', request.remote_addr).",
        )

    # -- helpers -------------------------------------------------------------------------------------

    def _code(self, node: cst.CSTNode) -> str:
        return self.ctx.parsed.module.code_for_node(node)

    def _quote(self) -> str:
        """The quote for a new string: inside an f-string the one it does not use (older Pythons allow
        no other), else the one the module mostly uses."""
        for ancestor in reversed(self.ctx.ancestors):
            if isinstance(ancestor, cst.FormattedString):
                return "'" if '"' in ancestor.start else '"'
        text = self.ctx.parsed.text
        return '"' if text.count('"') > text.count("'") else "'"

    def _parent_of(self, node: cst.CSTNode) -> cst.CSTNode | None:
        ancestors = self.ctx.ancestors
        for i in range(len(ancestors) - 1, 0, -1):
            if ancestors[i] is node:
                return ancestors[i - 1]
        return None

    def _is_written(self, node: cst.CSTNode) -> bool:
        """The target of an assignment or `del`, not a read."""
        parent = self._parent_of(node)
        return isinstance(parent, (cst.AssignTarget, cst.Del)) or (
            isinstance(parent, (cst.AugAssign, cst.AnnAssign)) and parent.target is node
        )

    def _falls_back(self, node: cst.CSTNode) -> bool:
        """Read where the code also reads X-Real-IP / X-Forwarded-For / Forwarded: in the same
        function (or, outside functions, the same statement), the socket address is a fallback."""
        scope = None
        for ancestor in reversed(self.ctx.ancestors):
            if isinstance(ancestor, (cst.FunctionDef, cst.Lambda)):
                scope = ancestor
                break
        if scope is None:
            scope = next(
                (a for a in reversed(self.ctx.ancestors) if isinstance(a, (cst.SimpleStatementLine, cst.BaseCompoundStatement))),
                node,
            )
        return bool(_PROXY_HEADER.search(self._code(scope)))

    def _handler_request(self, receiver: cst.BaseExpression) -> bool:
        """A name that is a parameter of the enclosing function, named `request` / `websocket`, or
        annotated with a Request / WebSocket class."""
        if not isinstance(receiver, cst.Name):
            return False
        for ancestor in reversed(self.ctx.ancestors):
            if isinstance(ancestor, (cst.FunctionDef, cst.Lambda)):
                params = ancestor.params
                for param in (*params.posonly_params, *params.params, *params.kwonly_params):
                    if param.name.value != receiver.value:
                        continue
                    if receiver.value in ("request", "req", "websocket", "ws"):
                        return True
                    annotation = param.annotation.annotation if param.annotation is not None else None
                    if annotation is not None:
                        qual = self.ctx.resolver.qualified_name(annotation) or ""
                        return qual.rpartition(".")[2] in ("Request", "BaseRequest", "WebSocket", "HTTPConnection")
                    return False
                return False
        return False

    def _proxy_fix(self) -> bool:
        return _runtime_texts_match(self.ctx.project, _PROXY_FIX, "proxy-fix")

    def _forwarded_allowed(self) -> bool:
        return _runtime_texts_match(self.ctx.project, _FORWARDED_ALLOW, "forwarded-allow")
