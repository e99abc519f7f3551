"""LE103-LE104: wsgi.py's module-level `application`, the callable the platform serves.

Without `run:` in leanengine.yaml, the platform imports wsgi.py and serves its global `application`.
Both rules read the path analysis of analyzer/bindings.py: LE103 when no path through wsgi.py binds
`application` (or it is imported from a project module that lacks it), LE104 when only some paths do.
A module that can grow names no statement shows (`globals()`, `sys.modules`, a module `__getattr__`)
is left alone, and so is `application` bound by a function through `global` when wsgi.py calls it.
"""

from __future__ import annotations

import difflib
from typing import Optional

import libcst as cst

from analyzer.bindings import (
    MAYBE,
    NEVER,
    UNKNOWN,
    Binding,
    ModuleBindings,
    project_bindings,
    resolve_name,
)
from analyzer.ftypes import FILE_START, Case, Severity
from analyzer.project import Project
from analyzer.rules.base import ProjectRule

NAME = "application"
IMPORT_FAILS = "importing wsgi.py fails with ImportError, so the app cannot start and the deploy is aborted"
NOT_SERVED = "the app cannot start and the deploy is aborted"
#: Names apps are usually bound to, in the order a hint prefers them.
APP_NAMES = ("engine", "app", "wsgi_app", "wsgi_application", "flask_app", "django_app", "api", "server", "web_app")
#: Calls that build a WSGI app (qualified through the module's imports).
WSGI_FACTORIES = frozenset(
    {
        "leancloud.Engine", "leancloud.engine.Engine", "flask.Flask", "django.core.wsgi.get_wsgi_application",
        "bottle.Bottle", "bottle.default_app", "falcon.App", "falcon.API", "tornado.wsgi.WSGIAdapter",
        "pyramid.config.Configurator", "werkzeug.middleware.dispatcher.DispatcherMiddleware",
    }
)
FACTORY_FUNCTIONS = ("create_app", "make_app", "get_app", "build_app")


def wsgi_bindings(project: Project) -> Optional[tuple[str, ModuleBindings]]:
    """wsgi.py's path and bindings when the platform serves its `application` (no `run:`), it is
    uploaded at the build root and it parses; None otherwise (LE101 / LE001 cover those)."""
    if not project.python_applies or project.run is not None:
        return None
    path = project.build_path("wsgi.py")
    if path not in project.python_files:
        return None
    mb = project_bindings(project, path)
    return None if mb is None else (path, mb)


def _function_globals_uncalled(mb: ModuleBindings) -> list:
    """`global application` in plain top-level functions that module-level code never calls.
    Empty when any declaration is elsewhere (a method, a nested or decorated function) or called."""
    decls = mb.globals_of(NAME)
    if not decls:
        return []
    for d in decls:
        if not d.plain_top_level or d.scope.name.value in mb.module_calls:
            return []
    return decls


