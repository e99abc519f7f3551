"""LE405: a module the running code imports that nothing installs or uploads.

The platform builds the app with `pip install -r requirements.txt` and then imports it; a module that
no requirement installs passes the build and stops the app at startup with ModuleNotFoundError, and
so does a project module that `.leanignore` keeps from being uploaded. Import names are mapped to
distributions by analyzer/modulemap.py (a curated table, PEP 503 names, and shipped data read out of
popular distributions' wheels: what each installs and requires), never by what is installed where
lean-lint runs.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from analyzer.ftypes import Case, Severity, Span
from analyzer.modulemap import NAMESPACE_PACKAGES, Provider
from analyzer.project import ImportRef, Project
from analyzer.requirements import normalize_name, project_requirements
from analyzer.rules.base import ProjectRule

#: An `if` whose test mentions one of these may not run on the platform: typing-only imports,
#: Python-version and OS switches, and branches that select an environment (local, debug, tests).
_CONDITIONAL_TEST = re.compile(r"(?i)TYPE_CHECKING|version|platform|os\.name|\bPY[23]|\bsix\.|debug|test|dev|local")
#: `run:`, `install:` or `build:` commands that may install packages themselves.
_INSTALLS = re.compile(r"\b(?:pip3?|conda|poetry|pipenv|uv|easy_install)\b|setup\.py")
#: `systemDependencies` items that install Python modules.
_SYSTEM_MODULES = {"python-talib": ("talib",)}
_STUB = "from flask import Flask\napp = Flask(__name__)\n"


@dataclass
class _FileContext:
    """Import statements of one file that do not always run, from its `ast` (computed on demand)."""

    skipped: set[int] = field(default_factory=set)  # typing-only, version / OS / environment switches
    fallbacks: set[int] = field(default_factory=set)  # in an `except ImportError:` handler
    in_function: set[int] = field(default_factory=set)


def _file_context(project: Project, rel: str) -> _FileContext:
    ctx = _FileContext()
    tree = project.source(rel).tree
    if tree is None:
        return ctx
    # (node, skipped, fallback, in_function), walked once, iteratively.
    stack: list[tuple[ast.AST, bool, bool, bool]] = [(tree, False, False, False)]
    while stack:
        node, skipped, fallback, in_function = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if skipped:
                ctx.skipped.add(node.lineno)
            if fallback:
                ctx.fallbacks.add(node.lineno)
            if in_function:
                ctx.in_function.add(node.lineno)
            continue
        if isinstance(node, ast.expr):
            continue  # imports are statements
        if isinstance(node, ast.If):
            try:
                test = ast.unparse(node.test)
            except Exception:  # noqa: BLE001 - an odd node: treat the branch as conditional
                test = "TYPE_CHECKING"
            falsy = isinstance(node.test, ast.Constant) and not node.test.value
            typing_only = falsy or "TYPE_CHECKING" in test
            switch = not typing_only and bool(_CONDITIONAL_TEST.search(test))
            stack += [(n, skipped or typing_only or switch, fallback, in_function) for n in node.body]
            stack += [(n, skipped or switch, fallback, in_function) for n in node.orelse]
            continue
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            catches = any(_catches_import_error(h) for h in node.handlers)  # type: ignore[attr-defined]
            stack += [(n, skipped, fallback, in_function) for n in node.body + node.orelse + node.finalbody]  # type: ignore[attr-defined]
            for handler in node.handlers:  # type: ignore[attr-defined]
                stack += [(n, skipped, fallback or catches, in_function) for n in handler.body]
            continue
        inner = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        stack += [(n, skipped, fallback, inner) for n in ast.iter_child_nodes(node)]
    return ctx


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type
    if kinds is None:
        return True
    elts = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
    names = {e.id if isinstance(e, ast.Name) else e.attr if isinstance(e, ast.Attribute) else "" for e in elts}
    return bool(names & {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def _installs_elsewhere(project: Project) -> bool:
    """leanengine.yaml installs packages some other way than requirements.txt (or not with it)."""
    install = project.le_value("install")
    if install is not None:
        steps = install if isinstance(install, list) else [install]
        if not any(isinstance(s, dict) and s.get("use") == "default" for s in steps):
            return True  # requirements.txt is not installed by the runtime: another rule's business
        if any(not (isinstance(s, dict) and set(s) <= {"use", "require"}) for s in steps):
            return True
    build = project.le_value("build")
    steps = build if isinstance(build, list) else [build] if build is not None else []
    if any(isinstance(s, str) and _INSTALLS.search(s) for s in steps):
        return True
    run = project.le_value("run")
    return isinstance(run, str) and bool(_INSTALLS.search(run))


def _local_names(project: Project) -> frozenset[str]:
    """Names of every uploaded Python file and folder holding one, anywhere in the project: code that
    puts a folder on sys.path can import them by that name."""
    names: set[str] = set()
    for rel in project.python_files:
        parts = rel[:-3].split("/")
        names.update(parts)
    names.discard("__init__")
    return frozenset(names)


def _column(line_text: str, dotted: str, name_first: bool = False) -> tuple[int, int]:
    """The columns of an import's module name in its line (1-based, end exclusive); (1, 2) if absent.
    `name_first`: look for the last component first (`secret` in `from helpers import secret`)."""
    parts = dotted.split(".")
    patterns = [r"(?<![\w.])" + re.escape(".".join(parts[:i])) + r"(?!\w)" for i in range(len(parts), 0, -1)]
    last = r"(?<!\w)" + re.escape(parts[-1]) + r"(?!\w)"
    if name_first:
        patterns.insert(0, last)
    else:
        patterns.append(last)
    for pattern in patterns:
        found = re.search(pattern, line_text)
        if found:
            return found.start() + 1, found.end() + 1
    return 1, 2


class ImportNotInstalled(ProjectRule):
    code = "LE405"
    name = "import-not-installed"
    severity = Severity.WARNING
    summary = "Code the platform runs imports a module that no requirement installs, or that .leanignore keeps back."
    why = (
        "The platform installs only what requirements.txt lists (`pip install -r requirements.txt`), "
        "then starts the app. A module that nothing installs does not stop the build, so the deploy "
        "goes ahead and the app dies at startup with ModuleNotFoundError (or when the function holding "
        "the import first runs); a project module that `.leanignore` keeps from being uploaded fails "
        "the same way. lean-lint follows the imports of the files the platform runs (wsgi.py or the "
        "`run:` program, and what they import) and Django's INSTALLED_APPS. Not reported: the standard "
        "library, the project's own modules, optional imports (inside `try` with `except ImportError`), "
        "imports under `if TYPE_CHECKING:` or a version, OS or debug switch, and anything that may come "
        "from a requirement: import names are matched to distributions with PEP 503 names and a "
        "curated table of names that differ (`yaml` is PyYAML, `PIL` Pillow, `bs4` beautifulsoup4, "
        "`jwt` PyJWT, `cv2` opencv-python...) and the import names and dependencies read out of about "
        "800 popular distributions' wheels, shipped with lean-lint, including what they bring (Flask brings "
        "Werkzeug and Jinja2) and `-r` included files. A requirement lean-lint has no data for provides "
        "only the names it plausibly installs (its own name, normalized, and known aliases): list what "
        "your code imports directly, even when another requirement happens to bring it today. Nothing is "
        "reported when requirements.txt has a requirement whose name pip learns only by building it (a "
        "bare URL, `-e .`, a local path), or when leanengine.yaml installs packages with commands of its "
        "own. lean-lint never installs anything to find out, and what is installed where it runs plays "
        "no part, so every machine gives the same answer. Map an import name the data does not know with "
        "`[tool.lean-lint] module-map = {name = \"distribution\"}`."
    )
    example = "# requirements.txt\nFlask>=2,<3\n\n# app.py\nimport yaml"
    fix = (
        "Add the distribution that provides the module to requirements.txt (`PyYAML>=6,<7` for `yaml`), "
        "or make the import optional.\n"
        "For a project module, remove the .leanignore pattern that matches its file."
    )
    tags = ("requirements", "imports", "startup")

    fires = (
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "from app import app as application\n",
                "app.py": "import os\nimport yaml\nfrom flask import Flask\napp = Flask(__name__)\n",
            },
            ("app.py:2:8: `yaml` is imported, but requirements.txt does not install PyYAML, which provides it: "
             "the build succeeds and the app stops at startup with ModuleNotFoundError; add `PyYAML` to "
             "requirements.txt",),
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "from app import app as application\n",
                "app.py": _STUB + "def load():\n    from bs4 import BeautifulSoup\n    return BeautifulSoup\n",
            },
            ("app.py:4:10: `bs4` is imported, but requirements.txt does not install beautifulsoup4, which "
             "provides it: the build succeeds and the import fails with ModuleNotFoundError when this code "
             "runs; add `beautifulsoup4` to requirements.txt",),
            note="an import inside a function fails when it runs",
        ),
        Case(
            {
                "requirements.txt": "-r base.txt\n",
                "base.txt": "Flask>=2,<3\n",
                "wsgi.py": "import markdown_it\nimport acme_inhouse\nfrom flask import Flask\napplication = Flask(__name__)\n",
            },
            ("wsgi.py:1:8: `markdown_it` is imported, but requirements.txt does not install markdown-it-py, which "
             "provides it: the build succeeds and the app stops at startup with ModuleNotFoundError; add "
             "`markdown-it-py` to requirements.txt",
             "wsgi.py:2:8: `acme_inhouse` is imported, but no requirement in requirements.txt provides it: "
             "the build succeeds and the app stops at startup with ModuleNotFoundError; add the distribution "
             "that provides `acme_inhouse` to requirements.txt"),
            note="import names read from popular distributions' wheels; a name no data knows",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\nsome-private-lib==1.0\n",
                "wsgi.py": "import requests, six, some_private_lib\n" + _STUB + "application = app\n",
            },
            ("wsgi.py:1:8: `requests` is imported, but requirements.txt does not install requests, which provides "
             "it: the build succeeds and the app stops at startup with ModuleNotFoundError; add `requests` to "
             "requirements.txt", "wsgi.py:1:18"),
            note="a requirement lean-lint does not know provides only what its name says",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                ".leanignore": "local_settings.py\n",
                "local_settings.py": "DEBUG = True\n",
                "wsgi.py": "from local_settings import DEBUG\n" + _STUB + "application = app\n",
            },
            ("wsgi.py:1:6: `local_settings` is imported, but it is a project module that .leanignore keeps from "
             "being uploaded (local_settings.py): the app stops at startup with ModuleNotFoundError; remove the "
             "pattern that matches it from .leanignore, or make the import optional",),
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
            ("mysite/settings.py:3:6: `rest_framework` is in INSTALLED_APPS, which Django imports at startup, "
             "but requirements.txt does not install djangorestframework, which provides it: the build succeeds and the app stops at startup with "
             "ModuleNotFoundError; add `djangorestframework` to requirements.txt",),
            note="Django imports INSTALLED_APPS at startup",
        ),
        Case(
            {
                "requirements.txt": "Flask>=2,<3\n",
                "wsgi.py": "import acme.client\n" + _STUB + "application = app\n",
            },
            ("wsgi.py:1:8: `acme.client` is imported, but requirements.txt does not install acme-client-lib, "
             "which provides it: the build succeeds and the app stops at startup with ModuleNotFoundError; "
             "add `acme-client-lib` to requirements.txt",),
            config={"module-map": {"acme": "acme-client-lib"}},
        ),
    )
    near_misses = (
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


class _Checker:
    """Collects the findings of one project, one file at a time."""

    def __init__(self, project: Project, provider: Provider, req_file: str) -> None:
        self.project = project
        self.provider = provider
        self.req_file = req_file
        self.local = _local_names(project)
        self.uploaded = {name for rel in project.python_files if (name := project.module_name(rel))}
        self.held_back = {
            name: rel
            for rel in project.leanignored_python_files
            if (name := project.module_name(rel)) and name not in self.uploaded
        }
        self.findings: list[tuple[str, Span, str, str]] = []

    def check_file(self, rel: str) -> None:
        project = self.project
        info = project.file_info(rel)
        refs = list(info.imports)
        if project.runs_main_guard(rel):
            refs += info.dead_main_imports
        refs.sort(key=lambda r: r.line)
        context: _FileContext | None = None
        lines: list[str] | None = None
        seen: set[str] = set()
        for ref in refs:
            if ref.guarded or not ref.module:
                continue
            for module, name_first in self._targets(ref):
                problem = self._problem(module)
                if problem is None or problem[0] in seen:
                    continue
                if context is None:
                    context = _file_context(project, rel)
                if ref.line in context.skipped or ref.line in context.fallbacks:
                    continue
                seen.add(problem[0])
                if lines is None:
                    lines = (project.python_text(rel) or "").split("\n")
                text = lines[ref.line - 1] if ref.line <= len(lines) else ""
                start, end = _column(text, module, name_first)
                message, hint = problem[1](module, "is imported", ref.line in context.in_function)
                self.findings.append((rel, Span(ref.line, start, ref.line, end), message, hint))
        for app in info.installed_apps:
            problem = self._problem(app)
            if problem is None or problem[0] in seen:
                continue
            if lines is None:
                lines = (project.python_text(rel) or "").split("\n")
            where = _find_string(lines, app)
            if where is None:
                continue
            seen.add(problem[0])
            line, start = where
            message, hint = problem[1](app, "is in INSTALLED_APPS, which Django imports at startup", False)
            self.findings.append((rel, Span(line, start, line, start + len(app)), message, hint))

    def _targets(self, ref: ImportRef) -> list[tuple[str, bool]]:
        """The dotted modules one import statement loads (`from pkg import sub` may load pkg.sub),
        each with whether to point at the imported name rather than the module."""
        if not ref.names or ref.star:
            return [(ref.module, False)]
        out: list[tuple[str, bool]] = []
        namespace = ref.module.split(".")[0] in NAMESPACE_PACKAGES and not self.project.is_project_module(ref.module)
        for name in ref.names:
            dotted = f"{ref.module}.{name}"
            if dotted in self.held_back:
                target = (dotted, True)
            else:
                target = (dotted if namespace else ref.module, False)
            if target not in out:
                out.append(target)
        return out

    def _problem(self, module: str):
        """None when `module` is available on the platform; else (a key, one finding per key and
        file, and a function (shown, what, in_function) -> (message, hint))."""
        parts = module.split(".")
        for i in range(len(parts), 0, -1):
            prefix = ".".join(parts[:i])
            held = self.held_back.get(prefix)
            if held is None:
                continue
            if any(name.startswith(prefix + ".") for name in self.uploaded):
                break  # still a (namespace) package of uploaded modules
            if i == len(parts) and i > 1 and self._bound_in_package(".".join(parts[:-1]), parts[-1]):
                return None  # `from pkg import name`: the package's __init__ binds it
            return f"held:{held}", lambda shown, what, f, held=held: self._held_back_message(shown, what, held)
        if self.project.is_project_module(module) or parts[0] in self.local:
            return None
        suggestion = self.provider.explain_missing(module)
        if suggestion is None:
            return None
        if suggestion:
            return normalize_name(suggestion), lambda shown, what, f: self._missing_message(shown, what, suggestion, f)
        return parts[0], lambda shown, what, f: self._unknown_message(shown, what, parts[0], f)

    def _bound_in_package(self, package: str, name: str) -> bool:
        """Does the package's __init__ bind `name` (then `from package import name` needs no submodule)?"""
        rel = self.project.module_file(package)
        if rel is None:
            return False
        from analyzer.bindings import project_bindings

        mb = project_bindings(self.project, rel)
        return mb is None or mb.state(name) is not None

    @staticmethod
    def _when(in_function: bool) -> str:
        if in_function:
            return "the import fails with ModuleNotFoundError when this code runs"
        return "the app stops at startup with ModuleNotFoundError"

    def _missing_message(self, shown: str, what: str, dist: str, in_function: bool) -> tuple[str, str]:
        return (
            f"`{shown}` {what}, but {self.req_file} does not install {dist}, which provides it: the build "
            f"succeeds and {self._when(in_function)}; add `{dist}` to {self.req_file}",
            f"Add `{dist}` (with a bounded version) to {self.req_file}.",
        )

    def _unknown_message(self, shown: str, what: str, top: str, in_function: bool) -> tuple[str, str]:
        return (
            f"`{shown}` {what}, but no requirement in {self.req_file} provides it: the build succeeds and "
            f"{self._when(in_function)}; add the distribution that provides `{top}` to {self.req_file}",
            f"Add the distribution that provides `{top}` to {self.req_file}; if lean-lint maps it wrongly, "
            "set `[tool.lean-lint] module-map`.",
        )

    @staticmethod
    def _held_back_message(shown: str, what: str, held: str) -> tuple[str, str]:
        return (
            f"`{shown}` {what}, but it is a project module that .leanignore keeps from being uploaded ({held}): "
            "the app stops at startup with ModuleNotFoundError; remove the pattern that matches it from "
            ".leanignore, or make the import optional",
            "Remove the .leanignore pattern that matches the file, or import it inside try/except ImportError.",
        )


def _find_string(lines: list[str], value: str) -> tuple[int, int] | None:
    pattern = re.compile(r"""(['"])""" + re.escape(value) + r"""\1""")
    for i, line in enumerate(lines, 1):
        found = pattern.search(line)
        if found:
            return i, found.start() + 2
    return None
