"""The one place that reads the analyzed project's files.

Only regular files inside the project are opened (a FIFO would block forever, a device could be
endless), reads are capped, and Python sources are decoded the way the interpreter would (BOM,
PEP 263 coding cookie). Nothing here imports or runs project code: `ast.parse` only builds a tree.

Hostile sources are answered, never crashed on: undecodable bytes, NUL bytes and code nested too
deeply for Python's own parser are LE001 (the platform cannot import them either); a file too large
or too deeply nested for lean-lint's libcst pass (whose cost grows with the square of the nesting,
and which overflows at a few thousand levels) is marked `unreadable` with the reason, which the
engine reports as LE003, before libcst ever sees it.

Syntax is judged for the project's target Python (analyzer/platform/python_target.py), not for the
interpreter running lean-lint: a construct newer than the target is LE001 (analyzer/readers/syntax_versions.py),
and a Python 2 target reads the module through its Python 3 view (analyzer/readers/python2.py).
"""

from __future__ import annotations

import ast
import io
import os
import stat
import sys
import tokenize
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer.readers import syntax_versions
from analyzer.readers.python2 import NoView, python3_view

#: Files larger than this are not read (a finding says so). Django's largest module is ~100 KiB.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Python files with more `ast` nodes than this are not given to libcst (LE003). The largest module
#: of a typical virtual environment has ~70,000; libcst takes several seconds per 100,000.
MAX_SYNTAX_NODES = 100_000
#: Python files nested deeper than this are not given to libcst (LE003): its parse time grows with
#: the square of the nesting (`a[0][0]...` 1,000 levels deep takes seconds) and it overflows at a
#: few thousand levels. Real code stays under 30.
MAX_NESTING = 500
#: libcst fails on more implicitly concatenated string literals than about 3,500 ("a" "b" ...).
MAX_STRING_PARTS = 3_000
#: libcst is tried on a file the running Python cannot parse (newer syntax) only up to this size.
MAX_FALLBACK_CHARS = 256 * 1024
#: Codecs whose decoder takes time quadratic in the input: a coding cookie naming one is refused.
_SLOW_CODECS = frozenset({"punycode"})


NOT_REGULAR = "it is not a regular file (a FIFO, socket or device)"


