"""LE101, LE102, LE105: the files that make the platform see, start and install a Python project.

The platform (lean-cli's detection, `runtimes/runtime.go`) takes a project for Python when its build
root holds both `wsgi.py` and `requirements.txt`, checks for Node.js first, starts the app by importing
`application` from wsgi.py unless leanengine.yaml has `run:`, and installs with
`pip install -r requirements.txt`. A missing file has no line to point at, so these findings point at
line 1 of the file that should have named it: leanengine.yaml when there is one, else the other file of
the pair, else the missing file's own path.
"""

from __future__ import annotations

import json
from typing import Any

from analyzer.ftypes import FILE_START, Case, Severity
from analyzer.project import LEANENGINE_YAML
from analyzer.rules.base import ProjectRule
from analyzer.sources import UnreadableFile


def _anchor(project, *candidates: str) -> str:
    """The first candidate that is a regular file; the last one if none is."""
    for rel in candidates:
        if project.is_file(rel):
            return rel
    return candidates[-1]


def _absent_kind(project, rel: str) -> str | None:
    """None when `rel` is usable as a file (or a link out of the project lean-lint does not follow);
    else "missing", "a directory" or "not a regular file"."""
    if project.is_file(rel):
        return None
    st = project.lstat(rel)
    if st is None:
        return "missing"
    if not project.exists(rel):
        return None if _link_target_exists(project, rel) else "missing"
    return "a directory" if project.is_dir(rel) else "not a regular file (a FIFO, socket or device)"


def _link_target_exists(project, rel: str) -> bool:
    import os

    return os.path.exists(project.abspath(rel))


def _has_run(project) -> bool:
    run = project.le_value("run")
    return run is not None and not (isinstance(run, str) and not run.strip())


def _default_install_runs(project) -> bool:
    """Does the install step run the runtime's own `pip install -r requirements.txt`?"""
    install = project.le_value("install")
    if install is None:
        return True
    if isinstance(install, list):
        return any(isinstance(step, dict) and step.get("use") == "default" for step in install)
    return False


