"""Shared by the imports rules (LE405)."""

from __future__ import annotations

import ast
import difflib
import os
import re
from dataclasses import dataclass, field

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


#: What makes a package's submodules come from somewhere lean-lint does not see.
_REWIRES = re.compile(r"__path__|extend_path|sys\.modules|def __getattr__")


#: Files the import system loads as a module besides NAME.py (sourceless, extension modules).
_MODULE_SUFFIXES = (".pyc", ".so", ".pyd")


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
                problem = self._problem(module, name_first)
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
            message, hint = problem[1](app, "is in INSTALLED_APPS", False)
            self.findings.append((rel, Span(line, start, line, start + len(app)), message, hint))

    def _targets(self, ref: ImportRef) -> list[tuple[str, bool]]:
        """The dotted modules one import statement loads (`from pkg import sub` may load pkg.sub),
        each with whether to point at the imported name rather than the module."""
        if not ref.names or ref.star:
            return [(ref.module, False)]
        out: list[tuple[str, bool]] = []
        namespace = ref.module.split(".")[0] in NAMESPACE_PACKAGES and not self.project.is_project_module(ref.module)
        # `from pkg import name` of a project package: `name` is a submodule or a name pkg defines.
        package = self._package_dir(ref.module) is not None
        for name in ref.names:
            dotted = f"{ref.module}.{name}"
            if dotted in self.held_back or package:
                target = (dotted, True)
            else:
                target = (dotted if namespace else ref.module, False)
            if target not in out:
                out.append(target)
        return out

    def _problem(self, module: str, name_form: bool = False):
        """None when `module` is available on the platform; else (a key, one finding per key and
        file, and a function (shown, what, in_function) -> (message, hint)). `name_form`: imported as
        `from package import name`, so a name the package defines will do."""
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
        missing = self._missing_submodule(parts, name_form)
        if isinstance(missing, str):  # a namespace package's portion that a known distribution provides
            return normalize_name(missing), lambda shown, what, f: self._missing_message(shown, what, missing, f)
        if missing is not None:
            path, undefined_in = missing
            return f"project:{module}", lambda shown, what, f: self._no_such_file_message(
                shown, what, path, undefined_in, parts, f
            )
        if self.project.is_project_module(module) or parts[0] in self.local:
            return None
        suggestion = self.provider.explain_missing(module)
        if suggestion is None:
            return None
        if suggestion:
            return normalize_name(suggestion), lambda shown, what, f: self._missing_message(shown, what, suggestion, f)
        return parts[0], lambda shown, what, f: self._unknown_message(shown, what, parts[0], f)

    def _bound_in_package(self, package: str, name: str) -> bool:
        """Does the package's __init__ bind `name` (then `from package import name` needs no submodule)?
        Yes too when lean-lint cannot tell: an unparsable __init__, `from m import *` of unknown names,
        names made through globals() / sys.modules / a module __getattr__. Its own `from . import name`
        does not count: that is the import that needs the submodule."""
        rel = self.project.module_file(package)
        if rel is None:
            return False
        resolver = self.project.resolver(rel)
        if resolver is None or resolver.dynamic_namespace() or resolver.module_bindings("*"):
            return True
        own = resolver.module_bindings(name) or []
        # `global name` in a function binds it as "unknown": it may be bound
        return any(b.kind != "import" or b.qualname != f"{package}.{name}" for b in own)

    # -- project submodules --------------------------------------------------------------------------

    def _package_dir(self, dotted: str) -> str | None:
        """The directory of `dotted` when it is a package of the project at the build root (regular,
        or a namespace directory), as the platform's sys.path finds it first; else None."""
        project = self.project
        parts = dotted.split(".")
        if not project.is_project_module(parts[0]):
            return None
        rel = project.build_prefix + "/".join(parts)
        if not project.is_dir(rel):
            return None
        init = project.module_file(dotted)
        if init is not None and not init.endswith("__init__.py"):
            return None  # pkg.py beside a pkg/ without __init__.py: the module wins
        return rel

    def _missing_submodule(self, parts: list[str], name_form: bool) -> tuple[str, str | None] | str | None:
        """For a dotted import inside a project package that no file provides: (the file it would be,
        the package __init__.py that does not define the last name either, if any); the distribution
        to suggest when the package is a namespace one and the data knows what provides the name
        (`google.genai` beside the project's own `google/`); else None.

        Conservative: a package whose __init__.py rewires imports (`__path__`, `extend_path`,
        `sys.modules`, a module `__getattr__`), a module present under another name the import system
        takes (`users/` without __init__.py, `users.pyc`, an extension module), a package of the same
        path anywhere else in the project (code may put its parent on sys.path), and a namespace
        package a requirement may add to all say nothing."""
        project = self.project
        if len(parts) < 2 or project.module_file(".".join(parts)) is not None:
            return None
        for i in range(1, len(parts)):
            package = ".".join(parts[:i])
            folder = self._package_dir(package)
            if folder is None or self._rewires_imports(package):
                return None
            if self._present(folder, parts[i]):
                continue
            if any(self._present(other, parts[i]) for other in self._same_packages_elsewhere(parts[:i], folder)):
                return None
            init = project.module_file(package)
            last = name_form and i == len(parts) - 1
            if last and init is not None and self._bound_in_package(package, parts[i]):
                return None
            if init is None:  # a namespace package: a distribution may provide this portion
                suggestion = self.provider.explain_missing(".".join(parts))
                if suggestion is None or suggestion:
                    return suggestion
            path = project.build_prefix + "/".join(parts) + ".py"
            return path, (init if last else None)
        return None

    def _present(self, folder: str, name: str) -> bool:
        project = self.project
        if project.exists(f"{folder}/{name}.py") or project.is_dir(f"{folder}/{name}"):
            return True
        try:
            with os.scandir(project.abspath(folder)) as entries:
                return any(e.name.startswith(name + ".") and e.name.endswith(_MODULE_SUFFIXES) for e in entries)
        except OSError:
            return True  # cannot look: assume it is there

    def _same_packages_elsewhere(self, package: list[str], folder: str) -> set[str]:
        """Other directories of the project whose path ends with the package's (`src/views` for
        `views`), where a sys.path entry the code adds would find it."""
        found: set[str] = set()
        for rel in self.project.python_files:
            dirs = rel.split("/")[:-1]
            for j in range(len(dirs) - len(package) + 1):
                if dirs[j : j + len(package)] == package:
                    other = "/".join(dirs[: j + len(package)])
                    if other != folder:
                        found.add(other)
        return found

    def _rewires_imports(self, package: str) -> bool:
        init = self.project.module_file(package)
        if init is None:
            return False
        text = self.project.python_text(init)
        return text is None or bool(_REWIRES.search(text))

    def _no_such_file_message(
        self, shown: str, what: str, path: str, undefined_in: str | None, parts: list[str], in_function: bool
    ) -> tuple[str, str]:
        missing = f"{path} does not exist in the project"
        if undefined_in is not None:
            missing += f" and {undefined_in} does not define `{parts[-1]}`"
        folder = path.rpartition("/")[0]
        siblings = sorted(
            name
            for rel in self.project.python_files
            if rel.rpartition("/")[0] == folder
            and (name := rel.rpartition("/")[2].removesuffix(".py")) != "__init__"
        )
        close = difflib.get_close_matches(path.rpartition("/")[2].removesuffix(".py"), siblings, n=1)
        suggestion = f" (did you mean `{'.'.join(parts[:-1] + [close[0]])}`?)" if close and len(parts) > 1 else ""
        return (
            f"`{shown}` {what}, but {missing}: {self._when(in_function)}",
            f"Add {path}, or correct the import{suggestion}.",
        )

    @staticmethod
    def _when(in_function: bool) -> str:
        if in_function:
            return "it fails when this code runs deployed"
        return "the deployed app fails to start"

    def _missing_message(self, shown: str, what: str, dist: str, in_function: bool) -> tuple[str, str]:
        return (
            f"`{shown}` {what}, but {self.req_file} does not install {dist}: {self._when(in_function)}",
            f"Add `{dist}` (with a bounded version) to {self.req_file}.",
        )

    def _unknown_message(self, shown: str, what: str, top: str, in_function: bool) -> tuple[str, str]:
        return (
            f"`{shown}` {what}, but nothing in {self.req_file} provides it: {self._when(in_function)}",
            f"Add the distribution that provides `{top}` to {self.req_file}; if lean-lint maps it wrongly, "
            "set `[tool.lean-lint] module-map`.",
        )

    @staticmethod
    def _held_back_message(shown: str, what: str, held: str) -> tuple[str, str]:
        return (
            f"`{shown}` {what}, but .leanignore keeps it from being uploaded ({held}): the deployed app fails to start",
            "Remove the .leanignore pattern that matches the file, or import it inside try/except ImportError.",
        )


def _find_string(lines: list[str], value: str) -> tuple[int, int] | None:
    pattern = re.compile(r"""(['"])""" + re.escape(value) + r"""\1""")
    for i, line in enumerate(lines, 1):
        found = pattern.search(line)
        if found:
            return i, found.start() + 2
    return None
