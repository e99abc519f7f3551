"""LE204 run-program-serves-nothing.

LE203 speaks about a server it recognises; this rule speaks when there provably is none. A false
positive would tell a working app that it fails, so it fires only when lean-lint sees the whole
program and the program cannot open a listening socket:

* the `run:` line is one plain command `python FILE.py` (a file at the build root) or
  `python -m MODULE` (a project module; a package runs its `__main__.py`), without `PYTHON*`
  variables that change what is imported; a shell wrapper, `sh -c`, several commands (one may serve
  in the background), gunicorn and the other server tools are left to the listen rules;
* every project module the program imports (transitively, function-level and `__main__`-block
  imports included) is read and parses;
* every other import is on `_NOT_SERVING` below, a short list of modules that cannot listen, run
  other programs or load code lean-lint does not see (any other stdlib or third-party module,
  `socket`, `asyncio`, `http.server`, `subprocess`, `multiprocessing`, `importlib`, the LeanCloud SDK
  whose `Engine.run()` starts werkzeug's server... keeps it quiet);
* the code calls no `exec` / `eval` / `compile` / `__import__`, no process starter (`os.system`,
  `os.exec*`, `os.spawn*`, `os.popen`...), no `getattr` with a computed name, and leaves `sys.path`
  alone (a vendored `requests.py` could be imported instead of the library);
* and the listen rules' scan (`scan_program`) found no server start.
"""

from __future__ import annotations

import ast
import os

from analyzer.model.project import Project
from analyzer.platform.paths import LEANENGINE_YAML
from analyzer.readers.runline import PYTHON_RE, RunCommand, split_commands, tokenize
from analyzer.rules.base import ProjectRule
from analyzer.rules.listen._listen import _run_context, _run_span, scan_program
from analyzer.types import Case, Severity

#: Modules (with everything under them) that open no listening socket, start no other program and
#: load no code from names or text: the standard library's plain helpers, and a few third-party
#: clients and helpers that hold no server (python-dotenv is not here: its CLI runs programs; nor
#: the SDK, nor APScheduler, which imports jobs named by strings). Anything else may serve.
_NOT_SERVING = frozenset(
    """
    __future__ abc argparse array base64 binascii bisect bz2 calendar cmath codecs collections colorsys
    concurrent.futures contextlib contextvars copy csv dataclasses datetime decimal difflib email enum errno
    fnmatch fractions functools gc getopt getpass glob gzip hashlib heapq hmac html http inspect io ipaddress
    itertools json keyword locale logging lzma math mimetypes numbers operator os pathlib platform pprint
    queue random re reprlib sched secrets shlex shutil signal smtplib sqlite3 stat statistics string struct
    sys tempfile textwrap threading time traceback types typing unicodedata urllib uuid warnings weakref
    xml.dom xml.etree zipfile zlib zoneinfo
    requests urllib3 certifi idna charset_normalizer chardet dateutil pytz schedule redis pymongo pymysql
    bs4 typing_extensions
    """.split()
)
#: Parts of those packages that can serve, run programs, load code or change where imports come from.
_SERVING_PARTS = frozenset({"http.server", "logging.config", "sys.path", "sys.meta_path", "sys.path_hooks"})
#: Functions that start other programs (`os.system('gunicorn app:app')`) or load native code, by name
#: on any object.
_STARTS_PROGRAMS = frozenset(
    """
    system popen startfile posix_spawn posix_spawnp execl execle execlp execlpe execv execve execvp execvpe
    spawnl spawnle spawnlp spawnlpe spawnv spawnve spawnvp spawnvpe load_extension
    """.split()
)
#: Builtins that run code lean-lint does not see.
_RUNS_TEXT = frozenset({"exec", "eval", "compile", "__import__", "__builtins__"})
#: Files Python itself imports at startup from the path.
_STARTUP_HOOKS = ("sitecustomize.py", "usercustomize.py")


