"""`lean-lint server`: a Language Server (LSP over stdio, built on pygls) for editors.

Diagnostics for every file lean-lint reports on, published when a document is opened, changed
(debounced) or saved, and when a watched file (a module, a requirements file, the config) changes on
disk. The unsaved text of open documents is analyzed over the files on disk (the engine's overlay),
with the same engine, config and cache as the command. Code actions: each safe fix, "fix all" for a
document, and "add `# lean-lint: ignore[CODE]`"; hover on a diagnostic shows the rule's docs.

Concurrency: one analysis at a time (the engine changes the process-wide recursion limit while it
runs), on a worker thread, never on the message loop. Every event bumps its project's generation; an
analysis whose project moved on while it ran is dropped, since a newer one is already queued.

Positions: lean-lint's spans are 1-based lines and character columns of the text with newlines
normalized and no byte order mark; LSP positions are 0-based lines and code units (UTF-16, or
the UTF-8 / UTF-32 the client prefers) of the document as the editor holds it (`\\r\\n` kept, a
BOM character if the editor keeps one).
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from analyzer import DOCS_URL, __version__
from analyzer.engine.fixes import FileText, still_valid
from analyzer.engine.run import analyze
from analyzer.errors import ConfigError, UsageError
from analyzer.platform.paths import LEANENGINE_YAML
from analyzer.readers.config import CONFIG_FILES
from analyzer.readers.overlay import encode_overlay
from analyzer.readers.python import UnreadableFile, read_bytes
from analyzer.readers.suppressions import COMMENTABLE_SUFFIXES, add_ignore_edits
from analyzer.support.edits import apply_edits
from analyzer.types import Edit, Finding, RuleInfo, Severity

log = logging.getLogger("lean-lint.server")

#: Seconds to wait after an edit before analyzing (more edits in that time restart the wait).
DEFAULT_DEBOUNCE = 0.25
FIX_ALL_KIND = "source.fixAll.lean-lint"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.NOTE: types.DiagnosticSeverity.Information,
}
#: Files whose change on disk can change findings (watched when the client lets the server ask).
WATCHED_GLOBS = (
    "**/*.py", "**/leanengine.yaml", "**/requirements*.txt", "**/requirements*.in", "**/constraints*.txt",
    "**/.python-version", "**/runtime.txt", "**/pyproject.toml", "**/.lean-lint.toml", "**/.leanignore",
)


# -- positions ----------------------------------------------------------------------------------------


def _normalize(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _width(text: str, encoding: str) -> int:
    """The length of `text` in the negotiated position encoding's code units."""
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass
class FileView:
    """One file as the editor holds it (`text`) and as lean-lint reads it (`lean`), to convert spans
    into LSP ranges and edits back into text edits."""

    path: str  # relative to the project root
    text: str  # the document's text (the editor's, or the file's decoded text when not open)
    version: int | None = None  # the document's version when open
    #: The file on disk starts with a byte order mark (the editor usually hides it).
    file_bom: bool = False
    #: The position encoding agreed with the client (UTF-16 unless it offered another).
    encoding: str = types.PositionEncodingKind.Utf16

    def __post_init__(self) -> None:
        self.bom_char = self.text.startswith("\ufeff")  # the editor kept it as a character
        body = _normalize(self.text[1:] if self.bom_char else self.text)
        self.lines = body.split("\n")
        self.body = body
        self.newline = "\r\n" if "\r\n" in self.text else ("\r" if "\r" in self.text else "\n")
        self.python = self.path.endswith(".py")

    @property
    def lean(self) -> str:
        """The text fixes' spans refer to (as analyzer.engine.fixes reads a file): a non-Python file's BOM
        is a character there."""
        has_bom = self.file_bom or self.bom_char
        return ("\ufeff" + self.body) if (has_bom and not self.python) else self.body

    def position(self, line: int, column: int) -> types.Position:
        """A lean-lint (1-based line, 1-based character column) as an LSP position."""
        if line < 1:
            return types.Position(0, 0)
        if line > len(self.lines):
            last = len(self.lines) - 1
            return types.Position(last, self._shift(last) + _width(self.lines[last], self.encoding))
        text = self.lines[line - 1]
        index = min(max(column - 1, 0), len(text))
        return types.Position(line - 1, self._shift(line - 1) + _width(text[:index], self.encoding))

    def _shift(self, line0: int) -> int:
        return _width("\ufeff", self.encoding) if (line0 == 0 and self.bom_char) else 0

    def range(self, finding: Finding) -> types.Range:
        span = finding.span
        return types.Range(self.position(span.line, span.column), self.position(span.end_line or span.line, span.end_column or span.column))

    def edit_to(self, new_lean: str) -> types.TextEdit | None:
        """One text edit turning this document into `new_lean` (a fixed version of `lean`): the
        changed middle, in the document's newline style. None when no edit is needed or none can
        express it (removing a BOM the editor does not show)."""
        old = self.lean
        if old.startswith("\ufeff") and not self.python:
            if not new_lean.startswith("\ufeff"):
                return None
            old, new_lean = old[1:], new_lean[1:]
        if new_lean == old:
            return None
        prefix = 0
        limit = min(len(old), len(new_lean))
        while prefix < limit and old[prefix] == new_lean[prefix]:
            prefix += 1
        suffix = 0
        while suffix < limit - prefix and old[-1 - suffix] == new_lean[-1 - suffix]:
            suffix += 1
        start, end = self._at(old, prefix), self._at(old, len(old) - suffix)
        replacement = new_lean[prefix : len(new_lean) - suffix].replace("\n", self.newline)
        return types.TextEdit(types.Range(start, end), replacement)

    def _at(self, text: str, offset: int) -> types.Position:
        line0 = text.count("\n", 0, offset)
        index = offset - (text.rfind("\n", 0, offset) + 1)
        return types.Position(line0, self._shift(line0) + _width(self.lines[line0][:index], self.encoding))


