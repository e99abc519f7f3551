"""LE305: `functionsMode: strict` without the SDK wired in.

With `functionsMode: strict` in leanengine.yaml the platform checks at startup that the LeanCloud SDK
answers, and aborts the deploy otherwise: `leancloud` must be installed and the WSGI callable served
must be a `leancloud.Engine` or wrapped by one. The served callable is followed through assignments
and imports of project modules (analyzer/bindings.py) and judged three ways: an Engine, provably not
one (a Flask or Django app, a plain function), or unknown; only "provably not" is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import libcst as cst

from analyzer.bindings import ENGINE_CLASSES, Binding, ModuleBindings, constructs_engine, project_bindings
from analyzer.ftypes import Case, Severity
from analyzer.project import LEANENGINE_YAML, Project
from analyzer.rules.base import ProjectRule

#: The SDK's Engine class, as code names it through imports.
#: Distributions that install the `leancloud` package (the 1.x SDK was published as leancloud-sdk).
SDK_DISTRIBUTIONS = ("leancloud", "leancloud-sdk", "leancloud-sdk-ng")
STRICT_FACT = "functionsMode: strict makes the deploy abort unless"
_MAX_DEPTH = 24

ENGINE = "engine"
NOT_ENGINE = "not-engine"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Verdict:
    kind: str
    #: For NOT_ENGINE: what the value is, for a message ("`Flask(__name__)` (app.py:3)").
    what: str = ""


_UNKNOWN = Verdict(UNKNOWN)
_ENGINE = Verdict(ENGINE)


def _combine(verdicts: list[Verdict]) -> Verdict:
    if not verdicts:
        return _UNKNOWN
    kinds = {v.kind for v in verdicts}
    if kinds == {ENGINE}:
        return _ENGINE
    if kinds == {NOT_ENGINE}:
        return verdicts[0]
    return _UNKNOWN


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class EngineCheck:
    """Is a module-level name of a project file a `leancloud.Engine`? Follows assignments, `.wrap()`
    and imports of project modules; calls of project functions and anything dynamic are UNKNOWN."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._active: set = set()
        self._depth = 0

    def name(self, rel: str, name: str, before: Optional[int] = None) -> Verdict:
        """`name` at the end of `rel` (before=None: the bindings that reach the end), or as seen by
        code at source position `before` (every earlier binding)."""
        key = (rel, name, before)
        if key in self._active or self._depth > _MAX_DEPTH:
            return _UNKNOWN
        mb = project_bindings(self.project, rel)
        if mb is None or mb.dynamic or mb.globals_of(name):
            return _UNKNOWN
        if before is None:
            st = mb.state(name)
            if st is not None and not st.complete:
                return _UNKNOWN
            bindings = list(st.bindings) if st is not None else []
        else:
            bindings = mb.reaching(name, before)
        if not bindings:
            return _UNKNOWN
        self._active.add(key)
        self._depth += 1
        try:
            return _combine([self.binding(rel, mb, b) for b in bindings])
        finally:
            self._depth -= 1
            self._active.discard(key)

    def binding(self, rel: str, mb: ModuleBindings, b: Binding) -> Verdict:
        where = f"{rel}:{mb.line(b.node)}"
        if b.kind in ("assign", "annassign", "walrus") and b.value is not None:
            return self.expr(rel, mb, b.value, b.order)
        if b.kind == "def":
            node = b.node
            if isinstance(node, cst.FunctionDef) and not node.decorators and not self.mentions_engine(rel, mb, node):
                return Verdict(NOT_ENGINE, f"the plain function `{b.name}` ({where})")
            return _UNKNOWN
        if b.kind == "class":
            node = b.node
            if (
                isinstance(node, cst.ClassDef)
                and not node.bases
                and not node.keywords
                and not node.decorators
                and not self.mentions_engine(rel, mb, node)
            ):
                return Verdict(NOT_ENGINE, f"the plain class `{b.name}` ({where})")
            return _UNKNOWN
        if b.kind in ("from", "star") and b.module and b.imported:
            target = self.project.module_file(b.module)
            if target is None or self.project.module_file(f"{b.module}.{b.imported}"):
                return _UNKNOWN  # outside the project, or a submodule
            return self.name(target, b.imported)
        return _UNKNOWN

    def expr(self, rel: str, mb: ModuleBindings, expr: cst.BaseExpression, order: int) -> Verdict:
        if isinstance(expr, cst.Name):
            return self.name(rel, expr.value, before=order)
        if isinstance(expr, cst.Attribute):
            base = mb.qualified_name(expr.value, order)
            target = self.project.module_file(base) if base else None
            if target is not None:  # `cloud.engine` with `import cloud`
                return self.name(target, expr.attr.value)
            return _UNKNOWN
        if isinstance(expr, cst.Call):
            return self.call(rel, mb, expr, order)
        if isinstance(expr, cst.IfExp):
            return _combine([self.expr(rel, mb, expr.body, order), self.expr(rel, mb, expr.orelse, order)])
        if isinstance(expr, cst.Lambda):
            if self.mentions_engine(rel, mb, expr):
                return _UNKNOWN
            return Verdict(NOT_ENGINE, f"a lambda ({rel}:{mb.line(expr)})")
        return _UNKNOWN

    def mentions_engine(self, rel: str, mb: ModuleBindings, node: cst.CSTNode) -> bool:
        """Could this function / class / lambda hand requests to an Engine (`return engine(environ,
        start_response)`)? Then the platform's check may pass through it: lean-lint does not judge."""
        code = mb.parsed.module.code_for_node(node)
        if "engine" in code.lower() or ".wrap(" in code:
            return True
        names: dict[str, None] = {}
        stack = [node]
        while stack and len(names) < 64:
            current = stack.pop()
            if isinstance(current, cst.Name):
                names.setdefault(current.value, None)
            else:
                stack.extend(current.children)
        return any(mb.state(n) is not None and self.name(rel, n).kind == ENGINE for n in names)

    def call(self, rel: str, mb: ModuleBindings, call: cst.Call, order: int) -> Verdict:
        qualified = mb.qualified_name(call.func, order)
        if qualified in ENGINE_CLASSES:
            return _ENGINE
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "wrap":
            if self.expr(rel, mb, func.value, order).kind == ENGINE:
                return _ENGINE  # Engine.wrap(app) returns the engine itself
        if qualified is None:
            return _UNKNOWN  # a local function, a method of an object, a name lean-lint cannot resolve
        top = qualified.split(".")[0]
        if top == "leancloud" or self.project.is_project_module(top):
            return _UNKNOWN  # a project function may return an Engine
        # A callable from outside the project: its result is no Engine, unless it wraps one.
        for arg in call.args:
            if self.argument(rel, mb, arg.value, order).kind != NOT_ENGINE:
                return _UNKNOWN
        return Verdict(NOT_ENGINE, f"`{_short(mb.code(call))}` ({rel}:{mb.line(call)})")

    def argument(self, rel: str, mb: ModuleBindings, expr: cst.BaseExpression, order: int) -> Verdict:
        """An argument of an outside call: could an Engine be passed in (and so wrapped)?"""
        if isinstance(expr, cst.Name):
            if expr.value.startswith("__") and expr.value.endswith("__") and not mb.reaching(expr.value, order):
                return Verdict(NOT_ENGINE, "a module attribute")  # `__name__`, `__file__`
            return self.expr(rel, mb, expr, order)
        if isinstance(expr, (cst.Attribute, cst.Call, cst.IfExp, cst.Lambda)):
            return self.expr(rel, mb, expr, order)
        if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            return _combine([self.argument(rel, mb, e.value, order) for e in expr.elements] or [Verdict(NOT_ENGINE)])
        if isinstance(expr, cst.Dict):
            values = [e.value for e in expr.elements if isinstance(e, cst.DictElement)]
            if len(values) != len(expr.elements):
                return _UNKNOWN
            return _combine([self.argument(rel, mb, v, order) for v in values] or [Verdict(NOT_ENGINE)])
        if isinstance(expr, (cst.BaseString, cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis)):
            return Verdict(NOT_ENGINE, "a literal")
        if isinstance(expr, (cst.BinaryOperation, cst.Comparison, cst.UnaryOperation, cst.BooleanOperation)):
            return Verdict(NOT_ENGINE, "an operation")
        return _UNKNOWN


