"""`lean-lint server`: the real server, started as a process and driven over stdio with an LSP client."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from analyzer.rules import rule_by_code
from tests.helpers import write_project
from tests.lsp_client import Session, brief

WSGI = (
    "from flask import Flask\n"
    "import requests\n"
    "app = Flask(__name__)\n"
    "application = app\n"
    'if __name__ == "__main__":\n'
    '    app.run(host="127.0.0.1")\n'
)
FILES = {"wsgi.py": WSGI, "requirements.txt": "flask>=2,<3\n", "leanengine.yaml": "run: python wsgi.py\n"}
DOCS = "https://github.com/lean-lint/lean-lint/blob/main/README.md#"


def drive(scenario):
    """Run an async scenario against a fresh server; the server must shut down cleanly (exit 0)."""

    async def main():
        session = Session()
        try:
            await scenario(session)
        finally:
            code = await session.stop()
        assert code == 0

    asyncio.run(main())


def test_open_edit_fix_hover_shutdown(tmp_path):
    write_project(tmp_path, FILES)

    async def scenario(s: Session):
        result = await s.start(tmp_path)
        assert result.server_info.name == "lean-lint"
        uri = s.open(tmp_path / "wsgi.py")
        params = await s.current(uri)
        assert brief(params) == ["LE405 1:7-1:15", "LE705 2:6-2:21", "LE201 5:17-5:28"]
        loopback = params.diagnostics[2]
        assert loopback.severity == types.DiagnosticSeverity.Error
        assert loopback.source == "lean-lint"
        assert loopback.code_description.href == DOCS + "le201"
        assert loopback.message.startswith("`app.run()` listens on '127.0.0.1', a loopback address")
        assert "\nfix: Listen on all interfaces: host='0.0.0.0'" in loopback.message

        # Hover on the diagnostic: the rule's explain text.
        hover = await s.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(5, 20))
        )
        assert hover.contents.kind == types.MarkupKind.Markdown
        assert hover.contents.value == rule_by_code("LE201").docs_markdown()
        assert hover.range == loopback.range
        nothing = await s.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 0))
        )
        assert nothing is None

        # Edit the document (not saved): the diagnostics follow the unsaved text.
        s.replace(uri, "app = Flask(__name__)\n", "\napp = Flask(__name__)\n")
        params = await s.current(uri)
        assert brief(params) == ["LE405 1:7-1:15", "LE705 3:6-3:21", "LE201 6:17-6:28"]
        assert (tmp_path / "wsgi.py").read_text() == WSGI

        # The quick fix for LE201, applied: the text is edited and the finding goes.
        actions = await s.client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri),
                types.Range(types.Position(6, 20), types.Position(6, 20)),
                types.CodeActionContext(diagnostics=[]),
            )
        )
        titles = [a.title for a in actions]
        assert titles == [
            "Listen on all interfaces: '0.0.0.0' (LE201)",
            "Ignore LE201 on this line (# lean-lint: ignore[LE201])",
            "Fix all lean-lint problems in this file",
        ]
        assert actions[0].kind == types.CodeActionKind.QuickFix and actions[0].is_preferred
        assert actions[2].kind == "source.fixAll.lean-lint"
        assert actions[0].edit.changes == {
            uri: (types.TextEdit(types.Range(types.Position(6, 18), types.Position(6, 27)), "0.0.0.0"),)
        }
        s.apply(actions[0].edit)
        assert s.texts[uri] == (
            "from flask import Flask\nimport requests\n\napp = Flask(__name__)\napplication = app\n"
            'if __name__ == "__main__":\n    app.run(host="0.0.0.0")\n'
        )
        params = await s.current(uri)
        assert brief(params) == ["LE405 1:7-1:15", "LE705 3:6-3:21"]

    drive(scenario)