# -- projects --------------------------------------------------------------------------------------------


def find_project(path: Path, workspace_roots: Iterable[Path] = ()) -> Path | None:
    """The project a file belongs to: the nearest folder, from the file's up to the workspace folder
    holding it (or the file system root), with a leanengine.yaml; else the nearest with wsgi.py and
    requirements.txt; else None (not a Cloud Engine project: no diagnostics)."""
    boundary = None
    for root in workspace_roots:
        if path == root or root in path.parents:
            if boundary is None or boundary in root.parents:
                boundary = root
    chain = []
    for folder in path.parents:
        chain.append(folder)
        if folder == boundary:
            break
    for folder in chain:
        if (folder / LEANENGINE_YAML).is_file():
            return folder
    for folder in chain:
        if (folder / "wsgi.py").is_file() and (folder / "requirements.txt").is_file():
            return folder
    return None


def uri_to_path(uri: str) -> Path | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


def _relative(root: Path, path: Path) -> str | None:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


@dataclass
class _Published:
    """The diagnostics last published for one document, with what code actions and hover need."""

    root: Path
    view: FileView | None  # None: a file that cannot be read (its findings have no code actions)
    items: list[tuple[Finding, types.Diagnostic]]
    #: The version of every document of the project that was open when it was analyzed.
    versions: dict[str, int | None] = field(default_factory=dict)


@dataclass
class _ProjectState:
    root: Path
    generation: int = 0
    published: set[str] = field(default_factory=set)
    last_error: str | None = None


# -- the server -------------------------------------------------------------------------------------------


class LeanLintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("lean-lint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.debounce = DEFAULT_DEBOUNCE
        self.projects: dict[Path, _ProjectState] = {}
        self.published: dict[str, _Published] = {}
        #: Every rule seen in a report, by code: its docs for hover and the diagnostics' links.
        self.rules: dict[str, RuleInfo] = {}
        #: One worker: one analysis at a time, off the message loop.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lean-lint-analysis")
        self._lock: asyncio.Lock | None = None
        self._tasks: set[asyncio.Task] = set()

    # -- where things are -----------------------------------------------------------------------------

    def workspace_roots(self) -> list[Path]:
        roots = []
        for folder in self.workspace.folders.values():
            path = uri_to_path(folder.uri)
            if path is not None:
                roots.append(path)
        if not roots and self.workspace.root_path:
            roots.append(Path(self.workspace.root_path))
        return roots

    def project_of(self, uri: str) -> Path | None:
        path = uri_to_path(uri)
        if path is None:
            return None
        return find_project(path, self.workspace_roots())

    def open_documents(self, root: Path) -> dict[str, Any]:
        """rel path -> the open text document, for the documents inside `root`."""
        out = {}
        for uri, doc in self.workspace.text_documents.items():
            path = uri_to_path(uri)
            rel = _relative(root, path) if path is not None else None
            if rel is not None:
                out[rel] = doc
        return out

    # -- scheduling -------------------------------------------------------------------------------------

    def schedule(self, root: Path, delay: float) -> None:
        state = self.projects.setdefault(root, _ProjectState(root))
        state.generation += 1
        task = asyncio.get_running_loop().create_task(self._run(state, state.generation, delay))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, state: _ProjectState, generation: int, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)  # debounce: a newer edit makes this run moot
        if state.generation != generation:
            return
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if state.generation != generation:
                return
            views, overlay = self._snapshot(state.root)
            loop = asyncio.get_running_loop()
            try:
                report = await loop.run_in_executor(self.executor, _analyze, state.root, overlay)
            except RuntimeError:  # the executor was shut down (the client asked the server to stop)
                return
            except (ConfigError, UsageError) as exc:
                report = None
                self._error(state, f"lean-lint: {exc}")
            except Exception as exc:  # noqa: BLE001 - the server keeps serving; the user is told
                report = None
                self._error(state, f"lean-lint: internal error: {type(exc).__name__}: {exc}")
        if state.generation != generation:
            return  # stale: the project changed while it was analyzed, and a newer run is queued
        if report is not None:
            state.last_error = None
        self._publish(state, report, views)

    def _error(self, state: _ProjectState, message: str) -> None:
        log.warning("%s", message)
        if message != state.last_error:
            state.last_error = message
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, message))

    def _snapshot(self, root: Path) -> tuple[dict[str, FileView], dict[str, str]]:
        """The open documents of a project (as views) and the overlay: those whose text differs from
        the file on disk (so unchanged documents share the command's cache entries)."""
        views: dict[str, FileView] = {}
        overlay: dict[str, str] = {}
        for rel, doc in self.open_documents(root).items():
            text = doc.source
            disk = _disk_bytes(root / rel)
            views[rel] = view = self._open_view(rel, doc, disk)
            # The editor shows a file without its BOM and saves it back with it.
            saved = "\ufeff" + text if (view.file_bom and not text.startswith("\ufeff")) else text
            if disk is None or encode_overlay(rel, saved) != disk:
                overlay[rel] = saved
        return views, overlay

    def _publish(self, state: _ProjectState, report: Any, views: dict[str, FileView]) -> None:
        by_path: dict[str, list[Finding]] = {}
        self.rules.update((info.code, info) for info in (report.rules if report is not None else ()))
        for finding in report.active if report is not None else []:
            if finding.path:
                by_path.setdefault(finding.path, []).append(finding)
        uris: set[str] = set()
        for rel, findings in sorted(by_path.items()):
            view = views.get(rel) or self.view_of(state.root, rel)
            uri = self._uri(state.root, rel)
            items = [(f, _diagnostic(f, view, self.rules.get(f.code))) for f in findings]
            versions = {open_rel: open_view.version for open_rel, open_view in views.items()}
            self.published[uri] = _Published(state.root, view, items, versions)
            uris.add(uri)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri, [d for _, d in items], version=view.version if view else None)
            )
        # Files that had findings and have none now, and open documents without findings (so the
        # editor knows their current version was analyzed).
        cleared = {uri: None for uri in sorted(state.published - uris)}
        cleared.update({self._uri(state.root, rel): view for rel, view in sorted(views.items()) if rel not in by_path})
        for uri, view in cleared.items():
            self.published.pop(uri, None)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri, [], version=view.version if view else None)
            )
        state.published = uris

    def _uri(self, root: Path, rel: str) -> str:
        for uri in self.workspace.text_documents:
            path = uri_to_path(uri)
            if path is not None and _relative(root, path) == rel:
                return uri  # the client's own spelling of the URI
        return (root / rel).as_uri()

    # -- code actions and hover -----------------------------------------------------------------------

    def current(self, uri: str) -> _Published | None:
        """What was published for `uri`, if it still matches the document's text."""
        entry = self.published.get(uri)
        if entry is None:
            return None
        doc = self.workspace.text_documents.get(uri)
        if doc is not None and (entry.view is None or doc.version != entry.view.version):
            return None  # the document changed since: its positions are stale until the next run
        return entry

    def view_of(self, root: Path, rel: str) -> FileView | None:
        """The file as the editor holds it if open, else as it is on disk (None: unreadable)."""
        doc = self.open_documents(root).get(rel)
        if doc is not None:
            return self._open_view(rel, doc, _disk_bytes(root / rel))
        return _disk_view(root, rel, self.encoding)

    def _open_view(self, rel: str, doc: Any, disk: bytes | None) -> FileView:
        bom = disk is not None and disk.startswith(b"\xef\xbb\xbf")
        return FileView(rel, doc.source, doc.version, file_bom=bom, encoding=self.encoding)

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or types.PositionEncodingKind.Utf16

    def workspace_edit(self, entry: _Published, edits: list[Edit], *, partial: bool) -> types.WorkspaceEdit | None:
        """The edits as a workspace edit, file by file through analyzer.support.edits.apply_edits. `partial`:
        drop edits that overlap others (fix all; a later request fixes the rest), else all or none.
        Not offered: a fix that would leave a Python file or leanengine.yaml unparseable, or one
        touching a document edited since the analysis (its positions are stale)."""
        root = entry.root
        by_path: dict[str, list[Edit]] = {}
        for edit in edits:
            by_path.setdefault(edit.path, []).append(edit)
        changes: dict[str, list[types.TextEdit]] = {}
        creates: list[tuple[str, str]] = []
        for rel, file_edits in sorted(by_path.items()):
            view = self.view_of(root, rel)
            if (view.version if view is not None else None) != entry.versions.get(rel):
                return None
            if view is None:
                if (root / rel).exists():
                    return None  # there, but unreadable
                new_text, skipped = apply_edits("", file_edits)
                if skipped and not partial:
                    return None
                creates.append(((root / rel).as_uri(), new_text))
                continue
            new_lean, skipped = apply_edits(view.lean, file_edits)
            if skipped and not partial:
                return None
            if not still_valid(rel, new_lean) and still_valid(rel, view.lean):
                if partial:
                    continue
                return None
            text_edit = view.edit_to(new_lean)
            if text_edit is None:
                if partial:
                    continue
                return None
            changes[self._uri(root, rel)] = [text_edit]
        if not changes and not creates:
            return None
        if not creates:
            return types.WorkspaceEdit(changes=changes)
        document_changes: list[Any] = []
        for uri, text in creates:
            document_changes.append(types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True)))
            document_changes.append(
                types.TextDocumentEdit(
                    types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                    [types.TextEdit(types.Range(types.Position(0, 0), types.Position(0, 0)), text)],
                )
            )
        for uri, text_edits in changes.items():
            doc = self.workspace.text_documents.get(uri)
            document_changes.append(
                types.TextDocumentEdit(
                    types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=doc.version if doc else None), text_edits
                )
            )
        return types.WorkspaceEdit(document_changes=document_changes)


