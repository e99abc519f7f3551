"""LE703 https-redirect-loop."""

from __future__ import annotations

import libcst as cst

from analyzer.rules.base import CodeRule
from analyzer.rules.proxy._proxy import (
    _FLASK_REDIRECTS,
    _FLASK_SCHEME,
    _FORWARDED_ALLOW,
    _HTTPS_REDIRECT_MIDDLEWARE,
    _LOOP,
    _PLATFORM_REDIRECT,
    _PROTO_HEADER,
    _PROXY_FIX,
    _PROXY_SSL_HEADER,
    _runtime_imports,
    _runtime_texts_match,
)
from analyzer.support.visiting import walk
from analyzer.types import Case, Severity


class HttpsRedirectLoop(CodeRule):
    code = "LE703"
    name = "https-redirect-loop"
    severity = Severity.WARNING
    summary = "An app-level redirect to HTTPS ignores X-Forwarded-Proto, so it loops forever behind the load balancer."
    why = (
        "Cloud Engine's load balancer terminates HTTPS and forwards every request to the app over plain HTTP, "
        "telling the original scheme in the `X-Forwarded-Proto` header. A redirect to HTTPS that decides from "
        "the app's own connection sees HTTP on every request, including the ones that came over HTTPS: it "
        "redirects forever and the browser gives up (too many redirects). The platform redirects to HTTPS "
        "itself when the domain's Force HTTPS option is on, so the app does not need to. lean-lint reports "
        "Django's `SECURE_SSL_REDIRECT = True` without `SECURE_PROXY_SSL_HEADER`, Starlette's / FastAPI's "
        "`HTTPSRedirectMiddleware` unless uvicorn or gunicorn trusts the balancer (`forwarded_allow_ips`), "
        "and a Flask redirect decided by `request.is_secure` / `request.scheme` without werkzeug's `ProxyFix`. "
        "Flask-Talisman, Flask-SSLify and the leancloud SDK's `HttpsRedirectMiddleware` read "
        "`X-Forwarded-Proto` themselves and are fine."
    )
    example = Case(
        {
            "wsgi.py": """
                import os

                from django.core.wsgi import get_wsgi_application

                os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')
                application = get_wsgi_application()
                """,
            "mysite/__init__.py": "",
            "mysite/settings.py": """
                MIDDLEWARE = ['django.middleware.security.SecurityMiddleware']
                SECURE_SSL_REDIRECT = True
                """,
        },
        ("mysite/settings.py:2:23",),
    )
    fix = (
        "Tell the framework to trust the balancer's X-Forwarded-Proto header, or drop the app's redirect and turn "
        "on Force HTTPS for the domain.\n"
        "```\n"
        "SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')  # Django\n"
        "app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)               # Flask\n"
        "```\n"
        "For uvicorn: `--forwarded-allow-ips='*'`."
    )
    tags = ("python", "load-balancer", "http")
    keywords = ("SECURE_SSL_REDIRECT", "HTTPSRedirectMiddleware", "is_secure", "scheme")

    fires = (
        Case(
            {
                "wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
                "mysite/__init__.py": "",
                "mysite/settings.py": """
                    DEBUG = False
                    MIDDLEWARE = ['django.middleware.security.SecurityMiddleware']
                    SECURE_SSL_REDIRECT = not DEBUG
                """,
            },
            (
                "mysite/settings.py:3:23: SECURE_SSL_REDIRECT = True without "
                "SECURE_PROXY_SSL_HEADER: the platform's balancer ends HTTPS, so requests arrive "
                "as HTTP and redirect forever",
            ),
        ),
        Case(
            {
                "leanengine.yaml": "run: uvicorn main:app --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT}\n",
                "main.py": """
                    from fastapi import FastAPI
                    from fastapi.middleware.httpsredirect import HTTPSRedirectMiddleware
                    app = FastAPI()
                    app.add_middleware(HTTPSRedirectMiddleware)
                """,
            },
            (
                "main.py:4:20: HTTPSRedirectMiddleware, and uvicorn trusts X-Forwarded-Proto from "
                "127.0.0.1 only: the platform's balancer ends HTTPS, so requests arrive as HTTP "
                "and redirect forever",
            ),
        ),
        Case(
            {
                "wsgi.py": """
                    from flask import Flask, request, redirect
                    app = application = Flask(__name__)
                    @app.before_request
                    def force_https():
                        if not request.is_secure:
                            return redirect(request.url.replace('http://', 'https://', 1), 301)
                """
            },
            ("wsgi.py:5:12",),
        ),
    )
    near_misses = (
        Case(
            {
                "wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
                "mysite/__init__.py": "",
                "mysite/settings.py": """
                    import os
                    SECURE_SSL_REDIRECT = True
                    SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')
                """,
            },
            note="the proxy header is trusted",
        ),
        Case(
            {
                "wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
                "mysite/__init__.py": "",
                "mysite/settings.py": """
                    import os
                    SECURE_SSL_REDIRECT = os.environ.get('SSL_REDIRECT') == '1'
                    MIDDLEWARE = ['django.middleware.common.CommonMiddleware']
                """,
                "mysite/other_settings.py": "SECURE_SSL_REDIRECT = True\n",
            },
            note="unknown value; a settings module the platform does not load",
        ),
        Case(
            {
                "wsgi.py": """
                    from flask import Flask, request, redirect
                    from flask_talisman import Talisman
                    from flask_sslify import SSLify
                    import leancloud
                    app = Flask(__name__)
                    Talisman(app)
                    SSLify(app)
                    application = leancloud.Engine(leancloud.HttpsRedirectMiddleware(app))
                    @app.before_request
                    def force_https():
                        if request.headers.get('X-Forwarded-Proto', 'http') != 'https' and not request.is_secure:
                            return redirect(request.url.replace('http://', 'https://', 1))
                """
            },
            note="redirects that read X-Forwarded-Proto",
        ),
        Case(
            {
                "leanengine.yaml": "run: uvicorn main:app --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT} --proxy-headers --forwarded-allow-ips='*'\n",
                "main.py": "from fastapi import FastAPI\nfrom fastapi.middleware.httpsredirect import HTTPSRedirectMiddleware\n"
                "app = FastAPI()\napp.add_middleware(HTTPSRedirectMiddleware)\n",
            },
            note="uvicorn trusts the balancer",
        ),
        Case(
            {
                "wsgi.py": """
                    from flask import Flask, request, redirect
                    from werkzeug.middleware.proxy_fix import ProxyFix
                    app = application = Flask(__name__)
                    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)
                    @app.before_request
                    def force_https():
                        if request.scheme == 'http':
                            return redirect(request.url.replace('http://', 'https://', 1))
                    @app.route('/')
                    def index():
                        return 'secure' if request.is_secure else 'plain'
                """
            },
            note="ProxyFix; is_secure read without a redirect",
        ),
    )

    def visit_Assign(self, node: cst.Assign) -> None:
        """Django settings: a module-level `SECURE_SSL_REDIRECT = <true>`."""
        if not any(isinstance(t.target, cst.Name) and t.target.value == "SECURE_SSL_REDIRECT" for t in node.targets):
            return
        if any(isinstance(a, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) for a in self.ctx.ancestors):
            return
        value = self.ctx.resolver.resolve(node.value)
        if not value.all(lambda o: o is True or (isinstance(o, int) and not isinstance(o, bool) and o != 0)):
            return
        if _PROXY_SSL_HEADER.search(self.ctx.parsed.text) or _runtime_texts_match(
            self.ctx.project, _PROXY_SSL_HEADER, "proxy-ssl-header"
        ):
            return
        if not self._security_middleware_may_run() or not _runtime_imports(self.ctx.project, "django"):
            return  # no SecurityMiddleware, or no Django to read the setting
        self.report(
            node.value,
            f"SECURE_SSL_REDIRECT = True without SECURE_PROXY_SSL_HEADER: {_LOOP}",
            hint=f"Set SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https'), {_PLATFORM_REDIRECT}",
        )

    def _security_middleware_may_run(self) -> bool:
        """False when this module lists MIDDLEWARE (as a literal, once) without SecurityMiddleware,
        which is what reads SECURE_SSL_REDIRECT."""
        resolver = self.ctx.resolver
        for name in ("MIDDLEWARE", "MIDDLEWARE_CLASSES"):
            bindings = resolver.module_bindings(name)
            if not bindings:
                continue
            if len(bindings) != 1 or bindings[0].kind != "value":
                return True
            items = resolver.elements(bindings[0].expr)
            if items is None:
                return True
            values = [resolver.resolve(i).single for i in items]
            return "django.middleware.security.SecurityMiddleware" in values
        return True

    def visit_Name(self, node: cst.Name) -> None:
        self._middleware(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "HTTPSRedirectMiddleware":
            self._middleware(node)
        elif node.attr.value in ("is_secure", "scheme"):
            self._flask_redirect(node)

    def _middleware(self, node: cst.BaseExpression) -> None:
        """Starlette's HTTPSRedirectMiddleware passed to add_middleware / Middleware, or called."""
        ancestors = self.ctx.ancestors
        parent = ancestors[-2] if len(ancestors) >= 2 else None
        used = (isinstance(parent, cst.Arg) and parent.value is node) or (isinstance(parent, cst.Call) and parent.func is node)
        if not used or "HTTPSRedirectMiddleware" not in self.ctx.parsed.text:
            return
        if self.ctx.resolver.qualified_name(node) not in _HTTPS_REDIRECT_MIDDLEWARE:
            return
        if _runtime_texts_match(self.ctx.project, _FORWARDED_ALLOW, "forwarded-allow"):
            return
        self.report(
            node,
            f"HTTPSRedirectMiddleware, and uvicorn trusts X-Forwarded-Proto from 127.0.0.1 only: {_LOOP}",
            hint=f"Run uvicorn with --forwarded-allow-ips='*', {_PLATFORM_REDIRECT}",
        )

    def _flask_redirect(self, node: cst.Attribute) -> None:
        """`if not request.is_secure: return redirect(...)` in Flask, without ProxyFix."""
        resolver = self.ctx.resolver
        if resolver.qualified_name(node) not in _FLASK_SCHEME:
            return
        test_if = None
        for a, b in zip(self.ctx.ancestors, self.ctx.ancestors[1:]):
            if isinstance(a, cst.If) and b is a.test:
                test_if = a
        if test_if is None or not self._redirects(test_if.body):
            return
        module = self.ctx.parsed.module
        if _PROTO_HEADER.search(module.code_for_node(test_if.test)):
            return
        if _runtime_texts_match(self.ctx.project, _PROXY_FIX, "proxy-fix"):
            return
        what = module.code_for_node(node)
        self.report(
            node,
            f"this redirect to HTTPS follows {what}, the app's own connection: {_LOOP}",
            hint=f"Wrap the app in werkzeug's ProxyFix (x_proto=1) so that {what} follows X-Forwarded-Proto, "
            f"{_PLATFORM_REDIRECT}",
        )

    def _redirects(self, body: cst.CSTNode) -> bool:
        resolver = self.ctx.resolver
        found = False

        class Finder(cst.CSTVisitor):
            def visit_Call(self, call: cst.Call) -> None:
                nonlocal found
                if resolver.qualified_name(call.func) in _FLASK_REDIRECTS:
                    found = True

        walk(body, Finder())
        return found
