"""LE704 route-under-acme-challenge."""

from __future__ import annotations

from analyzer.model.project import Project
from analyzer.model.routes import FullRoute, acme_route, project_routes, span_of
from analyzer.rules.base import ProjectRule
from analyzer.rules.routes._routes import _DJANGO_WSGI, _FLASK_WSGI
from analyzer.types import Case, Severity


class RouteUnderAcmeChallenge(ProjectRule):
    code = "LE704"
    name = "route-under-acme-challenge"
    severity = Severity.WARNING
    summary = "A route under `/.well-known/acme-challenge/`, a path the platform's load balancer keeps for itself."
    why = (
        "The platform's load balancer answers every request under `/.well-known/acme-challenge/` itself: "
        "it uses those paths to obtain and renew the HTTPS certificates of the domains bound to the app, "
        "and never forwards them to the app. A route there (Flask, Django `path` / `re_path`, FastAPI, "
        "Starlette, bottle, tornado) never runs, so a certificate challenge the app tries to answer, or anything else "
        "served there, is unreachable."
    )
    example = Case(
        {
            "wsgi.py": "from app import app as application\n",
            "app.py": """
                from flask import Flask

                app = Flask(__name__)


                @app.route('/.well-known/acme-challenge/<token>')
                def acme(token):
                    return token
                """,
        },
        ("app.py:6:2",),
    )
    fix = (
        "Remove the route: the platform issues and renews certificates for bound domains itself.\n"
        "Serve anything else under another path."
    )
    tags = ("routes", "load-balancer")

    fires = (
        Case(
            {
                "wsgi.py": _FLASK_WSGI,
                "app.py": "from flask import Flask\napp = Flask(__name__)\n\n"
                "@app.route('/.well-known/acme-challenge/<token>')\ndef acme(token):\n    return token\n",
            },
            ("app.py:4:2: the route `/.well-known/acme-challenge/<token>` never runs: the platform "
             "answers ACME challenges itself",),
        ),
        Case(
            {
                "wsgi.py": _FLASK_WSGI,
                "app.py": "from flask import Flask\nfrom views import certs\napp = Flask(__name__)\n"
                "app.register_blueprint(certs, url_prefix='/.well-known')\n",
                "views.py": "from flask import Blueprint\ncerts = Blueprint('certs', __name__)\n\n"
                "@certs.get('/acme-challenge/<token>')\ndef acme(token):\n    return token\n",
            },
            ("views.py:4:2: the route `/.well-known/acme-challenge/<token>` never runs: the "
             "platform answers ACME challenges itself",),
            note="the blueprint's prefix comes from the registration",
        ),
        Case(
            {
                "wsgi.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n"
                "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_conf.settings')\n"
                "application = get_wsgi_application()\n",
                "site_conf/__init__.py": "",
                "site_conf/settings.py": "ROOT_URLCONF = 'site_conf.urls'\n",
                "site_conf/urls.py": "from django.urls import include, path, re_path\nfrom . import views\n"
                "urlpatterns = [\n    path('', views.home),\n"
                "    re_path(r'^\\.well-known/acme-challenge/(?P<token>[\\w-]+)$', views.acme),\n"
                "    path('.well-known/', include('site_conf.wk')),\n]\n",
                "site_conf/wk.py": "from django.urls import path\nfrom . import views\n"
                "urlpatterns = [path('acme-challenge/<str:token>', views.acme)]\n",
                "site_conf/views.py": "",
            },
            ("site_conf/urls.py:5:5", "site_conf/wk.py:3:16"),
            note="re_path in the root URLconf and path() under include()",
        ),
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": "import tornado.web\nclass H(tornado.web.RequestHandler):\n    pass\n"
                "app = tornado.web.Application([(r'/', H), (r'/.well-known/acme-challenge/(.*)', H)])\n",
            },
            ("app.py:4:44",),
            note="tornado: an unescaped dot matches the dot too",
        ),
        Case(
            {
                "leanengine.yaml": "run: uvicorn main:app --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT}\n",
                "main.py": "from fastapi import FastAPI, APIRouter\napp = FastAPI()\nwk = APIRouter(prefix='/acme-challenge')\n"
                "@wk.get('/{token}')\ndef acme(token: str):\n    return token\n"
                "app.include_router(wk, prefix='/.well-known')\n",
            },
            ("main.py:4:2",),
        ),
        Case(
            {
                "leanengine.yaml": "run: uvicorn main:app --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT}\n",
                "main.py": "from starlette.applications import Starlette\nfrom starlette.routing import Mount, Route\n"
                "async def acme(request):\n    pass\n"
                "app = Starlette(routes=[Route('/', acme), Mount('/.well-known/', routes=[\n"
                "    Route('/acme-challenge/{token}', acme),\n])])\n",
            },
            ("main.py:6:5: the route `/.well-known/acme-challenge/{token}` never runs: the platform "
             "answers ACME challenges itself",),
            note="a Starlette Mount's routes",
        ),
    )
    near_misses = (
        Case(
            {
                "wsgi.py": _FLASK_WSGI,
                "app.py": "from flask import Flask\napp = Flask(__name__)\n"
                "@app.route('/.well-known/assetlinks.json')\ndef links():\n    return ''\n"
                "@app.route('/.well-known/acme-challenge')\ndef bare():\n    return ''\n"
                "@app.route('/<path:anything>')\ndef catch_all(anything):\n    return ''\n",
            },
            note="other /.well-known paths; the path without its trailing slash still reaches the app",
        ),
        Case(
            {
                "wsgi.py": _FLASK_WSGI,
                "app.py": "from flask import Flask, Blueprint\napp = Flask(__name__)\nbp = Blueprint('b', __name__)\n"
                "@bp.route('/.well-known/acme-challenge/<t>')\ndef acme(t):\n    return t\n",
            },
            note="a blueprint that is never registered serves nothing",
        ),
        Case(
            {
                "wsgi.py": _DJANGO_WSGI,
                "mysite/__init__.py": "",
                "mysite/settings.py": "ROOT_URLCONF = 'mysite.urls'\n",
                "mysite/urls.py": "from django.urls import re_path\nfrom . import views\n"
                "urlpatterns = [re_path(r'well-known/acme-challenge/', views.x), re_path(r'^$', views.x)]\n",
                "mysite/views.py": "",
            },
            note="an unanchored regex is not a path lean-lint can place",
        ),
        Case(
            {
                "tools/certs.py": "from flask import Flask\napp = Flask(__name__)\n"
                "@app.route('/.well-known/acme-challenge/<t>')\ndef acme(t):\n    return t\n",
                "wsgi.py": "from flask import Flask\napplication = Flask(__name__)\n",
            },
            note="a file the platform does not run",
        ),
        Case(
            {
                "leanengine.yaml": "run: uvicorn main:app --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT}\n",
                "main.py": "from fastapi import FastAPI\nsub = FastAPI()\n@sub.get('/.well-known/acme-challenge/{t}')\n"
                "def acme(t: str):\n    return t\napp = FastAPI()\napp.mount('/sub', sub)\n",
            },
            note="a mounted sub-app's route is under the mount's path",
        ),
    )

    def check(self, project: Project) -> None:
        if not project.python_applies:
            return
        table = project_routes(project)
        done: set[int] = set()
        fulls: list[FullRoute] = []
        for app in table.top_apps():
            fulls += list(table.full_routes(app))
        for site in table.django:
            fulls += list(table.django_routes(site))
        for full in fulls:
            route = full.route
            if id(route) in done or not acme_route(full):
                continue
            done.add(id(route))
            what = "mount" if route.syntax == "mount" else "route"
            self.report_at(
                route.rel,
                span_of(project, route.rel, route.node),
                f"the {what} `{full.shown()}` never runs: the platform answers ACME challenges itself",
            )