def _disk_bytes(path: Path) -> bytes | None:
    try:
        return read_bytes(path)
    except UnreadableFile:
        return None


def _disk_view(root: Path, rel: str, encoding: str) -> FileView | None:
    """A file that is not open, decoded as analyzer.engine.fixes reads it (and as an editor would show it)."""
    if _disk_bytes(root / rel) is None:
        return None
    try:
        file = FileText.read(root / rel, rel.endswith(".py"))
    except (OSError, SyntaxError, LookupError):
        return None
    text = file.raw  # with each line's own ending, as the editor shows it
    bom = file.bom or text.startswith("\ufeff")
    text = text[1:] if text.startswith("\ufeff") else text
    return FileView(rel, text, None, file_bom=bom, encoding=encoding)


def _analyze(root: Path, overlay: dict[str, str]) -> Any:
    """On the worker thread. jobs=1: no worker processes per keystroke (the cache makes re-runs
    cheap); the config is read afresh every time, so a change to it applies on the next run."""
    return analyze(root, overlay=overlay, use_cache=True, jobs=1, with_line_hashes=False)


def _diagnostic(finding: Finding, view: FileView | None, rule: RuleInfo | None) -> types.Diagnostic:
    if view is not None:
        rng = view.range(finding)
    else:
        span = finding.span
        rng = types.Range(
            types.Position(max(span.line - 1, 0), max(span.column - 1, 0)),
            types.Position(max((span.end_line or span.line) - 1, 0), max((span.end_column or span.column) - 1, 0)),
        )
    message = finding.message + (f"\nfix: {finding.hint}" if finding.hint else "")
    return types.Diagnostic(
        range=rng,
        message=message,
        severity=_SEVERITY[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=rule.docs_url if rule else f"{DOCS_URL}/{finding.code}.md"),
        source="lean-lint",
        data={"fingerprint": finding.fingerprint, "fixable": bool(finding.fix and finding.fix.safe)},
    )


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _wanted(kind: str, only: list[str] | None) -> bool:
    return not only or any(kind == k or kind.startswith(k + ".") for k in only)


