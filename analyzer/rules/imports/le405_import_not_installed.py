"""LE405 import-not-installed."""

from __future__ import annotations

from analyzer.model.project import Project
from analyzer.model.requirements import project_requirements
from analyzer.platform.distributions import Provider
from analyzer.rules.base import ProjectRule
from analyzer.rules.imports._imports import (
    _STUB,
    _SYSTEM_MODULES,
    _Checker,
    _installs_elsewhere,
)
from analyzer.types import Case, Severity


class ImportNotInstalled(ProjectRule):
    code = "LE405"
    name = "import-not-installed"
    severity = Severity.WARNING
    summary = (
        "Code the platform runs imports a module that no requirement installs, that .leanignore keeps back, "
        "or that is missing from a project package."
    )
    why = (
        "The platform installs only what requirements.txt lists (`pip install -r requirements.txt`), "
        "then starts the app. A module that nothing installs does not stop the build, so the deploy "
        "goes ahead and the app dies at startup with ModuleNotFoundError (or when the function holding "
        "the import first runs); a project module that `.leanignore` keeps from being uploaded fails "
        "the same way, and so does `from views.users import bp` when the project's `views` package has no "
        "`users` module (a submodule is looked for as `users.py`, a `users/` directory, a compiled or "
        "extension module, and as a name `views/__init__.py` defines for `from views import users`; a "
        "package that rewires its imports through `__path__`, `sys.modules` or a module `__getattr__`, or "
        "that exists elsewhere in the project, is left alone). lean-lint follows the imports of the files the platform runs (wsgi.py or the "
        "`run:` program, and what they import) and Django's INSTALLED_APPS. Not reported: the standard "
        "library, the project's own modules, optional imports (inside `try` with `except ImportError`), "
        "imports under `if TYPE_CHECKING:` or a version, OS or debug switch, and anything that may come "
        "from a requirement: import names are matched to distributions with PEP 503 names and a "
        "curated table of names that differ (`yaml` is PyYAML, `PIL` Pillow, `bs4` beautifulsoup4, "
        "`jwt` PyJWT, `cv2` opencv-python...) and the import names and dependencies read out of about "
        "800 popular distributions' wheels, shipped with lean-lint, including what they bring (Flask brings "
        "Werkzeug and Jinja2) and `-r` included files. A requirement lean-lint has no data for provides "
        "only what its name says: its own import name (normalized, with `python-`, `py`, `-python`, "
        "`-gpu`... affixes: `msgpack-python` gives `msgpack`), for a module no known distribution provides "
        "also a name its words contain (`python-telegram-bot` gives `telegram`), and for a `flask-` or "
        "`django-` plugin the framework and the known distributions it is named after (`django-redis` "
        "brings redis). A module the data gives to other distributions (`yaml` is PyYAML's) is not assumed "
        "to come from an unknown requirement that merely mentions it, and type stubs (`types-requests`, "
        "`*-stubs`) provide nothing: list what your code imports directly, even when another requirement "
        "happens to bring it today. Nothing is "
        "reported when requirements.txt has a requirement whose name pip learns only by building it (a "
        "bare URL, `-e .`, a local path), or when leanengine.yaml installs packages with commands of its "
        "own. lean-lint never installs anything to find out, and what is installed where it runs plays "
        "no part, so every machine gives the same answer. Map an import name the data does not know with "
        "`[tool.lean-lint] module-map = {name = \"distribution\"}`."
    )
    example = Case(
        {
            "requirements.txt": "Flask>=2,<3\n",
            "wsgi.py": "from app import app as application\n",
            "app.py": """
                import yaml  # PyYAML is not in requirements.txt
                from flask import Flask

                app = Flask(__name__)
                """,
        },
        ("app.py:1:8",),
    )
    fix = (
        "Add the distribution that provides the module to requirements.txt (`PyYAML>=6,<7` for `yaml`), "
        "or make the import optional.\n"
        "For a project module, remove the .leanignore pattern that matches its file, or add the missing file."
    )
    tags = ("requirements", "imports", "startup")

    fires = (
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "from app import app as application\n",
                "app.py": "import os\nimport yaml\nfrom flask import Flask\napp = Flask(__name__)\n",
            },
            ("app.py:2:8: `yaml` is imported, but requirements.txt does not install PyYAML: the "
             "deployed app fails to start",),
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "from app import app as application\n",
                "app.py": _STUB + "def load():\n    from bs4 import BeautifulSoup\n    return BeautifulSoup\n",
            },
            ("app.py:4:10: `bs4` is imported, but requirements.txt does not install "
             "beautifulsoup4: it fails when this code runs deployed",),
            note="an import inside a function fails when it runs",
        ),
        Case(
            {
                "requirements.txt": "-r base.txt\n",
                "base.txt": "Flask>=2,<3\n",
                "wsgi.py": "import markdown_it\nimport acme_inhouse\nfrom flask import Flask\napplication = Flask(__name__)\n",
            },
            ("wsgi.py:1:8: `markdown_it` is imported, but requirements.txt does not install "
             "markdown-it-py: the deployed app fails to start",
             "wsgi.py:2:8: `acme_inhouse` is imported, but nothing in requirements.txt provides "
             "it: the deployed app fails to start"),
            note="import names read from popular distributions' wheels; a name no data knows",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\nsome-private-lib==1.0\n",
                "wsgi.py": "import requests, six, some_private_lib\n" + _STUB + "application = app\n",
            },
            ("wsgi.py:1:8: `requests` is imported, but requirements.txt does not install requests: "
             "the deployed app fails to start", "wsgi.py:1:18"),
            note="a requirement lean-lint does not know provides only what its name says",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\ntypes-requests\nyaml-config-loader==1.0\n",
                "wsgi.py": "import requests\nimport yaml\nimport yaml_config_loader\n" + _STUB + "application = app\n",
            },
            ("wsgi.py:1:8: `requests` is imported, but requirements.txt does not install requests: "
             "the deployed app fails to start",
             "wsgi.py:2:8: `yaml` is imported, but requirements.txt does not install PyYAML: "
             "the deployed app fails to start"),
            note="type stubs install nothing; a name that only mentions a module the data gives to another "
            "distribution does not provide it",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                ".leanignore": "local_settings.py\n",
                "local_settings.py": "DEBUG = True\n",
                "wsgi.py": "from local_settings import DEBUG\n" + _STUB + "application = app\n",
            },
            ("wsgi.py:1:6: `local_settings` is imported, but .leanignore keeps it from being "
             "uploaded (local_settings.py): the deployed app fails to start",),
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "from google.protobuf import json_format\nimport google.protobuf.message\n"
                + _STUB + "application = app\n",
            },
            ("wsgi.py:1:6",),
            note="one finding per distribution per file",
        ),
        Case(
            {
                "requirements.txt": "Django>=4.2,<5\n",
                "wsgi.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n"
                "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                "application = get_wsgi_application()\n",
                "mysite/__init__.py": "",
                "mysite/settings.py": "INSTALLED_APPS = [\n    'django.contrib.admin',\n    'rest_framework',\n    'polls',\n]\n",
                "polls/__init__.py": "",
            },
            ("mysite/settings.py:3:6: `rest_framework` is in INSTALLED_APPS, but requirements.txt "
             "does not install djangorestframework: the deployed app fails to start",),
            note="Django imports INSTALLED_APPS at startup",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "import acme.client\n" + _STUB + "application = app\n",
            },
            ("wsgi.py:1:8: `acme.client` is imported, but requirements.txt does not install "
             "acme-client-lib: the deployed app fails to start",),
            config={"module-map": {"acme": "acme-client-lib"}},
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "from views.users import bp\nfrom views import user, helpers, admin\n" + _STUB + "application = app\n",
                "views/__init__.py": "helpers = None\n",
                "views/user.py": "bp = None\n",
            },
            ("wsgi.py:1:6: `views.users` is imported, but views/users.py does not exist in the project: the "
             "deployed app fails to start",
             "wsgi.py:2:34: `views.admin` is imported, but views/admin.py does not exist in the project and "
             "views/__init__.py does not define `admin`: the deployed app fails to start"),
            note="a submodule missing from a project package is the project's to add, not a requirement",
        ),
        Case(
            {
                "srv/requirements.txt": "Flask>=2,<3\n",
                "leanengine.yaml": "buildRoot: srv\n",
                "srv/wsgi.py": "import api.orders\nfrom api.v2 import items\n" + _STUB + "application = app\n",
                "srv/api/users.py": "",
                "srv/api/v1/items.py": "",
            },
            ("srv/wsgi.py:1:8: `api.orders` is imported, but srv/api/orders.py does not exist in the project: "
             "the deployed app fails to start",
             "srv/wsgi.py:2:6: `api.v2` is imported, but srv/api/v2.py does not exist in the project: the "
             "deployed app fails to start"),
            note="a namespace package (no __init__.py) under buildRoot",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "from google import genai\nimport google.mytools\n" + _STUB + "application = app\n",
                "google/mytools.py": "",
            },
            ("wsgi.py:1:20: `google.genai` is imported, but requirements.txt does not install google-genai: the "
             "deployed app fails to start",),
            note="a namespace package of the project and of a distribution: the distribution is missing",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "import views\n" + _STUB + "application = app\n",
                "views/__init__.py": "from .users import bp\nfrom . import admin\n",
            },
            ("views/__init__.py:1:7: `views.users` is imported, but views/users.py does not exist in the "
             "project: the deployed app fails to start",
             "views/__init__.py:2:15: `views.admin` is imported, but views/admin.py does not exist in the "
             "project and views/__init__.py does not define `admin`: the deployed app fails to start"),
            note="relative imports",
        ),
    )
    near_misses = (
        Case(
            {
                'requirements.txt': 'Flask>=2,<3\n',
                "wsgi.py": """
                    from views import admin, reports
                    from flask import Flask
                    application = Flask(__name__)
                """,
                "views/__init__.py": """
                    def __getattr__(name):
                        return name
                """,
            },
            note="the package's __init__ answers any name through a module __getattr__",
        ),
        Case(
            {
                'requirements.txt': 'Flask>=2,<3\n',
                "wsgi.py": """
                    from views import admin
                    from flask import Flask
                    application = Flask(__name__)
                """,
                "views/__init__.py": """
                    def setup():
                        global admin
                        admin = object()
                    setup()
                """,
            },
            note="the package's __init__ binds the name from a function, through `global`",
        ),
        Case(
            {
                "requirements.txt": "leancloud>=2.9.1,<3.0.0\nFlask>=1.0.0\nPyYAML\npython-dateutil\nPillow\n"
                "beautifulsoup4\nPyJWT\nopencv-python-headless\nscikit-learn\nprotobuf\nFlask_SQLAlchemy\n",
                "wsgi.py": "import os, sys, json, __future__\nimport leancloud\nimport yaml, dateutil.parser, PIL.Image\n"
                "from bs4 import BeautifulSoup\nimport jwt, cv2, sklearn\nfrom google.protobuf import message\n"
                "import flask_sqlalchemy\nimport werkzeug, jinja2, requests, gevent\nfrom flask import Flask\n"
                "application = Flask(__name__)\n",
            },
            note="names that differ from their distribution, and what Flask and leancloud bring",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "try:\n    import ujson as json\nexcept ImportError:\n    import json\n"
                "try:\n    import simplejson\nexcept ModuleNotFoundError:\n    simplejson = None\n"
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import mypy_boto3_s3\n"
                "if sys.version_info < (3, 8):\n    import importlib_metadata\n"
                + _STUB + "application = app\n",
            },
            note="optional, typing-only and version-dependent imports",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "from helpers import tool\nimport helpers.tool\n" + _STUB + "application = app\n",
                "helpers/__init__.py": "from . import tool\nfrom .tool import x\nfrom .. import nothing\n",
                "helpers/tool.py": "x = 1\n",
            },
            note="project modules",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "from views import users, admin, api, legacy, registry\nimport views.api.v1\n"
                "try:\n    from views import local\nexcept ImportError:\n    local = None\n"
                + _STUB + "application = app\n",
                "views/__init__.py": "from flask import Blueprint\nusers = Blueprint('users', __name__)\n"
                "if users:\n    admin = users\ndef setup():\n    global registry\n    registry = users\n",
                "views/api/v1/routes.txt": "",
                "views/legacy.cpython-311-x86_64-linux-gnu.so": "",
            },
            note="names the package defines (or a function may, through `global`), a namespace subpackage, an "
            "extension module, an optional import",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "import sys\nsys.path.insert(0, 'src')\nfrom views.users import bp\nimport plugins.extra\n"
                + _STUB + "application = app\n",
                "views/__init__.py": "",
                "src/views/__init__.py": "",
                "src/views/users.py": "bp = None\n",
                "plugins/__init__.py": "from pkgutil import extend_path\n__path__ = extend_path(__path__, __name__)\n",
            },
            note="the same package elsewhere in the project; a package that extends its own __path__",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\nprotobuf>=4,<5\n",
                "wsgi.py": "from google.protobuf import message\nimport google.mytools\n" + _STUB + "application = app\n",
                "google/mytools.py": "",
            },
            note="a project namespace package a requirement adds to",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n-e .\n",
                "setup.py": "",
                "wsgi.py": "import mylib\n" + _STUB + "application = app\n",
            },
            note="`-e .` may install anything",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\ngit+https://example.com/x/lib.git\n",
                "wsgi.py": "import lib\n" + _STUB + "application = app\n",
            },
            note="a VCS URL without #egg=: its name is unknown",
        ),
        Case(
            {"wsgi.py": "import yaml\n" + _STUB + "application = app\n"},
            note="no requirements.txt: LE102's finding",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n-r missing.txt\n",
                "wsgi.py": "import yaml\n" + _STUB + "application = app\n",
            },
            note="pip fails on the missing file first (LE403); what it would install is unclear",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "leanengine.yaml": "install:\n  - {use: default}\n  - pip install pyyaml\n",
                "wsgi.py": "import yaml\n" + _STUB + "application = app\n",
            },
            note="leanengine.yaml installs packages itself",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "tools/seed.py": "import yaml\n",
                "wsgi.py": _STUB + "application = app\nif __name__ == '__main__':\n    import yaml\n",
            },
            note="files and __main__ blocks the platform does not run",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "import sys\nsys.path.insert(0, 'vendor')\nimport vendored_lib\n" + _STUB + "application = app\n",
                "vendor/vendored_lib.py": "",
            },
            note="a module the project carries in a folder it puts on sys.path",
        ),
        Case(
            {
                "requirements.txt": "flask-cors>=4,<5\npython-socketio>=5,<6\ndjango-redis>=5,<6\ngoogle-cloud-storage>=2,<3\n",
                "wsgi.py": "import flask, socketio, redis, django\nfrom google.cloud import storage\n"
                "application = flask.Flask(__name__)\n",
            },
            note="a plugin brings what it plugs into; google.cloud namespace",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\nmsgpack-python\nfaiss-gpu\npython-telegram-bot\nflask-pymongo\n"
                "acme-widgets\n",
                "wsgi.py": "import msgpack, faiss, telegram, pymongo, acme_widgets\n" + _STUB + "application = app\n",
            },
            note="unknown requirements: another name or build of the module (msgpack-python, faiss-gpu), a name "
            "nobody else provides (telegram), what a plugin is named after (flask-pymongo), its own name",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                ".leanignore": "local_settings.py\n",
                "local_settings.py": "DEBUG = True\n",
                "wsgi.py": "try:\n    from local_settings import *\nexcept ImportError:\n    pass\n" + _STUB + "application = app\n",
            },
            note="the usual optional local settings",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "leanengine.yaml": "runtime: nodejs\n",
                "wsgi.py": "import yaml\n",
            },
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "leanengine.yaml": "systemDependencies: [python-talib]\n",
                "wsgi.py": "import talib\n" + _STUB + "application = app\n",
            },
            note="the platform's python-talib system dependency",
        ),
    )

    def check(self, project: Project) -> None:
        if not project.python_applies or not project.runtime_files:
            return
        reqs = project_requirements(project)
        if not reqs.files or reqs.unnamed or _installs_elsewhere(project):
            return
        if any(p.severity >= Severity.ERROR for p in reqs.problems):
            return  # pip stops at a line it rejects (LE402 / LE403): what it would install is unclear
        provider = self._provider(project, reqs)
        checker = _Checker(project, provider, reqs.files[0])
        for rel in sorted(project.runtime_files):
            checker.check_file(rel)
        for path, span, message, hint in checker.findings:
            self.report_at(path, span, message, hint=hint)

    @staticmethod
    def _provider(project: Project, reqs) -> Provider:
        extras = frozenset((e.normalized, x) for e in reqs.requirements if e.normalized for x in e.extras)
        modules: set[str] = set()
        deps = project.le_value("systemDependencies")
        if isinstance(deps, list):
            for item in deps:
                modules.update(_SYSTEM_MODULES.get(item, ()) if isinstance(item, str) else ())
        return Provider(
            requirements=frozenset(reqs.names),
            extras=extras,
            overrides=tuple(project.config.module_map),
            extra_modules=frozenset(modules),
        )
