"""The language server's pure parts: positions, text edits, finding the project (no process)."""

from __future__ import annotations

from lsprotocol import types

from analyzer.cli.main import main as cli_main
from analyzer.cli.replay import _replayable
from analyzer.types import Finding, Severity, Span
from analyzer.cli.server import FileView, _diagnostic, _disk_view, find_project
from tests.helpers import write_project

U8, U16, U32 = types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16, types.PositionEncodingKind.Utf32


def pos(p: types.Position) -> tuple[int, int]:
    return (p.line, p.character)


def test_positions_in_each_encoding_with_crlf():
    text = "a = 1\r\ns = '😀é'; x\r\n"
    assert pos(FileView("m.py", text).position(2, 12)) == (1, 12)  # after `'😀é'; `: 11 characters, 12 units
    assert pos(FileView("m.py", text, encoding=U8).position(2, 12)) == (1, 15)
    assert pos(FileView("m.py", text, encoding=U32).position(2, 12)) == (1, 11)


def test_positions_are_clamped_to_the_document():
    view = FileView("m.py", "ab\ncd\n")
    assert pos(view.position(1, 99)) == (0, 2)
    assert pos(view.position(9, 1)) == (2, 0)  # past the last line: the end of the document
    assert pos(view.position(0, 5)) == (0, 0)


def test_a_bom_the_editor_kept_shifts_the_first_line_only():
    view = FileView("m.py", "\ufeffab\ncd\n")
    assert pos(view.position(1, 1)) == (0, 1)
    assert pos(view.position(2, 1)) == (1, 0)
    finding = Finding("LE201", Severity.ERROR, "m", "m.py", Span(1, 1, 1, 3))
    assert view.range(finding) == types.Range(types.Position(0, 1), types.Position(0, 3))


def test_edit_to_is_the_changed_middle_in_the_documents_newlines():
    view = FileView("m.py", "a = 1\r\nb = 2\r\n")
    edit = view.edit_to("a = 1\nx = 0\nb = 2\n")
    assert edit == types.TextEdit(types.Range(types.Position(1, 0), types.Position(1, 0)), "x = 0\r\n")
    assert view.edit_to(view.lean) is None


def test_a_non_python_files_bom_is_a_character_for_fixes():
    view = FileView("requirements.txt", "flask\n", file_bom=True)
    assert view.lean == "\ufeffflask\n"
    assert view.edit_to("\ufeffflask<3\n") == types.TextEdit(types.Range(types.Position(0, 5), types.Position(0, 5)), "<3")
    assert view.edit_to("flask\n") is None  # removing a BOM the editor does not show: no text edit says it


def test_disk_view_of_a_file_with_bom_and_crlf(tmp_path):
    (tmp_path / "requirements.txt").write_bytes(b"\xef\xbb\xbfflask\r\nrequests\r\n")
    view = _disk_view(tmp_path, "requirements.txt", U16)
    assert (view.text, view.file_bom, view.newline, view.lean) == ("flask\r\nrequests\r\n", True, "\r\n", "\ufeffflask\nrequests\n")
    assert _disk_view(tmp_path, "missing.txt", U16) is None


def test_find_project_prefers_leanengine_yaml_and_stays_in_the_workspace(tmp_path):
    write_project(tmp_path, {
        "app/leanengine.yaml": "buildRoot: api\n",
        "app/api/wsgi.py": "", "app/api/requirements.txt": "",
        "plain/wsgi.py": "", "plain/requirements.txt": "", "plain/pkg/mod.py": "",
        "ws/inner/x.py": "", "leanengine.yaml": "",
    })
    assert find_project(tmp_path / "app/api/wsgi.py", [tmp_path]) == tmp_path / "app"
    assert find_project(tmp_path / "plain/pkg/mod.py", [tmp_path / "plain"]) == tmp_path / "plain"
    # The nearest leanengine.yaml is above the workspace folder: not this workspace's project.
    assert find_project(tmp_path / "ws/inner/x.py", [tmp_path / "ws"]) is None
    assert find_project(tmp_path / "ws/inner/x.py", [tmp_path]) == tmp_path


def test_docs_link_names_the_rules_page():
    finding = Finding("LE201", Severity.ERROR, "m", "m.py", Span(1, 1, 1, 3))
    href = _diagnostic(finding, None, None).code_description.href
    assert href == "https://github.com/lean-lint/lean-lint/blob/main/docs/rules/LE201.md"


def test_server_command_arguments(capsys):
    assert cli_main(["server", "--port", "1"]) == 2
    assert capsys.readouterr().err == "lean-lint: error: `lean-lint server` takes no arguments but --stdio, got '--port'\n"
    assert _replayable(["server"]) is None and _replayable(["server", "--stdio"]) is None


def test_server_without_pygls_says_what_to_install(capsys, monkeypatch):
    import sys

    monkeypatch.delitem(sys.modules, "analyzer.cli.server", raising=False)
    monkeypatch.setitem(sys.modules, "pygls.lsp.server", None)  # as if pygls were not installed
    assert cli_main(["server"]) == 2
    assert capsys.readouterr().err == (
        "lean-lint: error: `lean-lint server` needs pygls and lsprotocol: pip install 'lean-lint[server]'\n"
    )
