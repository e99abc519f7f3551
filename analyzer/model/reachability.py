"""What code can run on the platform: reachability over the runtime modules, and where a node runs.

The platform imports the entry module (or runs the `run:` program), and with it every runtime module
(Project.runtime_files). Module-level code of those runs (bar `__main__` blocks that do not run
there); a function's body runs only if something that runs can call it. A function is *live* when:

* its name is referenced (called, passed as a callback or thread target, named in a string such as
  Django's `'app.views.index'` or `MIDDLEWARE` entries) by live code, transitively;
* it is decorated (a decorator registers it: routes, cloud functions, hooks, signals, tasks), unless
  by a command-line decorator (`click.command`...);
* the platform calls it: the WSGI entry's `application`, the callable of a `run:` line;
* it is a method of a live class (a class referenced by live code: its methods are the framework's
  callbacks, `get`/`post`/`__init__`...).

Matching is by name only, across modules, so it errs towards "live": a false "dead" would hide a
finding, a false "live" only keeps one. Branches dead on the platform (`model.conditions`) are not
pruned here for the same reason.

`runs_on_platform(ctx, node)` combines both models for one node: the platform environments in
which it can run (empty when its function is never called or its branch never taken there).
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Any

from analyzer.model.project import is_main_guard

if TYPE_CHECKING:
    from analyzer.model.project import ModuleContext, Project


#: A string naming a Python object: `index`, `app.views.index`, `app.apps.MyConfig`.
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def live_names(project: "Project") -> frozenset[str]:
    """The names of the functions and classes that may run on the platform; computed once per run,
    over the `ast` trees of the runtime modules."""
    if project.reachability is None:
        project.reachability = frozenset(_live_names(project))
    return project.reachability


def _called_by_the_platform(project: "Project") -> set[str]:
    """The WSGI entry's `application` (a function is called per request) and the callable a `run:`
    line names (`gunicorn app:create_app()`)."""
    names = {"application"}
    run = project.run
    if run is not None and run.app_attr:
        match = re.match(r"[A-Za-z_][A-Za-z0-9_]*", run.app_attr.strip())
        if match:
            names.add(match.group())
    return names


def _trees(project: "Project") -> list[tuple[ast.Module, bool]]:
    trees: list[tuple[ast.Module, bool]] = []
    for rel in sorted(project.runtime_files):
        src = project.source(rel)
        tree = src.tree
        if tree is None and src.ok:
            try:
                tree = ast.parse(src.text or "")
            except (SyntaxError, ValueError, RecursionError):
                tree = None
        if tree is not None:
            trees.append((tree, project.runs_main_guard(rel)))
    return trees


def _live_names(project: "Project") -> set[str]:
    trees = _trees(project)
    defs: dict[str, list[ast.AST]] = {}
    todo: list[ast.AST] = []
    registered: set[str] = set()
    for tree, main_runs in trees:
        for node in ast.walk(tree):
            if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
                defs.setdefault(node.name, []).append(node)
                if isinstance(node, _FUNCTIONS) and _registered(node):
                    registered.add(node.name)
        for stmt in tree.body:
            if isinstance(stmt, ast.If) and not main_runs and is_main_guard(stmt.test):
                todo.extend(stmt.orelse)
            else:
                todo.append(stmt)
    live: set[str] = set()
    done: set[int] = set()
    names: set[str] = registered | _called_by_the_platform(project)
    while todo or names:
        if todo:
            node = todo.pop()
            if id(node) not in done:
                done.add(id(node))
                names |= _names_in(node)
        new, names = names - live, set()
        for name in new:
            live.add(name)
            for definition in defs.get(name, ()):
                if isinstance(definition, ast.ClassDef):
                    # A live class: its body ran where it was defined; its methods are callbacks.
                    names.update(stmt.name for stmt in definition.body if isinstance(stmt, _FUNCTIONS))
                else:
                    todo.extend(definition.body)  # type: ignore[attr-defined]
    return live


def _names_in(node: ast.AST) -> set[str]:
    """The names code run by `node` mentions: names, attributes, dotted strings."""
    names: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, _FUNCTIONS):
            # Defining a function runs its decorators and defaults, not its body (a lambda's body
            # counts as live: lambdas are made to be called, `Thread(target=lambda: ...)`).
            stack.extend(current.decorator_list)
            stack.extend(d for d in (*current.args.defaults, *current.args.kw_defaults) if d is not None)
            continue
        if isinstance(current, ast.Name):
            names.add(current.id)
        elif isinstance(current, ast.Attribute):
            names.add(current.attr)
        elif isinstance(current, ast.Constant) and isinstance(current.value, str) and len(current.value) < 200:
            if _DOTTED.match(current.value):
                names.add(current.value.rpartition(".")[2])
        stack.extend(ast.iter_child_nodes(current))
    return names


#: Decorators that register a function for a command line, not for the platform to call
#: (click / typer / Flask's `app.cli.command`, flask-script's `manager.command`, pytest fixtures).
_NOT_CALLED_BY_THE_PLATFORM = frozenset({"command", "group", "fixture"})


def _registered(fn: ast.AST) -> bool:
    """Decorated, so something may call it without naming it: a route, a cloud function or hook, a
    signal receiver, a scheduled job. Not a command-line command."""
    for decorator in fn.decorator_list:  # type: ignore[attr-defined]
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)
        if name in ("staticmethod", "classmethod", "property", "wraps", "lru_cache", "cache", "cached_property"):
            continue  # called by name like any function: no registration
        if name not in _NOT_CALLED_BY_THE_PLATFORM:
            return True
    return False


def in_live_function(ctx: "ModuleContext", node: Any) -> bool:
    """False when `node` sits in the body of a function (or method) nothing live calls."""
    # start-up: libcst loads with the parsed module that holds `node`
    import libcst as cst

    resolver = ctx.resolver
    live = live_names(ctx.project)
    child, current = node, resolver.parent(node)
    while current is not None:
        if isinstance(current, cst.FunctionDef) and child is current.body and current.name.value not in live:
            return False
        child, current = current, resolver.parent(current)
    return True


def runs_on_platform(ctx: "ModuleContext", node: Any) -> frozenset[str]:
    """The platform environments in which `node` can run: none when its function is never called or
    a condition around it is false there (see model.conditions)."""
    # start-up: the conditions model needs the resolver (libcst), loaded only for a module's findings
    from analyzer.model.conditions import environments

    if not in_live_function(ctx, node):
        return frozenset()
    return environments(ctx.resolver, node)