class RunProgramServesNothing(ProjectRule):
    code = "LE204"
    name = "run-program-serves-nothing"
    severity = Severity.ERROR
    summary = "The `run:` program starts no server: nothing answers the platform's health check."
    why = (
        "With `run:`, the runtime page says the program must itself serve HTTP on the port in "
        "LEANCLOUD_APP_PORT (on 0.0.0.0). While deploying, the platform checks every second whether the "
        "app answers, and aborts the deploy when the startup timeout (`startupTimeout`, 30 s by default) "
        "passes without an answer; later health checks restart an app that stops answering. A program "
        "that serves nothing (a script that does its job and exits, a worker that loops or sleeps) never "
        "passes: it cannot be deployed with `run:` as it is. lean-lint reports it only when it reads the "
        "whole program and finds nothing that could listen: a plain `python file.py` or `python -m "
        "module` of the project, all of whose modules parse, importing only standard-library helpers and "
        "a few client libraries known not to serve (requests, redis, pymongo, pymysql, schedule...), and "
        "starting no other program. Any other import, a shell wrapper, or code run from text keeps it quiet."
    )
    example = Case(
        {
            "leanengine.yaml": "run: python worker.py\n",
            "worker.py": """
                import time

                while True:
                    print('still working')
                    time.sleep(60)
                """,
        },
        ("leanengine.yaml:1:6",),
    )
    fix = (
        "Serve HTTP on the platform's port beside the work, e.g. a small health server in a thread:\n"
        "```python\n"
        "import os, threading\n"
        "from http.server import BaseHTTPRequestHandler, HTTPServer\n\n"
        "class Health(BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        self.send_response(200)\n"
        "        self.end_headers()\n"
        "        self.wfile.write(b'ok')\n\n"
        "server = HTTPServer(('0.0.0.0', int(os.environ['LEANCLOUD_APP_PORT'])), Health)\n"
        "threading.Thread(target=server.serve_forever, daemon=True).start()\n"
        "```\n"
        "The process must keep running: after a job that ends, serve in the main thread "
        "(`server.serve_forever()`), or start the job from a route or a cloud function of a web app instead."
    )
    tags = ("deploy", "health-check", "startup")

    fires = (
        Case(
            {"leanengine.yaml": "run: python job.py\n", "job.py": "print('done')\n"},
            ("leanengine.yaml:1:6: `python job.py` starts no server (nothing it imports can listen): the "
             "platform's health check on LEANCLOUD_APP_PORT never gets an answer and the deploy is aborted",),
            note="a script that does its job and exits",
        ),
        Case(
            {
                "leanengine.yaml": "run: exec python3 -u -m worker --interval 60\n",
                "worker/__init__.py": "",
                "worker/__main__.py": "import os\nimport time\nimport schedule\nfrom worker.jobs import sync\n"
                "schedule.every(int(os.environ.get('INTERVAL', '60'))).seconds.do(sync)\n"
                "while True:\n    schedule.run_pending()\n    time.sleep(1)\n",
                "worker/jobs.py": "import requests\nimport logging\n\ndef sync():\n"
                "    logging.info(requests.get('https://example.com').status_code)\n",
            },
            ("leanengine.yaml:1:11: `python3 -u -m worker` starts no server (nothing it imports can listen): the "
             "platform's health check on LEANCLOUD_APP_PORT never gets an answer and the deploy is aborted",),
            note="a package's __main__.py, a scheduler loop, a project module and known client libraries",
        ),
    )
    near_misses = (
        Case(
            {
                "leanengine.yaml": "run: python app.py\n",
                "app.py": "import os\nfrom flask import Flask\napp = Flask(__name__)\n"
                "app.run(host='0.0.0.0', port=int(os.environ['LEANCLOUD_APP_PORT']))\n",
            },
            note="a Flask server",
        ),
        Case(
            {"leanengine.yaml": "run: python bot.py\n", "bot.py": "import telebot\nbot = telebot.TeleBot('x')\nbot.infinity_polling()\n"},
            note="a third-party library lean-lint does not know may serve",
        ),
        Case(
            {"leanengine.yaml": "run: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:app\n", "app.py": "print('hi')\n"},
            note="a server tool, not a plain python program",
        ),
        Case(
            {
                "leanengine.yaml": "run: python main.py\n",
                "main.py": "from server import start\nstart()\n",
                "server.py": "import os\nfrom http.server import HTTPServer, SimpleHTTPRequestHandler\n\ndef start():\n"
                "    HTTPServer(('', int(os.environ['LEANCLOUD_APP_PORT'])), SimpleHTTPRequestHandler).serve_forever()\n",
            },
            note="a project module starts the server",
        ),
        Case(
            {"leanengine.yaml": "run: python start.py\n", "start.py": "import os\nos.system('gunicorn -b 0.0.0.0:3000 app:app')\n"},
            note="another program serves",
        ),
        Case(
            {"leanengine.yaml": "run: python start.py\n", "start.py": "import os\nos.execvp('gunicorn', ['gunicorn', 'app:app'])\n"},
        ),
        Case(
            {"leanengine.yaml": "run: python start.py\n", "start.py": "import subprocess\nsubprocess.run(['python', '-m', 'http.server'])\n"},
        ),
        Case(
            {"leanengine.yaml": "run: python start.py\n", "start.py": "import asyncio\n\nasync def main():\n    pass\n\nasyncio.run(main())\n"},
            note="asyncio can serve",
        ),
        Case(
            {"leanengine.yaml": "run: python start.py\n", "start.py": "exec(open('server_code.txt').read())\n"},
            note="code run from text",
        ),
        Case(
            {"leanengine.yaml": "run: python job.py & python web.py\n", "job.py": "print('x')\n", "web.py": "print('y')\n"},
            note="several commands: another one may serve",
        ),
        Case(
            {"leanengine.yaml": "run: sh -c 'python job.py'\n", "job.py": "print('x')\n"},
            note="a shell wrapper",
        ),
        Case(
            {"leanengine.yaml": "run: python scripts/job.py\n", "scripts/job.py": "import helper\n", "scripts/helper.py": ""},
            note="a script outside the build root imports from its own folder",
        ),
        Case(
            {"leanengine.yaml": "run: python job.py\n", "job.py": "import broken\n", "broken.py": "def f(:\n"},
            note="a module that does not parse",
        ),
        Case(
            {"leanengine.yaml": "run: python job.py\n", "job.py": "import leancloud\nleancloud.init('id', 'key')\n"},
            note="the SDK's Engine.run() starts a server",
        ),
        Case(
            {"leanengine.yaml": "run: PYTHONPATH=lib python job.py\n", "job.py": "import time\ntime.sleep(1)\n"},
            note="PYTHONPATH changes what is imported",
        ),
        Case(
            {"leanengine.yaml": "run: python job.py\n", "job.py": "from .x import y\n"},
            note="an import lean-lint cannot resolve",
        ),
        Case(
            {"leanengine.yaml": "run: python job.py\n", "job.py": "import logging.config\nlogging.config.listen(9999).start()\n"},
            note="logging.config.listen() serves",
        ),
        Case(
            {
                "leanengine.yaml": "run: python -m tasks.nightly\n",
                "tasks/__init__.py": "from flask import Flask\napp = Flask(__name__)\n",
                "tasks/nightly.py": "print('ran')\n",
            },
            note="`-m` imports the parent package first",
        ),
        Case(
            {
                "leanengine.yaml": "run: python job.py\n",
                "job.py": "import sys\nsys.path.insert(0, 'vendor')\nimport requests\n",
                "vendor/requests.py": "import http.server\n",
            },
            note="imports from a changed sys.path",
        ),
    )

    def check(self, project: Project) -> None:
        run = _run_context(project)
        if run is None or run.tool != "python" or not _plain_python(run):
            return
        entries = _program_entries(project, run)
        if entries is None or any(project.is_file(project.build_path(name)) for name in _STARTUP_HOOKS):
            return
        files = _program_files(project, entries)
        if files is None or any(not _runs_only_visible_code(project, rel) for rel in files):
            return
        if scan_program(project).listeners:
            return
        where = _program_words(run)
        if where is None:
            return
        start, end = where
        self.report_at(
            LEANENGINE_YAML,
            _run_span(project, start, end),
            f"`{run.text[start:end]}` starts no server (nothing it imports can listen): the platform's health "
            "check on LEANCLOUD_APP_PORT never gets an answer and the deploy is aborted",
        )


