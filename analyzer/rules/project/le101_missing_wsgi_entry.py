"""LE101 missing-wsgi-entry."""

from __future__ import annotations

from analyzer.platform.paths import LEANENGINE_YAML
from analyzer.rules.base import ProjectRule
from analyzer.model.project import project_candidates
from analyzer.rules.project._project import _absent_kind, _anchor, _has_run, _leanignored, not_a_project_message
from analyzer.types import FILE_START, Case, Severity


class MissingWsgiEntry(ProjectRule):
    code = "LE101"
    name = "missing-wsgi-entry"
    severity = Severity.ERROR
    summary = "No wsgi.py at the build root and no `run:` in leanengine.yaml: nothing to start."
    why = (
        "By default the platform starts a Python app by importing the module `wsgi.py` from the build "
        "root and serving its global `application`; only a `run:` command in leanengine.yaml replaces "
        "that. lean-cli also recognizes a Python project by wsgi.py and requirements.txt at the root. "
        "Without either, the app never starts and the deploy is aborted. A directory (or a FIFO) named "
        "wsgi.py is not a module the runtime can import. The finding points at leanengine.yaml, or at "
        "requirements.txt when there is no leanengine.yaml, else at the folder: the missing file has "
        "no line."
    )
    example = Case(
        {
            "app.py": """
                from flask import Flask

                app = Flask(__name__)
                """,
            "requirements.txt": "Flask>=2,<3\n",
        },
        ("requirements.txt:1:1",),
    )
    fix = (
        "Add wsgi.py at the build root with a module-level `application`, e.g. "
        "`from app import app as application`, or set `run:` in leanengine.yaml."
    )
    tags = ("project",)
    fires = (
        Case(
            {"requirements.txt": "flask<3\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"},
            ("requirements.txt:1:1: no `wsgi.py` and no `run:` in leanengine.yaml: the platform "
             "has nothing to start",),
        ),
        Case(
            {"leanengine.yaml": "startupTimeout: 60\n", "requirements.txt": "flask<3\n"},
            ("leanengine.yaml:1:1",),
        ),
        Case(
            {"app.py": "x = 1\n"},
            (":1:1: no wsgi.py, requirements.txt or leanengine.yaml here: not a Cloud Engine project",),
            note="not a project: said once, at the folder",
        ),
        Case(
            {"README.md": "", "services/api/requirements.txt": "", "services/web/wsgi.py": "", "docs/a.py": ""},
            (":1:1: no wsgi.py, requirements.txt or leanengine.yaml here: not a Cloud Engine project; "
             "`services/api` and `services/web` look like ones",),
        ),
        Case(
            {"README.md": "", "api/leanengine.yaml": "", "node_modules/x/wsgi.py": ""},
            (":1:1: no wsgi.py, requirements.txt or leanengine.yaml here: not a Cloud Engine project; "
             "`api` looks like one",),
        ),
        Case(
            {"requirements.txt/x.txt": "", "app.py": ""},
            (":1:1",),
            note="requirements.txt is a directory, and nothing else to point at: the folder",
        ),
        Case(
            {"requirements.txt": "flask<3\n", "wsgi.py/__init__.py": "application = None\n"},
            ("requirements.txt:1:1: `wsgi.py` is a directory, not a Python file: the platform "
             "starts the app by importing it",),
        ),
        Case(
            {"leanengine.yaml": "buildRoot: api\n", "api/requirements.txt": "flask<3\n",
             "wsgi.py": "application = 1\n"},
            ("leanengine.yaml:1:1",),
            note="wsgi.py must be at the build root",
        ),
        Case({"leanengine.yaml": "run: ''\n", "requirements.txt": ""}, ("leanengine.yaml:1:1",), note="an empty run"),
        Case(
            {"requirements.txt": "flask<3\n", "wsgi.py": "application = None\n", ".leanignore": "/wsgi.py\n"},
            ("requirements.txt:1:1: `wsgi.py` is excluded by .leanignore: lean-cli does not upload it, so the "
             "app never starts",),
        ),
    )
    near_misses = (
        Case({"wsgi.py": "application = None\n", "requirements.txt": ""}),
        Case({"leanengine.yaml": "run: python app.py\n", "app.py": "", "requirements.txt": ""}),
        Case({"leanengine.yaml": "buildRoot: api\n", "api/wsgi.py": "application = 1\n", "api/requirements.txt": ""}),
        Case({"leanengine.yaml": "runtime: nodejs\n", "server.js": ""}, note="not a Python project"),
    )

    def check(self, project) -> None:
        if not project.python_applies:
            return
        candidates = project_candidates(project.root)
        if candidates is not None:  # not a project at all: say so once, at the folder
            self.report_at("", FILE_START, not_a_project_message(candidates))
            return
        if _has_run(project):
            return
        wsgi = project.build_path("wsgi.py")
        kind = _absent_kind(project, wsgi)
        if kind is None and _leanignored(project, wsgi):
            kind = "excluded"
        if kind is None:
            return
        where = _anchor(project, LEANENGINE_YAML, project.build_path("requirements.txt"), wsgi)
        hint = ""
        if kind == "missing":
            message = f"no `{wsgi}` and no `run:` in leanengine.yaml: the platform has nothing to start"
        elif kind == "excluded":
            hint = "Remove the .leanignore pattern that matches it."
            message = f"`{wsgi}` is excluded by .leanignore: lean-cli does not upload it, so the app never starts"
        else:
            message = f"`{wsgi}` is {kind}, not a Python file: the platform starts the app by importing it"
        self.report_at(where, FILE_START, message, hint=hint)
