"""LE105 detected-as-nodejs."""

from __future__ import annotations

from analyzer.rules.base import ProjectRule
from analyzer.rules.project._project import package_start_script
from analyzer.types import FILE_START, Case, Severity


class DetectedAsNodejs(ProjectRule):
    code = "LE105"
    name = "detected-as-nodejs"
    severity = Severity.WARNING
    summary = "A package.json with `scripts.start`, or server.js beside package.json, makes the platform see Node.js."
    why = (
        "When leanengine.yaml does not name a runtime, the platform detects it from the files at the "
        "build root and checks for Node.js before Python: a package.json with a `scripts.start`, or a "
        "server.js beside a package.json, makes the project a Node.js app, so wsgi.py is never started. "
        "Python projects with a front end built by npm hit this. `runtime: python` in leanengine.yaml "
        "settles it."
    )
    example = Case(
        {
            "package.json": '{"scripts": {"start": "vite"}}\n',
            "wsgi.py": "from app import app as application\n",
            "app.py": """
                from flask import Flask

                app = Flask(__name__)
                """,
            "requirements.txt": "Flask>=2,<3\n",
        },
        ("package.json:1:1",),
    )
    fix = "Add `runtime: python` to leanengine.yaml."
    tags = ("project",)
    fires = (
        Case(
            {"package.json": '{"scripts": {"start": "vite", "build": "vite build"}}\n', "wsgi.py": "",
             "requirements.txt": ""},
            ("package.json:1:1: package.json has a `scripts.start` (`vite`), so the platform detects a Node.js "
             "project (it checks for Node.js before Python) and does not run this app as Python; add "
             "`runtime: python` to leanengine.yaml",),
        ),
        Case(
            {"package.json": "{}", "server.js": "", "wsgi.py": "", "requirements.txt": "",
             "leanengine.yaml": "run: python app.py\n"},
            ("package.json:1:1: server.js beside package.json makes the platform detect a Node.js project (it checks "
             "for Node.js before Python) and does not run this app as Python; add `runtime: python` to "
             "leanengine.yaml",),
        ),
        Case({"package.json": b'\xef\xbb\xbf{"Scripts": {"start": "node x.js"}}', "wsgi.py": ""}, ("package.json:1:1",),
             note="a BOM and Go's case-insensitive keys"),
        Case({"package.json": "not json", "server.js": "", "wsgi.py": ""}, ("package.json:1:1",)),
        Case({"leanengine.yaml": "buildRoot: web\n", "web/package.json": '{"scripts": {"start": "next start"}}',
              "web/wsgi.py": ""}, ("web/package.json:1:1",)),
    )
    near_misses = (
        Case({"package.json": '{"scripts": {"start": "vite"}}', "leanengine.yaml": "runtime: python\n", "wsgi.py": ""}),
        Case({"package.json": '{"scripts": {"build": "vite build", "dev": "vite"}}', "wsgi.py": ""}),
        Case({"package.json": '{"scripts": {"start": ""}}', "wsgi.py": ""}),
        Case({"package.json": '{"scripts": {"start": 1}}', "wsgi.py": ""}, note="Go's decoder fails: no Node"),
        Case({"package.json": '{"scripts": "start"}', "wsgi.py": ""}),
        Case({"package.json": '[{"scripts": {"start": "x"}}]', "wsgi.py": ""}),
        Case({"package.json": '{"scripts": {"start": "vite"', "wsgi.py": ""}, note="malformed: not Node"),
        Case({"frontend/package.json": '{"scripts": {"start": "vite"}}', "frontend/server.js": "", "wsgi.py": ""}),
        Case({"server.js": "", "wsgi.py": ""}, note="server.js without package.json"),
    )

    def check(self, project) -> None:
        if project.runtime is not None:
            return  # leanengine.yaml names the runtime: no detection
        pkg = project.build_path("package.json")
        if not project.exists(pkg):
            return
        server = project.build_path("server.js")
        if project.exists(server):
            where = pkg if project.is_file(pkg) else server
            self.report_at(
                where,
                FILE_START,
                f"{server} beside {pkg} makes the platform detect a Node.js project (it checks for Node.js before "
                "Python) and does not run this app as Python; add `runtime: python` to leanengine.yaml",
            )
            return
        start = package_start_script(project, pkg)
        if start:
            shown = start if len(start) <= 40 else start[:37] + "..."
            self.report_at(
                pkg,
                FILE_START,
                f"{pkg} has a `scripts.start` (`{shown}`), so the platform detects a Node.js project (it checks for "
                "Node.js before Python) and does not run this app as Python; add `runtime: python` to leanengine.yaml",
            )