def _plain_python(run: RunCommand) -> bool:
    """One simple command, `python` running a file or a module, with no variable that changes imports."""
    commands = split_commands(run.text)
    if len(commands) != 1:
        return False
    words = commands[0]
    while words and "=" in words[0] and words[0].split("=", 1)[0].isidentifier():
        if words[0].startswith("PYTHON"):
            return False
        words = words[1:]
    return bool(words) and PYTHON_RE.match(words[0]) is not None and (run.script or run.module) is not None


def _program_entries(project: Project, run: RunCommand) -> list[str] | None:
    """The files Python runs first: the script, or the module with its parent packages (a package's
    `__main__.py` after its `__init__.py`); None when that is not a project file lean-lint can place."""
    if run.script is not None:
        script = os.path.normpath(run.script).replace(os.sep, "/")
        if "/" in script or not script.endswith(".py"):
            return None  # sys.path[0] would be another folder than the build root
        rel = project.build_path(script)
        return [rel] if rel in project.python_files else None
    module = run.module or ""
    parts = module.split(".")
    if not all(p.isidentifier() for p in parts):
        return None
    found = []
    for i in range(1, len(parts) + 1):
        rel = project.module_file(".".join(parts[:i]))
        if rel is None:
            return None
        found.append(rel)
    if found[-1].endswith("/__init__.py"):
        main = project.module_file(module + ".__main__")
        if main is None:
            return None
        found.append(main)
    return found


