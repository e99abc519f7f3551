"""LE102 missing-requirements-txt."""

from __future__ import annotations

from analyzer.platform.paths import LEANENGINE_YAML
from analyzer.rules.base import ProjectRule
from analyzer.model.project import project_candidates
from analyzer.rules.project._project import _absent_kind, _anchor, _default_install_runs, _leanignored
from analyzer.types import FILE_START, Case, Severity


class MissingRequirementsTxt(ProjectRule):
    code = "LE102"
    name = "missing-requirements-txt"
    severity = Severity.ERROR
    summary = "No requirements.txt at the build root."
    why = (
        "The platform recognizes a Python project by wsgi.py and requirements.txt at its root, and "
        "installs the dependencies with `pip install -r requirements.txt`. Without the file the project "
        "is not detected as Python (or, with `runtime: python`, nothing is installed and the first "
        "import of a library fails). Not reported when leanengine.yaml says `runtime: python` and an "
        "own `install:` step replaces the default one."
    )
    example = Case(
        {
            "wsgi.py": "from app import app as application\n",
            "app.py": """
                from flask import Flask

                app = Flask(__name__)
                """,
            "Pipfile": """
                # the platform does not read Pipfile or pyproject.toml
                [packages]
                flask = "*"
                """,
        },
        ("wsgi.py:1:1",),
    )
    fix = (
        "Add requirements.txt at the build root listing every library the app imports, e.g. "
        "`leancloud>=2.9.1,<3.0.0`."
    )
    tags = ("project",)
    fires = (
        Case(
            {"wsgi.py": "application = None\n"},
            ("wsgi.py:1:1: no `requirements.txt` at the build root: the platform installs the "
             "app's dependencies from it",),
        ),
        Case({"wsgi.py": "application = None\n", "leanengine.yaml": "startupTimeout: 40\n"}, ("leanengine.yaml:1:1",)),
        Case({"wsgi.py/x.py": ""}, (":1:1",), note="wsgi.py is a directory, and nothing else to point at: the folder"),
        Case(
            {"wsgi.py": "application = None\n", "requirements.txt/base.txt": "flask<3\n"},
            ("wsgi.py:1:1: `requirements.txt` is a directory, not a file: the platform's `pip "
             "install -r requirements.txt` fails",),
        ),
        Case(
            {"leanengine.yaml": "runtime: python\ninstall:\n  - {use: default}\n", "wsgi.py": "application = 1\n"},
            ("leanengine.yaml:1:1",),
        ),
        Case(
            {"wsgi.py": "application = None\n", "requirements.txt": "flask<3\n", ".leanignore": "*.txt\n"},
            ("wsgi.py:1:1: `requirements.txt` is excluded by .leanignore: lean-cli does not upload it, so "
             "nothing is installed",),
        ),
        Case(
            {"leanengine.yaml": "buildRoot: api\n", "api/requirements.txt": "", "api/wsgi.py": "", ".leanignore": "api/\n"},
            ("leanengine.yaml:1:1",),
            note="an excluded directory above it",
        ),
    )
    near_misses = (
        Case({"wsgi.py": "application = None\n", "requirements.txt": ""}),
        Case({"wsgi.py": "application = None\n", "requirements.txt": "", ".leanignore": "*.txt\n!requirements.txt\n"},
             note="re-included"),
        Case({"leanengine.yaml": "buildRoot: api\n", "api/requirements.txt": "", "api/wsgi.py": ""}),
        Case(
            {"leanengine.yaml": "runtime: python\ninstall: pip install .\nrun: python app.py\n", "app.py": ""},
            note="an own install step replaces pip install -r requirements.txt",
        ),
        Case({"leanengine.yaml": "runtime: go\n", "main.go": ""}),
        Case({"app.py": ""}, note="not a project at all: LE101 says so"),
    )

    def check(self, project) -> None:
        if not project.python_applies or project_candidates(project.root) is not None:
            return  # not a project at all: LE101 says so
        req = project.build_path("requirements.txt")
        kind = _absent_kind(project, req)
        if kind is None and _leanignored(project, req):
            kind = "excluded"
        if kind is None:
            return
        if project.runtime == "python" and not _default_install_runs(project):
            return
        where = _anchor(project, LEANENGINE_YAML, project.build_path("wsgi.py"), req)
        hint = ""
        if kind == "missing":
            message = f"no `{req}` at the build root: the platform installs the app's dependencies from it"
        elif kind == "excluded":
            hint = "Remove the .leanignore pattern that matches it."
            message = f"`{req}` is excluded by .leanignore: lean-cli does not upload it, so nothing is installed"
        else:
            message = f"`{req}` is {kind}, not a file: the platform's `pip install -r requirements.txt` fails"
        self.report_at(where, FILE_START, message, hint=hint)
