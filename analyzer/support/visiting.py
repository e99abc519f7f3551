"""What every libcst visitor of lean-lint shares (stdlib only: the mixin names no libcst type)."""

from __future__ import annotations

from typing import Any


class NoFieldHooks:
    """Put before `cst.CSTVisitor` in a visitor's bases. libcst calls `on_visit_attribute` /
    `on_leave_attribute` for every field of every node it walks, each looking up a
    `visit_<Type>_<field>` method by a formatted name: a third of a walk's time. lean-lint's
    visitors define no such method (the dispatcher would not call one), so these do nothing."""

    def on_visit_attribute(self, node: Any, attribute: str) -> None:
        pass

    def on_leave_attribute(self, original_node: Any, attribute: str) -> None:
        pass