def wraps_attribute(project: Project, rel: str) -> bool:
    """`app.wsgi_app = engine.wrap(app.wsgi_app)` / `x.y = Engine(...)`: an Engine hooked in as an
    attribute of another object, which the served app may call."""
    src = project.source(rel)
    text = src.text or ""
    if not src.ok or ("Engine" not in text and ".wrap(" not in text):
        return False
    mb = project_bindings(project, rel)
    if mb is None:
        return False
    found = False

    class Finder(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            nonlocal found
            if not any(isinstance(t.target, (cst.Attribute, cst.Subscript)) for t in node.targets):
                return
            value = node.value
            if isinstance(value, cst.Call):
                func = value.func
                if mb.qualified_name(func) in ENGINE_CLASSES or (isinstance(func, cst.Attribute) and func.attr.value == "wrap"):
                    found = True

    mb.parsed.module.visit(Finder())
    return found


def _custom_install(project: Project) -> bool:
    """leanengine.yaml's `install` runs commands of its own: they may install the SDK."""
    value = project.le_value("install")
    if value is None:
        return False
    steps = value if isinstance(value, list) else [value]
    return any(not (isinstance(s, dict) and set(s) <= {"use", "require"}) for s in steps)


def sdk_missing(project: Project) -> Optional[str]:
    """The requirements file that provably does not install `leancloud`, or None."""
    if project.is_project_module("leancloud") or _custom_install(project):
        return None
    from analyzer.requirements import project_requirements

    reqs = project_requirements(project)
    if not reqs.files or reqs.unnamed:
        return None  # no requirements.txt (another rule's finding), or requirements whose names pip learns later
    if any(reqs.has(name) for name in SDK_DISTRIBUTIONS):
        return None
    if len(reqs.files) > 1:
        return f"{reqs.files[0]} (with the files it includes)"
    return reqs.files[0]


class StrictWithoutSdk(ProjectRule):
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
    example = (
        "# leanengine.yaml\nfunctionsMode: strict\n# wsgi.py\nfrom app import app\napplication = app"
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
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "leancloud>=2.9.1,<3.0.0\nFlask>=1.0.0\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                "wsgi.py": "from app import app\napplication = app\n",
            },
            (
                "leanengine.yaml:1:1: functionsMode: strict makes the deploy abort unless the served WSGI "
                "callable is a `leancloud.Engine` or wrapped by one, but wsgi.py's `application` is "
                "`Flask(__name__)` (app.py:2)",
            ),
        ),
        Case(
            {
                "leanengine.yaml": "run: python wsgi.py\nfunctionsMode: strict\n",
                "requirements.txt": "Flask>=1.0.0\n",
                **_SDK_FILES,
            },
            (
                "leanengine.yaml:2:1: functionsMode: strict makes the deploy abort unless the LeanCloud SDK is "
                "installed, but requirements.txt does not install `leancloud`",
            ),
        ),
        Case(
            {
                "leanengine.yaml": "functionsMode: strict\n",
                "requirements.txt": "Django>=3,<4\n",
                "wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
            },
            (
                "leanengine.yaml:1:1: functionsMode: strict makes the deploy abort unless the LeanCloud SDK is "
                "installed, but requirements.txt does not install `leancloud`",
                "leanengine.yaml:1:1: functionsMode: strict makes the deploy abort unless the served WSGI "
                "callable is a `leancloud.Engine` or wrapped by one, but wsgi.py's `application` is "
                "`get_wsgi_application()` (wsgi.py:2)",
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
                "leanengine.yaml:2:1: functionsMode: strict makes the deploy abort unless the app the `run:` "
                "program serves is a `leancloud.Engine` or wrapped by one, but no file it loads (app.py and the "
                "project modules it imports) constructs a `leancloud.Engine`",
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
                f"{STRICT_FACT} the LeanCloud SDK is installed, but {missing} does not install `leancloud`",
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
            f"{STRICT_FACT} the served WSGI callable is a `leancloud.Engine` or wrapped by one, but "
            f"{path}'s `application` is {verdict.what}",
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
            f"{STRICT_FACT} the app the `run:` program serves is a `leancloud.Engine` or wrapped by one, but no "
            f"file it loads ({entry} and the project modules it imports) constructs a `leancloud.Engine`",
            hint="Wrap the app with the SDK (`engine = leancloud.Engine(app)`) and serve `engine`.",
        )