class UnreadableFile(Exception):
    """A file that exists but cannot be read as a regular file; the message says why."""


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a regular file, refusing anything else and anything larger than `limit`."""
    try:
        st = os.stat(path)
    except (OSError, ValueError) as exc:
        raise UnreadableFile(_os_reason(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableFile("it is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableFile(NOT_REGULAR)
    if st.st_size > limit:
        raise UnreadableFile(too_large(st.st_size, limit))
    try:
        # O_NONBLOCK: should the file be swapped for a FIFO after the stat, open does not block.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError) as exc:
        raise UnreadableFile(_os_reason(exc)) from None
    try:
        with os.fdopen(fd, "rb") as handle:
            st = os.fstat(handle.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise UnreadableFile(NOT_REGULAR)
            data = handle.read(limit + 1)
    except OSError as exc:
        raise UnreadableFile(_os_reason(exc)) from None
    if len(data) > limit:  # it grew after the stat
        raise UnreadableFile(f"it is over lean-lint's {limit:,}-byte limit")
    return data


def too_large(size: int, limit: int) -> str:
    return f"it is {size:,} bytes, over lean-lint's {limit:,}-byte limit"


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def decode_text(data: bytes) -> str:
    """Decode a non-Python text file: UTF-8 (a BOM is kept as U+FEFF so rules can see it), UTF-16 or
    UTF-32 when the file starts with their BOM (as pip reads requirements files; the BOM is kept as
    U+FEFF too), else latin-1, which never fails. Newlines are normalized to \\n."""
    text = None
    for bom, encoding in _UTF_BOMS:
        if data.startswith(bom):
            try:
                text = "\ufeff" + data[len(bom) :].decode(encoding)
            except UnicodeError:
                text = None
            break
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
_UTF_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


@dataclass
class PythonSource:
    """A Python file, read and checked by the cheap pass (stdlib `ast`, no libcst)."""

    path: str
    text: str | None = None
    #: Why the file cannot be analyzed: (line, column, message). Set for LE001 / LE003 findings.
    syntax_error: tuple[int, int, str] | None = None
    unreadable: str | None = None
    tree: ast.Module | None = field(default=None, repr=False)
    #: `text` is the Python 3 view of a Python 2 module (same lines and columns); `original` its own text.
    python2: bool = False
    original: str | None = field(default=None, repr=False)
    #: Said once per run when the running Python could read the module only in part.
    notice: str | None = None

    @property
    def ok(self) -> bool:
        return self.text is not None and self.syntax_error is None and self.unreadable is None


def decode_python(data: bytes) -> str:
    """Decode like the interpreter: BOM, then a PEP 263 cookie, else UTF-8. Raises SyntaxError (with
    the line of the problem) when the file cannot be decoded."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        err = SyntaxError(f"cannot decode the file: {_one_line(exc.msg if hasattr(exc, 'msg') else exc)}")
        err.lineno, err.offset = _cookie_line(data), 1
        raise err from None
    if encoding in _SLOW_CODECS:
        err = SyntaxError(f"the coding cookie names {encoding}, which lean-lint does not decode")
        err.lineno, err.offset = _cookie_line(data), 1
        raise err from None
    try:
        text = data.decode(encoding)
    except (UnicodeError, LookupError, ValueError, TypeError) as exc:
        start = getattr(exc, "start", None)
        line = data[:start].count(b"\n") + 1 if isinstance(start, int) else 1
        reason = getattr(exc, "reason", None) or exc
        err = SyntaxError(f"cannot decode the file as {encoding}: {_one_line(reason)}")
        err.lineno, err.offset = line, 1
        raise err from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _cookie_line(data: bytes) -> int:
    """The line (1 or 2) of a coding cookie, else 1."""
    lines = data.split(b"\n", 2)
    for index, line in enumerate(lines[:2]):
        if b"coding" in line:
            return index + 1
    return 1


def _one_line(value: object) -> str:
    text = str(value)
    first = text.splitlines()[0] if text else ""
    return first[:300]


def load_python(path: str, abspath: Path, target: Any = None, data: bytes | None = None) -> PythonSource:
    """Read (unless `data`, an editor's unsaved text, is given), decode and `ast`-parse one Python
    file, and check its syntax against `target` (a PythonTarget; None checks nothing). Never raises
    for bad content."""
    src = PythonSource(path)
    if data is None:
        try:
            data = read_bytes(abspath)
        except UnreadableFile as exc:
            src.unreadable = str(exc)
            return src
    elif len(data) > MAX_FILE_BYTES:
        src.unreadable = too_large(len(data), MAX_FILE_BYTES)
        return src
    try:
        src.text = decode_python(data)
    except SyntaxError as exc:
        src.syntax_error = (exc.lineno or 1, exc.offset or 1, str(exc.msg) if hasattr(exc, "msg") else str(exc))
        return src
    if "\0" in src.text:
        line = src.text.count("\n", 0, src.text.index("\0")) + 1
        src.syntax_error = (line, 1, "the file contains a NUL byte, which Python refuses in source code")
        return src
    if target is not None and target.python2 and not _python2_view(src, target):
        return src
    try:
        with warnings.catch_warnings():
            # Invalid escape sequences and the like warn (or, under `-W error`, raise): not our business.
            warnings.simplefilter("ignore")
            src.tree = ast.parse(src.text, filename=path)
    except SyntaxError as exc:
        msg = _one_line(exc.msg) or "invalid syntax"
        module = None
        if "too many" not in msg and "nested" not in msg and not src.python2:
            module = _libcst_module(src.text)
        if src.python2:
            src.unreadable = (
                f"it is valid Python 2, but lean-lint could not read it as Python 3 (line {exc.lineno or 1}: {msg})"
            )
        elif module is not None:
            # Newer syntax than the running interpreter knows: valid on the platform when the target has it.
            if not _check_version(src, target, module=module):
                src.tree, src.notice = _partial_tree(path, src.text, module, target)
        else:
            src.syntax_error = (max(exc.lineno or 1, 1), max(exc.offset or 1, 1), msg)
        return src
    except (MemoryError, RecursionError) as exc:
        # CPython's own parser gives up (its stack, or the recursion limit while building the tree):
        # the platform's interpreter cannot compile the module either.
        src.syntax_error = (1, 1, f"Python cannot parse this file: it is nested too deeply ({type(exc).__name__})")
        return src
    except (ValueError, TypeError, OverflowError) as exc:
        src.syntax_error = (1, 1, f"Python cannot parse this file: {type(exc).__name__}: {_one_line(exc)}")
        return src
    if _check_version(src, target, tree=src.tree):
        src.tree = None
    # Files too large or deep for libcst are found by too_complex() just before a libcst parse, not
    # here: the cheap pass runs on every file and must not walk every expression.
    return src


