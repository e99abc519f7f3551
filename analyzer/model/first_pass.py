"""The cheap first pass over one Python file, in a form worker processes and the cache can carry.

It reads and `ast`-parses the file (no libcst), and returns plain data: the syntax error or why the
file could not be read, its imports (FileInfo), and which rule keywords occur in it, which decides
whether a rule needs the file's libcst tree at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from analyzer.model.project import FileInfo, ImportRef, scan_tree
from analyzer.readers.python import load_python
from analyzer.support.stack import on_big_stack


def info_to_json(info: FileInfo) -> dict:
    def refs(items: list[ImportRef]) -> list:
        return [[r.module, list(r.names), r.line, r.guarded, r.star] for r in items]

    return {
        "imports": refs(info.imports),
        "dead_main_imports": refs(info.dead_main_imports),
        "dotted_strings": sorted(info.dotted_strings),
        "installed_apps": list(info.installed_apps),
    }


def info_from_json(d: dict) -> FileInfo:
    def refs(items: list) -> list[ImportRef]:
        return [ImportRef(m, tuple(n), line, guarded, star) for m, n, line, guarded, star in items]

    return FileInfo(
        imports=refs(d["imports"]),
        dead_main_imports=refs(d["dead_main_imports"]),
        dotted_strings=set(d["dotted_strings"]),
        installed_apps=list(d["installed_apps"]),
    )


def cheap_pass(
    abspath: str,
    rel: str,
    module_name: str,
    is_pkg: bool,
    keywords: tuple[str, ...],
    target: Any = None,
    data: bytes | None = None,
    keep: Callable[[str, Any], None] | None = None,
) -> dict:
    """`target`: the project's PythonTarget, whose syntax the file must parse under; `data`: the file's
    overlaid bytes (unsaved editor text), read instead of the file on disk; `keep`: given the parsed
    source when the pass runs in the analyzing process (Project.keep_source), so it is not parsed again."""
    src = load_python(rel, Path(abspath), target, data)
    if keep is not None:
        keep(rel, src)
    text = src.text or ""
    info = scan_tree(src.tree, module_name, is_pkg, text) if src.tree is not None else FileInfo()
    return {
        "syntax_error": list(src.syntax_error) if src.syntax_error else None,
        "unreadable": src.unreadable,
        "info": info_to_json(info),
        "hits": [k for k in keywords if k in text],
        "notice": src.notice,
    }


def cheap_batch(items: list[tuple]) -> list[dict]:
    """Worker entry point: several files per task, to keep inter-process traffic low."""

    return on_big_stack(lambda: [cheap_pass(*item) for item in items])