def code_actions(ls: LeanLintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    entry = ls.current(params.text_document.uri)
    if entry is None:
        return []
    only = list(params.context.only) if params.context.only else None
    actions: list[types.CodeAction] = []
    for finding, diagnostic in entry.items:
        if not _overlaps(diagnostic.range, params.range):
            continue
        fix = finding.fix
        if fix is not None and fix.safe and _wanted(types.CodeActionKind.QuickFix, only):
            edit = ls.workspace_edit(entry, list(fix.edits), partial=False)
            if edit is not None:
                actions.append(
                    types.CodeAction(
                        title=f"{fix.description} ({finding.code})",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        edit=edit,
                        is_preferred=True,
                    )
                )
        if (
            entry.view is not None
            and finding.path.endswith(COMMENTABLE_SUFFIXES)
            and finding.code not in ("LE000", "LE002")
            and _wanted(types.CodeActionKind.QuickFix, only)
        ):
            edits, _ = add_ignore_edits(finding.path, entry.view.lean, [finding])  # none where it would change meaning
            edit = ls.workspace_edit(entry, edits, partial=False) if edits else None
            if edit is not None:
                actions.append(
                    types.CodeAction(
                        title=f"Ignore {finding.code} on this line (# lean-lint: ignore[{finding.code}])",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        edit=edit,
                    )
                )
    fixable = [f for f, _ in entry.items if f.fix is not None and f.fix.safe and all(e.path == f.path for e in f.fix.edits)]
    if fixable and _wanted(FIX_ALL_KIND, only):
        edit = ls.workspace_edit(entry, [e for f in fixable for e in f.fix.edits], partial=True)
        if edit is not None:
            actions.append(types.CodeAction(title="Fix all lean-lint problems in this file", kind=FIX_ALL_KIND, edit=edit))
    return actions


def hover(ls: LeanLintServer, params: types.HoverParams) -> types.Hover | None:
    entry = ls.current(params.text_document.uri)
    if entry is None:
        return None
    at = types.Range(params.position, params.position)
    hits = [(f, d) for f, d in entry.items if _overlaps(d.range, at)]
    if not hits:
        return None
    markdown = _supports_markdown(ls)
    parts: list[str] = []
    seen: set[str] = set()
    for finding, _ in hits:
        rule = ls.rules.get(finding.code)
        if rule is None or finding.code in seen:
            continue
        seen.add(finding.code)
        parts.append(rule.docs_markdown if markdown else rule.docs_text)
    if not parts:
        return None
    sep = "\n\n---\n\n" if markdown else "\n\n"
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(contents=types.MarkupContent(kind=kind, value=sep.join(parts)), range=hits[0][1].range)


def _supports_markdown(ls: LeanLintServer) -> bool:
    caps = ls.client_capabilities
    formats = caps.text_document.hover.content_format if caps.text_document and caps.text_document.hover else None
    return bool(formats) and types.MarkupKind.Markdown in formats


# -- wiring ---------------------------------------------------------------------------------------------


def create_server() -> LeanLintServer:
    server = LeanLintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: LeanLintServer, params: types.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict):
            debounce = options.get("debounce")
            if isinstance(debounce, (int, float)) and not isinstance(debounce, bool) and 0 <= debounce <= 10:
                ls.debounce = float(debounce)

    @server.feature(types.INITIALIZED)
    def initialized(ls: LeanLintServer, params: types.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps else None
        if watched is not None and watched.dynamic_registration:
            watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_GLOBS]
            registration = types.Registration(
                id="lean-lint-watched-files",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
            ls.client_register_capability(types.RegistrationParams(registrations=[registration]))

    def touch(ls: LeanLintServer, uri: str, delay: float) -> None:
        root = ls.project_of(uri)
        if root is not None:
            ls.schedule(root, delay)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LeanLintServer, params: types.DidOpenTextDocumentParams) -> None:
        touch(ls, params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LeanLintServer, params: types.DidChangeTextDocumentParams) -> None:
        touch(ls, params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LeanLintServer, params: types.DidSaveTextDocumentParams) -> None:
        touch(ls, params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LeanLintServer, params: types.DidCloseTextDocumentParams) -> None:
        touch(ls, params.text_document.uri, 0)  # its unsaved text, if any, is gone: the disk's counts

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: LeanLintServer, params: types.DidChangeWatchedFilesParams) -> None:
        roots: set[Path] = set()
        for change in params.changes:
            path = uri_to_path(change.uri)
            if path is None:
                continue
            # A project already analyzed that holds the file (a module, a requirements file, the
            # config at its root), or the project the file makes (a new leanengine.yaml).
            roots.update(root for root in ls.projects if root in path.parents)
            found = find_project(path, ls.workspace_roots())
            if found is not None and (found in ls.projects or ls.open_documents(found)):
                roots.add(found)
            if path.name in CONFIG_FILES and path.parent in ls.projects:
                roots.add(path.parent)
        for root in sorted(roots):
            ls.schedule(root, ls.debounce)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    def code_action(ls: LeanLintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return code_actions(ls, params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: LeanLintServer, params: types.HoverParams) -> types.Hover | None:
        return hover(ls, params)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: LeanLintServer, params: None) -> None:
        for state in ls.projects.values():
            state.generation += 1  # whatever is still running or queued is stale now
        ls.executor.shutdown(wait=False, cancel_futures=True)

    return server


def main(argv: list[str]) -> int:
    """`lean-lint server [--stdio]`: serve LSP on stdin/stdout until the client says exit."""
    unknown = [a for a in argv if a != "--stdio"]  # clients (vscode-languageclient) add --stdio
    if unknown:
        raise UsageError(f"`lean-lint server` takes no arguments but --stdio, got {unknown[0]!r}")
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    create_server().start_io()
    return 0
