"""Parsing a project's code must not print Python's own warnings about it.

`ast.parse` and `ast.literal_eval` (which libcst's `evaluated_value` calls) warn about the source
they read: an invalid escape sequence such as `"\\d"` is a SyntaxWarning on Python 3.12+ and a
DeprecationWarning before. Those warnings describe the analyzed project, not lean-lint, and would
reach stderr as stray lines (or, under `-W error`, as exceptions). Every parse of project text runs
with them silenced.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Iterator


@contextlib.contextmanager
def project_warnings_silenced() -> Iterator[None]:
    """Silence the warnings that parsing or evaluating project source raises, for the block.

    The filters are process-wide (as `warnings` is): threads started inside the block are covered."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.filterwarnings("ignore", r"invalid (octal )?escape sequence", DeprecationWarning)
        yield