def _python2_view(src: PythonSource, target: Any) -> bool:
    """Replace the text of a Python 2 module by its Python 3 view; False (with the reason set) when
    it is not valid Python 2 or has no view."""
    try:
        view = python3_view(src.text or "")
    except SyntaxError as exc:
        src.syntax_error = (exc.lineno or 1, exc.offset or 1, f"{exc.msg}; {target.asked}")
        return False
    except NoView as exc:
        src.unreadable = str(exc)
        return False
    src.original, src.text, src.python2 = src.text, view, True
    return True


def _check_version(src: PythonSource, target: Any, *, tree: ast.AST | None = None, module: Any = None) -> bool:
    """Set LE001 for the first construct newer than the target; True when there is one."""
    if target is None:
        return False
    text = src.text or ""
    if module is not None:
        newer = syntax_versions.in_libcst(module, text, target.version)
    else:
        newer = syntax_versions.in_ast(tree, text, target.version)
    if newer is None:
        return False
    src.syntax_error = (newer.line, newer.column + 1, newer.message(target.asked))
    return True


def _partial_tree(path: str, text: str, module: Any, target: Any) -> tuple[ast.Module, str | None]:
    """An `ast` tree of the top-level statements the running Python can parse (for the imports), and a
    notice naming those it cannot: the file uses syntax newer than that Python (valid for the target)."""
    body: list[ast.stmt] = []
    skipped: list[int] = []
    line = len(module.header) + 1
    for stmt in module.body:
        code = module.code_for_node(stmt)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                part = ast.parse(code, filename=path)
            ast.increment_lineno(part, line - 1)
            body.extend(part.body)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            skipped.append(line + len(getattr(stmt, "leading_lines", ())))
        line += code.count("\n")
    notice = None
    if skipped:
        running = f"{sys.version_info[0]}.{sys.version_info[1]}"
        where = f"statement at line {skipped[0]}" if len(skipped) == 1 else f"statements at lines {', '.join(map(str, skipped[:5]))}"
        where += "..." if len(skipped) > 5 else ""
        wanted = f" ({target.label})" if target is not None else ""
        uses, them = ("uses", "it") if len(skipped) == 1 else ("use", "them")
        notice = (
            f"{path}: the Python running lean-lint ({running}) cannot parse the {where}, which {uses} newer "
            f"syntax, so the imports inside {them} were not followed; run lean-lint on the platform's "
            f"Python{wanted} for the complete import graph"
        )
    return ast.Module(body=body, type_ignores=[]), notice


