"""LE704, LE705: routes the balancer swallows, and an app that does not answer the health check.

Both read the app's routes statically (analyzer/routes.py): Flask, Django, FastAPI, bottle and
tornado routes written out in code. LE705 speaks only when every route source in the files the
platform runs could be read; LE704 reports each route whose whole path is known.
"""

from __future__ import annotations

from typing import Optional

from analyzer.ftypes import Case, Severity
from analyzer.project import Project
from analyzer.routes import (
    DJANGO_WSGI,
    FullRoute,
    Origin,
    acme_route,
    may_answer_root,
    project_routes,
    route_objects,
    span_of,
)
from analyzer.rules.base import ProjectRule

_FLASK_WSGI = "from app import app as application\n"
_DJANGO_WSGI = (
    "import os\nfrom django.core.wsgi import get_wsgi_application\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\napplication = get_wsgi_application()\n"
)


class AcmeChallengeRoute(ProjectRule):
    code = "LE704"
    name = "route-under-acme-challenge"
    severity = Severity.WARNING
    summary = "A route under `/.well-known/acme-challenge/`, a path the platform's load balancer keeps for itself."
    why = (
        "The platform's load balancer answers every request under `/.well-known/acme-challenge/` itself: "
        "it uses those paths to obtain and renew the HTTPS certificates of the domains bound to the app, "
        "and never forwards them to the app. A route there (Flask, Django `path` / `re_path`, FastAPI, "
        "bottle, tornado) never runs, so a certificate challenge the app tries to answer, or anything else "
        "served there, is unreachable."
    )
    example = "@app.route('/.well-known/acme-challenge/<token>')\ndef acme(token):\n    return tokens[token]"
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
            ("app.py:4:2: the route `/.well-known/acme-challenge/<token>` is under /.well-known/acme-challenge/, "
             "which the platform's load balancer keeps for certificate validation: requests there never reach "
             "the app, so the route never runs",),
        ),
        Case(
            {
                "wsgi.py": _FLASK_WSGI,
                "app.py": "from flask import Flask\nfrom views import certs\napp = Flask(__name__)\n"
                "app.register_blueprint(certs, url_prefix='/.well-known')\n",
                "views.py": "from flask import Blueprint\ncerts = Blueprint('certs', __name__)\n\n"
                "@certs.get('/acme-challenge/<token>')\ndef acme(token):\n    return token\n",
            },
            ("views.py:4:2: the route `/.well-known/acme-challenge/<token>` is under "
             "/.well-known/acme-challenge/, which the platform's load balancer keeps for certificate validation: "
             "requests there never reach the app, so the route never runs",),
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
    )

    def check(self, project: Project) -> None:
        if not project.python_applies:
            return
        table = project_routes(project)
        done: set[int] = set()
        fulls: list[FullRoute] = []
        for app in table.apps:
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
                f"the {what} `{full.shown()}` is under /.well-known/acme-challenge/, which the platform's load "
                f"balancer keeps for certificate validation: requests there never reach the app, so the {what} "
                "never runs",
            )


