"""Shared by the functions_mode rules (LE305)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import libcst as cst

from analyzer.model.bindings import Binding, ModuleBindings, project_bindings
from analyzer.model.project import Project
from analyzer.model.requirements import project_requirements
from analyzer.platform.sdk import ENGINE_CLASSES

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

    reqs = project_requirements(project)
    if not reqs.files or reqs.unnamed:
        return None  # no requirements.txt (another rule's finding), or requirements whose names pip learns later
    if any(reqs.has(name) for name in SDK_DISTRIBUTIONS):
        return None
    if len(reqs.files) > 1:
        return f"{reqs.files[0]} (with the files it includes)"
    return reqs.files[0]
