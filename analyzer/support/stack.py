"""Deeply nested code overflows recursive visitors: analysis runs on a thread with a large stack."""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable

#: Deeply nested code overflows recursive visitors: the analysis runs on a thread with a large stack.
_STACK_BYTES = 512 * 1024 * 1024


_RECURSION_LIMIT = 60_000


def on_big_stack(fn: Callable[[], Any]) -> Any:
    """Run `fn` on a thread with a large stack and a high recursion limit (deeply nested code)."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = fn()
        except BaseException as exc:  # re-raised on the caller's thread
            result["error"] = exc

    old_limit = sys.getrecursionlimit()
    old_size = threading.stack_size()
    try:
        # Under an address-space limit (ulimit -v) a 512 MiB stack cannot be mapped: take a smaller
        # one, with a recursion limit scaled down to match, rather than fail the whole run.
        for size in (_STACK_BYTES, _STACK_BYTES // 8, _STACK_BYTES // 32):
            threading.stack_size(size)
            sys.setrecursionlimit(max(old_limit, _RECURSION_LIMIT * size // _STACK_BYTES))
            thread = threading.Thread(target=target, name="lean-lint-analysis")
            try:
                thread.start()
            except RuntimeError:  # "can't start new thread"
                if size == _STACK_BYTES // 32:
                    raise
                continue
            thread.join()
            break
    finally:
        threading.stack_size(old_size)
        sys.setrecursionlimit(old_limit)
    if "error" in result:
        raise result["error"]
    return result["value"]