class NoRootRoute(ProjectRule):
    code = "LE705"
    name = "health-check-unanswered"
    severity = Severity.WARNING
    summary = "No route answers `/` and the SDK does not answer `/__engine/1/ping`: the health check fails."
    why = (
        "While deploying, and periodically afterwards, the platform checks the app's health with "
        "`GET /`, which must answer 2xx; it accepts the LeanCloud SDK's `/__engine/1/ping` instead when "
        "the app is wrapped by `leancloud.Engine` (`application = engine` with `engine = Engine(app)`, or "
        "`engine.wrap(app)`). An app with no route at `/` and no Engine answers 404: the startup check "
        "never succeeds, the deploy is aborted after `startupTimeout`, and a running instance is restarted. "
        "lean-lint reads the routes of Flask, Django, FastAPI, bottle and tornado apps and reports only "
        "when it can read all of them: routes built at run time, another framework, an app handed to a "
        "middleware it does not know, a 404 handler or a catch-all keep it quiet."
    )
    example = "app = Flask(__name__)\n\n@app.route('/api/items')\ndef items():\n    return []"
    fix = (
        "Answer `/` with a 2xx (a small index or health view), or wrap the app with the SDK, whose Engine "
        "answers `/__engine/1/ping`.\n"
        "```python\n@app.route('/')\ndef index():\n    return 'ok'\n```"
    )
    tags = ("routes", "health-check", "startup")

    fires = (
        Case(
            {
                "wsgi.py": _FLASK_WSGI,
                "app.py": "from flask import Flask\napp = Flask(__name__)\n\n"
                "@app.route('/api/items')\ndef items():\n    return []\n",
            },
            ("app.py:2:7: no route answers `/` (the app's routes: `/api/items`) and no `leancloud.Engine` answers "
             "`/__engine/1/ping`: the platform's health check gets no 2xx, so the deploy is aborted",),
        ),
        Case(
            {
                "wsgi.py": "from factory import create_app\napplication = create_app()\n",
                "factory.py": "from flask import Flask\nfrom api import bp\n\ndef create_app():\n"
                "    app = Flask(__name__)\n    app.register_blueprint(bp)\n    return app\n",
                "api.py": "from flask import Blueprint\nbp = Blueprint('api', __name__, url_prefix='/api')\n"
                "@bp.route('/')\ndef index():\n    return 'ok'\n@bp.route('/users')\ndef users():\n    return []\n",
            },
            ("factory.py:5:11: no route answers `/` (the app's routes: `/api/`, `/api/users`) and no "
             "`leancloud.Engine` answers `/__engine/1/ping`: the platform's health check gets no 2xx, so the "
             "deploy is aborted",),
            note="an app factory and a blueprint with a prefix",
        ),
        Case(
            {
                "wsgi.py": _DJANGO_WSGI,
                "mysite/__init__.py": "",
                "mysite/settings.py": "ROOT_URLCONF = 'mysite.urls'\n"
                "MIDDLEWARE = ['django.middleware.common.CommonMiddleware']\n",
                "mysite/urls.py": "from django.contrib import admin\nfrom django.urls import path\nfrom . import views\n"
                "urlpatterns = [\n    path('admin/', admin.site.urls),\n    path('api/', views.api),\n]\n",
                "mysite/views.py": "",
            },
            ("mysite/urls.py:4:1: no route answers `/` (the app's routes: `/admin/...`, `/api/`) and no `leancloud.Engine` "
             "answers `/__engine/1/ping`: the platform's health check gets no 2xx, so the deploy is aborted",),
        ),
        Case(
            {
                "leanengine.yaml": "run: uvicorn main:app --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT}\n",
                "main.py": "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/items/{item_id}')\n"
                "def item(item_id: int):\n    return {}\n",
            },
            ("main.py:2:7: no route answers `/` (the app's routes: `/items/{item_id}`) and no `leancloud.Engine` "
             "answers `/__engine/1/ping`: the platform's health check gets no 2xx, so the deploy is aborted",),
        ),
    )
    near_misses = (
        Case(
            {
                "wsgi.py": _FLASK_WSGI,
                "app.py": "from flask import Flask\napp = Flask(__name__)\n@app.route('/')\ndef index():\n    return 'ok'\n",
            },
        ),
        Case(
            {
                "wsgi.py": "from leancloud import Engine\nfrom app import app\nengine = Engine(app)\napplication = engine\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\n@app.route('/api')\ndef api():\n    return 'ok'\n",
            },
            note="the SDK answers /__engine/1/ping",
        ),
        Case(
            {
                "wsgi.py": _FLASK_WSGI,
                "app.py": "from flask import Flask\nimport routes\napp = Flask(__name__)\n"
                "for path, view in routes.TABLE:\n    app.add_url_rule(path, view_func=view)\n",
                "routes.py": "TABLE = []\n",
            },
            note="routes built at run time",
        ),
        Case(
            {
                "wsgi.py": _FLASK_WSGI,
                "app.py": "from flask import Flask\napp = Flask(__name__)\n@app.errorhandler(404)\ndef spa(e):\n"
                "    return app.send_static_file('index.html')\n@app.route('/api')\ndef api():\n    return ''\n",
            },
            note="a 404 handler may answer / with a page",
        ),
        Case(
            {
                "wsgi.py": "from werkzeug.middleware.dispatcher import DispatcherMiddleware\nfrom app import app, other\n"
                "application = DispatcherMiddleware(app, {'/other': other})\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\nother = Flask('other')\n"
                "@app.route('/x')\ndef x():\n    return ''\n",
            },
            note="two apps behind a dispatcher",
        ),
        Case(
            {
                "wsgi.py": _FLASK_WSGI,
                "app.py": "from flask import Flask\nfrom flask_restx import Api\napp = Flask(__name__)\napi = Api(app)\n",
            },
            note="an extension lean-lint does not read (flask-restx serves its docs at /)",
        ),
        Case(
            {
                "wsgi.py": _FLASK_WSGI,
                "app.py": "from flask import Flask\napp = Flask(__name__)\n"
                "@app.route('/', defaults={'p': ''})\n@app.route('/<path:p>')\ndef spa(p):\n    return ''\n",
            },
            note="a catch-all that includes /",
        ),
        Case(
            {
                "leanengine.yaml": "run: uvicorn main:app --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT}\n",
                "main.py": "from fastapi import FastAPI\nfrom fastapi.staticfiles import StaticFiles\napp = FastAPI()\n"
                "app.mount('/', StaticFiles(directory='dist', html=True))\n",
            },
            note="static files mounted at /",
        ),
        Case(
            {
                "wsgi.py": "def application(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n",
                "admin.py": "from flask import Flask\napp = Flask(__name__)\n",
            },
            note="not a framework app; admin.py does not run",
        ),
        Case(
            {
                "wsgi.py": _DJANGO_WSGI,
                "mysite/__init__.py": "",
                "mysite/settings.py": "ROOT_URLCONF = 'mysite.urls'\n",
                "mysite/urls.py": "from django.urls import path, include\nurlpatterns = [path('', include('pages.urls'))]\n",
                "pages/__init__.py": "",
                "pages/urls.py": "from django.urls import re_path\nfrom . import views\nurlpatterns = [re_path(r'^$', views.home)]\n",
                "pages/views.py": "",
            },
            note="path('', include()) with re_path('^$') inside",
        ),
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": "import tornado.web\nclass H(tornado.web.RequestHandler):\n    pass\n"
                "app = tornado.web.Application([(r'/', H)])\n",
            },
        ),
        Case(
            {
                "wsgi.py": "import bottle\napplication = bottle.default_app()\n@bottle.route('/')\ndef index():\n    return 'ok'\n",
            },
        ),
    )

    def check(self, project: Project) -> None:
        if not project.python_applies:
            return
        table = project_routes(project)
        if table.unknown or len(table.apps) + len(table.django) != 1:
            return
        if _engine_constructed(project):
            return
        if table.apps:
            app = table.apps[0]
            if not _served(project, app):
                return
            fulls = list(table.full_routes(app))
            if app.node is not None:
                where = (app.rel, app.node)
            elif table.bottle_anchor is not None:
                where = table.bottle_anchor
            else:
                return
        else:
            site = table.django[0]
            if not _served(project, None):
                return
            fulls = list(table.django_routes(site))
            where = (site.urlconf, site.anchor)
        if any(may_answer_root(full) for full in fulls):
            return
        shown: list[str] = []
        for full in fulls:
            if full.route.builtin:
                continue
            text = full.shown()
            if text not in shown:
                shown.append(text)
        if not shown:
            listing = "the app has no routes"
        else:
            listing = "the app's routes: " + ", ".join(f"`{t}`" for t in shown[:4])
            if len(shown) > 4:
                listing += f" and {len(shown) - 4} more"
        rel, node = where
        self.report_at(
            rel,
            span_of(project, rel, node),
            f"no route answers `/` ({listing}) and no `leancloud.Engine` answers `/__engine/1/ping`: the "
            "platform's health check gets no 2xx, so the deploy is aborted",
        )


def _engine_constructed(project: Project) -> bool:
    """Does any uploaded file construct a `leancloud.Engine` (which answers /__engine/1/ping)?"""
    from analyzer.bindings import constructs_engine

    for rel in project.python_files:
        text = project.python_text(rel) or ""
        if "Engine" in text and "leancloud" in text and constructs_engine(project, rel):
            return True
    return False


def _served(project: Project, app: Optional[Origin]) -> bool:
    """Is the app (None: the Django project) what the platform serves?"""
    objs = route_objects(project)

    def is_app(rel: Optional[str], name: str) -> bool:
        if rel is None:
            return False
        origin = objs.module_attr(rel, name)
        if origin is None:
            return False
        return origin == app if app is not None else origin.qualname in DJANGO_WSGI

    run = project.run
    if run is None:
        return is_app(project.build_path("wsgi.py"), "application")
    if run.script and run.tool not in ("python", "django-runserver"):
        return is_app(project.build_path(run.script), "application")  # uwsgi --wsgi-file wsgi.py
    if run.module:
        if run.tool in ("python",):
            return True
        return is_app(project.module_file(run.module), run.app_attr or "application")
    return run.tool in ("python", "flask", "django-runserver")
