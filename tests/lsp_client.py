"""A language client for the server's tests: starts `python -m analyzer server` and talks LSP to it
over stdio with pygls' own client (no mocks: the real server, the real protocol)."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import Callable

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
#: A guard against a hung server, not a timing assertion: a healthy run answers in well under it.
TIMEOUT = 120


class Session:
    """One server process and what it has sent: diagnostics by URI, messages, registrations."""

    def __init__(self) -> None:
        self.client = LanguageClient("lean-lint-tests", "1")
        self.diagnostics: dict[str, types.PublishDiagnosticsParams] = {}
        self.history: list[types.PublishDiagnosticsParams] = []
        self.messages: list[types.ShowMessageParams] = []
        self.registrations: list[types.RegistrationParams] = []
        self._changed = asyncio.Condition()
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = params
            self.history.append(params)
            async with self._changed:
                self._changed.notify_all()

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        async def on_message(params: types.ShowMessageParams) -> None:
            self.messages.append(params)
            async with self._changed:
                self._changed.notify_all()

        @self.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def on_register(params: types.RegistrationParams) -> None:
            self.registrations.append(params)

    async def start(self, workspace: Path, *, encodings: list[str] | None = None, markdown: bool = True) -> types.InitializeResult:
        await self.client.start_io(sys.executable, "-m", "analyzer", "server", cwd=str(ROOT))
        capabilities = types.ClientCapabilities(
            general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
            text_document=types.TextDocumentClientCapabilities(
                hover=types.HoverClientCapabilities(
                    content_format=[types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText]
                ),
                publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
            ),
            workspace=types.WorkspaceClientCapabilities(
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
                workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
            ),
        )
        result = await asyncio.wait_for(
            self.client.initialize_async(
                types.InitializeParams(
                    capabilities=capabilities,
                    root_uri=workspace.as_uri(),
                    workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")],
                    initialization_options={"debounce": 0.05},
                )
            ),
            TIMEOUT,
        )
        self.client.initialized(types.InitializedParams())
        return result

    async def stop(self) -> int | None:
        await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
        self.client.exit(None)
        await asyncio.wait_for(self.client.stop(), TIMEOUT)
        return self.client._server.returncode if self.client._server else None

    # -- documents ----------------------------------------------------------------------------------

    def open(self, path: Path, text: str | None = None, language: str = "python") -> str:
        uri = path.as_uri()
        text = path.read_text(encoding="utf-8") if text is None else text
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text))
        )
        return uri

    def replace(self, uri: str, old: str, new: str) -> None:
        """An incremental change: the first `old` in the document becomes `new`."""
        text = self.texts[uri]
        start = text.index(old)
        rng = types.Range(position_at(text, start), position_at(text, start + len(old)))
        self.versions[uri] += 1
        self.texts[uri] = text[:start] + new + text[start + len(old) :]
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                [types.TextDocumentContentChangePartial(range=rng, text=new)],
            )
        )

    def apply(self, edit: types.WorkspaceEdit) -> None:
        """Apply a workspace edit to the open documents, as an editor would, and tell the server."""
        changes = dict(edit.changes or {})
        for change in edit.document_changes or []:
            if isinstance(change, types.TextDocumentEdit):
                changes.setdefault(change.text_document.uri, []).extend(change.edits)
        for uri, edits in changes.items():
            new_text = apply_text_edits(self.texts[uri], edits)
            self.versions[uri] += 1
            self.texts[uri] = new_text
            self.client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                    [types.TextDocumentContentChangeWholeDocument(text=new_text)],
                )
            )

    async def published(self, uri: str, check: Callable[[types.PublishDiagnosticsParams], bool] = lambda p: True) -> types.PublishDiagnosticsParams:
        """Wait until the diagnostics published for `uri` pass `check` (the latest ones)."""

        def ready() -> bool:
            params = self.diagnostics.get(uri)
            return params is not None and check(params)

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(ready), TIMEOUT)
        return self.diagnostics[uri]

    async def current(self, uri: str, check: Callable[[types.PublishDiagnosticsParams], bool] = lambda p: True) -> types.PublishDiagnosticsParams:
        """The diagnostics for the document's current version."""
        return await self.published(uri, lambda p: p.version == self.versions[uri] and check(p))


def apply_text_edits(text: str, edits) -> str:
    placed = sorted(((offset_of(text, e.range.start), offset_of(text, e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, replacement in placed:
        text = text[:start] + replacement + text[end:]
    return text


_BREAK = re.compile(r"\r\n|\r|\n")


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _BREAK.finditer(text)]


def offset_of(text: str, pos: types.Position, encoding: str = "utf-16") -> int:
    starts = _line_starts(text)
    start = starts[pos.line]
    line_end = _BREAK.search(text, start)
    line = text[start : line_end.start() if line_end else len(text)]
    units = 0
    for index, ch in enumerate(line):
        if units >= pos.character:
            return start + index
        units += len(ch.encode("utf-8")) if encoding == "utf-8" else len(ch.encode("utf-16-le")) // 2
    return start + len(line)


def position_at(text: str, offset: int) -> types.Position:
    starts = _line_starts(text)
    line = max(i for i, s in enumerate(starts) if s <= offset)
    return types.Position(line, len(text[starts[line] : offset].encode("utf-16-le")) // 2)


def brief(params: types.PublishDiagnosticsParams) -> list[str]:
    """Each diagnostic as `CODE line:char-line:char` (0-based, as LSP counts)."""
    out = []
    for d in params.diagnostics:
        r = d.range
        out.append(f"{d.code} {r.start.line}:{r.start.character}-{r.end.line}:{r.end.character}")
    return out