class MissingWsgi(ProjectRule):
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
        "requirements.txt when there is no leanengine.yaml, since the missing file has no line."
    )
    example = "app.py\nrequirements.txt\n# no wsgi.py, no leanengine.yaml"
    fix = (
        "Add wsgi.py at the build root with a module-level `application`, e.g. "
        "`from app import app as application`, or set `run:` in leanengine.yaml."
    )
    tags = ("project",)
    fires = (
        Case(
            {"requirements.txt": "flask<3\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"},
            ("requirements.txt:1:1: no `wsgi.py` at the build root and no `run:` in leanengine.yaml: the platform "
             "starts a Python app by importing `application` from wsgi.py, so this app never starts; add wsgi.py "
             "(`from app import app as application`) or a `run:` command",),
        ),
        Case(
            {"leanengine.yaml": "startupTimeout: 60\n", "requirements.txt": "flask<3\n"},
            ("leanengine.yaml:1:1",),
        ),
        Case({"app.py": "x = 1\n"}, ("wsgi.py:1:1",), note="nothing else to point at"),
        Case(
            {"requirements.txt": "flask<3\n", "wsgi.py/__init__.py": "application = None\n"},
            ("requirements.txt:1:1: `wsgi.py` is a directory, not a Python file: the platform imports the module "
             "wsgi.py and serves its `application`, so this app never starts; make wsgi.py a file or set `run:` "
             "in leanengine.yaml",),
        ),
        Case(
            {"leanengine.yaml": "buildRoot: api\n", "api/requirements.txt": "flask<3\n",
             "wsgi.py": "application = 1\n"},
            ("leanengine.yaml:1:1",),
            note="wsgi.py must be at the build root",
        ),
        Case({"leanengine.yaml": "run: ''\n", "requirements.txt": ""}, ("leanengine.yaml:1:1",), note="an empty run"),
    )
    near_misses = (
        Case({"wsgi.py": "application = None\n", "requirements.txt": ""}),
        Case({"leanengine.yaml": "run: python app.py\n", "app.py": "", "requirements.txt": ""}),
        Case({"leanengine.yaml": "buildRoot: api\n", "api/wsgi.py": "application = 1\n", "api/requirements.txt": ""}),
        Case({"leanengine.yaml": "runtime: nodejs\n", "server.js": ""}, note="not a Python project"),
    )

    def check(self, project) -> None:
        if not project.python_applies or _has_run(project):
            return
        wsgi = project.build_path("wsgi.py")
        kind = _absent_kind(project, wsgi)
        if kind is None:
            return
        where = _anchor(project, LEANENGINE_YAML, project.build_path("requirements.txt"), wsgi)
        if kind == "missing":
            message = (
                f"no `{wsgi}` at the build root and no `run:` in leanengine.yaml: the platform starts a Python app "
                "by importing `application` from wsgi.py, so this app never starts; add wsgi.py "
                "(`from app import app as application`) or a `run:` command"
            )
        else:
            message = (
                f"`{wsgi}` is {kind}, not a Python file: the platform imports the module wsgi.py and serves its "
                "`application`, so this app never starts; make wsgi.py a file or set `run:` in leanengine.yaml"
            )
        self.report_at(where, FILE_START, message)


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
    example = "wsgi.py\nPipfile   # the platform does not read Pipfile or pyproject.toml"
    fix = (
        "Add requirements.txt at the build root listing every library the app imports, e.g. "
        "`leancloud>=2.9.1,<3.0.0`."
    )
    tags = ("project",)
    fires = (
        Case(
            {"wsgi.py": "application = None\n"},
            ("wsgi.py:1:1: no `requirements.txt` at the build root: the platform recognizes a Python project by "
             "wsgi.py and requirements.txt and installs its dependencies with `pip install -r requirements.txt`; "
             "add requirements.txt listing them, e.g. `leancloud>=2.9.1,<3.0.0`",),
        ),
        Case({"wsgi.py": "application = None\n", "leanengine.yaml": "startupTimeout: 40\n"}, ("leanengine.yaml:1:1",)),
        Case({"app.py": ""}, ("requirements.txt:1:1",)),
        Case(
            {"wsgi.py": "application = None\n", "requirements.txt/base.txt": "flask<3\n"},
            ("wsgi.py:1:1: `requirements.txt` is a directory, not a file: pip cannot read it as a requirements "
             "file (`pip install -r requirements.txt`) and the platform does not detect a Python project; make "
             "it a file",),
        ),
        Case(
            {"leanengine.yaml": "runtime: python\ninstall:\n  - {use: default}\n", "wsgi.py": "application = 1\n"},
            ("leanengine.yaml:1:1",),
        ),
    )
    near_misses = (
        Case({"wsgi.py": "application = None\n", "requirements.txt": ""}),
        Case({"leanengine.yaml": "buildRoot: api\n", "api/requirements.txt": "", "api/wsgi.py": ""}),
        Case(
            {"leanengine.yaml": "runtime: python\ninstall: pip install .\nrun: python app.py\n", "app.py": ""},
            note="an own install step replaces pip install -r requirements.txt",
        ),
        Case({"leanengine.yaml": "runtime: go\n", "main.go": ""}),
    )

    def check(self, project) -> None:
        if not project.python_applies:
            return
        req = project.build_path("requirements.txt")
        kind = _absent_kind(project, req)
        if kind is None:
            return
        if project.runtime == "python" and not _default_install_runs(project):
            return
        where = _anchor(project, LEANENGINE_YAML, project.build_path("wsgi.py"), req)
        if kind == "missing":
            message = (
                f"no `{req}` at the build root: the platform recognizes a Python project by wsgi.py and "
                "requirements.txt and installs its dependencies with `pip install -r requirements.txt`; add "
                "requirements.txt listing them, e.g. `leancloud>=2.9.1,<3.0.0`"
            )
        else:
            message = (
                f"`{req}` is {kind}, not a file: pip cannot read it as a requirements file (`pip install -r "
                "requirements.txt`) and the platform does not detect a Python project; make it a file"
            )
        self.report_at(where, FILE_START, message)


def package_start_script(project, rel: str) -> str | None:
    """`scripts.start` of a package.json, read as lean-cli's Go code reads it (BOM stripped; keys
    matched case-insensitively, the last one winning; any type mismatch or invalid JSON means none)."""
    try:
        data = project.read_bytes(rel)
    except UnreadableFile:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        pairs = json.loads(data.decode("utf-8", errors="replace"), object_pairs_hook=lambda p: ("obj", p))
    except (ValueError, RecursionError):
        return None
    scripts = _go_field(pairs, "scripts")
    if scripts is None:
        return None
    start = _go_field(scripts, "start")
    return start if isinstance(start, str) and start else None


def _go_field(node: Any, key: str) -> Any:
    if not (isinstance(node, tuple) and len(node) == 2 and node[0] == "obj"):
        return None
    value = None
    for name, item in node[1]:
        if isinstance(name, str) and name.lower() == key:
            value = item
    return value


class NodeDetectedFirst(ProjectRule):
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
    example = 'package.json: {"scripts": {"start": "vite"}}\nwsgi.py\nrequirements.txt'
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
