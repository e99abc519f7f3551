"""The one libcst pass over a module: every selected code rule's `visit_X` / `leave_X`, batched.

Imported only when a file needs libcst, so runs that parse nothing never import libcst.
"""

from __future__ import annotations

from typing import Any, Callable

import libcst as cst

from analyzer.model.project import ModuleContext
from analyzer.rules.base import CodeRule
from analyzer.support.visiting import NoFieldHooks
from analyzer.types import Finding


class Dispatcher(NoFieldHooks, cst.CSTVisitor):
    """A libcst visitor calling every rule's `visit_X` / `leave_X`, keeping the ancestor stack. What
    runs on the platform (a `__main__` block, a function nothing calls, a branch no environment
    takes) is decided for the findings, by the engine (model/reachability.py)."""

    def __init__(self, ctx: ModuleContext, rules: list[CodeRule], errors: list[Finding], internal_error: Callable) -> None:
        super().__init__()
        self._cst = cst
        self._internal_error = internal_error
        self.ctx = ctx
        self.errors = errors
        self.failed: set[CodeRule] = set()
        self.visits: dict[str, list[tuple[CodeRule, Callable]]] = {}
        self.leaves: dict[str, list[tuple[CodeRule, Callable]]] = {}
        for rule in rules:
            for attr, node_type in type(rule).visitor_methods():
                table = self.visits if attr.startswith("visit_") else self.leaves
                table.setdefault(node_type, []).append((rule, getattr(rule, attr)))

    # libcst calls these for every node (CSTVisitor protocol).
    def on_visit(self, node: Any) -> bool:
        ctx = self.ctx
        ctx.ancestors.append(node)
        self._call(self.visits.get(type(node).__name__), node)
        return True

    def on_leave(self, original_node: Any) -> None:
        self._call(self.leaves.get(type(original_node).__name__), original_node)
        self.ctx.ancestors.pop()

    def _call(self, handlers: list | None, node: Any) -> None:
        if not handlers:
            return
        for rule, method in handlers:
            if rule in self.failed:
                continue
            try:
                method(node)
            except RecursionError:
                raise
            except Exception as exc:  # noqa: BLE001 - becomes LE000, the other rules go on
                self.failed.add(rule)
                self.errors.append(self._internal_error(type(rule), self.ctx.path, exc))