def _program_files(project: Project, entries: list[str]) -> set[str] | None:
    """Every project file the program imports, transitively; None when an import is neither a
    project module lean-lint reads nor a module known not to serve."""
    seen: set[str] = set()
    todo = list(entries)
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        src = project.source(rel)
        if not src.ok or src.tree is None:
            return None
        info = project.file_info(rel)
        for ref in (*info.imports, *info.dead_main_imports):
            if not ref.module:
                return None  # a relative import beyond the top
            targets = _project_targets(project, ref.module, ref.names)
            if targets is None:
                return None
            todo += targets
    return seen


def _project_targets(project: Project, module: str, names: tuple[str, ...]) -> list[str] | None:
    """The project files an import runs, or [] for modules known not to serve; None otherwise."""
    if project.is_project_module(module):
        parts = module.split(".")
        files = [project.module_file(".".join(parts[:i])) for i in range(1, len(parts) + 1)]
        if files[-1] is None:
            return None  # a namespace folder, or a module the project does not have
        out = [f for f in files if f is not None]
        out += [f for n in names if n != "*" and (f := project.module_file(f"{module}.{n}")) is not None]
        return out
    imported = [f"{module}.{n}" for n in names if n != "*"] or [module]
    # `from concurrent import futures`: the parent package only holds what is imported from it.
    return [] if all(_not_serving(name) for name in imported) else None


def _not_serving(name: str) -> bool:
    parts = name.split(".")
    prefixes = {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
    if prefixes & _SERVING_PARTS or parts[-1] in _STARTS_PROGRAMS:
        return False
    return bool(prefixes & _NOT_SERVING)


def _runs_only_visible_code(project: Project, rel: str) -> bool:
    """No `exec` / `eval` / `__import__`, no process starter, no `getattr` with a computed name, no
    change to `sys.path`."""
    tree = project.source(rel).tree
    if tree is None:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and (node.id in _RUNS_TEXT or node.id in _STARTS_PROGRAMS):
            return False  # `exec(...)`; `system(...)` after `from os import *`
        if isinstance(node, ast.Attribute) and node.attr in _STARTS_PROGRAMS:
            return False
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and f"{node.value.id}.{node.attr}" in _SERVING_PARTS):
            return False  # `logging.config.listen()` once another module imported it; `sys.path.insert()`
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "setattr"):
            name = node.args[1] if len(node.args) > 1 else None
            if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                return False
            if name.value in _STARTS_PROGRAMS or name.value in _RUNS_TEXT:
                return False
    return True


def _program_words(run: RunCommand) -> tuple[int, int] | None:
    """The run-text range from `python` to the file or module it runs."""
    commands = tokenize(run.text)
    if run.tool_word is None or not commands:
        return None
    words = [w for w in commands[0] if w.start >= run.tool_word.end]
    target = run.script if run.script is not None else run.module
    for i, word in enumerate(words):
        if word.text == target and (run.script is not None or (i > 0 and words[i - 1].text == "-m")):
            return run.tool_word.start, word.end
    return None