def too_complex(tree: ast.AST, text: str) -> str | None:
    """Why a parsed module is beyond lean-lint's libcst pass, or None. Iterative, one walk.

    Nesting is counted as libcst builds it: `a or b or c` and implicitly concatenated strings are
    flat in `ast` but nested one level per operand in libcst."""
    nodes = 0
    lines: list[str] | None = None
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > MAX_SYNTAX_NODES:
            return (
                f"it is too large to analyze: over {MAX_SYNTAX_NODES:,} syntax nodes "
                "(lean-lint's limit for one file); only its imports were read"
            )
        if depth > MAX_NESTING:
            return (
                f"it is nested too deeply to analyze: over {MAX_NESTING:,} levels "
                f"(at line {getattr(node, 'lineno', 1)}; lean-lint's limit)"
            )
        child_depth = depth + 1
        if isinstance(node, ast.BoolOp):
            child_depth += len(node.values) - 1
        elif isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))):
            if _long_span(node):
                if lines is None:
                    lines = text.split("\n")
                if _string_parts(_segment(lines, node)) > MAX_STRING_PARTS:
                    return (
                        f"it is too complex to analyze: over {MAX_STRING_PARTS:,} string literals written next "
                        f"to each other (at line {getattr(node, 'lineno', 1)}; lean-lint's limit)"
                    )
        for child in ast.iter_child_nodes(node):
            stack.append((child, child_depth))
    return None


def _long_span(node: ast.AST) -> bool:
    """Could the node's source hold MAX_STRING_PARTS literals (each takes two characters at least)?"""
    lineno, end_lineno = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
    col, end_col = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
    if None in (lineno, end_lineno, col, end_col):
        return False
    return end_lineno != lineno or end_col - col >= 2 * MAX_STRING_PARTS


def _segment(lines: list[str], node: ast.AST) -> str:
    """The node's source (ast's columns count UTF-8 bytes), like ast.get_source_segment without
    splitting the whole text again for every node."""
    first, last = node.lineno - 1, node.end_lineno - 1  # type: ignore[attr-defined]
    if not 0 <= first <= last < len(lines):
        return ""
    if first == last:
        return lines[first].encode()[node.col_offset : node.end_col_offset].decode("utf-8", "replace")  # type: ignore[attr-defined]
    head = lines[first].encode()[node.col_offset :].decode("utf-8", "replace")  # type: ignore[attr-defined]
    tail = lines[last].encode()[: node.end_col_offset].decode("utf-8", "replace")  # type: ignore[attr-defined]
    return "\n".join([head, *lines[first + 1 : last], tail])


def _string_parts(segment: str) -> int:
    """How many string literals a str/bytes constant or f-string is written as (`"a" "b"` is 2)."""
    if len(segment) < 2 * MAX_STRING_PARTS:
        return 1
    fstring_start = getattr(tokenize, "FSTRING_START", None)
    parts = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO("(" + segment + ")").readline):
            if tok.type == tokenize.STRING or (fstring_start is not None and tok.type == fstring_start):
                parts += 1
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass
    return max(parts, 1)


#: Tokens that make libcst nest one level deeper when chained (`a.b.c`, `f()()`, `-x`, `not x`...).
_CHAIN_OPS = frozenset("+ - * / // % @ ** << >> & | ^ ~ < > <= >= == != . ( [ {".split())
_CHAIN_WORDS = frozenset({"not", "lambda", "if", "await", "and", "or", "in", "is"})


def _libcst_can_take(text: str) -> bool:
    """A cheap bound on libcst's cost for a file `ast` could not parse (so no tree to measure): not
    too large, and no logical line chaining more than MAX_NESTING operators."""
    if len(text) > MAX_FALLBACK_CHARS:
        return False
    chained = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                chained = 0
            elif (tok.type == tokenize.OP and tok.string in _CHAIN_OPS) or (
                tok.type == tokenize.NAME and tok.string in _CHAIN_WORDS
            ):
                chained += 1
                if chained > MAX_NESTING:
                    return False
    except (tokenize.TokenError, SyntaxError, ValueError):
        return False
    return True


def parses(text: str) -> bool:
    """Whether a Python lean-lint knows parses `text`: the running one, libcst's grammar (syntax newer
    than the running Python), or Python 2's. The fixer's check that a fix leaves a file parseable."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    if _libcst_module(text) is not None:
        return True
    try:
        python3_view(text)
    except (SyntaxError, NoView):
        return False
    return True


def _libcst_module(text: str) -> Any:
    """libcst's tree of a text the running Python cannot parse, or None."""
    if not _libcst_can_take(text):
        return None
    try:
        # start-up: libcst loads only when a file is parsed
        import libcst

        return libcst.parse_module(text)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - includes pyo3's PanicException from libcst's native parser
        return None