class MissingApplication(ProjectRule):
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
    example = "from app import app\n# forgot: application = app"
    fix = (
        "Bind `application` at the top level of wsgi.py, e.g. `from app import app` and `application = app`.\n"
        "```python\nfrom app import app\n\napplication = app\n```"
    )
    tags = ("wsgi", "startup")
    fires = (
        Case(
            {"wsgi.py": "from app import app\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"},
            (
                "wsgi.py:1:17: wsgi.py binds `app` but never `application`: the platform imports wsgi.py and "
                "serves only its module-level `application`, so the app cannot start and the deploy is aborted",
            ),
        ),
        Case(
            {"wsgi.py": "import os\n\nprint('starting')\n"},
            (
                "wsgi.py:1:1: wsgi.py never binds a module-level `application`: the platform imports wsgi.py "
                "and serves its global `application`, so the app cannot start and the deploy is aborted",
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
                "wsgi.py:4:5: `application` is bound only under `if __name__ == '__main__':` (line 3), which never "
                "runs on the platform: it imports wsgi.py as a module, so the app cannot start and the deploy "
                "is aborted",
            ),
        ),
        Case(
            {"wsgi.py": "from app import application\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"},
            (
                "wsgi.py:1:17: `from app import application` imports `application` from app.py, but app.py never "
                "binds `application`: importing wsgi.py fails with ImportError, so the app cannot start and the "
                "deploy is aborted",
            ),
        ),
        Case(
            {
                "wsgi.py": "from app import app as application\n",
                "app.py": "from flask import Flask\nif __name__ == '__main__':\n    app = Flask(__name__)\n",
            },
            (
                "wsgi.py:1:17: `from app import app as application` imports `app` from app.py, but app.py binds "
                "`app` only under `if __name__ == '__main__':` (line 2), which does not run when the module is "
                "imported: importing wsgi.py fails with ImportError, so the app cannot start and the deploy is "
                "aborted",
            ),
        ),
        Case(
            {"wsgi.py": "from app import app\napplication = app\ndel application\n"},
            (
                "wsgi.py:3:1: `del application` at line 3 removes wsgi.py's module-level `application` before "
                "the platform reads it, so the app cannot start and the deploy is aborted",
            ),
        ),
        Case(
            {"wsgi.py": "from app import app\nApplication = app\n"},
            (
                "wsgi.py:2:1: wsgi.py binds `Application` but not `application`: the platform serves the global "
                "named exactly `application`, so the app cannot start and the deploy is aborted",
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
                what = "which never runs on the platform: it imports wsgi.py as a module"
            elif d.why == "type-checking":
                what = "which is false when the platform imports wsgi.py"
            else:
                what = "which never runs"
            self.report_at(
                path,
                mb.parsed.span(d.binding.node),
                f"`{NAME}` is bound only under {where}, {what}, so {NOT_SERVED}",
                hint=f"Move the `{NAME}` binding above the `if` block, to the top level of wsgi.py.",
            )
            return
        st = mb.state(NAME)
        if st is not None and st.gap is not None and st.gap.kind in ("del", "except-as"):
            node = st.gap.node
            if st.gap.kind == "del":
                message = (
                    f"`del {NAME}` at line {mb.line(node)} removes wsgi.py's module-level `{NAME}` before the "
                    f"platform reads it, so {NOT_SERVED}"
                )
            else:
                message = (
                    f"`except ... as {NAME}` at line {mb.line(node)} unbinds `{NAME}` when the handler ends (Python "
                    f"deletes the name), so the platform finds no `{NAME}` in wsgi.py: {NOT_SERVED}"
                )
            self.report_at(path, mb.parsed.span(node), message, hint=f"Remove the `del`, or bind `{NAME}` again after it.")
            return
        typo = _near_name(mb)
        if typo is not None:
            self.report_at(
                path,
                mb.parsed.span(typo.node),
                f"wsgi.py binds `{typo.name}` but not `{NAME}`: the platform serves the global named exactly "
                f"`{NAME}`, so {NOT_SERVED}",
                hint=f"Rename `{typo.name}` to `{NAME}`, or add `{NAME} = {typo.name}`.",
            )
            return
        app = _app_candidate(mb)
        if app is not None:
            value = f"{app.name}()" if app.name in FACTORY_FUNCTIONS else app.name
            self.report_at(
                path,
                mb.parsed.span(app.node),
                f"wsgi.py binds `{app.name}` but never `{NAME}`: the platform imports wsgi.py and serves only its "
                f"module-level `{NAME}`, so {NOT_SERVED}",
                hint=f"Add `{NAME} = {value}` at the top level of wsgi.py.",
            )
            return
        self.report_at(
            path,
            FILE_START,
            f"wsgi.py never binds a module-level `{NAME}`: the platform imports wsgi.py and serves its global "
            f"`{NAME}`, so {NOT_SERVED}",
        )


def _final_bindings(mb: ModuleBindings) -> list[Binding]:
    """The last live binding of each name bound at the end of the module, in source order."""
    out = []
    for name, st in mb.final.items():
        if st.bindings and name.isidentifier():
            out.append(st.bindings[-1])
    return sorted(out, key=lambda b: b.order)


def _near_name(mb: ModuleBindings) -> Optional[Binding]:
    """A binding whose name is `application` misspelled or in another case."""
    for b in _final_bindings(mb):
        if b.name == NAME:
            continue
        folded = b.name.lower().strip("_")
        if folded == NAME or (len(b.name) >= 8 and difflib.SequenceMatcher(None, folded, NAME).ratio() >= 0.85):
            return b
    return None


def _app_candidate(mb: ModuleBindings) -> Optional[Binding]:
    """The binding most likely to be the app: the result of a known WSGI factory, else a
    conventional app name (not a module: `import app` binds the module, not the app)."""
    finals = [b for b in _final_bindings(mb) if b.kind != "import"]
    for b in finals:
        if b.value is not None and isinstance(b.value, cst.Call) and mb.qualified_name(b.value.func) in WSGI_FACTORIES:
            return b
    by_name = {b.name: b for b in finals}
    for name in APP_NAMES:
        if name in by_name:
            return by_name[name]
    for name in FACTORY_FUNCTIONS:
        b = by_name.get(name)
        if b is not None and b.kind in ("def", "from"):
            return b
    return None


class ConditionalApplication(ProjectRule):
    code = "LE104"
    name = "wsgi-application-conditional"
    severity = Severity.WARNING
    summary = "wsgi.py binds `application` only on some paths, or it may come from `from m import *`."
    why = (
        "Without `run:` in leanengine.yaml, the platform imports wsgi.py and serves its module-level "
        "`application`. When the only binding sits in an `if` without `else`, a `try` whose `except` does "
        "not bind it too, a loop body that may not run, a `match` without a catch-all `case`, or when the "
        "name may only come from `from m import *` of a module lean-lint cannot see, then on the platform "
        "(other environment variables, a missing optional package) wsgi.py can end without `application`: "
        "the app cannot start and the deploy is aborted."
    )
    example = "import os\nif os.environ.get('LEANCLOUD_APP_ENV'):\n    from app import app as application"
    fix = (
        "Bind `application` on every path: add an `else` (or an `except` branch) that binds it too, or "
        "bind it unconditionally after the block.\n"
        "```python\nfrom app import app\n\napplication = app\n```"
    )
    tags = ("wsgi", "startup")
    fires = (
        Case(
            {"wsgi.py": "import os\nfrom app import app\nif os.environ.get('LEANCLOUD_APP_ENV') == 'production':\n    application = app\n"},
            (
                "wsgi.py:4:5: `application` may be unbound when the platform imports wsgi.py: it is bound only "
                "inside the `if` at line 3, which has no `else`; the platform serves wsgi.py's module-level "
                "`application`, so on that path the app cannot start and the deploy is aborted",
            ),
        ),
        Case(
            {
                "wsgi.py": """
                    try:
                        from app import app
                        application = app
                    except Exception as e:
                        print(e)
                    """,
            },
            (
                "wsgi.py:3:5: `application` may be unbound when the platform imports wsgi.py: the `except` handler "
                "at line 4 does not bind it; the platform serves wsgi.py's module-level `application`, so on that "
                "path the app cannot start and the deploy is aborted",
            ),
        ),
        Case(
            {"wsgi.py": "from somewhere import *\n"},
            (
                "wsgi.py:1:1: `application` may be unbound when the platform imports wsgi.py: it may come from "
                "`from somewhere import *` (line 1); the platform serves wsgi.py's module-level `application`, so "
                "on that path the app cannot start and the deploy is aborted",
            ),
        ),
        Case(
            {"wsgi.py": "for application in load_apps():\n    pass\n"},
            ("wsgi.py:1:5",),
        ),
        Case(
            {"wsgi.py": "from app import app\nif a:\n    application = app\nelif b:\n    application = app\n"},
            ("wsgi.py:3:5",),
        ),
        Case(
            {"wsgi.py": "from app import app\nif a:\n    application = app\nelse:\n    pass\n"},
            ("wsgi.py:3:5: `application` may be unbound when the platform imports wsgi.py: the `else` branch at "
             "line 4 does not bind it; the platform serves wsgi.py's module-level `application`, so on that path "
             "the app cannot start and the deploy is aborted",),
        ),
        Case(
            {"wsgi.py": "from app import app\napplication = app\nif a:\n    del application\n"},
            ("wsgi.py:4:5",),
        ),
        Case(
            {
                "wsgi.py": "from app import application\n",
                "app.py": "import os\nfrom flask import Flask\nif os.environ.get('X'):\n    application = Flask(__name__)\n",
            },
            (
                "wsgi.py:1:17: `application` may be unbound when the platform imports wsgi.py: it comes from "
                "app.py, where it is bound only inside the `if` at line 3, which has no `else`; the platform serves "
                "wsgi.py's module-level `application`, so on that path the app cannot start and the deploy is "
                "aborted",
            ),
        ),
        Case(
            {"wsgi.py": "def setup():\n    global application\n    application = make()\n"},
            (
                "wsgi.py:2:5: `application` is bound only inside function `setup` (through `global application`), "
                "which wsgi.py never calls at module level; the platform serves wsgi.py's module-level "
                "`application`, so the app cannot start and the deploy is aborted",
            ),
        ),
        Case(
            {"wsgi.py": "match mode:\n    case 'a':\n        from a import app as application\n"},
            ("wsgi.py:3:23",),
        ),
    )
    near_misses = (
        Case({"wsgi.py": "from app import app\nif a:\n    application = app\nelse:\n    application = app\n"}),
        Case({"wsgi.py": "from app import app\nif a:\n    application = app\nelif b:\n    application = app\n"
              "else:\n    raise SystemExit('no app')\n"}, note="the other path never reaches the end"),
        Case(
            {"wsgi.py": "try:\n    from app import app as application\nexcept ImportError:\n    from backup import app as application\n"},
            note="the handler binds it too",
        ),
        Case(
            {"wsgi.py": "try:\n    from app import app as application\nexcept ImportError:\n    raise\n"},
            note="the handler re-raises: the import fails, it is not unbound",
        ),
        Case({"wsgi.py": "import sys\ntry:\n    from app import app\nexcept ImportError:\n    sys.exit(1)\napplication = app\n"}),
        Case({"wsgi.py": "try:\n    import gevent\nexcept ImportError:\n    gevent = None\nfrom app import app\napplication = app\n"}),
        Case({"wsgi.py": "from app import app\napplication = app\nif a:\n    application = wrap(app)\n"}, note="bound before the if"),
        Case({"wsgi.py": "from app import app\nfor x in range(3):\n    pass\napplication = app\n"}),
        Case({"wsgi.py": "try:\n    x = 1\nfinally:\n    application = object()\n"}),
        Case({"wsgi.py": "match mode:\n    case 'a':\n        application = 1\n    case _:\n        application = 2\n"}),
        Case({"wsgi.py": "from app import *\n", "app.py": "from flask import Flask\napplication = Flask(__name__)\n"},
             note="star import of a project module that binds it"),
        Case({"wsgi.py": "from app import app\nfrom helpers import *\napplication = app\n"}, note="bound after the star import"),
        Case({"wsgi.py": "def init():\n    global application\n    application = 1\ninit()\n"}, note="called at import"),
        Case({"wsgi.py": "application = None\ndef init():\n    global application\n    application = 1\n"}),
        Case({"wsgi.py": "from app import app\nwhile True:\n    application = app\n    break\n"}),
        Case({"wsgi.py": "from app import app\nif True:\n    application = app\n"}),
        Case({"wsgi.py": "from app import app\nif __name__ != '__main__':\n    application = app\n"}),
        Case({"wsgi.py": "from app import app\nif cond:\n    application = app\n", "leanengine.yaml": "run: python app.py\n"}),
        Case({"wsgi.py": "from app import app\nif cond:\n    application = app\nglobals().update(x)\n"}, note="dynamic"),
        Case({"wsgi.py": "import app as application\nif a:\n    import other\n"}),
    )

    def check(self, project: Project) -> None:
        found = wsgi_bindings(project)
        if found is None:
            return
        path, mb = found
        if mb.dynamic:
            return
        res = resolve_name(project, path, NAME)
        if res.status == MAYBE and res.node is not None:
            self.report_at(
                path,
                mb.parsed.span(res.node),
                f"`{NAME}` may be unbound when the platform imports wsgi.py: {res.reason}; the platform serves "
                f"wsgi.py's module-level `{NAME}`, so on that path {NOT_SERVED}",
            )
            return
        st = mb.state(NAME)
        if res.status in (NEVER, UNKNOWN) and (st is None or not st.bindings):
            decls = _function_globals_uncalled(mb)
            if decls:
                d = decls[0]
                self.report_at(
                    path,
                    mb.parsed.span(d.node),
                    f"`{NAME}` is bound only inside function `{d.scope.name.value}` (through `global {NAME}`), "
                    f"which wsgi.py never calls at module level; the platform serves wsgi.py's module-level "
                    f"`{NAME}`, so {NOT_SERVED}",
                    hint=f"Call `{d.scope.name.value}()` at the top level of wsgi.py, or bind `{NAME}` there directly.",
                )


