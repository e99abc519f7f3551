"""LE202 listen-port-not-from-env."""

from __future__ import annotations

from analyzer.model.project import Project
from analyzer.platform.environment import PROBED_PORT
from analyzer.platform.paths import LEANENGINE_YAML
from analyzer.rules.base import ProjectRule
from analyzer.rules.listen._listen import (
    _port_fix,
    _port_message,
    _run_context,
    _run_line_ports,
    _span,
    literal_ports,
    scan_program,
)
from analyzer.types import Case, Severity


class ListenPortNotFromEnv(ProjectRule):
    code = "LE202"
    name = "listen-port-not-from-env"
    severity = Severity.ERROR
    fixable = True
    summary = "A server the platform runs listens on a literal port instead of LEANCLOUD_APP_PORT."
    why = (
        "The platform sends the deploy's health check and all traffic to the port in the environment "
        "variable LEANCLOUD_APP_PORT, and the runtime page says a `run:` program must listen there. A "
        "server on another port never answers and the deploy is aborted. LEANCLOUD_APP_PORT is 3000 on "
        "the platform today (the runtime page's own uWSGI recipe writes `:3000`), so a literal 3000 "
        "works, and is only a note: the port is still the platform's to choose. Without `run:` (WSGI "
        "mode) the platform's own server holds that port, so this rule looks at `run:` programs only."
    )
    example = Case(
        {
            "leanengine.yaml": "run: python app.py\n",
            "app.py": """
                from flask import Flask

                app = Flask(__name__)

                if __name__ == '__main__':
                    app.run(host='0.0.0.0', port=5000)
                """,
        },
        ("app.py:6:34",),
    )
    fix = (
        "Read the port from the environment: port=int(os.environ['LEANCLOUD_APP_PORT']) "
        "(`-b 0.0.0.0:${LEANCLOUD_APP_PORT}` or `--port ${LEANCLOUD_APP_PORT}` on the run: line).\n"
        "A default for local runs is fine: int(os.environ.get('LEANCLOUD_APP_PORT', 3000))."
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
                    if os.environ.get('LEANCLOUD_APP_ENV') != 'production':
                        host = 'localhost'
                    else:
                        host = '0.0.0.0'
                    port = 5000 if os.environ['LEANCLOUD_APP_ENV'] == 'stage' else int(os.environ['LEANCLOUD_APP_PORT'])
                    app.run(host=host, port=port)
                """,
            },
            (
                'app.py:9:25: on stage (LEANCLOUD_APP_ENV=stage): `app.run()` listens on literal port 5000: the platform sends traffic to LEANCLOUD_APP_PORT',
            ),
            note='a conditional expression decided per environment: production reads LEANCLOUD_APP_PORT, stage does not',
        ),
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": """
                    from flask import Flask
                    app = Flask(__name__)
                    if __name__ == '__main__':
                        app.run(host='0.0.0.0', port=5000)
                """,
            },
            (
                "app.py:4:34: `app.run()` listens on literal port 5000: the platform sends traffic "
                "to LEANCLOUD_APP_PORT",
            ),
            fixed={
                "app.py": """
                    import os
                    from flask import Flask
                    app = Flask(__name__)
                    if __name__ == '__main__':
                        app.run(host='0.0.0.0', port=int(os.environ.get('LEANCLOUD_APP_PORT', '3000')))
                    """,
            },
        ),
        Case(
            {
                "leanengine.yaml": "run: python server.py\n",
                "server.py": """
                    import socket
                    PORT = 8080
                    with socket.socket() as s:
                        s.bind(('0.0.0.0', PORT))
                """,
            },
            ("server.py:4:24",),
        ),
        Case(
            {"leanengine.yaml": "run: gunicorn -b 0.0.0.0:8000 app:app\n"},
            (
                "leanengine.yaml:1:26: gunicorn listens on literal port 8000: the platform sends "
                "traffic to LEANCLOUD_APP_PORT",
            ),
        ),
        Case({"leanengine.yaml": 'run: "uvicorn main:app --host 0.0.0.0 --port 8000"\n'}, ("leanengine.yaml:1:46",)),
        Case(
            {"leanengine.yaml": "run: uwsgi --gevent 5000 --http :3000 --wsgi-file wsgi.py --master\n"},
            (
                "leanengine.yaml:1:34: uwsgi listens on literal port 3000: LEANCLOUD_APP_PORT is "
                "that today, but may change",
            ),
            note="the runtime page's own recipe: a note",
        ),
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": """
                    import os
                    from aiohttp import web
                    app = web.Application()
                    web.run_app(app, port=int(os.environ.get('PORT', 8080)))
                """,
            },
            ("app.py:4:23",),
        ),
    )
    near_misses = (
        Case(
            {
                'leanengine.yaml': 'run: python app.py\n',
                "app.py": """
                    import os
                    from flask import Flask
                    app = Flask(__name__)
                    PORT = 5000
                    PORT = 3000
                    PORT = int(os.environ.get('LEANCLOUD_APP_PORT', PORT))
                    app.run(host='0.0.0.0', port=PORT)
                """,
            },
            note='a later assignment in straight-line code replaces the literal before the call reads it',
        ),
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": """
                    import os
                    from flask import Flask
                    app = Flask(__name__)
                    app.run(host='0.0.0.0', port=int(os.environ.get('LEANCLOUD_APP_PORT', 3000)))
                """,
            },
            note="a literal default of LEANCLOUD_APP_PORT never applies on the platform",
        ),
        Case({"leanengine.yaml": "run: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:app\n"}),
        Case({"leanengine.yaml": "run: PORT=$LEANCLOUD_APP_PORT gunicorn app:app\n"}),
        Case({"leanengine.yaml": "run: python manage.py runserver 0.0.0.0:${LEANCLOUD_APP_PORT:-8000}\n"}),
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": "import redis\nr = redis.Redis(host='localhost', port=6379)\n",
            },
            note="a client's port",
        ),
        Case(
            {
                "wsgi.py": "from app import app as application\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run(port=5000)\n",
            },
        ),
    )

    def check(self, project: Project) -> None:
        run = _run_context(project)
        if run is None:
            return  # WSGI mode: the platform's own server holds LEANCLOUD_APP_PORT
        program = scan_program(project)
        judge = lambda listener: None if program.internal(project, listener) else (literal_ports(listener) or None)  # noqa: E731
        for path, listener, ports in program.judged(judge):
            self.report_at(
                path,
                _span(project, path, listener.port_node or listener.call),
                _port_message(listener, ports),
                severity=Severity.NOTE if ports == [PROBED_PORT] else None,
                fix=_port_fix(project, program, path, listener),
            )
        for span, message, hint, severity, fix in _run_line_ports(project, run):
            self.report_at(LEANENGINE_YAML, span, message, hint=hint, severity=severity, fix=fix)
