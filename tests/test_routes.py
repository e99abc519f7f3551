"""Static route extraction (analyzer/model/routes.py) and LE704 / LE705 end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analyzer.readers.config import Config
from analyzer.model.project import Project
from analyzer.model.routes import (
    FullRoute,
    Route,
    _regex_head,
    _starts_with,
    acme_route,
    may_answer_root,
    project_routes,
    route_text,
)
from analyzer.support.regexes import may_match
from tests.helpers import located, run, write_project

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def full(syntax: str, *parts: tuple[str, str]) -> FullRoute:
    route_syntax = parts[-1][0] if parts else syntax
    return FullRoute(Route("x.py", None, route_syntax, parts[-1][1]), parts)  # type: ignore[arg-type]


def table_of(tmp_path, files):
    write_project(tmp_path, files)
    return project_routes(Project(tmp_path, Config()))


# -- path syntax ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "parts,root",
    [
        ((("flask", "/"),), True),
        ((("flask", "/index"),), False),
        ((("flask", "/<name>"),), False),
        ((("flask", "/<path:p>"),), False),
        ((("flask", "/<regex('.*'):p>"),), True),  # a custom converter may match nothing
        ((("prefix", "/api"), ("flask", "/")), False),
        ((("prefix", "/"), ("flask", "/")), True),
        ((("prefix", ""), ("flask", "")), False),
        ((("fastapi", "/"),), True),
        ((("fastapi", "/{p:path}"),), True),
        ((("fastapi", "/{item_id}"),), False),
        ((("prefix", ""), ("prefix", ""), ("fastapi", "/")), True),
        ((("prefix", "/items"), ("prefix", ""), ("fastapi", "")), False),
        ((("bottle", "/"),), True),
        ((("bottle", "/<name>"),), False),
        ((("bottle", "/<p:re:.*>"),), True),
        ((("tornado", r"/"),), True),
        ((("tornado", r"/(.*)"),), True),
        ((("tornado", r"/api/(.*)"),), False),
        ((("mount", "/"),), True),
        ((("mount", "/static"),), False),
        ((("django-path", ""),), True),
        ((("django-path", "api/"),), False),
        ((("django-path", "<slug:s>/"),), False),
        ((("django-regex", "^$"),), True),
        ((("django-regex", "^"), ("django-regex", "^$")), True),
        ((("django-regex", "^.*$"),), True),
        ((("django-path", "api/"), ("?", "?")), False),
        ((("django-path", ""), ("?", "?")), True),
        ((("prefix", "/api"), ("?", "?")), False),
        ((("prefix", ""), ("?", "?")), True),
    ],
)
def test_may_answer_root(parts, root):
    assert may_answer_root(full("", *parts)) is root


@pytest.mark.parametrize(
    "parts,acme",
    [
        ((("flask", "/.well-known/acme-challenge/<token>"),), True),
        ((("prefix", "/.well-known"), ("flask", "/acme-challenge/<t>")), True),
        ((("prefix", "/.well-known/"), ("flask", "/acme-challenge/<t>")), True),
        ((("flask", "/.well-known/acme-challenge"),), False),
        ((("flask", "/.well-known/<path:p>"),), False),
        ((("fastapi", "/.well-known/acme-challenge/{token}"),), True),
        ((("mount", "/.well-known/acme-challenge"),), True),
        ((("mount", "/.well-known"),), False),
        ((("tornado", r"/\.well-known/acme-challenge/(.*)"),), True),
        ((("tornado", r"/.well-known/acme-challenge/(.*)"),), True),
        ((("tornado", r"/\.well-known/acme-challenge?/(.*)"),), False),
        ((("tornado", r"/\.well-known/acme-challenge/(.*)|/other"),), False),
        ((("tornado", r"/\.well-known/acme-challenge/(a|b)"),), True),
        ((("django-regex", r"^\.well-known/acme-challenge/(?P<t>.+)$"),), True),
        ((("django-regex", r"\.well-known/acme-challenge/(?P<t>.+)$"),), False),
        ((("django-path", ".well-known/"), ("django-path", "acme-challenge/<str:t>")), True),
        ((("django-regex", r"^\.well-known/"), ("django-path", "acme-challenge/<str:t>")), True),
        ((("django-path", "<slug:x>/"), ("django-path", ".well-known/acme-challenge/<t>")), False),
    ],
)
def test_acme_route(parts, acme):
    assert acme_route(full("", *parts)) is acme


def test_flask_joins_prefixes_like_flask():
    assert route_text(full("", ("prefix", "/api/"), ("flask", "/items"))) == "/api/items"
    assert route_text(full("", ("prefix", "/api"), ("flask", ""))) == "/api"
    assert route_text(full("", ("prefix", ""), ("flask", "/x"))) == "/x"
    assert route_text(full("", ("prefix", "/api"), ("fastapi", "/items"))) == "/api/items"


def test_regex_head():
    head, anchored, whole = _regex_head(r"^\.well-known/x+")
    assert anchored and not whole and "".join(head) == ".well-known/x"
    head, anchored, whole = _regex_head(r"/a.b?c")
    assert not anchored and not whole and _starts_with(head, "/a.") and len(head) == 3
    assert _regex_head(r"^\.well-known/") == (list(".well-known/"), True, True)


# -- what the scanner reads, and why it keeps quiet -------------------------------------------------------


def test_flask_fixture_routes():
    project = Project(FIXTURES / "issue6_flask", Config())
    table = project_routes(project)
    assert table.unknown == []
    assert len(table.apps) == 1
    shown = [f.shown() for f in table.full_routes(table.apps[0])]
    assert shown == [
        "/api/items",
        "/api/items/<int:item_id>",
        "/api/items/<int:item_id>/summary",
        "/.well-known/acme-challenge/<token>",
        "/.well-known/assetlinks.json",
    ]


def test_django_fixture_routes():
    table = project_routes(Project(FIXTURES / "issue6_django", Config()))
    assert table.unknown == [] and table.apps == []
    assert [f.shown() for f in table.django_routes(table.django[0])] == [
        "/admin/...",
        "/polls/",
        "/polls/<int:question_id>/",
        r"^\.well-known/acme-challenge/(?P<token>[\w-]+)$",
        "/.well-known/assetlinks.json",
    ]


@pytest.mark.parametrize(
    "files,reason",
    [
        (
            {"wsgi.py": "from flask import Flask\nfrom ext import register\napplication = Flask(__name__)\n"
             "register(application)\n", "ext.py": "def register(app):\n    pass\n"},
            "the app is handed to `ext.register`",
        ),
        (
            {"wsgi.py": "from flask import Flask\napplication = Flask(__name__)\n"
             "@application.before_request\ndef gate():\n    pass\n"},
            "before_request",
        ),
        (
            {"wsgi.py": "from flask import Flask\nfrom views import bp\napplication = Flask(__name__)\n"
             "application.register_blueprint(bp)\n", "views.py": "from somewhere import make\nbp = make()\n"},
            "registers a blueprint or router lean-lint cannot follow",
        ),
        (
            {"wsgi.py": "from flask import Flask\nclass App(Flask):\n    pass\napplication = App(__name__)\n"},
            "a subclass of flask.Flask",
        ),
        (
            {"wsgi.py": "from flask import Flask\nfrom flask_restful import Api\napplication = Flask(__name__)\n"},
            "imports flask_restful",
        ),
        (
            {"wsgi.py": "from flask import Flask\napplication = Flask(__name__)\n"
             "application.wsgi_app = Custom(application.wsgi_app)\n"},
            "the app's wsgi_app is replaced",
        ),
        (
            {"wsgi.py": "from flask import Flask\napplication = Flask(__name__)\n"
             "@application.errorhandler(NotFound)\ndef nf(e):\n    return 'x'\n"},
            "a not-found handler",
        ),
        (
            {"leanengine.yaml": "run: uvicorn main:app\n",
             "main.py": "from fastapi import FastAPI\napp = FastAPI()\n@app.middleware('http')\n"
             "async def mw(request, call_next):\n    return await call_next(request)\n"},
            "an HTTP middleware",
        ),
        (
            {"leanengine.yaml": "run: python app.py\n",
             "app.py": "import tornado.web\nsettings = dict(default_handler_class=object)\n"
             "app = tornado.web.Application([], **settings)\n"},
            "tornado default_handler_class",
        ),
        (
            {"wsgi.py": "import importlib\nfrom app import app as application\n"
             "for name in ('a', 'b'):\n    importlib.import_module('views_' + name)\n",
             "app.py": "from flask import Flask\napp = Flask(__name__)\n",
             "views_a.py": "from app import app\n@app.route('/')\ndef index():\n    return ''\n"},
            "may be loaded in a way lean-lint does not follow",
        ),
    ],
)
def test_unknown_reasons(tmp_path, files, reason):
    table = table_of(tmp_path, files)
    assert any(reason in text for _, text in table.unknown), table.unknown


@pytest.mark.parametrize(
    "files",
    [
        {"wsgi.py": "from flask import Flask\nfrom flask_cors import CORS\napplication = Flask(__name__)\nCORS(application)\n"},
        {"wsgi.py": "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n"
         "application = Flask(__name__)\ndb.init_app(application)\n"},
        {"wsgi.py": "from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n"
         "application = Flask(__name__)\napplication.wsgi_app = ProxyFix(application.wsgi_app, x_proto=1)\n"},
        {"wsgi.py": "from flask import Flask\napplication = Flask(__name__)\n@application.errorhandler(500)\n"
         "def oops(e):\n    return 'x', 500\n@application.after_request\ndef h(r):\n    return r\n"},
    ],
)
def test_harmless_uses_keep_the_routes_known(tmp_path, files):
    table = table_of(tmp_path, files)
    assert table.unknown == []
    assert len(table.apps) == 1


def test_route_call_form_and_constant_paths(tmp_path):
    table = table_of(
        tmp_path,
        {
            "leanengine.yaml": "run: uvicorn main:app\n",
            "main.py": "from fastapi import FastAPI\nfrom settings import HOME\napp = FastAPI(docs_url=None)\n"
            "def home():\n    return {}\napp.get(HOME)(home)\napp.add_api_route('/health', home)\n",
            "settings.py": "HOME = '/'\n",
        },
    )
    fulls = list(table.full_routes(table.apps[0]))
    assert [f.shown() for f in fulls if not f.route.builtin] == ["/", "/health"]
    assert any(may_answer_root(f) for f in fulls)


def test_bottle_default_app(tmp_path):
    table = table_of(
        tmp_path,
        {"wsgi.py": "import bottle\nfrom bottle import get\n@get('/api')\ndef api():\n    return ''\n"
         "application = bottle.default_app()\n"},
    )
    assert len(table.apps) == 1
    assert [f.shown() for f in table.full_routes(table.apps[0])] == ["/api"]


# -- the rules end to end -----------------------------------------------------------------------------------


def le705(tmp_path, files):
    write_project(tmp_path, files)
    return located(run(tmp_path, select=("LE705",)), "LE705")


def test_le705_needs_the_app_to_be_what_is_served(tmp_path):
    files = {
        "wsgi.py": "from app import app\napplication = app.wsgi_app\n",
        "app.py": "from flask import Flask\napp = Flask(__name__)\n@app.route('/x')\ndef x():\n    return ''\n",
    }
    assert le705(tmp_path, files) == []


def test_le705_with_gunicorn_module_and_attribute(tmp_path):
    files = {
        "leanengine.yaml": "run: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:server\n",
        "wsgi.py": "",
        "app.py": "from flask import Flask\nserver = Flask(__name__)\n@server.route('/x')\ndef x():\n    return ''\n",
    }
    assert le705(tmp_path, files) == ["app.py:2:10"]
    (tmp_path / "leanengine.yaml").write_text("run: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:other\n")
    assert le705(tmp_path, {}) == []


def test_le705_quiet_when_any_file_constructs_an_engine(tmp_path):
    files = {
        "wsgi.py": "from app import app as application\n",
        "app.py": "from flask import Flask\napp = Flask(__name__)\n@app.route('/x')\ndef x():\n    return ''\n",
        "cloud.py": "import leancloud\nengine = leancloud.Engine()\n",
    }
    assert le705(tmp_path, files) == []


def test_le705_django_root_through_include_and_regex(tmp_path):
    base = {
        "wsgi.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_conf.settings')\napplication = get_wsgi_application()\n",
        "site_conf/__init__.py": "",
        "site_conf/settings.py": "ROOT_URLCONF = 'site_conf.urls'\n",
        "site_conf/views.py": "",
    }
    urls = "from django.urls import include, path, re_path\nfrom . import views\nurlpatterns = [\n    path('api/', views.x),\n]\n"
    assert le705(tmp_path, base | {"site_conf/urls.py": urls}) == ["site_conf/urls.py:3:1"]
    more = urls + "urlpatterns += [re_path(r'^(?:index\\.html)?$', views.x)]\n"
    assert le705(tmp_path, {"site_conf/urls.py": more}) == []
    router = urls.replace("path('api/', views.x),", "path('', include(router.urls)),")
    assert le705(tmp_path, {"site_conf/urls.py": router}) == []
    api_router = urls.replace("path('api/', views.x),", "path('api/', include(router.urls)),")
    assert le705(tmp_path, {"site_conf/urls.py": api_router}) == ["site_conf/urls.py:3:1"]


@pytest.mark.parametrize("fixture,expected", [
    ("issue6_flask", ["myapp/__init__.py:19:11"]),
    ("issue6_flask_engine", []),
    ("issue6_django", ["mysite/urls.py:6:1"]),
    ("issue6_tornado", ["app.py:30:12"]),
    ("issue6_fastapi", []),
])
def test_le705_on_fixtures(fixture, expected):
    assert located(run(FIXTURES / fixture, select=("LE705",)), "LE705") == expected


@pytest.mark.parametrize("fixture,expected", [
    ("issue6_flask", ["myapp/certs.py:6:2"]),
    ("issue6_flask_engine", []),
    ("issue6_django", ["mysite/urls.py:9:5"]),
    ("issue6_tornado", ["app.py:34:14"]),
    ("issue6_fastapi", ["main.py:11:1"]),
])
def test_le704_on_fixtures(fixture, expected):
    assert located(run(FIXTURES / fixture, select=("LE704",)), "LE704") == expected


# -- project regexes are decided from their syntax tree, never run ----------------------------------------

_REGEX_ATOMS = ["a", "/", "", ".", r"\d", "[^/]", "[/a]", "^", "$", r"\A", r"\Z", "(?:a|)", "(/|)", r"\w",
                r"\W", "[A-Z]", "(?i:A)", "(?=a)", "(?!/)", r"\b", "(?=/)", "[^A]"]
_REGEX_QUANTIFIERS = ["", "*", "+", "?", "{2}", "{0,3}", "*?", "{1,}"]


@settings(database=None, derandomize=True, deadline=None, max_examples=400)
@given(
    st.lists(st.tuples(st.sampled_from(_REGEX_ATOMS), st.sampled_from(_REGEX_QUANTIFIERS)), min_size=1, max_size=5),
    st.sampled_from(["", "/", "a", "A/"]),
    st.booleans(),
)
def test_regex_decision_never_misses_a_match(pieces, text, full_match):
    """Whenever `re` matches, the structural answer says it may: LE705 never fires on a route that
    answers `/` (its answer may err the other way, which only silences LE705)."""
    import re

    pattern = "".join(atom + quantifier for atom, quantifier in pieces)
    try:
        compiled = re.compile(pattern)
    except re.error:
        assume(False)
    matched = compiled.fullmatch(text) if full_match else compiled.match(text)
    if matched:
        assert may_match(pattern, text, full_match)


@pytest.mark.parametrize("pattern,text,full_match,expected", [
    (r"^api/$", "", False, False),
    (r"^$", "", False, True),
    (r"^(?:index\.html)?$", "", False, True),
    ("^(|){9}(|){9}(|){9}(|){9}x", "", False, False),
    ("^(a{65535}){65535}$", "", True, False),
    ("(" * 30 + "a|" + ")*" * 30 + "$", "/", True, False),
    (r"^(?=x)", "", False, False),
    (r"\Ax\Z|/", "/", True, True),
    ("(", "", True, True),  # invalid: lean-lint cannot tell, so it may match
    ("a{99999999999}", "", True, True),
])
def test_regex_decisions(pattern, text, full_match, expected):
    assert may_match(pattern, text, full_match) is expected


@pytest.mark.parametrize(
    "text,holds",
    [
        ("app = Flask(__name__)", True),
        ("from flask import Flask as F", True),
        ("from flask import Flask\n", True),
        ("from flask import (\n    Flask,\n    request,\n)", True),
        ("class App(tornado.web.Application):", True),
        ("apps = [Application, Other]", True),
        ("import bottle", True),
        ('raise ValueError("Application labels aren\'t unique")', False),  # Django's app registry
        ("# the Router picks a database", False),
        ("FlaskForm = object", False),
    ],
)
def test_app_creation_text(text, holds):
    """Which files may hold an app object is decided from text: the class or factory named as code,
    not a word in a message (which made every module importing Django's app registry a holder)."""
    from analyzer.model.routes import _CREATION_RE

    assert bool(_CREATION_RE.search(text)) is holds
