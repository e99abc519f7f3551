"""Shared by the cloud_functions rules (LE709)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any, Optional

import libcst as cst

from analyzer.model.project import Project
from analyzer.model.routes import Origin, objects, span_of
from analyzer.platform.sdk import ENGINE_CLASSES

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


def _at_import(r: Any, node: cst.CSTNode) -> bool:
    """Does `node` run whenever its module is imported (no branch, loop, handler or body between it
    and the module)? A decorator's call counts with its `def` (the caller checks the `def`)."""
    current = r.parent(node)
    while current is not None:
        if isinstance(current, (*_NOT_AT_IMPORT, cst.Decorator)):
            return False
        current = r.parent(current)
    return True


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


#: Where code may not run, or runs later: registrations under these are not counted.
_NOT_AT_IMPORT = (cst.If, cst.For, cst.While, cst.Match, cst.ExceptHandler, cst.ExceptStarHandler, cst.Else,
                  cst.Lambda, cst.ClassDef, cst.FunctionDef)


class Registrations:
    """Registrations that run when the module is imported: module level, `try` bodies, `with`. Read
    from the calls and decorators the resolver index recorded in walk order (no walk of its own)."""

    def __init__(self, project: Project, rel: str) -> None:
        self.project = project
        self.rel = rel
        self.objects = objects(project, "engines", _ENGINE_RE)
        self.found: list[Registration] = []

    def run(self) -> "Registrations":
        r = self.objects.resolver(self.rel)
        if r is None:
            return self
        for node in r.index.events:
            if isinstance(node, cst.Decorator):
                owner = r.parent(node)
                if isinstance(owner, cst.FunctionDef) and _at_import(r, owner):
                    reg = self._registration(node.decorator, owner.name.value, node.decorator)
                    if reg is not None:
                        self.found.append(reg)
            elif isinstance(node, cst.Call) and _at_import(r, node):
                self.call(node)
        return self

    def call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Call):
            # engine.define('name')(func), engine.before_save('Todo')(func)
            reg = self._registration(func, self._function_name(node), node)
        elif isinstance(func, cst.Attribute) and func.attr.value in ("define", "on_login", "on_auth_data"):
            if isinstance(self.objects.resolver(self.rel).parent(node), cst.Call):
                return  # the factory of `engine.define('name')(func)`: the outer call registers
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
