"""LE705 health-check-unanswered."""

from __future__ import annotations

from analyzer.model.project import Project
from analyzer.model.routes import may_answer_root, project_routes, span_of
from analyzer.rules.base import ProjectRule
from analyzer.rules.routes._routes import (
    _DJANGO_WSGI,
    _FLASK_WSGI,
    _UVICORN,
    _engine_constructed,
    _served,
)
from analyzer.types import Case, Severity


class HealthCheckUnanswered(ProjectRule):
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
        "lean-lint reads the routes of Flask, Django, FastAPI, Starlette, bottle and tornado apps, with the "
        "prefixes of blueprints, routers and mounts, and reports only "
        "when it can read all of them: routes built at run time, another framework, an app handed to a "
        "middleware it does not know, a 404 handler or a catch-all keep it quiet."
    )
    example = Case(
        {
            "wsgi.py": "from app import app as application\n",
            "app.py": """
                from flask import Flask

                app = Flask(__name__)


                @app.route('/api/items')
                def items():
                    return []
                """,
        },
        ("app.py:3:7",),
    )
    fix = (
        "Answer `/` with a 2xx (a small index or health view), or wrap the app with the SDK, whose Engine "
        "answers `/__engine/1/ping`.\n"
        "```python\n@app.route('/')\ndef index():\n    return 'ok'\n```"
    )
    tags = ("routes", "health-check", "startup")

    fires = (
        Case(
            {
                "wsgi.py": """
                    import os
                    from flask import Flask
                    app = application = Flask(__name__)

                    if os.environ.get('LEANCLOUD_APP_ENV', 'development') == 'development':
                        @app.route('/')
                        def index():
                            return 'dev'

                    @app.route('/api')
                    def api():
                        return 'ok'
                """,
                'requirements.txt': 'flask>=2,<3\n',
            },
            (
                "wsgi.py:3:21: no route answers `/` (routes: `/api`), nor a `leancloud.Engine` `/__engine/1/ping`: the platform's health check fails",
            ),
            note='the index route exists only where LEANCLOUD_APP_ENV is development: never on the platform',
        ),
        Case(
            {
                "wsgi.py": _FLASK_WSGI,
                "app.py": "from flask import Flask\napp = Flask(__name__)\n\n"
                "@app.route('/api/items')\ndef items():\n    return []\n",
            },
            ("app.py:2:7: no route answers `/` (routes: `/api/items`), nor a `leancloud.Engine` "
             "`/__engine/1/ping`: the platform's health check fails",),
        ),
        Case(
            {
                "wsgi.py": "from factory import create_app\napplication = create_app()\n",
                "factory.py": "from flask import Flask\nfrom api import bp\n\ndef create_app():\n"
                "    app = Flask(__name__)\n    app.register_blueprint(bp)\n    return app\n",
                "api.py": "from flask import Blueprint\nbp = Blueprint('api', __name__, url_prefix='/api')\n"
                "@bp.route('/')\ndef index():\n    return 'ok'\n@bp.route('/users')\ndef users():\n    return []\n",
            },
            ("factory.py:5:11: no route answers `/` (routes: `/api/`, `/api/users`), nor a "
             "`leancloud.Engine` `/__engine/1/ping`: the platform's health check fails",),
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
            ("mysite/urls.py:4:1: no route answers `/` (routes: `/admin/...`, `/api/`), nor a "
             "`leancloud.Engine` `/__engine/1/ping`: the platform's health check fails",),
        ),
        Case(
            {
                "leanengine.yaml": "run: uvicorn main:app --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT}\n",
                "main.py": "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/items/{item_id}')\n"
                "def item(item_id: int):\n    return {}\n",
            },
            ("main.py:2:7: no route answers `/` (routes: `/items/{item_id}`), nor a "
             "`leancloud.Engine` `/__engine/1/ping`: the platform's health check fails",),
        ),
        Case(
            {
                "leanengine.yaml": _UVICORN,
                "main.py": "from fastapi import FastAPI\nfrom api.routes import router\napp = FastAPI()\n"
                "app.include_router(router)\n",
                "api/__init__.py": "",
                "api/routes.py": "from fastapi import APIRouter\nrouter = APIRouter(prefix='/api')\n"
                "@router.get('/')\ndef index():\n    return {}\n@router.get('/items')\ndef items():\n    return []\n",
            },
            ("main.py:3:7: no route answers `/` (routes: `/api/`, `/api/items`), nor a `leancloud.Engine` "
             "`/__engine/1/ping`: the platform's health check fails",),
            note="every route under a router's prefix; the router lives in another module",
        ),
        Case(
            {
                "leanengine.yaml": _UVICORN,
                "main.py": "from fastapi import FastAPI, APIRouter\nv1 = APIRouter(prefix='/v1')\n"
                "users = APIRouter(prefix='/users')\n@users.get('/')\ndef listing():\n    return []\n"
                "v1.include_router(users)\napp = FastAPI()\napp.include_router(v1, prefix='/api')\n",
            },
            ("main.py:8:7: no route answers `/` (routes: `/api/v1/users/`), nor a `leancloud.Engine` "
             "`/__engine/1/ping`: the platform's health check fails",),
            note="include_router's prefix, then each nested router's own",
        ),
        Case(
            {
                "leanengine.yaml": _UVICORN,
                "main.py": "from starlette.applications import Starlette\nfrom starlette.routing import Mount, Route\n"
                "async def home(request):\n    pass\n"
                "app = Starlette(routes=[Mount('/api/', routes=[Route('/', home), Route('/me', home)])])\n",
            },
            ("main.py:5:7: no route answers `/` (routes: `/api/`, `/api/me`), nor a `leancloud.Engine` "
             "`/__engine/1/ping`: the platform's health check fails",),
            note="Starlette strips a mount's trailing slash",
        ),
        Case(
            {
                "leanengine.yaml": _UVICORN,
                "main.py": "from fastapi import FastAPI\napi = FastAPI()\n@api.get('/')\ndef index():\n    return {}\n"
                "app = FastAPI()\napp.mount('/api', api)\n",
            },
            ("main.py:6:7: no route answers `/` (routes: `/api/`), nor a `leancloud.Engine` "
             "`/__engine/1/ping`: the platform's health check fails",),
            note="a sub-app mounted under a prefix is not an app of its own",
        ),
        Case(
            {
                "wsgi.py": _FLASK_WSGI,
                "app.py": "from flask import Flask, Blueprint\napp = Flask(__name__)\n"
                "api = Blueprint('api', __name__, url_prefix='/api')\nv1 = Blueprint('v1', __name__)\n"
                "@v1.route('/')\ndef index():\n    return ''\napi.register_blueprint(v1, url_prefix='/v1')\n"
                "app.register_blueprint(api)\n",
            },
            ("app.py:2:7: no route answers `/` (routes: `/api/v1/`), nor a `leancloud.Engine` "
             "`/__engine/1/ping`: the platform's health check fails",),
            note="nested Flask blueprints: the prefixes join",
        ),
    )
    near_misses = (
        Case(
            {
                "leanengine.yaml": _UVICORN,
                "main.py": "from fastapi import FastAPI, APIRouter\nrouter = APIRouter()\n@router.get('/')\n"
                "def index():\n    return {}\napp = FastAPI()\napp.include_router(router)\n",
            },
            note="a router without a prefix serves `/`",
        ),
        Case(
            {
                "leanengine.yaml": _UVICORN,
                "main.py": "from fastapi import FastAPI\nfrom views import router\napp = FastAPI()\n"
                "app.include_router(router, prefix='')\n",
                "views.py": "from fastapi import APIRouter\nrouter = APIRouter(prefix=None)\n@router.get('/')\n"
                "def index():\n    return {}\n",
            },
            note="empty prefixes on both sides",
        ),
        Case(
            {
                "leanengine.yaml": _UVICORN,
                "main.py": "from fastapi import FastAPI, APIRouter\nfrom settings import settings\n"
                "router = APIRouter(prefix=settings.API_PREFIX)\n@router.get('/')\ndef index():\n    return {}\n"
                "app = FastAPI()\napp.include_router(router)\n",
                "settings.py": "import os\nclass Settings:\n    API_PREFIX = os.environ.get('API_PREFIX', '')\n"
                "settings = Settings()\n",
            },
            note="a prefix lean-lint cannot know may be empty",
        ),
        Case(
            {
                "leanengine.yaml": _UVICORN,
                "main.py": "import os\nfrom fastapi import FastAPI, APIRouter\nrouter = APIRouter()\n@router.get('/')\n"
                "def index():\n    return {}\napp = FastAPI()\napp.include_router(router, prefix=os.environ['PREFIX'])\n",
            },
            note="an include_router prefix from the environment",
        ),
        Case(
            {
                "leanengine.yaml": _UVICORN,
                "main.py": "from starlette.applications import Starlette\nfrom starlette.routing import Mount, Route\n"
                "async def home(request):\n    pass\nroutes = [Mount('/api', routes=[Route('/', home)])]\n"
                "routes.append(Route('/', home))\napp = Starlette(routes=routes)\n",
            },
            note="a routes list changed after it is written",
        ),
        Case(
            {
                "leanengine.yaml": _UVICORN,
                "main.py": "from starlette.applications import Starlette\nfrom starlette.routing import Route\n"
                "async def home(request):\n    pass\napp = Starlette(routes=[Route('/api', home)])\n"
                "app.router.routes.insert(0, Route('/', home))\n",
            },
            note="routes added through the app's router",
        ),
        Case(
            {
                "leanengine.yaml": _UVICORN,
                "main.py": "from fastapi import FastAPI\napp = FastAPI(exception_handlers={404: lambda request, exc: None})\n"
                "@app.get('/api')\ndef api():\n    return {}\n",
            },
            note="a 404 handler given to the constructor",
        ),
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
        if table.unknown or len(table.top_apps()) + len(table.django) != 1:
            return
        if _engine_constructed(project):
            return
        if table.apps:
            app = table.top_apps()[0]
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
            listing = "routes: " + ", ".join(f"`{t}`" for t in shown[:4])
            if len(shown) > 4:
                listing += f" and {len(shown) - 4} more"
        rel, node = where
        self.report_at(
            rel,
            span_of(project, rel, node),
            f"no route answers `/` ({listing}), nor a `leancloud.Engine` `/__engine/1/ping`: the platform's "
            "health check fails",
        )
