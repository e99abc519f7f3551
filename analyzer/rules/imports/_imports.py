"""Shared by the imports rules (LE405)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from analyzer.model.bindings import project_bindings
from analyzer.model.project import ImportRef, Project
from analyzer.platform.distributions import NAMESPACE_PACKAGES, Provider
from analyzer.support.names import normalize_name
from analyzer.types import Span

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
