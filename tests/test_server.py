"""`lean-lint server`: the real server, started as a process and driven over stdio with an LSP client."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from analyzer.engine.registry import rule_by_code
from tests.helpers import write_project
from tests.lsp_client import Session, apply_text_edits, brief

WSGI = (
    "from flask import Flask\n"
    "import requests\n"
    "app = Flask(__name__)\n"
    "application = app\n"
    'if __name__ == "__main__":\n'
    '    app.run(host="127.0.0.1")\n'
)
FILES = {"wsgi.py": WSGI, "requirements.txt": "flask>=2,<3\n", "leanengine.yaml": "run: python wsgi.py\n"}
DOCS = "https://github.com/lean-lint/lean-lint/blob/main/docs/rules/"


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
        assert loopback.code_description.href == DOCS + "LE201.md"
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


def test_findings_across_files_follow_unsaved_edits_and_closing(tmp_path):
    write_project(tmp_path, FILES)

    async def scenario(s: Session):
        await s.start(tmp_path)
        wsgi = s.open(tmp_path / "wsgi.py")
        assert "LE405 1:7-1:15" in brief(await s.current(wsgi))
        reqs = s.open(tmp_path / "requirements.txt", language="pip-requirements")
        s.replace(reqs, "flask>=2,<3\n", "flask>=2,<3\nrequests>=2,<3\n")
        # wsgi.py is not edited, yet its LE405 goes: requirements.txt's unsaved text provides requests.
        params = await s.published(wsgi, lambda p: "LE405 1:7-1:15" not in brief(p))
        assert brief(params) == ["LE705 2:6-2:21", "LE201 5:17-5:28"]
        # Closed without saving: the file on disk counts again.
        s.client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(reqs)))
        await s.published(wsgi, lambda p: "LE405 1:7-1:15" in brief(p))

    drive(scenario)


def test_config_is_honoured_and_reread_when_it_changes(tmp_path):
    write_project(tmp_path, {**FILES, "pyproject.toml": "[tool.lean-lint]\nignore = ['LE705']\n"})

    async def scenario(s: Session):
        await s.start(tmp_path)
        uri = s.open(tmp_path / "wsgi.py")
        assert brief(await s.current(uri)) == ["LE405 1:7-1:15", "LE201 5:17-5:28"]
        watchers = [w["globPattern"] for r in s.registrations for reg in r.registrations for w in reg.register_options["watchers"]]
        assert "**/pyproject.toml" in watchers and "**/.lean-lint.toml" in watchers and "**/*.py" in watchers
        (tmp_path / "pyproject.toml").write_text("[tool.lean-lint]\nignore = ['LE705', 'LE201']\n")
        s.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                [types.FileEvent((tmp_path / "pyproject.toml").as_uri(), types.FileChangeType.Changed)]
            )
        )
        assert brief(await s.published(uri, lambda p: len(p.diagnostics) == 1)) == ["LE405 1:7-1:15"]
        # A broken config is said once, as a message; the diagnostics are withdrawn meanwhile.
        (tmp_path / "pyproject.toml").write_text("[tool.lean-lint]\nignore = 3\n")
        s.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                [types.FileEvent((tmp_path / "pyproject.toml").as_uri(), types.FileChangeType.Changed)]
            )
        )
        await s.published(uri, lambda p: not p.diagnostics)
        assert [(m.type, m.message) for m in s.messages] == [
            (types.MessageType.Error, f'lean-lint: {tmp_path / "pyproject.toml"}: ignore: expected a list of rule codes such as ["LE201", "LE5"]')
        ]

    drive(scenario)


def test_a_project_in_a_subfolder_of_the_workspace_is_found(tmp_path):
    write_project(tmp_path / "services" / "api", FILES)
    write_project(tmp_path, {"notes/scratch.py": "import requests\n"})

    async def scenario(s: Session):
        await s.start(tmp_path)
        stray = s.open(tmp_path / "notes" / "scratch.py")  # in no project: nothing is published for it
        uri = s.open(tmp_path / "services" / "api" / "wsgi.py")
        assert brief(await s.current(uri)) == ["LE405 1:7-1:15", "LE705 2:6-2:21", "LE201 5:17-5:28"]
        # Findings in files that are not open are published too (LE203 is about leanengine.yaml's run:).
        yaml = (tmp_path / "services" / "api" / "leanengine.yaml").as_uri()
        assert sorted(s.diagnostics) == sorted([uri, yaml])  # nothing for the stray file
        assert brief(s.diagnostics[yaml]) == ["LE203 0:5-0:11"] and s.diagnostics[yaml].version is None
        assert stray not in s.diagnostics

    drive(scenario)


def test_positions_count_utf16_units_of_the_editors_text(tmp_path):
    text = WSGI.replace('    app.run(host="127.0.0.1")\n', '    s = "😀é"; app.run(host="127.0.0.1")\n').replace("\n", "\r\n")
    write_project(tmp_path, {**FILES, "wsgi.py": text.encode()})

    async def scenario(s: Session):
        await s.start(tmp_path)
        uri = s.open(tmp_path / "wsgi.py", text)
        # 27 characters before the host, 😀 two UTF-16 units: it starts at character 28.
        assert brief(await s.current(uri))[-1] == "LE201 5:28-5:39"
        actions = await s.client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri),
                types.Range(types.Position(5, 30), types.Position(5, 30)),
                types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.QuickFix]),
            )
        )
        assert [a.title for a in actions] == [
            "Listen on all interfaces: '0.0.0.0' (LE201)",
            "Ignore LE201 on this line (# lean-lint: ignore[LE201])",
        ]
        s.apply(actions[1].edit)
        assert s.texts[uri].endswith('app.run(host="127.0.0.1")  # lean-lint: ignore[LE201]\r\n')
        assert "LE201" not in str(brief(await s.current(uri)))

    drive(scenario)


def test_utf8_positions_when_the_client_asks_for_them(tmp_path):
    text = WSGI.replace('    app.run(host="127.0.0.1")\n', '    s = "😀é"; app.run(host="127.0.0.1")\n')
    write_project(tmp_path, {**FILES, "wsgi.py": text})

    async def scenario(s: Session):
        result = await s.start(tmp_path, encodings=[types.PositionEncodingKind.Utf8], markdown=False)
        assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
        uri = s.open(tmp_path / "wsgi.py")
        assert brief(await s.current(uri))[-1] == "LE201 5:31-5:42"  # 27 characters; 😀 is 4 bytes, é 2
        # A client that shows no Markdown gets the docs as `lean-lint explain` prints them.
        hover = await s.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(5, 35))
        )
        assert hover.contents.kind == types.MarkupKind.PlainText
        assert hover.contents.value == rule_by_code("LE201").docs_text()

    drive(scenario)


def test_fix_all_and_fixes_that_edit_another_file(tmp_path):
    write_project(tmp_path, {**FILES, "wsgi.py": WSGI.replace('host="127.0.0.1"', 'host="127.0.0.1", port=5000')})

    async def scenario(s: Session):
        await s.start(tmp_path)
        uri = s.open(tmp_path / "wsgi.py")
        assert brief(await s.current(uri))[-2:] == ["LE201 5:17-5:28", "LE202 5:35-5:39"]
        actions = await s.client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri),
                types.Range(types.Position(0, 0), types.Position(0, 0)),
                types.CodeActionContext(diagnostics=[], only=["source.fixAll"]),
            )
        )
        assert [a.title for a in actions] == ["Fix all lean-lint problems in this file"]
        s.apply(actions[0].edit)
        assert s.texts[uri].splitlines()[0] == "import os"
        assert s.texts[uri].splitlines()[-1] == (
            '    app.run(host="0.0.0.0", port=int(os.environ.get("LEANCLOUD_APP_PORT", "3000")))'
        )
        assert brief(await s.current(uri)) == ["LE405 2:7-2:15", "LE705 3:6-3:21"]

    drive(scenario)


def test_rapid_edits_publish_only_in_order_and_end_on_the_last_version(tmp_path):
    write_project(tmp_path, FILES)

    async def scenario(s: Session):
        await s.start(tmp_path)
        uri = s.open(tmp_path / "wsgi.py")
        await s.current(uri)
        for i in range(6):
            s.replace(uri, "application = app\n", f"application = app\nx{i} = 1\n")
        params = await s.current(uri)
        assert params.version == 7
        assert brief(params)[-1] == "LE201 11:17-11:28"
        versions = [p.version for p in s.history if p.uri == uri]
        assert versions == sorted(versions)  # a stale analysis is never published after a newer one

    drive(scenario)


def test_saving_a_file_changed_on_disk_reanalyzes(tmp_path):
    write_project(tmp_path, FILES)

    async def scenario(s: Session):
        await s.start(tmp_path)
        wsgi = s.open(tmp_path / "wsgi.py")
        assert "LE405 1:7-1:15" in brief(await s.current(wsgi))
        (tmp_path / "requirements.txt").write_text("flask>=2,<3\nrequests>=2,<3\n")
        s.client.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier((tmp_path / "requirements.txt").as_uri()))
        )
        await s.published(wsgi, lambda p: "LE405 1:7-1:15" not in brief(p))

    drive(scenario)


def test_a_fix_may_edit_another_file(tmp_path):
    write_project(tmp_path, FILES)

    async def scenario(s: Session):
        await s.start(tmp_path)
        yaml = s.open(tmp_path / "leanengine.yaml", language="yaml")
        assert brief(await s.current(yaml)) == ["LE203 0:5-0:11"]
        actions = await s.client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(yaml),
                types.Range(types.Position(0, 6), types.Position(0, 6)),
                types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.QuickFix]),
            )
        )
        fix = actions[0]
        assert fix.title.endswith("(LE203)") and fix.diagnostics[0].code == "LE203"
        # LE203 is about leanengine.yaml's run: program; its fix reads the port in wsgi.py (not open).
        wsgi = (tmp_path / "wsgi.py").as_uri()
        assert list(fix.edit.changes) == [wsgi]
        fixed = apply_text_edits(WSGI, fix.edit.changes[wsgi]).splitlines()
        assert fixed[0] == "import os"
        assert fixed[-1] == (
            '    app.run(host="127.0.0.1", port=int(os.environ.get("LEANCLOUD_APP_PORT", "3000")))'
        )
        assert [a.title for a in actions[1:]] == ["Ignore LE203 on this line (# lean-lint: ignore[LE203])"]

    drive(scenario)


def test_a_module_changed_on_disk_updates_the_findings(tmp_path):
    write_project(tmp_path, {
        "wsgi.py": "from app import app\napplication = app\n",
        "app.py": "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return 'ok'\n",
        "requirements.txt": "flask>=2,<3\n",
    })

    async def scenario(s: Session):
        await s.start(tmp_path)
        wsgi = s.open(tmp_path / "wsgi.py")
        assert brief(await s.current(wsgi)) == []
        # app.py, imported by wsgi.py and not open, starts a loopback server as it is imported.
        with open(tmp_path / "app.py", "a") as handle:
            handle.write("app.run(host='127.0.0.1')\n")
        app = (tmp_path / "app.py").as_uri()
        s.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams([types.FileEvent(app, types.FileChangeType.Changed)])
        )
        params = await s.published(app)
        assert brief(params) == ["LE201 6:13-6:24"] and params.version is None

    drive(scenario)


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_a_file_that_cannot_be_read_still_gets_its_diagnostic(tmp_path):
    import os

    write_project(tmp_path, FILES)
    os.mkfifo(tmp_path / "pipe.py")  # never opened: reading it would block

    async def scenario(s: Session):
        await s.start(tmp_path)
        s.open(tmp_path / "wsgi.py")
        pipe = (tmp_path / "pipe.py").as_uri()
        params = await s.published(pipe)
        assert brief(params) == ["LE003 0:0-0:0"]
        assert params.diagnostics[0].message.startswith("pipe.py was not analyzed: it is not a regular file")
        s.open(tmp_path / "pipe.py", "")  # an editor showing it: no code action, no crash
        actions = await s.client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(pipe),
                types.Range(types.Position(0, 0), types.Position(0, 0)),
                types.CodeActionContext(diagnostics=[]),
            )
        )
        assert not actions

    drive(scenario)
