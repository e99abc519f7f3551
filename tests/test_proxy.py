"""LE702-LE703 (analyzer/rules/proxy/): the issue6b fixture projects, LE702's fix (Flask and
Django forms), and what tells a framework to trust the load balancer's headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.cli.main import main
from tests.helpers import located, run, write_project

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SELECT = ("LE702", "LE703")


def findings(root: Path) -> list[str]:
    return [f"{f.path}:{f.line}:{f.column}: {f.code}" for f in run(root, select=SELECT).active]


@pytest.mark.parametrize(
    "name,expected",
    [
        # get_remote_address as the limiter's key; a manual is_secure redirect; remote_addr in /whoami.
        # Talisman, the X-Real-IP read in /visit: quiet.
        ("issue6b_flask", ["app.py:13:19: LE702", "app.py:25:12: LE703", "app.py:37:23: LE702"]),
        # SECURE_SSL_REDIRECT without SECURE_PROXY_SSL_HEADER; META['REMOTE_ADDR'] in whoami, not in
        # get_client_ip (X-Forwarded-For first)
        ("issue6b_django", ["mysite/settings.py:27:23: LE703", "polls/views.py:23:10: LE702"]),
        ("issue6b_tornado", ["app.py:22:27: LE702"]),
        ("issue6b_fastapi", ["main.py:16:20: LE703", "main.py:26:19: LE702"]),
    ],
)
def test_fixtures(name, expected):
    assert findings(FIXTURES / name) == expected


def test_only_flask_and_django_forms_have_fixes():
    fixable = {
        (f.path, f.line): f.fix is not None and f.fix.safe
        for name in ("issue6b_flask", "issue6b_django", "issue6b_tornado", "issue6b_fastapi")
        for f in run(FIXTURES / name, select=("LE702",)).active
    }
    assert fixable == {
        ("app.py", 13): False,  # the limiter's key function
        ("app.py", 37): True,
        ("polls/views.py", 23): True,
        ("app.py", 22): False,  # Tornado
        ("main.py", 26): False,  # FastAPI
    }


def cli(capsys, *args):
    code = main([str(a) for a in args])
    capsys.readouterr()
    return code


FLASK_APP = """\
from flask import Flask, request
app = application = Flask(__name__)


@app.route("/")
def index():
    # who is asking
    return request.remote_addr  # logged below
