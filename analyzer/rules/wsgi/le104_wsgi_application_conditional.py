"""LE104 wsgi-application-conditional."""

from __future__ import annotations

from analyzer.model.bindings import MAYBE, NEVER, UNKNOWN, resolve_name
from analyzer.model.project import Project
from analyzer.rules.base import ProjectRule
from analyzer.rules.wsgi._wsgi import (
    NAME,
    _function_globals_uncalled,
    wsgi_bindings,
)
from analyzer.types import Case, Severity


class WsgiApplicationConditional(ProjectRule):
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
    example = Case(
        {
            "wsgi.py": """
                import os
                if os.environ.get('SERVE_APP'):
                    from app import app as application
                """,
        },
        ("wsgi.py:3:21",),
    )
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
                "wsgi.py:4:5: the platform may find `application` unbound in wsgi.py: it is bound "
                "only inside the `if` at line 3, which has no `else`",
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
                "wsgi.py:3:5: the platform may find `application` unbound in wsgi.py: the `except` "
                "handler at line 4 does not bind it",
            ),
        ),
        Case(
            {"wsgi.py": "from somewhere import *\n"},
            (
                "wsgi.py:1:1: the platform may find `application` unbound in wsgi.py: it may come "
                "from `from somewhere import *` (line 1)",
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
            ("wsgi.py:3:5: the platform may find `application` unbound in wsgi.py: the `else` "
             "branch at line 4 does not bind it",),
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
                "wsgi.py:1:17: the platform may find `application` unbound in wsgi.py: it comes "
                "from app.py, where it is bound only inside the `if` at line 3, which has no `else`",
            ),
        ),
        Case(
            {"wsgi.py": "def setup():\n    global application\n    application = make()\n"},
            (
                "wsgi.py:2:5: `application` is bound only inside function `setup` (`global "
                "application`), which wsgi.py never calls while the platform imports it",
            ),
        ),
        Case(
            {"wsgi.py": "match mode:\n    case 'a':\n        from a import app as application\n"},
            ("wsgi.py:3:23",),
        ),
    )
    near_misses = (
        Case(
            {
                "wsgi.py": """
                    import os
                    if os.environ.get('LEANCLOUD_APP_ENV'):
                        from app import app as application
                """,
                'app.py': 'app = None\n',
            },
            note='the platform always sets LEANCLOUD_APP_ENV: the branch always runs there',
        ),
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
                f"the platform may find `{NAME}` unbound in wsgi.py: {res.reason}",
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
                    f"`{NAME}` is bound only inside function `{d.scope.name.value}` (`global {NAME}`), which "
                    f"wsgi.py never calls while the platform imports it",
                    hint=f"Call `{d.scope.name.value}()` at the top level of wsgi.py, or bind `{NAME}` there directly.",
                )
