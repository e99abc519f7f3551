"""LE201 listens-on-loopback."""

from __future__ import annotations

from analyzer.model.project import Project
from analyzer.platform.paths import LEANENGINE_YAML
from analyzer.rules.base import ProjectRule
from analyzer.rules.listen._listen import (
    _WSGI_HINT,
    _host_fix,
    _host_message,
    _run_context,
    _run_line_loopbacks,
    _span,
    loopback_host,
    scan_program,
)
from analyzer.types import Case, Severity


class ListensOnLoopback(ProjectRule):
    code = "LE201"
    name = "listens-on-loopback"
    severity = Severity.ERROR
    fixable = True
    summary = "A server the platform runs listens on a loopback address (127.0.0.1, localhost, ::1)."
    why = (
        "The platform reaches the app from outside its container: the health check during deploy and "
        "all traffic go to port LEANCLOUD_APP_PORT on the container's network address. The runtime page "
        "says the app must listen on 0.0.0.0 (all interfaces), not on the 127.0.0.1 that some frameworks "
        "use by default: Flask's `app.run()` and `flask run`, Django's `runserver`, uvicorn, gunicorn "
        "without `-b`, daphne, hypercorn, Bottle and Sanic. A loopback listener never answers, and the "
        "deploy is aborted when the startup timeout expires. With WSGI (no `run:`), the platform serves "
        "`application` itself; a loopback server started while it imports `wsgi.py` and its modules is "
        "reported too (nothing outside the container reaches it), while a server under "
        "`if __name__ == '__main__':` there is local development code and is not."
    )
    example = Case(
        {
            "leanengine.yaml": "run: python app.py\n",
            "app.py": """
                import os
                from flask import Flask

                app = Flask(__name__)

                if __name__ == '__main__':
                    app.run(port=int(os.environ['LEANCLOUD_APP_PORT']))  # host: 127.0.0.1
                """,
        },
        ("app.py:7:5",),
    )
    fix = (
        "Listen on all interfaces: host='0.0.0.0' (`-b 0.0.0.0:${LEANCLOUD_APP_PORT}` for gunicorn, "
        "`--host 0.0.0.0` for uvicorn and flask run).\n"
        "```\n"
        "app.run(host='0.0.0.0', port=int(os.environ['LEANCLOUD_APP_PORT']))\n"
        "```\n"
        "Binding `'localhost'` only in development is fine: "
        "`host = 'localhost' if os.environ.get('LEANCLOUD_APP_ENV') == 'development' else '0.0.0.0'`."
    )
    tags = ("deploy", "network")

    fires = (
        Case(
            {
                'leanengine.yaml': 'run: python app.py\n',
                "app.py": """
                    import os
                    from flask import Flask
                    app = Flask(__name__)
                    HOST = '0.0.0.0'
                    HOST = '127.0.0.1'
                    app.run(host=HOST, port=int(os.environ['LEANCLOUD_APP_PORT']))
                """,
            },
            (
                "app.py:6:14: `app.run()` listens on loopback '127.0.0.1': the platform's health check cannot reach it",
            ),
            note='a later assignment in straight-line code replaces the public address before the call reads it',
        ),
        Case(
            {
                'leanengine.yaml': 'run: python app.py\n',
                "app.py": """
                    import os
                    from flask import Flask
                    app = Flask(__name__)
                    host = '0.0.0.0'
                    if os.environ.get('LEANCLOUD_APP_ENV') != 'production':
                        host = 'localhost'
                    app.run(host=host, port=int(os.environ['LEANCLOUD_APP_PORT']))
                """,
            },
            (
                "app.py:7:14: on stage (LEANCLOUD_APP_ENV=stage): `app.run()` listens on loopback 'localhost': the platform's health check cannot reach it",
            ),
            note='an assignment under an `if` true on stage replaces the host before the call',
        ),
        Case(
            {
                'leanengine.yaml': 'run: python app.py\n',
                "app.py": """
                    import os
                    from flask import Flask
                    app = Flask(__name__)
                    port = 5000 if os.environ['LEANCLOUD_APP_ENV'] == 'stage' else int(os.environ['LEANCLOUD_APP_PORT'])
                    app.run(host='127.0.0.1', port=port)
                """,
            },
            (
                "app.py:5:14: `app.run()` listens on loopback '127.0.0.1': the platform's health check cannot reach it",
            ),
            note='the port differs per environment, the host does not: one finding, for both',
        ),
        Case(
            {
                'leanengine.yaml': 'run: python app.py\n',
                "app.py": """
                    import os
                    from flask import Flask
                    app = Flask(__name__)
                    if os.environ.get('LEANCLOUD_APP_ENV') != 'production':
                        host = 'localhost'
                    else:
                        host = '0.0.0.0'
                    port = 5000 if os.environ['LEANCLOUD_APP_ENV'] == 'stage' else int(os.environ['LEANCLOUD_APP_PORT'])
                    app.run(host=host, port=port)
                """,
            },
            (
                "app.py:9:14: on stage (LEANCLOUD_APP_ENV=stage): `app.run()` listens on loopback 'localhost': the platform's health check cannot reach it",
            ),
            note='values per environment: the host bound in a branch that runs on stage only',
        ),
        Case(
            {
                "leanengine.yaml": "run: python wsgi.py\n",
                "wsgi.py": """
                    import os
                    from gevent.pywsgi import WSGIServer
                    from app import app as application
                    PORT = int(os.environ['LEANCLOUD_APP_PORT'])
                    if os.environ.get('LEANCLOUD_APP_ENV') != 'production':
                        server = WSGIServer(('localhost', PORT), application)
                    else:
                        server = WSGIServer(('0.0.0.0', PORT), application)
                    server.serve_forever()
                """,
                "app.py": """
                    from flask import Flask
                    app = Flask(__name__)
                """,
            },
            (
                "wsgi.py:6:26: on stage (LEANCLOUD_APP_ENV=stage): `WSGIServer()` listens on loopback 'localhost': the platform's health check cannot reach it",
            ),
            note="a branch that runs on stage only: the message says so",
        ),
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": """
                    import os
                    from flask import Flask
                    app = Flask(__name__)
                    if __name__ == '__main__':
                        app.run(port=int(os.environ['LEANCLOUD_APP_PORT']))
                """,
            },
            (
                "app.py:5:5: `app.run()` listens on 127.0.0.1 (Flask's default): the platform's "
                "health check cannot reach it",
            ),
            fixed={
                "app.py": """
                    import os
                    from flask import Flask
                    app = Flask(__name__)
                    if __name__ == '__main__':
                        app.run(port=int(os.environ['LEANCLOUD_APP_PORT']), host='0.0.0.0')
                    """,
            },
        ),
        Case(
            {
                "leanengine.yaml": "run: python server.py\n",
                "server.py": """
                    import os, socket
                    HOST = os.environ.get('HOST', '127.0.0.1')
                    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    s.bind((HOST, int(os.environ['LEANCLOUD_APP_PORT'])))
                    s.listen()
                """,
            },
            (
                "server.py:4:9: `s.bind()` listens on loopback '127.0.0.1' (unless HOST is set): "
                "the platform's health check cannot reach it",
            ),
        ),
        Case(
            {"leanengine.yaml": "run: gunicorn app:app\n", "app.py": "app = None\n"},
            (
                "leanengine.yaml:1:6: gunicorn listens on 127.0.0.1 by default (no host given; "
                "unless PORT is set): the platform's health check cannot reach it",
            ),
        ),
        Case({"leanengine.yaml": "run: uvicorn main:app --host localhost --port $LEANCLOUD_APP_PORT\n"}, ("leanengine.yaml:1:30",)),
        Case({"leanengine.yaml": "run: 'python manage.py runserver ${LEANCLOUD_APP_PORT}'\n"}, ("leanengine.yaml:1:34",)),
        Case(
            {
                "wsgi.py": """
                    from app import app
                    application = app
                    app.run(host='127.0.0.1', port=3000)
                """,
                "app.py": "import flask\napp = flask.Flask(__name__)\n",
            },
            ("wsgi.py:3:14",),
            note="WSGI mode: a server started at import time",
        ),
    )
    near_misses = (
        Case(
            {
                'leanengine.yaml': 'run: python app.py\n',
                "settings.py": """
                    import os
                    OFFLINE = os.environ.get('LEANCLOUD_APP_ENV') is None
                """,
                "app.py": """
                    import os
                    from flask import Flask
                    from settings import OFFLINE
                    app = Flask(__name__)
                    @app.route('/')
                    def index():
                        return 'ok'
                    if OFFLINE:
                        app.run(host='localhost', port=5000)
                """,
            },
            note='a local-only branch, decided by a condition bound in another module',
        ),
        Case(
            {
                'leanengine.yaml': 'run: python app.py\n',
                "app.py": """
                    import os
                    from flask import Flask
                    app = Flask(__name__)
                    host = '0.0.0.0'
                    if os.environ.get('LOCAL_ONLY'):
                        host = 'localhost'
                    app.run(host=host, port=int(os.environ['LEANCLOUD_APP_PORT']))
                """,
            },
            note='the replacing assignment depends on a variable the user sets: either host may be the one',
        ),
        Case(
            {
                "leanengine.yaml": "run: python wsgi.py\n",
                "wsgi.py": """
                    import os
                    from gevent.pywsgi import WSGIServer
                    from app import app as application
                    PORT = int(os.environ['LEANCLOUD_APP_PORT'])
                    if os.environ['LEANCLOUD_APP_ENV'] == 'development':
                        server = WSGIServer(('localhost', PORT), application)
                    else:
                        server = WSGIServer(('0.0.0.0', PORT), application)
                    if not os.getenv('LEANCLOUD_APP_ENV'):
                        server = WSGIServer(('127.0.0.1', PORT), application)
                    server.serve_forever()
                """,
                "app.py": """
                    from flask import Flask
                    app = Flask(__name__)
                """,
            },
            note="LEANCLOUD_APP_ENV is never 'development' nor unset on the platform: those branches never run there",
        ),
        Case(
            {
                "leanengine.yaml": "run: python wsgi.py\n",
                "wsgi.py": """
                    import os
                    from gevent import pywsgi
                    from app import app
                    application = app
                    if __name__ == '__main__':
                        from gevent.pywsgi import WSGIServer
                        env = os.environ.get('LEANCLOUD_APP_ENV', 'development')
                        port = int(os.environ.get('LEANCLOUD_APP_PORT', 3000))
                        host = '0.0.0.0'
                        if env == 'development':
                            host = 'localhost'
                        server = WSGIServer((host, port), application)
                        server.serve_forever()
                """,
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
            },
            note="the official template binds localhost only in development",
        ),
        Case(
            {
                "wsgi.py": "from app import app\napplication = app\n",
                "app.py": """
                    from flask import Flask
                    app = Flask(__name__)
                    if __name__ == '__main__':
                        app.run()  # local development only: the platform imports wsgi.py
                """,
            },
            note="WSGI mode: __main__ blocks are local development code",
        ),
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": """
                    import redis, requests, socket
                    r = redis.Redis(host='127.0.0.1')  # a client, not a listener
                    requests.get('http://localhost:8000/')
                    c = socket.socket()
                    c.connect(('127.0.0.1', 80))
                    # app.run(host='127.0.0.1')
                    HELP = "run with host 127.0.0.1"
                """,
            },
        ),
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": """
                    import os
                    from flask import Flask
                    app = Flask(__name__)
                    dev = os.environ.get('LEANCLOUD_APP_ENV') == 'development'
                    app.run(host='localhost' if dev else '0.0.0.0', port=int(os.environ['LEANCLOUD_APP_PORT']))
                """,
            },
        ),
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": "thing = make()\nthing.run(host='127.0.0.1')\n",
            },
            note="not tied to a known server API",
        ),
        Case({"leanengine.yaml": "run: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:app\n"}),
        Case({"leanengine.yaml": "run: uwsgi --http :${LEANCLOUD_APP_PORT} --wsgi-file wsgi.py\n"}),
        Case({"leanengine.yaml": "run: gunicorn app:app\n", "gunicorn.conf.py": "bind = '0.0.0.0:3000'\n"}),
        Case({"leanengine.yaml": "run: waitress-serve --port=$LEANCLOUD_APP_PORT wsgi:application\n"}),
        Case(
            {
                "leanengine.yaml": "run: python udp.py\n",
                "udp.py": "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.bind(('127.0.0.1', 9999))\n",
            },
            note="a UDP socket is not an HTTP listener",
        ),
    )

    def check(self, project: Project) -> None:
        if not project.python_applies:
            return
        wsgi = project.run is None
        program = scan_program(project)
        judge = lambda listener: None if program.internal(project, listener) else loopback_host(listener)  # noqa: E731
        for path, listener, (host, default) in program.judged(judge):
            node = listener.host_node if listener.host_node is not None else listener.call
            self.report_at(
                path,
                _span(project, path, node),
                _host_message(listener, host, default, wsgi),
                hint=_WSGI_HINT if wsgi else "",
                fix=None if wsgi else _host_fix(project, program, path, listener, default),
            )
        run = _run_context(project)
        if run is None:
            return
        for span, message, hint, fix in _run_line_loopbacks(project, run):
            self.report_at(LEANENGINE_YAML, span, message, hint=hint, fix=fix)
