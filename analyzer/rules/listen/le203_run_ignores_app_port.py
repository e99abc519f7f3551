"""LE203 run-ignores-app-port."""

from __future__ import annotations

from analyzer.model.project import Project
from analyzer.platform.environment import PORT_VAR
from analyzer.platform.paths import LEANENGINE_YAML
from analyzer.readers.runline import RunCommand, literal_port, yaml_span
from analyzer.rules.base import ProjectRule
from analyzer.rules.listen._listen import (
    _TOOL_FIX,
    _TOOL_NAME,
    READ_PORT,
    _config_may_bind,
    _default_port_fix,
    _option_where,
    _run_context,
    _run_default_port_fix,
    _run_span,
    _unless_run,
    literal_ports,
    scan_program,
)
from analyzer.types import Case, Fix, Severity, Span


class RunIgnoresAppPort(ProjectRule):
    code = "LE203"
    name = "run-ignores-app-port"
    severity = Severity.ERROR
    fixable = True
    summary = "The `run:` program serves HTTP, but neither it nor its command line reads LEANCLOUD_APP_PORT."
    why = (
        "With `run:`, the runtime page says the program must itself listen on the port in "
        "LEANCLOUD_APP_PORT: the platform probes that port during deploy and sends traffic there. A "
        "program that never reads the variable listens wherever its framework's default says (5000 for "
        "Flask, 8000 for gunicorn and uvicorn...), the health check never answers and the deploy is "
        "aborted. (lean-lint counts a program as reading the variable when the name LEANCLOUD_APP_PORT "
        "appears in the text of a module it runs.)"
    )
    example = Case(
        {
            "leanengine.yaml": "run: python app.py\n",
            "app.py": """
                from flask import Flask

                app = Flask(__name__)

                if __name__ == '__main__':
                    app.run(host='0.0.0.0')  # Flask's default port 5000
                """,
        },
        ("leanengine.yaml:1:6",),
    )
    fix = (
        "Listen on the port the platform gives: port=int(os.environ['LEANCLOUD_APP_PORT']) in code, "
        "or `--port ${LEANCLOUD_APP_PORT}` / `-b 0.0.0.0:${LEANCLOUD_APP_PORT}` on the run: line."
    )
    tags = ("deploy", "network")

    fires = (
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": """
                    from flask import Flask
                    app = Flask(__name__)
                    if __name__ == '__main__':
                        app.run(host='0.0.0.0')
                """,
            },
            (
                "leanengine.yaml:1:6: The run: program starts a server (`app.run()` at app.py:4) that listens on "
                "Flask's default port 5000, and nothing in the program nor on the command line reads "
                "LEANCLOUD_APP_PORT: the platform sends its health check and traffic to that port, so the "
                "deploy fails; listen on port=int(os.environ['LEANCLOUD_APP_PORT'])",
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
            {"leanengine.yaml": "run: gunicorn -b 0.0.0.0 app:app\n"},
            (
                "leanengine.yaml:1:6: gunicorn listens on its default port 8000 (no port on the command line), "
                "not on LEANCLOUD_APP_PORT: the platform sends its health check and traffic to that port, so "
                "the deploy fails; use -b 0.0.0.0:${LEANCLOUD_APP_PORT}",
            ),
        ),
        Case({"leanengine.yaml": "run:   flask run --host=0.0.0.0\n"}, ("leanengine.yaml:1:8",)),
        Case(
            {"leanengine.yaml": "run: uwsgi --socket :${LEANCLOUD_APP_PORT} --wsgi-file wsgi.py\n"},
            ("leanengine.yaml:1:12",),
            note="the uwsgi protocol is not HTTP",
        ),
        Case(
            {
                "leanengine.yaml": "run: python main.py\n",
                "main.py": """
                    import uvicorn
                    from fastapi import FastAPI
                    app = FastAPI()
                    uvicorn.run(app, host='0.0.0.0', port=args.port)
                """,
            },
            ("leanengine.yaml:1:6",),
        ),
    )
    near_misses = (
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": """
                    import os
                    from flask import Flask
                    app = Flask(__name__)
                    PORT = int(os.environ.get('LEANCLOUD_APP_PORT', 3000))
                    if __name__ == '__main__':
                        app.run(host='0.0.0.0', port=PORT)
                """,
            },
        ),
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\napp.run(host='0.0.0.0', port=5000)\n",
            },
            note="LE202 already explains it",
        ),
        Case({"leanengine.yaml": "run: python worker.py\n", "worker.py": "import time\nwhile True:\n    time.sleep(1)\n"}),
        Case({"wsgi.py": "from flask import Flask\napplication = Flask(__name__)\napplication.run(host='0.0.0.0')\n"}, note="WSGI mode"),
        Case({"leanengine.yaml": "run: gunicorn -b 0.0.0.0:$PORT app:app\n"}, note="PORT may be set in the console"),
        Case({"leanengine.yaml": "run: gunicorn -c conf.py app:app\n"}),
        Case({"leanengine.yaml": "run: FLASK_RUN_PORT=$LEANCLOUD_APP_PORT flask run --host 0.0.0.0\n"}),
        Case({"leanengine.yaml": "runtime: nodejs\nrun: gunicorn -b 0.0.0.0 app:app\n"}),
    )

    def check(self, project: Project) -> None:
        run = _run_context(project)
        if run is None:
            return
        if run.is_server_tool:
            self._check_tool(project, run)
        elif run.tool == "python":
            self._check_program(project, run)

    def _report(self, project: Project, where: tuple[int, int] | None, message: str, fix: Fix | None = None) -> None:
        span = _run_span(project, *where) if where else yaml_span(project.leanengine)
        if where is None:
            span = Span(span.line, span.column, span.line, span.column + 1)
        self.report_at(LEANENGINE_YAML, span, message, fix=fix)

    def _check_tool(self, project: Project, run: RunCommand) -> None:
        tool = _TOOL_NAME.get(run.tool, run.tool)
        fix = _TOOL_FIX.get(run.tool, "")
        if run.mentions(PORT_VAR) and not run.listens:
            return
        http = [l for l in run.listens if l.http]
        config = _config_may_bind(project, run)
        if not http:
            sockets = [l for l in run.listens if not l.http]
            if run.tool == "uwsgi" and sockets and not config:
                self._report(
                    project,
                    sockets[0].where if sockets[0].port is None else _option_where(run, sockets[0]),
                    f"uwsgi {sockets[0].option} speaks the uwsgi protocol, not HTTP, and nothing on the command "
                    f"line serves HTTP: the platform's HTTP health check on LEANCLOUD_APP_PORT never gets an "
                    f"answer, so the deploy fails; serve HTTP there: --http-socket :${{{PORT_VAR}}} (or --http)",
                )
            return
        for listen in http:
            if listen.port is not None:
                value = run.expand(listen.port.raw)
                if PORT_VAR in value.reads or value.text is None or literal_port(value.text) is not None:
                    return  # reads it, cannot be known, or LE202 explains it
        if config:
            return
        listen = http[0]
        if listen.default_port is None:
            return
        unless = _unless_run(tuple(n for n in listen.overridable_by if "PORT" in n), inside=True)
        self._report(
            project,
            (run.tool_word.start, run.tool_word.end) if run.tool_word else None,
            f"{tool} listens on its default port {listen.default_port} (no port on the command line{unless}), "
            f"not on LEANCLOUD_APP_PORT: the platform sends its health check and traffic to that port, so "
            f"the deploy fails; use {fix}",
            _run_default_port_fix(project, run, listen),
        )

    def _check_program(self, project: Project, run: RunCommand) -> None:
        if run.mentions(PORT_VAR) or not project.entry_files:
            return
        program = scan_program(project)
        if program.reads_port or not program.listeners:
            return
        if any(literal_ports(item) for _, item in program.listeners):
            return  # LE202 explains it
        path, first = program.listeners[0]
        line = project.parsed(path).span(first.call).line  # type: ignore[union-attr]
        where = f"`{first.name}()` at {path}:{line}"
        if first.port_is_default and first.port is not None and first.port.known:
            port = first.port.options[0]
            listens = f" that listens on {first.api.owner}'s default port {port}"
        else:
            listens = ""
        self._report(
            project,
            (run.tool_word.start, run.tool_word.end) if run.tool_word else None,
            f"The run: program starts a server ({where}){listens}, and nothing in the program nor on the "
            f"command line reads LEANCLOUD_APP_PORT: the platform sends its health check and traffic to "
            f"that port, so the deploy fails; listen on {READ_PORT}",
            _default_port_fix(project, program, path, first),
        )
