"""LE201-LE203 end to end: fixture projects under tests/fixtures/listen_*/ and the server APIs."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.types import Severity
from tests.helpers import located, run, write_project

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SELECT = ("LE201", "LE202", "LE203", "LE000")


def findings(root: Path) -> list[str]:
    report = run(root, select=SELECT)
    return [f"{f.path}:{f.line}:{f.column}: {f.code}" for f in report.active]


@pytest.mark.parametrize(
    "name,expected",
    [
        ("listen_flask_wsgi", []),
        ("listen_flask_run", ["app.py:12:18: LE201", "app.py:12:36: LE202"]),
        ("listen_flask_template_run", []),
        ("listen_django_wsgi", []),
        ("listen_django_run", ["leanengine.yaml:1:34: LE201", "leanengine.yaml:1:34: LE203"]),
        ("listen_fastapi_run", ["leanengine.yaml:1:6: LE201", "leanengine.yaml:1:42: LE202"]),
        ("listen_fastapi_main", []),
        ("listen_gunicorn_run", []),
        ("listen_aiohttp_run", ["leanengine.yaml:1:6: LE203"]),
        ("listen_tornado_run", ["app.py:15:16: LE202", "app.py:15:30: LE201"]),
        ("listen_socket_run", ["server.py:20:17: LE201"]),
        ("listen_socket_wsgi", ["admin.py:12:31: LE201"]),
    ],
)
def test_fixture(name, expected):
    assert findings(FIXTURES / name) == expected


def test_fixture_messages():
    report = run(FIXTURES / "listen_django_run", select=SELECT)
    assert [f.message for f in report.active] == [
        "manage.py runserver listens on 127.0.0.1 by default (no host on the command line): only the container "
        "itself can reach it, so the platform's health check and traffic never arrive and the deploy fails; "
        "listen on all interfaces: runserver 0.0.0.0:${LEANCLOUD_APP_PORT}",
        "manage.py runserver listens on its default port 8000 (no port on the command line), not on "
        "LEANCLOUD_APP_PORT: the platform sends its health check and traffic to that port, so the deploy "
        "fails; use runserver 0.0.0.0:${LEANCLOUD_APP_PORT}",
    ]
    report = run(FIXTURES / "listen_socket_wsgi", select=SELECT)
    (finding,) = report.active
    assert finding.message.startswith("The platform imports this module (WSGI mode")
    assert "`if __name__ == '__main__':`" in finding.hint


def _run_project(tmp_path, source: str, yaml: str = "run: python app.py\n", extra: dict | None = None):
    files = {"leanengine.yaml": yaml, "app.py": source, **(extra or {})}
    write_project(tmp_path, files)
    return run(tmp_path, select=SELECT)


# Each server API: a snippet in a `run: python app.py` program and the findings it gives.
API_CASES = [
    # Flask and its kin
    ("from flask import Flask\napp = Flask(__name__)\napp.run()\n", ["3:1 LE201", "1:6 LE203"]),
    ("import flask\napp = flask.Flask(__name__)\napp.run('localhost', 8080)\n", ["3:9 LE201", "3:22 LE202"]),
    ("from flask import Flask\ndef create_app():\n    return Flask(__name__)\napp = create_app()\napp.run(host='0.0.0.0', port=5000)\n", ["5:30 LE202"]),
    ("from flask import Flask\nFlask(__name__).run(host='::1', port=3000)\n", ["2:26 LE201", "2:38 LE202"]),
    ("from quart import Quart\napp = Quart(__name__)\napp.run(host='127.0.0.1')\n", ["3:14 LE201", "1:6 LE203"]),
    ("from flask import Flask\nfrom flask_socketio import SocketIO\napp = Flask(__name__)\nsio = SocketIO(app)\nsio.run(app)\n", ["5:1 LE201", "1:6 LE203"]),
    ("from sanic import Sanic\napp = Sanic('x')\napp.run(port=8000)\n", ["3:1 LE201", "3:14 LE202"]),
    ("import bottle\nbottle.run(host='localhost', port=8080)\n", ["2:17 LE201", "2:35 LE202"]),
    ("from bottle import Bottle\napp = Bottle()\napp.run(host='0.0.0.0')\n", ["1:6 LE203"]),
    # ASGI
    ("import uvicorn\nuvicorn.run('main:app')\n", ["2:1 LE201", "1:6 LE203"]),
    ("import uvicorn\nuvicorn.run('main:app', host='0.0.0.0', port=8000)\n", ["2:46 LE202"]),
    ("import uvicorn\nuvicorn.run('main:app', uds='/tmp/s')\n", []),
    ("import uvicorn\nconfig = uvicorn.Config('m:app', host='127.0.0.1', port=int(__import__('os').environ['LEANCLOUD_APP_PORT']))\n", ["2:39 LE201"]),
    ("from aiohttp import web\nweb.run_app(web.Application(), host='localhost', port=3000)\n", ["2:37 LE201", "2:55 LE202"]),
    # WSGI servers
    ("from waitress import serve\nserve(app, host='127.0.0.1', port=8080)\n", ["2:17 LE201", "2:35 LE202"]),
    ("from waitress import serve\nserve(app, listen='127.0.0.1:8080')\n", ["2:19 LE201", "2:19 LE202"]),
    ("from waitress import serve\nserve(app)\n", ["1:6 LE203"]),
    ("from werkzeug.serving import run_simple\nrun_simple('localhost', 4000, app)\n", ["2:12 LE201", "2:25 LE202"]),
    ("from wsgiref.simple_server import make_server\nmake_server('', 8000, app).serve_forever()\n", ["2:17 LE202"]),
    ("from gevent.pywsgi import WSGIServer\nWSGIServer(('127.0.0.1', 5000), app).serve_forever()\n", ["2:13 LE201", "2:26 LE202"]),
    ("from gevent import pywsgi\npywsgi.WSGIServer(':8000', app).serve_forever()\n", ["2:19 LE202"]),
    # Tornado
    ("import tornado.web\napp = tornado.web.Application([])\napp.listen(8888)\n", ["3:12 LE202"]),
    ("from tornado.httpserver import HTTPServer\nserver = HTTPServer(app)\nserver.bind(8888, address='127.0.0.1')\n", ["3:13 LE202", "3:27 LE201"]),
    # Sockets
    ("import socket\ns = socket.socket()\ns.bind(('localhost', 80))\n", ["3:9 LE201", "3:22 LE202"]),
    # a tuple bound to a name: the findings point at its literals
    ("import socket\nADDR = ('127.0.0.1', 80)\ns = socket.socket()\ns.bind(ADDR)\n", ["2:9 LE201", "2:22 LE202"]),
    ("import socket\nsocket.create_server(('127.0.0.1', 80))\n", ["2:23 LE201", "2:36 LE202"]),
    ("import socket\ns = socket.socket(socket.AF_UNIX)\ns.bind('/tmp/x.sock')\n", []),
    ("import socket\ns = socket.socket(type=socket.SOCK_DGRAM)\ns.bind(('127.0.0.1', 53))\n", []),
    ("import socketserver\nsocketserver.TCPServer(('127.0.0.1', 9999), H)\n", ["2:25 LE201", "2:38 LE202"]),
    ("import http.server as hs\nhs.HTTPServer(('', 8000), H)\n", ["2:20 LE202"]),
    # Not listeners, or not provably loopback
    ("import redis\nredis.Redis(host='localhost', port=6379)\n", []),
    ("import requests\nrequests.get('http://127.0.0.1:8000')\n", []),
    ("import socket\nsocket.create_connection(('127.0.0.1', 80))\n", []),
    ("app.run(host='127.0.0.1', port=5000)\n", []),
    # maybe passed through **kw: the host is unknown; but nothing reads the port
    ("from flask import Flask\napp = Flask(__name__)\nkw = {}\napp.run(**kw)\n", ["1:6 LE203"]),
    ("from flask import Flask\nimport os\napp = Flask(__name__)\napp.run(host=os.environ['HOST'], port=int(os.environ['LEANCLOUD_APP_PORT']))\n", []),
]


@pytest.mark.parametrize("source,expected", API_CASES)
def test_server_apis(tmp_path, source, expected):
    report = _run_project(tmp_path, source)
    got = sorted(f"{f.line}:{f.column} {f.code}" for f in report.active)
    assert got == sorted(expected)


def test_literal_3000_is_a_note(tmp_path):
    report = _run_project(tmp_path, "from flask import Flask\napp = Flask(__name__)\napp.run('0.0.0.0', 3000)\n")
    (finding,) = report.active
    assert (finding.code, finding.severity) == ("LE202", Severity.NOTE)
    report = _run_project(tmp_path, "from flask import Flask\napp = Flask(__name__)\napp.run('0.0.0.0', 3000 if a else 5000)\n")
    (finding,) = report.active
    assert finding.severity == Severity.ERROR and "port 3000 or 5000" in finding.message


def test_main_guard_of_an_imported_module_does_not_run(tmp_path):
    source = "import server\n"
    extra = {"server.py": "from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run()\n"}
    assert located(_run_project(tmp_path, source, extra=extra)) == []


def test_else_of_a_main_guard_runs_when_imported(tmp_path):
    source = "import server\n"
    extra = {
        "server.py": "from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    pass\nelse:\n    app.run()\n"
    }
    assert located(_run_project(tmp_path, source, extra=extra), "LE201") == ["server.py:6:5"]


def test_server_started_in_an_imported_module_in_wsgi_mode(tmp_path):
    write_project(
        tmp_path,
        {
            "wsgi.py": "from web import app as application\n",
            "web.py": "from flask import Flask\napp = Flask(__name__)\napp.run(port=5000)\n",
        },
    )
    assert located(run(tmp_path, select=SELECT)) == ["web.py:3:1"]  # LE201 only: no LE202 in WSGI mode


def test_constant_from_another_module(tmp_path):
    source = "from flask import Flask\nfrom settings import HOST, PORT\napp = Flask(__name__)\napp.run(HOST, PORT)\n"
    extra = {"settings.py": "HOST = 'localhost'\nPORT = 8000\n"}
    report = _run_project(tmp_path, source, extra=extra)
    assert located(report) == ["app.py:4:9", "app.py:4:15"]


def test_run_line_columns_and_messages(tmp_path):
    write_project(tmp_path, {"leanengine.yaml": "startupTimeout: 60\nrun: 'gunicorn -w 2 -b 127.0.0.1:8000 app:app'\n"})
    report = run(tmp_path, select=SELECT)
    assert [(f.code, f.line, f.column, f.span.end_column) for f in report.active] == [
        ("LE201", 2, 24, 33),
        ("LE202", 2, 34, 38),
    ]
    assert report.active[0].message.startswith("gunicorn listens on '127.0.0.1', a loopback address")


@pytest.mark.parametrize(
    "yaml,expected",
    [
        ("run: flask run\n", ["1:6 LE201", "1:6 LE203"]),
        ("run: FLASK_RUN_HOST=0.0.0.0 flask run -p 5000\n", ["1:42 LE202"]),
        ("run: FLASK_RUN_HOST=localhost FLASK_RUN_PORT=$LEANCLOUD_APP_PORT flask run\n", ["1:21 LE201"]),
        ("run: python -m flask run --host=0.0.0.0 --port=${LEANCLOUD_APP_PORT}\n", []),
        ("run: daphne -b 0.0.0.0 -p 8001 mysite.asgi:application\n", ["1:27 LE202"]),
        ("run: daphne mysite.asgi:application\n", ["1:6 LE201", "1:6 LE203"]),
        ("run: hypercorn main:app\n", ["1:6 LE201", "1:6 LE203"]),
        ("run: hypercorn -b 0.0.0.0:$LEANCLOUD_APP_PORT main:app\n", []),
        ("run: waitress-serve --listen=localhost:${LEANCLOUD_APP_PORT} wsgi:application\n", ["1:30 LE201"]),
        ("run: waitress-serve wsgi:application\n", ["1:6 LE203"]),
        ("run: uwsgi --http-socket :${LEANCLOUD_APP_PORT} --module wsgi:application\n", []),
        ("run: uwsgi --http 127.0.0.1:3000 --module wsgi\n", ["1:19 LE201", "1:29 LE202"]),
        ("run: uwsgi --ini uwsgi.ini\n", []),
        ("run: python manage.py runserver 0.0.0.0:8000\n", ["1:41 LE202"]),
        ("run: python manage.py runserver 0:3000\n", ["1:35 LE202"]),
        ("run: python manage.py runserver 127.0.0.1:${LEANCLOUD_APP_PORT}\n", ["1:33 LE201"]),
        ("run: python -m http.server\n", ["1:16 LE203"]),
        ("run: python -m http.server $LEANCLOUD_APP_PORT\n", []),
        ("run: gunicorn -b 0.0.0.0:${PORT:-8000} app:app\n", ["1:26 LE202"]),
        ("run: GUNICORN_CMD_ARGS='-b 0.0.0.0:3000' gunicorn app:app\n", []),
        ("run: sh -c 'cd src && exec gunicorn -b localhost:3000 app:app'\n", ["1:40 LE201", "1:50 LE202"]),
        ("run: ./start.sh\n", []),
        ("run:\n  - gunicorn app:app\n", []),
    ],
)
def test_run_lines(tmp_path, yaml, expected):
    write_project(tmp_path, {"leanengine.yaml": yaml})
    report = run(tmp_path, select=SELECT)
    got = sorted(f"{f.line}:{f.column} {f.code}" for f in report.active)
    assert got == sorted(expected)


def test_env_default_port_on_the_run_line_names_the_variable(tmp_path):
    write_project(tmp_path, {"leanengine.yaml": "run: gunicorn -b 0.0.0.0:${PORT:-8000} app:app\n"})
    (finding,) = run(tmp_path, select=SELECT).active
    assert "(unless PORT is set in the console)" in finding.message


def test_program_reading_the_port_anywhere_silences_le203(tmp_path):
    source = "from flask import Flask\nfrom config import PORT\napp = Flask(__name__)\napp.run(host='0.0.0.0', port=PORT)\n"
    extra = {"config.py": "import os\nPORT = int(os.environ.get('LEANCLOUD_APP_PORT', '3000'))\n"}
    assert located(_run_project(tmp_path, source, extra=extra)) == []


def test_le203_names_the_server_and_its_default(tmp_path):
    source = "import os\nfrom sanic import Sanic\napp = Sanic('x')\nif __name__ == '__main__':\n    app.run(host='0.0.0.0')\n"
    (finding,) = _run_project(tmp_path, source).active
    assert finding.code == "LE203" and finding.path == "leanengine.yaml"
    assert "(`app.run()` at app.py:5) that listens on Sanic's default port 8000" in finding.message


def test_other_runtime_is_ignored(tmp_path):
    write_project(tmp_path, {"leanengine.yaml": "runtime: nodejs\nrun: python app.py\n", "app.py": "import bottle\nbottle.run()\n"})
    assert located(run(tmp_path, select=SELECT)) == []


def test_helper_servers_beside_the_app_port_are_internal(tmp_path):
    source = (
        "import os, threading\n"
        "from flask import Flask\n"
        "from http.server import HTTPServer\n"
        "app = Flask(__name__)\n"
        "metrics = HTTPServer(('127.0.0.1', 9100), H)\n"
        "threading.Thread(target=metrics.serve_forever).start()\n"
        "app.run(host='0.0.0.0', port=int(os.environ['LEANCLOUD_APP_PORT']))\n"
    )
    assert located(_run_project(tmp_path, source)) == []


def test_loopback_on_the_app_port_is_reported_beside_helpers(tmp_path):
    source = (
        "import os\n"
        "from flask import Flask\n"
        "from http.server import HTTPServer\n"
        "app = Flask(__name__)\n"
        "metrics = HTTPServer(('127.0.0.1', 9100), H)\n"
        "app.run(port=int(os.environ['LEANCLOUD_APP_PORT']))\n"
    )
    assert located(_run_project(tmp_path, source)) == ["app.py:5:23", "app.py:5:36", "app.py:6:1"]


def test_helper_beside_a_server_tool_on_the_app_port(tmp_path):
    source = "from http.server import HTTPServer\nmetrics = HTTPServer(('localhost', 9100), H)\n"
    report = _run_project(tmp_path, source, yaml="run: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:metrics\n")
    assert located(report) == []


def test_server_in_a_function_runs_only_if_the_function_does(tmp_path):
    app = (
        "from flask import Flask\n"
        "app = Flask(__name__)\n"
        "def main():\n"
        "    serve()\n"
        "def serve():\n"
        "    app.run()\n"
        "if __name__ == '__main__':\n"
        "    main()\n"
    )
    write_project(tmp_path, {"wsgi.py": "from app import app as application\n", "app.py": app})
    assert located(run(tmp_path, select=SELECT)) == []  # WSGI mode: main() never runs
    write_project(tmp_path, {"leanengine.yaml": "run: python app.py\n"})
    assert located(run(tmp_path, select=SELECT)) == ["app.py:6:5", "leanengine.yaml:1:6"]


def test_server_in_a_thread_target_runs(tmp_path):
    admin = (
        "import threading\n"
        "from http.server import HTTPServer\n"
        "def serve():\n"
        "    HTTPServer(('127.0.0.1', 9000), H).serve_forever()\n"
        "threading.Thread(target=serve, daemon=True).start()\n"
    )
    write_project(tmp_path, {"wsgi.py": "import admin\napplication = None\n", "admin.py": admin})
    assert located(run(tmp_path, select=SELECT)) == ["admin.py:4:17"]


def test_click_command_never_called_is_quiet(tmp_path):
    manage = (
        "import click\n"
        "from app import app\n"
        "@click.command()\n"
        "def dev():\n"
        "    app.run(host='127.0.0.1', port=5000)\n"
    )
    write_project(
        tmp_path,
        {
            "wsgi.py": "from manage import app as application\n",
            "manage.py": manage,
            "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        },
    )
    assert located(run(tmp_path, select=SELECT)) == []
