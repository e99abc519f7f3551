"""LE103 wsgi-application-missing."""

from __future__ import annotations

from analyzer.model.bindings import NEVER, resolve_name
from analyzer.model.project import Project
from analyzer.rules.base import ProjectRule
from analyzer.rules.wsgi._wsgi import (
    FACTORY_FUNCTIONS,
    IMPORT_FAILS,
    NAME,
    SERVED,
    _app_candidate,
    _near_name,
    wsgi_bindings,
)
from analyzer.types import FILE_START, Case, Severity


class WsgiApplicationMissing(ProjectRule):
    code = "LE103"
    name = "wsgi-application-missing"
    severity = Severity.ERROR
    summary = "wsgi.py never binds a module-level `application`, so the platform has nothing to serve."
    why = (
        "Without `run:` in leanengine.yaml, the platform imports wsgi.py and serves its module-level "
        "global `application` (a variable, function or class that is a WSGI callable). If no statement at "
        "the top level of wsgi.py binds that name, on any path, the app cannot start and the deploy is "
        "aborted. Every binding form counts (`application = app`, `def application(environ, "
        "start_response)`, `class application`, `from app import app as application`, `import x as "
        "application`); a binding inside a function, under `if __name__ == '__main__':` (wsgi.py is "
        "imported, never run as `__main__`), under `if TYPE_CHECKING:`, or removed by `del` does not. "
        "`from m import application` of a project module that never binds it fails with ImportError."
    )
    example = Case(
        {
            "wsgi.py": """
                from app import app
                # forgot: application = app
                """,
        },
        ("wsgi.py:1:17",),
    )
    fix = (
        "Bind `application` at the top level of wsgi.py, e.g. `from app import app` and `application = app`.\n"
        "```python\nfrom app import app\n\napplication = app\n```"
    )
    tags = ("wsgi", "startup")
    fires = (
        Case(
            {
                "wsgi.py": """
                    import os
                    from flask import Flask
                    app = Flask(__name__)
                    if not os.environ.get('LEANCLOUD_APP_ENV'):
                        application = app
                """,
            },
            (
                "wsgi.py:5:5: `application` is bound only under `if not os.environ.get('LEANCLOUD_APP_ENV'):` (line 4), which is false on the platform (LEANCLOUD_APP_ENV is stage or production there)",
            ),
            note='bound only where LEANCLOUD_APP_ENV is unset: on a laptop',
        ),
        Case(
            {"wsgi.py": "from app import app\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"},
            (
                "wsgi.py:1:17: wsgi.py binds `app` but never `application`, the name the platform "
                "serves",
            ),
        ),
        Case(
            {"wsgi.py": "import os\n\nprint('starting')\n"},
            (
                "wsgi.py:1:1: wsgi.py never binds a module-level `application`, the name the "
                "platform serves",
            ),
        ),
        Case(
            {
                "wsgi.py": """
                    from app import app

                    if __name__ == '__main__':
                        application = app
                        app.run()
                    """,
            },
            (
                "wsgi.py:4:5: `application` is bound only under `if __name__ == '__main__':` (line "
                "3), which never runs when the platform imports wsgi.py",
            ),
        ),
        Case(
            {"wsgi.py": "from app import application\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"},
            (
                "wsgi.py:1:17: `from app import application` imports `application` from app.py, "
                "but app.py never binds `application`: the platform's import of wsgi.py fails",
            ),
        ),
        Case(
            {
                "wsgi.py": "from app import app as application\n",
                "app.py": "from flask import Flask\nif __name__ == '__main__':\n    app = Flask(__name__)\n",
            },
            (
                "wsgi.py:1:17: `from app import app as application` imports `app` from app.py, but "
                "app.py binds `app` only under `if __name__ == '__main__':` (line 2), which does "
                "not run when the module is imported: the platform's import of wsgi.py fails",
            ),
        ),
        Case(
            {"wsgi.py": "from app import app\napplication = app\ndel application\n"},
            (
                "wsgi.py:3:1: `del application` at line 3 removes `application` before the "
                "platform reads it",
            ),
        ),
        Case(
            {"wsgi.py": "from app import app\nApplication = app\n"},
            (
                "wsgi.py:2:1: wsgi.py binds `Application` but not `application`, the name the "
                "platform serves (names are case-sensitive)",
            ),
        ),
        Case(
            {"wsgi.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app import app as application\n"},
            ("wsgi.py:3:21",),
            note="TYPE_CHECKING is False at run time",
        ),
        Case(
            {"wsgi.py": "from django.core.wsgi import get_wsgi_application\nwsgi = get_wsgi_application()\n"},
            ("wsgi.py:2:1",),
            note="a WSGI factory's result bound under another name",
        ),
        Case(
            {"api/wsgi.py": "x = 1\n", "leanengine.yaml": "buildRoot: api\n"},
            ("api/wsgi.py:1:1",),
            note="buildRoot: the build root's wsgi.py",
        ),
        Case(
            {"wsgi.py": "def make():\n    application = 1\n    return application\n"},
            ("wsgi.py:1:1",),
            note="a local variable of a function is not module-level",
        ),
    )
    near_misses = (
        Case(
            {
                "wsgi.py": """
                    import os
                    from flask import Flask
                    app = Flask(__name__)
                    if os.environ.get('LEANCLOUD_APP_ENV') == 'development':
                        from werkzeug.debug import DebuggedApplication
                        application = DebuggedApplication(app)
                    else:
                        application = app
                """,
            },
            note='the platform takes the else branch',
        ),
        Case(
            {"wsgi.py": "from app import app\napplication = app\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"},
            note="the runtime page's Flask template",
        ),
        Case(
            {"wsgi.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n"
             "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\napplication = get_wsgi_application()\n"},
            note="Django",
        ),
        Case({"wsgi.py": "def application(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n"}),
        Case({"wsgi.py": "class application:\n    def __init__(self, environ, start_response):\n        pass\n"}),
        Case({"wsgi.py": "from app import make\napplication, other = make()\n"}, note="tuple unpacking"),
        Case({"wsgi.py": "from typing import Callable\nfrom app import app\napplication: Callable = app\n"}),
        Case({"wsgi.py": "from app import make\napp = application = make()\n"}, note="chained assignment"),
        Case({"wsgi.py": "import app as application\n"}),
        Case({"wsgi.py": "from django.core.wsgi import application\n"}, note="outside the project: trusted"),
        Case(
            {"wsgi.py": "from app import app as application\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"}
        ),
        Case(
            {
                "wsgi.py": "from cloud import engine\nimport leancloud\nleancloud.init('id', 'key')\napplication = engine\n"
                "if __name__ == '__main__':\n    from gevent.pywsgi import WSGIServer\n"
                "    WSGIServer(('localhost', 3000), application).serve_forever()\n",
                "cloud.py": "from leancloud import Engine\nfrom app import app\nengine = Engine(app)\n",
            },
            note="the official template",
        ),
        Case({"wsgi.py": "from app import app\nif __name__ != '__main__':\n    application = app\n"}),
        Case({"wsgi.py": "from app import app\nif __name__ == '__main__':\n    app.run()\nelse:\n    application = app\n"}),
        Case({"wsgi.py": "import os\nif os.environ.get('X'):\n    from a import app as application\n"}, note="LE104's case"),
        Case({"wsgi.py": "def init():\n    global application\n    application = 1\ninit()\n"}, note="bound by a call at import"),
        Case({"wsgi.py": "globals()['application'] = object()\n"}, note="dynamic: lean-lint cannot tell"),
        Case({"wsgi.py": "def __getattr__(name):\n    raise AttributeError(name)\n"}, note="a module __getattr__"),
        Case({"wsgi.py": "x = 1\n", "leanengine.yaml": "run: python app.py\n"}, note="run: the platform does not read wsgi.py"),
        Case({"wsgi.py": "x = 1\n", "leanengine.yaml": "runtime: nodejs\n"}, note="not a Python project"),
        Case({"wsgi.py": "application = (\n"}, note="a syntax error is LE001's"),
        Case({"app.py": "app = 1\n"}, note="no wsgi.py is LE101's"),
        Case({"wsgi.py": "from app import application\n", "app/__init__.py": "", "app/application.py": "x = 1\n"},
             note="a submodule of a project package"),
        Case({"wsgi.py": "from app import *\n", "app.py": "from flask import Flask\napplication = Flask(__name__)\n"}),
        Case({"wsgi.py": "from app import *\n", "app.py": "__all__ = ['application']\nfrom x import application\n"}),
        Case(
            {"wsgi.py": "try:\n    from app import application\nexcept ImportError:\n    application = None\n",
             "app.py": "x = 1\n"},
            note="the ImportError is caught and the handler binds it",
        ),
        Case({"wsgi.py": "from a import app\nwith open('x'):\n    application = app\n"}),
        Case({"wsgi.py": "from a import app\n(application := app)\n"}),
        Case({"wsgi.py": "from a import app\nfor application in [app]:\n    pass\n"}, note="LE104's case"),
        Case({"wsgi.py": "application = 1\ndel application\napplication = 2\n"}, note="rebound after del"),
    )

    def check(self, project: Project) -> None:
        found = wsgi_bindings(project)
        if found is None:
            return
        path, mb = found
        if mb.dynamic:
            return
        res = resolve_name(project, path, NAME)
        if res.status != NEVER:
            return
        if mb.globals_of(NAME):
            return  # LE104 says what can be said
        if res.node is not None and res.binding is not None:
            b = res.binding
            target = project.module_file(b.module or "")
            self.report_at(
                path,
                mb.parsed.span(res.node),
                f"`{mb.code(b.statement)}` imports `{b.imported}` from {target}, but {res.reason}: {IMPORT_FAILS}",
                hint=f"Bind `{b.imported}` at the top level of {target}, or import the name it has.",
            )
            return
        dead = mb.dead_bindings_of(NAME)
        if dead:
            d = dead[0]
            where = f"`{mb.guard_text(d)}` (line {mb.line(d.guard)})"
            if d.why == "main-guard":
                what = "which never runs when the platform imports wsgi.py"
            elif d.why == "type-checking":
                what = "which is false when the platform imports wsgi.py"
            elif d.why == "platform":
                what = "which is false on the platform (LEANCLOUD_APP_ENV is stage or production there)"
            else:
                what = "which never runs"
            self.report_at(
                path,
                mb.parsed.span(d.binding.node),
                f"`{NAME}` is bound only under {where}, {what}",
                hint=f"Move the `{NAME}` binding above the `if` block, to the top level of wsgi.py.",
            )
            return
        st = mb.state(NAME)
        if st is not None and st.gap is not None and st.gap.kind in ("del", "except-as"):
            node = st.gap.node
            if st.gap.kind == "del":
                message = f"`del {NAME}` at line {mb.line(node)} removes `{NAME}` before the platform reads it"
            else:
                message = (
                    f"`except ... as {NAME}` at line {mb.line(node)} unbinds `{NAME}` when the handler ends, before "
                    f"the platform reads it"
                )
            self.report_at(path, mb.parsed.span(node), message, hint=f"Remove the `del`, or bind `{NAME}` again after it.")
            return
        typo = _near_name(mb)
        if typo is not None:
            self.report_at(
                path,
                mb.parsed.span(typo.node),
                f"wsgi.py binds `{typo.name}` but not `{NAME}`, {SERVED} (names are case-sensitive)",
                hint=f"Rename `{typo.name}` to `{NAME}`, or add `{NAME} = {typo.name}`.",
            )
            return
        app = _app_candidate(project, path, mb)
        if app is not None:
            value = f"{app.name}()" if app.name in FACTORY_FUNCTIONS else app.name
            self.report_at(
                path,
                mb.parsed.span(app.node),
                f"wsgi.py binds `{app.name}` but never `{NAME}`, {SERVED}",
                hint=f"Add `{NAME} = {value}` at the top level of wsgi.py.",
            )
            return
        self.report_at(
            path,
            FILE_START,
            f"wsgi.py never binds a module-level `{NAME}`, {SERVED}",
        )