"""


def test_flask_fix_reads_x_real_ip_and_is_idempotent(tmp_path, capsys):
    write_project(tmp_path, {"wsgi.py": FLASK_APP})
    cli(capsys, tmp_path, "--select", "LE702", "--fix")
    fixed = (tmp_path / "wsgi.py").read_text()
    assert fixed == FLASK_APP.replace(
        "return request.remote_addr  # logged below",
        'return request.headers.get("X-Real-IP", request.remote_addr)  # logged below',
    )  # the module's quotes, comments kept
    cli(capsys, tmp_path, "--select", "LE702", "--fix")
    assert (tmp_path / "wsgi.py").read_text() == fixed
    assert located(run(tmp_path, select=("LE702",))) == []


def test_flask_fix_in_a_larger_expression(tmp_path, capsys):
    write_project(
        tmp_path,
        {"wsgi.py": "import flask\napplication = flask.Flask(__name__)\ndef f():\n    return flask.request.remote_addr.split('.')[0]\n"
         "application.add_url_rule('/', view_func=f)\n"},
    )
    cli(capsys, tmp_path, "--select", "LE702", "--fix")
    assert (tmp_path / "wsgi.py").read_text().splitlines()[3] == (
        "    return flask.request.headers.get('X-Real-IP', flask.request.remote_addr).split('.')[0]"
    )


DJANGO = {
    "wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
    "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
    "mysite/__init__.py": "",
    "mysite/settings.py": "ROOT_URLCONF = 'mysite.urls'\n",
    "mysite/urls.py": "from django.urls import path\nfrom mysite import views\nurlpatterns = [path('', views.index)]\n",
}


def test_django_fixes_both_forms(tmp_path, capsys):
    views = (
        "def index(request):\n"
        "    a = request.META['REMOTE_ADDR']\n"
        '    b = request.META.get("REMOTE_ADDR", "")\n'
        "    return a + b\n"
    )
    write_project(tmp_path, {**DJANGO, "mysite/views.py": views})
    cli(capsys, tmp_path, "--select", "LE702", "--fix")
    fixed = (tmp_path / "mysite/views.py").read_text()
    assert fixed == (
        "def index(request):\n"
        "    a = request.META.get('HTTP_X_REAL_IP', request.META['REMOTE_ADDR'])\n"
        '    b = request.META.get("HTTP_X_REAL_IP", request.META.get("REMOTE_ADDR", ""))\n'
        "    return a + b\n"
    )
    cli(capsys, tmp_path, "--select", "LE702", "--fix")
    assert (tmp_path / "mysite/views.py").read_text() == fixed
    assert located(run(tmp_path, select=("LE702",))) == []


def test_a_fix_never_touches_a_file_it_cannot_parse(tmp_path, capsys):
    broken = "from flask import request\ndef f(:\n    return request.remote_addr\n"
    write_project(tmp_path, {"wsgi.py": broken})
    cli(capsys, tmp_path, "--select", "LE702", "--fix")
    assert (tmp_path / "wsgi.py").read_text() == broken


def test_proxy_fix_in_another_runtime_module(tmp_path):
    write_project(
        tmp_path,
        {
            "wsgi.py": "from app import app\nfrom middleware import wrap\napplication = wrap(app)\n",
            "middleware.py": "from werkzeug.middleware.proxy_fix import ProxyFix\ndef wrap(app):\n"
            "    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)\n    return app\n",
            "app.py": "from flask import Flask, request, redirect\napp = Flask(__name__)\n"
            "@app.before_request\ndef https():\n    if request.scheme != 'https':\n        return redirect('https://x')\n"
            "@app.route('/')\ndef index():\n    return request.remote_addr\n",
        },
    )
    assert located(run(tmp_path, select=SELECT)) == []


def test_werkzeug_request_object(tmp_path):
    write_project(
        tmp_path,
        {"wsgi.py": "from werkzeug.wrappers import Request, Response\ndef application(environ, start_response):\n"
         "    request = Request(environ)\n    return Response(request.remote_addr)(environ, start_response)\n"},
    )
    assert located(run(tmp_path, select=("LE702",))) == ["wsgi.py:4:21"]


def test_django_needs_django(tmp_path):
    write_project(
        tmp_path,
        {"wsgi.py": "application = None\nclass Fake:\n    META = {}\ndef f(request):\n    return request.META['REMOTE_ADDR']\n"},
    )
    assert located(run(tmp_path, select=("LE702",))) == []


def test_django_middleware_rewriting_remote_addr(tmp_path):
    views = "def index(request):\n    return request.META['REMOTE_ADDR']\n"
    middleware = (
        "def real_ip(get_response):\n    def middleware(request):\n"
        "        request.META['REMOTE_ADDR'] = request.META.get('HTTP_X_REAL_IP', '')\n"
        "        return get_response(request)\n    return middleware\n"
    )
    files = {**DJANGO, "mysite/views.py": views, "mysite/middleware.py": middleware}
    files["mysite/settings.py"] = "ROOT_URLCONF = 'mysite.urls'\nMIDDLEWARE = ['mysite.middleware.real_ip']\n"
    write_project(tmp_path, files)
    assert located(run(tmp_path, select=("LE702",))) == []


def test_split_django_settings(tmp_path):
    files = {
        **DJANGO,
        "mysite/settings.py": "from mysite.base import *\nSECURE_SSL_REDIRECT = True\n",
        "mysite/base.py": "SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')\n",
    }
    write_project(tmp_path, files)
    assert located(run(tmp_path, select=("LE703",))) == []


def test_a_comment_naming_the_setting_does_not_count(tmp_path):
    files = {
        **DJANGO,
        "mysite/settings.py": "# TODO: SECURE_PROXY_SSL_HEADER\nSECURE_SSL_REDIRECT = True\n",
    }
    write_project(tmp_path, files)
    assert located(run(tmp_path, select=("LE703",))) == ["mysite/settings.py:2:23"]


def test_starlette_middleware_forms(tmp_path):
    write_project(
        tmp_path,
        {
            "leanengine.yaml": "run: uvicorn main:app --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT}\n",
            "main.py": "from starlette.applications import Starlette\nfrom starlette.middleware import Middleware\n"
            "from starlette.middleware.httpsredirect import HTTPSRedirectMiddleware as Https\n"
            "app = Starlette(middleware=[Middleware(Https)])\n",
        },
    )
    assert located(run(tmp_path, select=("LE703",))) == ["main.py:4:40"]


def test_forwarded_allow_ips_in_code(tmp_path):
    write_project(
        tmp_path,
        {
            "leanengine.yaml": "run: python main.py\n",
            "main.py": "import os\nimport uvicorn\nfrom fastapi import FastAPI, Request\n"
            "from fastapi.middleware.httpsredirect import HTTPSRedirectMiddleware\napp = FastAPI()\n"
            "app.add_middleware(HTTPSRedirectMiddleware)\n@app.get('/')\nasync def ip(request: Request):\n"
            "    return request.client.host\nif __name__ == '__main__':\n"
            "    uvicorn.run(app, host='0.0.0.0', port=int(os.environ['LEANCLOUD_APP_PORT']), forwarded_allow_ips='*')\n",
        },
    )
    assert located(run(tmp_path, select=SELECT)) == []


def test_secure_ssl_redirect_without_django(tmp_path):
    write_project(tmp_path, {"wsgi.py": "from flask import Flask\napplication = Flask(__name__)\nSECURE_SSL_REDIRECT = True\n"})
    assert located(run(tmp_path, select=("LE703",))) == []


def test_flask_fix_inside_an_f_string_uses_the_other_quote(tmp_path, capsys):
    write_project(
        tmp_path,
        {"wsgi.py": "from flask import Flask, request\napplication = Flask(__name__)\n"
         "def f():\n    return f'from {request.remote_addr}'\napplication.add_url_rule('/', view_func=f)\n"},
    )
    cli(capsys, tmp_path, "--select", "LE702", "--fix")
    assert (tmp_path / "wsgi.py").read_text().splitlines()[3] == (
        """    return f'from {request.headers.get("X-Real-IP", request.remote_addr)}'"""
    )
