"""LE305 functions-mode-strict-without-sdk."""

from __future__ import annotations

from analyzer.model.project import Project
from analyzer.model.routes import constructs_engine
from analyzer.platform.paths import LEANENGINE_YAML
from analyzer.rules.base import ProjectRule
from analyzer.rules.functions_mode._functions_mode import (
    NOT_ENGINE,
    STRICT_FACT,
    EngineCheck,
    sdk_missing,
    wraps_attribute,
)
from analyzer.types import Case, Severity


class FunctionsModeStrictWithoutSdk(ProjectRule):
    code = "LE305"
    name = "functions-mode-strict-without-sdk"
    severity = Severity.ERROR
    summary = "`functionsMode: strict` is set, but the SDK is not installed or the served app is not a `leancloud.Engine`."
    why = (
        "With `functionsMode: strict` in leanengine.yaml (or the console's cloud-functions switch on), the "
        "platform checks at startup that the LeanCloud SDK is wired in and treats the start as failed "
        "otherwise, so the deploy aborts. Wired in means: `leancloud` is installed from requirements.txt, "
        "and the WSGI callable the platform serves (wsgi.py's `application`, or what the `run:` program "
        "serves) is the SDK's `leancloud.Engine` or wrapped by one: `application = engine` with "
        "`engine = Engine(app)`, `application = leancloud.Engine(app)`, `application = engine.wrap(app)`. "
        "A plain Flask or Django app never answers the SDK's endpoints."
    )
    example = Case(
        {
            "leanengine.yaml": "functionsMode: strict\n",
            "requirements.txt": """
                leancloud>=2.9.1,<3.0.0
                Flask>=2,<3
                """,
            "app.py": """
                from flask import Flask

                app = Flask(__name__)
                """,
            "wsgi.py": """
                from app import app

                application = app  # not a leancloud.Engine
                """,
        },
        ("leanengine.yaml:1:1",),
    )
    fix = (
        "Install the SDK and serve its Engine: `leancloud>=2.9.1,<3.0.0` in requirements.txt, and "
        "`application = engine` with `engine = leancloud.Engine(app)`.\n"
        "```python\n# cloud.py\nfrom leancloud import Engine\nfrom app import app\n\nengine = Engine(app)\n\n"
        "# wsgi.py\nimport os\nimport leancloud\nfrom cloud import engine\n\n"
        "leancloud.init(os.environ['LEANCLOUD_APP_ID'], app_key=os.environ['LEANCLOUD_APP_KEY'],\n"
        "               master_key=os.environ['LEANCLOUD_APP_MASTER_KEY'])\napplication = engine\n```"
    )
    tags = ("leanengine.yaml", "sdk", "startup")

    _SDK_FILES = {
        "cloud.py": "from leancloud import Engine\nfrom app import app\nengine = Engine(app)\n",
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "wsgi.py": "from cloud import engine\napplication = engine\n",
    }
    fires = (
        Case(
            {
                'leanengine.yaml': 'functionsMode: strict\n',
                'requirements.txt': 'leancloud\nFlask>=2,<3\n',
                "app.py": """
                    from flask import Flask
                    def create_app():
                        app = Flask(__name__)
                        return app
                """,
                "wsgi.py": """
                    from app import create_app
                    application = create_app()
                """,
            },
            (
                "leanengine.yaml:1:1: functionsMode: strict needs a `leancloud.Engine` as `application`; wsgi.py's is `Flask(__name__)` (app.py:3)",
            ),
            note='an app factory of the project: its return value is followed',
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "leancloud>=2.9.1,<3.0.0\nFlask>=1.0.0\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                "wsgi.py": "from app import app\napplication = app\n",
            },
            (
                "leanengine.yaml:1:1: functionsMode: strict needs a `leancloud.Engine` as "
                "`application`; wsgi.py's is `Flask(__name__)` (app.py:2)",
            ),
        ),
        Case(
            {
                "leanengine.yaml": "run: python wsgi.py\nfunctionsMode: strict\n",
                "requirements.txt": "Flask>=1.0.0\n",
                **_SDK_FILES,
            },
            (
                "leanengine.yaml:2:1: functionsMode: strict needs the SDK, but requirements.txt "
                "does not install `leancloud`",
            ),
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "Django>=3,<4\n",
                "wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
            },
            (
                "leanengine.yaml:1:1: functionsMode: strict needs the SDK, but requirements.txt does not install "
                "`leancloud`",
                "leanengine.yaml:1:1: functionsMode: strict needs a `leancloud.Engine` as `application`; wsgi.py's "
                "is `get_wsgi_application()` (wsgi.py:2)",
            ),
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "leancloud\n",
                "wsgi.py": "def application(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n",
            },
            ("leanengine.yaml:1:1",),
        ),
        Case(
            {
                "leanengine.yaml": "run: python app.py\nfunctionsMode: strict\n",
                "requirements.txt": "leancloud\nflask\n",
                "app.py": "import os\nimport leancloud\nfrom flask import Flask\napp = Flask(__name__)\n"
                "leancloud.init(os.environ['LEANCLOUD_APP_ID'], os.environ['LEANCLOUD_APP_KEY'])\n"
                "if __name__ == '__main__':\n    app.run('0.0.0.0', int(os.environ['LEANCLOUD_APP_PORT']))\n",
            },
            (
                "leanengine.yaml:2:1: functionsMode: strict needs a `leancloud.Engine` app, and "
                "nothing app.py loads makes one",
            ),
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "leancloud\nflask\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                "cloud.py": "from leancloud import Engine\nfrom app import app\nengine = Engine(app)\n",
                "wsgi.py": "from app import app\nimport cloud\napplication = app\n",
            },
            ("leanengine.yaml:1:1",),
            note="an Engine exists, but the served callable is the bare Flask app",
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "leancloud\n",
                "wsgi.py": "from werkzeug.middleware.dispatcher import DispatcherMiddleware\nfrom a import front\n"
                "application = DispatcherMiddleware(front, {'/x': front})\n",
                "a.py": "from flask import Flask\nfront = Flask('front')\n",
            },
            ("leanengine.yaml:1:1",),
        ),
    )
    near_misses = (
        Case(
            {
                'leanengine.yaml': 'functionsMode: strict\n',
                'requirements.txt': 'leancloud\nFlask>=2,<3\n',
                "app.py": """
                    import leancloud
                    from flask import Flask
                    def create_app():
                        app = Flask(__name__)
                        return leancloud.Engine(app)
                """,
                "wsgi.py": """
                    from app import create_app
                    application = create_app()
                """,
            },
            note='an app factory that returns an Engine',
        ),
        Case(
            {
                'leanengine.yaml': 'functionsMode: strict\n',
                'requirements.txt': 'leancloud\nFlask>=2,<3\n',
                "wsgi.py": """
                    from flask import Flask
                    application = Flask(__name__)
                    globals()['application'] = make()
                """,
            },
            note='a module that binds names through globals(): no verdict',
        ),
        Case(
            {"leanengine.yaml": "functionsMode: strict\n", "requirements.txt": "leancloud>=2.9.1,<3.0.0\nFlask>=1.0.0\n", **_SDK_FILES},
            note="the official template: application = engine, engine = Engine(app) in cloud.py",
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "leancloud\n",
                "wsgi.py": "import leancloud\nfrom app import app\napplication = leancloud.Engine(app)\n",
            }
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "leancloud\n",
                "wsgi.py": "from leancloud import Engine as E\nfrom app import app\nengine = E()\napplication = engine.wrap(app)\n",
            }
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "leancloud\ndjango\n",
                "wsgi.py": "import leancloud\nfrom django.core.wsgi import get_wsgi_application\n"
                "application = leancloud.Engine(get_wsgi_application())\n",
            },
            note="Django wrapped",
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "leancloud\n",
                "wsgi.py": "import cloud\napplication = cloud.engine\n",
                "cloud.py": "import leancloud.engine\nengine = leancloud.engine.Engine()\n",
            }
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "leancloud\n",
                "wsgi.py": "from whitenoise import WhiteNoise\nfrom cloud import engine\napplication = WhiteNoise(engine, root='static')\n",
                "cloud.py": "from leancloud import Engine\nengine = Engine()\n",
            },
            note="middleware around the engine: lean-lint cannot tell, so it says nothing",
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "leancloud\n",
                "wsgi.py": "from factory import create_app\napplication = create_app()\n",
                "factory.py": "from leancloud import Engine\ndef create_app():\n    return Engine()\n",
            },
            note="a project function: unknown",
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "leancloud\n",
                "app.py": "from flask import Flask\nfrom leancloud import Engine\napp = Flask(__name__)\napp.wsgi_app = Engine(app.wsgi_app)\n",
                "wsgi.py": "from app import app\napplication = app\n",
            },
            note="the Engine hooked in as the Flask app's wsgi_app",
        ),
        Case({"leanengine.yaml": "functionsMode: disabled\n", "requirements.txt": "flask\n", "wsgi.py": "from app import app\napplication = app\n"}),
        Case({"requirements.txt": "flask\n", "wsgi.py": "from app import app\napplication = app\n"}, note="no functionsMode"),
        Case({"leanengine.yaml": "functionsMode: STRICT\n", "requirements.txt": "flask\n", "wsgi.py": "application = app\n"},
             note="a wrong value is LE302's"),
        Case(
            {"leanengine.yaml": "functionsMode: strict\ninstall:\n  - {use: default}\n  - pip install leancloud\n",
             "requirements.txt": "flask\n", **_SDK_FILES},
            note="a custom install step may install the SDK",
        ),
        Case({"leanengine.yaml": "functionsMode: strict\n", "requirements.txt": "leancloud-sdk==1.13.0\n", **_SDK_FILES}),
        Case({"leanengine.yaml": "functionsMode: strict\n", "requirements.txt": "git+https://example.com/sdk.git\n", **_SDK_FILES},
             note="a requirement whose name pip learns only by building it"),
        Case({"leanengine.yaml": "functionsMode: strict\n", **_SDK_FILES}, note="no requirements.txt: another rule's finding"),
        Case(
            {
                "leanengine.yaml": "run: python wsgi.py\nfunctionsMode: strict\n",
                "requirements.txt": "leancloud\nflask\n",
                **_SDK_FILES,
            },
            note="run: the program loads cloud.py, which constructs the Engine",
        ),
        Case(
            {"leanengine.yaml": "run: ./start.sh\nfunctionsMode: strict\n", "requirements.txt": "leancloud\n", "app.py": "x = 1\n"},
            note="run: a program lean-lint cannot follow",
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "leancloud\n",
                "wsgi.py": "from app import app\nif a:\n    application = app\n",
                "app.py": "from flask import Flask\nfrom leancloud import Engine\napp = Engine(Flask(__name__))\n",
            }
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "leancloud\n",
                "wsgi.py": "from somewhere import app\napplication = app\n",
            },
            note="an object from outside the project: unknown",
        ),
    )

    def check(self, project: Project) -> None:
        if not project.python_applies or project.le_value("functionsMode") != "strict":
            return
        doc = project.leanengine
        if doc is None:
            return
        span = doc.span_of(("functionsMode",))
        missing = sdk_missing(project)
        if missing is not None:
            self.report_at(
                LEANENGINE_YAML,
                span,
                f"{STRICT_FACT} the SDK, but {missing} does not install `leancloud`",
                hint="Add `leancloud>=2.9.1,<3.0.0` to requirements.txt.",
            )
        if project.run is None:
            self._check_wsgi(project, span)
        else:
            self._check_run(project, span)

    def _check_wsgi(self, project: Project, span) -> None:
        path = project.build_path("wsgi.py")
        if path not in project.python_files:
            return
        verdict = EngineCheck(project).name(path, "application")
        if verdict.kind != NOT_ENGINE:
            return
        if any(wraps_attribute(project, rel) for rel in sorted(project.runtime_files)):
            return
        self.report_at(
            LEANENGINE_YAML,
            span,
            f"{STRICT_FACT} a `leancloud.Engine` as `application`; {path}'s is {verdict.what}",
            hint="Serve the SDK's Engine: `engine = leancloud.Engine(app)`, then `application = engine` in wsgi.py.",
        )

    def _check_run(self, project: Project, span) -> None:
        entries = project.entry_files
        if not entries:
            return  # lean-lint cannot tell what the program loads
        runtime = sorted(project.runtime_files)
        if any(project.parsed(rel) is None for rel in runtime):
            return
        if any(constructs_engine(project, rel) for rel in project.python_files):
            return  # one may be loaded in a way the import graph does not show
        entry = " and ".join(entries)
        self.report_at(
            LEANENGINE_YAML,
            span,
            f"{STRICT_FACT} a `leancloud.Engine` app, and nothing {entry} loads makes one",
            hint="Wrap the app with the SDK (`engine = leancloud.Engine(app)`) and serve `engine`.",
        )
