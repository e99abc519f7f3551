"""LE709: a cloud function (or hook) registered twice on one `leancloud.Engine`.

The SDK keeps an Engine's cloud functions in one dict and raises RuntimeError when a name is
registered again (`register_cloud_func` in leancloud/engine/leanengine.py), which happens while the
module holding the registration is imported: the app does not start and the deploy fails. Hooks
raise the same way (`register_cloud_hook`, `register_on_login`...). Only registrations that run on
import are compared (module level, also inside `try` / `with`, not in functions, branches or loops),
and only on the same Engine object, followed through imports of project modules.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Iterator, Optional

import libcst as cst

from analyzer.ftypes import Case, Severity
from analyzer.project import Project
from analyzer.routes import ENGINE_CLASSES, Origin, objects, span_of
from analyzer.rules.base import ProjectRule

#: Hooks per class: Engine method -> how the SDK names it in its message.
_CLASS_HOOKS = ("before_save", "after_save", "before_update", "after_update", "before_delete", "after_delete")
#: Hooks without a class: method -> key (on_bigquery and on_insight register the same hook).
_SINGLE_HOOKS = {"on_login": "on_login", "on_auth_data": "on_auth_data", "on_bigquery": "on_bigquery",
                 "on_insight": "on_bigquery"}

#: Where Engines are created.
_ENGINE_RE = re.compile(r"\bEngine\b")
#: Text a file must contain to register a cloud function or hook.
_REGISTRATION_RE = re.compile(
    r"\.(?:define|on_verified|on_login|on_auth_data|on_bigquery|on_insight|before_save|after_save|before_update"
    r"|after_update|before_delete|after_delete)\b"
)

_CLOUD = (
    "from leancloud import Engine\nfrom app import app\n\nengine = Engine(app)\n"
)


@dataclass
class Registration:
    rel: str
    node: cst.CSTNode
    engine: Origin
    key: tuple
    #: How to name it in a message ("the cloud function `hello`").
    what: str
    #: The SDK's error message.
    error: str


class DuplicateCloudFunction(ProjectRule):
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
    example = "@engine.define\ndef hello(**params):\n    return 'hi'\n\n@engine.define('hello')\ndef hello_v2(**params):\n    return 'hi'"
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
            ("cloud.py:10:2: the cloud function `hello` is already registered on this engine (cloud.py:6): the SDK "
             "raises RuntimeError(\"cloud function: hello is already registered\") while the app is imported, "
             "so it never starts and the deploy fails",),
        ),
        Case(
            {
                "wsgi.py": "from cloud import engine\nimport functions\napplication = engine\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
                "cloud.py": _CLOUD + "\n@engine.define\ndef sync(**params):\n    pass\n",
                "functions.py": "from cloud import engine as e\n\n\ndef sync(**params):\n    pass\n\n\ne.define(sync)\n",
            },
            ("functions.py:8:1: the cloud function `sync` is already registered on this engine (cloud.py:6): the "
             "SDK raises RuntimeError(\"cloud function: sync is already registered\") while the app is imported, "
             "so it never starts and the deploy fails",),
            note="across files, the call form, the engine imported under another name",
        ),
        Case(
            {
                "wsgi.py": "import leancloud\nfrom app import app\nengine = leancloud.Engine(app)\n"
                "application = engine\n\n@engine.before_save('Todo')\ndef check(todo):\n    pass\n\n"
                "@engine.before_save('Todo')\ndef check_again(todo):\n    pass\n",
                "app.py": "from flask import Flask\napp = Flask(__name__)\n",
            },
            ("wsgi.py:10:2: the before_save hook of class `Todo` is already registered on this engine (wsgi.py:6): "
             "the SDK raises RuntimeError(\"cloud hook __before_save_for_Todo on class Todo is already "
             "registered\") while the app is imported, so it never starts and the deploy fails",),
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
            line = span_of(project, prev.rel, prev.node).line
            self.report_at(
                reg.rel,
                span_of(project, reg.rel, reg.node),
                f"{reg.what} is already registered on this engine ({prev.rel}:{line}): the SDK raises "
                f"RuntimeError(\"{reg.error}\") while the app is imported, so it never starts and the deploy fails",
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
            visitor = _Visitor(project, rel)
            parsed.module.visit(visitor)
            if visitor.found:
                per_file[rel] = visitor.found
        if per_file:
            yield from _in_execution_order(project, per_file)


def _in_execution_order(project: Project, per_file: dict[str, list[Registration]]) -> list[Registration]:
    """The registrations in the order they run: each entry file top to bottom, entering a project
    module where a module-level import first reaches it (imports inside functions are left out;
    files loaded in ways lean-lint does not follow come last, by path)."""
    out: list[Registration] = []
    started: set[str] = set()
    runtime = project.runtime_files

    def run(rel: str) -> None:
        started.add(rel)
        info = project.file_info(rel)
        refs = list(info.imports) + (list(info.dead_main_imports) if project.runs_main_guard(rel) else [])
        deferred = _function_lines(project, rel) if refs else set()
        events: list[tuple[int, int, object]] = [(r.line, 0, r) for r in refs if r.module and r.line not in deferred]
        events += [(span_of(project, rel, reg.node).line, 1, reg) for reg in per_file.get(rel, ())]
        for _, kind, item in sorted(events, key=lambda e: (e[0], e[1])):
            if kind == 1:
                out.append(item)  # type: ignore[arg-type]
                continue
            for target in _import_targets(project, item):  # type: ignore[arg-type]
                if target in runtime and target not in started:
                    run(target)

    for entry in project.entry_files:
        if entry not in started:
            run(entry)
    for rel in sorted(runtime):
        if rel not in started:
            run(rel)
    return out


def _import_targets(project: Project, ref) -> list[str]:
    parts = ref.module.split(".")
    names = [".".join(parts[:i]) for i in range(1, len(parts) + 1)] + [f"{ref.module}.{n}" for n in ref.names]
    return [t for t in (project.module_file(n) for n in names) if t]


def _function_lines(project: Project, rel: str) -> set[int]:
    tree = project.source(rel).tree
    found: set[int] = set()
    if tree is None:
        return found
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Import, ast.ImportFrom)) and sub is not node:
                    found.add(sub.lineno)
    return found


class _Visitor(cst.CSTVisitor):
    """Registrations that run when the module is imported: module level, `try` bodies, `with`."""

    def __init__(self, project: Project, rel: str) -> None:
        self.project = project
        self.rel = rel
        self.objects = objects(project, "engines", _ENGINE_RE)
        self.found: list[Registration] = []
        self._decorator_calls: set[int] = set()

    # Code that may not run, or runs later: not followed.
    def visit_If(self, node: cst.If) -> bool:
        return False

    def visit_For(self, node: cst.For) -> bool:
        return False

    def visit_While(self, node: cst.While) -> bool:
        return False

    def visit_Match(self, node: cst.CSTNode) -> bool:
        return False

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> bool:
        return False

    def visit_ExceptStarHandler(self, node: cst.CSTNode) -> bool:
        return False

    def visit_Else(self, node: cst.Else) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        for decorator in node.decorators:
            dec = decorator.decorator
            if isinstance(dec, cst.Call):
                self._decorator_calls.add(id(dec))
            reg = self._registration(dec, node.name.value, decorator.decorator)
            if reg is not None:
                self.found.append(reg)
        return False  # the body runs later, when called

    def visit_Call(self, node: cst.Call) -> None:
        if id(node) in self._decorator_calls:
            return
        func = node.func
        if isinstance(func, cst.Call):
            # engine.define('name')(func), engine.before_save('Todo')(func)
            self._decorator_calls.add(id(func))
            reg = self._registration(func, self._function_name(node), node)
        elif isinstance(func, cst.Attribute) and func.attr.value in ("define", "on_login", "on_auth_data"):
            # engine.define(func)
            arg = node.args[0].value if len(node.args) == 1 and not node.args[0].keyword and not node.args[0].star else None
            if arg is None or isinstance(arg, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
                return  # the decorator factory alone registers nothing
            reg = self._registration(func, self._function_name(node), node)
        else:
            return
        if reg is not None:
            self.found.append(reg)

    def _function_name(self, call: cst.Call) -> Optional[str]:
        """`__name__` of the function a call registers (a `def` name; `<lambda>`)."""
        if len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
            return None
        arg = call.args[0].value
        if isinstance(arg, cst.Lambda):
            return "<lambda>"
        if isinstance(arg, cst.Name):
            r = self.objects.resolver(self.rel)
            bindings = r.lookup(arg) if r is not None else None
            if bindings and len(bindings) == 1 and bindings[0].kind == "def" and isinstance(bindings[0].expr, cst.FunctionDef):
                return bindings[0].expr.name.value
        return None

    def _registration(self, dec: cst.BaseExpression, func_name: Optional[str], node: cst.CSTNode) -> Optional[Registration]:
        call = dec if isinstance(dec, cst.Call) else None
        target = dec.func if isinstance(dec, cst.Call) else dec
        if not isinstance(target, cst.Attribute):
            return None
        method = target.attr.value
        if method not in ("define", "on_verified", *_CLASS_HOOKS, *_SINGLE_HOOKS):
            return None
        engine = self.objects.origin(self.rel, target.value)
        if engine is None or engine.qualname not in ENGINE_CLASSES:
            return None
        if method == "define":
            if call is None:
                name = func_name
            else:
                name = self._string_argument(call)
            if name is None:
                return None
            return Registration(self.rel, node, engine, ("function", name), f"the cloud function `{name}`",
                                f"cloud function: {name} is already registered")
        if method in _CLASS_HOOKS:
            cls = self._string_argument(call) if call is not None else None
            if cls is None:
                return None
            sdk_name = {"before_save": "__before_save_for_", "after_save": "__after_save_for_",
                        "before_update": "__before_update_for_", "after_update": "__after_update_for_",
                        "before_delete": "__before_delete_for_", "after_delete": "__after_delete_for_"}[method]
            return Registration(self.rel, node, engine, ("hook", method, cls), f"the {method} hook of class `{cls}`",
                                f"cloud hook {sdk_name}{cls} on class {cls} is already registered")
        if method == "on_verified":
            kind = self._string_argument(call) if call is not None else None
            if kind not in ("sms", "email"):
                return None
            return Registration(self.rel, node, engine, ("on_verified", kind), f"the on_verified hook for `{kind}`",
                                "on verified is already registered")
        if call is not None and method in ("on_login", "on_auth_data"):
            return None  # these take the function itself
        key = _SINGLE_HOOKS[method]
        if key == "on_bigquery":
            if call is None or self._string_argument(call) != "end":
                return None
            return Registration(self.rel, node, engine, ("on_bigquery",), f"the {method} hook",
                                "on bigquery is already registered")
        error = "on login is already registered" if key == "on_login" else "on authdata is already registered"
        return Registration(self.rel, node, engine, (key,), f"the {method} hook", error)

    def _string_argument(self, call: Optional[cst.Call]) -> Optional[str]:
        if call is None or len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
            return None
        r = self.objects.resolver(self.rel)
        value = r.resolve(call.args[0].value).single if r is not None else None
        return value if isinstance(value, str) else None
