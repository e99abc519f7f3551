"""LE709 cloud-function-registered-twice."""

from __future__ import annotations

from typing import Iterator

from analyzer.model.project import Project
from analyzer.model.routes import span_of
from analyzer.rules.base import ProjectRule
from analyzer.rules.cloud_functions._cloud_functions import (
    _CLOUD,
    _REGISTRATION_RE,
    Registration,
    Registrations,
    _in_execution_order,
)
from analyzer.types import Case, RelatedLocation, Severity


class CloudFunctionRegisteredTwice(ProjectRule):
    code = "LE709"
    name = "cloud-function-registered-twice"
    severity = Severity.ERROR
    summary = "A cloud function name (or a hook) is registered twice on the same `leancloud.Engine`."
    why = (
        "The SDK registers a cloud function when its module is imported: `@engine.define` under the "
        "function's name, `@engine.define('name')` under the given one. Registering a name the Engine "
        "already has raises RuntimeError (\"cloud function: name is already registered\"), and so does a "
        "second `before_save` / `after_save` / ... hook for the same class, `on_verified` for the same "
        "type, or a second `on_login`. The error happens while the platform imports the app, so the app "
        "never starts and the deploy fails. lean-lint compares the registrations that run when the "
        "modules the platform loads are imported (not those inside functions or branches) on the same "
        "Engine, across files; it reports the one that runs second."
    )
    example = Case(
        {
            "wsgi.py": """
                from cloud import engine

                application = engine
                """,
            "app.py": """
                from flask import Flask

                app = Flask(__name__)
                """,
            "cloud.py": """
                from leancloud import Engine

                from app import app

                engine = Engine(app)


                @engine.define
                def hello(**params):
                    return 'hi'


                @engine.define('hello')
                def hello_v2(**params):
                    return 'hi'
                """,
        },
        ("cloud.py:13:2",),
    )
    fix = "Give each cloud function its own name, or delete the older registration."
    tags = ("sdk", "cloud-functions", "startup")

    fires = (
        Case(
            {
                "wsgi.py": "from cloud import engine\napplication = engine\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                "cloud.py": _CLOUD + "\n@engine.define\ndef hello(**params):\n    return 'hi'\n\n"
                "@engine.define('hello')\ndef hello_v2(**params):\n    return 'hi'\n",
            },
            ("cloud.py:10:2: the cloud function `hello` is already registered (cloud.py:6): the "
             "SDK raises RuntimeError at import, and the app never starts",),
        ),
        Case(
            {
                "wsgi.py": "from cloud import engine\nimport functions\napplication = engine\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                "cloud.py": _CLOUD + "\n@engine.define\ndef sync(**params):\n    pass\n",
                "functions.py": "from cloud import engine as e\n\n\ndef sync(**params):\n    pass\n\n\ne.define(sync)\n",
            },
            ("functions.py:8:1: the cloud function `sync` is already registered (cloud.py:6): the "
             "SDK raises RuntimeError at import, and the app never starts",),
            note="across files, the call form, the engine imported under another name",
        ),
        Case(
            {
                "wsgi.py": "import leancloud\nfrom app import app\nengine = leancloud.Engine(app)\n"
                "application = engine\n\n@engine.before_save('Todo')\ndef check(todo):\n    pass\n\n"
                "@engine.before_save('Todo')\ndef check_again(todo):\n    pass\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
            },
            ("wsgi.py:10:2: the before_save hook of class `Todo` is already registered "
             "(wsgi.py:6): the SDK raises RuntimeError at import, and the app never starts",),
        ),
    )
    near_misses = (
        Case(
            {
                "wsgi.py": "from cloud import engine\napplication = engine\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                "cloud.py": _CLOUD + "\n@engine.define\ndef hello(**params):\n    pass\n\n"
                "@engine.define('hello_v2')\ndef hello2(**params):\n    pass\n\n"
                "@engine.before_save('Todo')\ndef a(t):\n    pass\n\n@engine.after_save('Todo')\ndef b(t):\n    pass\n\n"
                "@engine.before_save('Note')\ndef c(t):\n    pass\n",
            },
            note="different names; different hooks or classes",
        ),
        Case(
            {
                "wsgi.py": "from cloud import engine\napplication = engine\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                "cloud.py": _CLOUD + "import os\nif os.environ.get('LEANCLOUD_APP_ENV') == 'production':\n"
                "    @engine.define\n    def hello(**params):\n        pass\nelse:\n    @engine.define\n"
                "    def hello(**params):\n        pass\n",
            },
            note="one branch or the other",
        ),
        Case(
            {
                "wsgi.py": "from cloud import engine\nfrom leancloud import Engine\nother = Engine()\n"
                "application = engine\n\n@other.define\ndef hello(**params):\n    pass\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                "cloud.py": _CLOUD + "\n@engine.define\ndef hello(**params):\n    pass\n",
            },
            note="two Engine objects have separate registries",
        ),
        Case(
            {
                "wsgi.py": "from cloud import engine\napplication = engine\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                "cloud.py": _CLOUD + "\ndef register():\n    @engine.define\n    def hello(**params):\n        pass\n\n"
                "@engine.define\ndef hello(**params):\n    pass\n",
                "old_cloud.py": "from cloud import engine\n\n@engine.define\ndef hello(**params):\n    pass\n",
            },
            note="inside a function; a file the platform does not load",
        ),
        Case(
            {
                "wsgi.py": "from cloud import engine\napplication = engine\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                "cloud.py": _CLOUD + "\n@engine.define\ndef hello(**params):\n    pass\n",
                "tasks.py": "from cloud import engine\n\n@engine.define\ndef hello(**params):\n    pass\n",
            },
            note="tasks.py is not imported by what the platform runs",
        ),
    )

    def check(self, project: Project) -> None:
        if not project.python_applies:
            return
        first: dict[tuple, Registration] = {}
        for reg in self._registrations(project):
            key = (reg.engine.key, reg.key)
            prev = first.get(key)
            if prev is None:
                first[key] = reg
                continue
            prev_span = span_of(project, prev.rel, prev.node)
            self.report_at(
                reg.rel,
                span_of(project, reg.rel, reg.node),
                f"{reg.what} is already registered ({prev.rel}:{prev_span.line}): the SDK raises RuntimeError at "
                "import, and the app never starts",
                related=(RelatedLocation(prev.rel, prev_span, f"{reg.what} is first registered here"),),
            )

    def _registrations(self, project: Project) -> Iterator[Registration]:
        """Every registration the platform runs when it imports the app, in the order they run."""
        per_file: dict[str, list[Registration]] = {}
        for rel in sorted(project.runtime_files):
            if not _REGISTRATION_RE.search(project.python_text(rel) or ""):
                continue
            parsed = project.parsed(rel)
            if parsed is None:
                continue
            found = Registrations(project, rel).run().found
            if found:
                per_file[rel] = found
        if per_file:
            yield from _in_execution_order(project, per_file)
