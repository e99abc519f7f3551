"""Before/after tests of the fixes: exact text, comments and odd formatting kept, idempotent, and the
fixed project no longer reports what was fixed."""

from __future__ import annotations

import pytest

from analyzer.cli.main import main
from analyzer.engine.run import analyze
from tests.helpers import write_project


def fix(root, codes, *extra):
    code = main([str(root), "--select", codes, "--fix", "--no-cache", *extra])
    return code


def assert_fixed(root, codes, files_after):
    fix(root, codes)
    for rel, text in files_after.items():
        assert (root / rel).read_bytes() == (text.encode() if isinstance(text, str) else text), rel
    snapshot = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    fix(root, codes)
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == snapshot  # idempotent
    remaining = [f for f in analyze(root, select=tuple(codes.split(","))).active if f.fix and f.fix.safe]
    assert remaining == []


def test_le303_renames_the_misspelt_key_keeping_comments(tmp_path, capsys):
    write_project(tmp_path, {"leanengine.yaml": "# settings\nstartupTimout: 60   # seconds\nrun: python app.py\n"})
    assert_fixed(tmp_path, "LE303", {"leanengine.yaml": "# settings\nstartupTimeout: 60   # seconds\nrun: python app.py\n"})


def test_le303_leaves_a_key_that_is_also_set_correctly(tmp_path, capsys):
    write_project(tmp_path, {"leanengine.yaml": "startupTimout: 60\nstartupTimeout: 30\n"})
    fix(tmp_path, "LE303")
    assert (tmp_path / "leanengine.yaml").read_text() == "startupTimout: 60\nstartupTimeout: 30\n"


@pytest.mark.parametrize("text", ["Flask>=2.0\n", "requests\n", "six>0.9\n"])
def test_le401_offers_no_fix_without_knowing_the_current_major(tmp_path, capsys, text):
    # `Flask>=2.0,<3` would downgrade an app that installs Flask 3 today (issue #14).
    write_project(tmp_path, {"requirements.txt": text})
    fix(tmp_path, "LE401")
    assert (tmp_path / "requirements.txt").read_text() == text


@pytest.mark.parametrize(
    "before,after",
    [
        ("Flask>=2,<3\nsqlite3\nsix<2\n", "Flask>=2,<3\nsix<2\n"),
        ("python==2.7.11  # interpreter\r\nFlask>=2,<3\r\n", "Flask>=2,<3\r\n"),
        ("Flask>=2,<3\njson", "Flask>=2,<3\n"),
    ],
)
def test_le406_deletes_the_line(tmp_path, capsys, before, after):
    write_project(tmp_path, {"requirements.txt": before.encode()})
    assert_fixed(tmp_path, "LE406", {"requirements.txt": after})


def test_le406_leaves_a_continued_line(tmp_path, capsys):
    text = "json \\\n  --hash=sha256:00\n"
    write_project(tmp_path, {"requirements.txt": text})
    fix(tmp_path, "LE406")
    assert (tmp_path / "requirements.txt").read_text() == text


def test_le406_fix_in_an_included_file(tmp_path, capsys):
    write_project(tmp_path, {"requirements.txt": "-r base.txt\n", "base.txt": "# base\nhashlib\nFlask>=2,<3\n"})
    fix(tmp_path, "LE406")
    assert (tmp_path / "base.txt").read_text() == "# base\nFlask>=2,<3\n"


@pytest.mark.parametrize(
    "before,after",
    [(b"\xef\xbb\xbf3.11\n", b"3.11\n"), (b"  3.10\n", b"3.10\n"), (b"\n\n 3.12.1\n", b"3.12.1\n")],
)
def test_le602_removes_bom_and_whitespace(tmp_path, capsys, before, after):
    write_project(tmp_path, {".python-version": before})
    assert_fixed(tmp_path, "LE602", {".python-version": after})


def test_le602_without_a_version_is_not_fixed(tmp_path, capsys):
    write_project(tmp_path, {".python-version": "system\n"})
    fix(tmp_path, "LE602")
    assert (tmp_path / ".python-version").read_text() == "system\n"


def test_le604_writes_python_version_from_runtime_txt(tmp_path, capsys):
    write_project(tmp_path, {"runtime.txt": "python-3.10.4\n", "wsgi.py": "application = None\n"})
    assert_fixed(tmp_path, "LE604", {".python-version": "3.10.4\n", "runtime.txt": "python-3.10.4\n"})


_HERE = __import__("pathlib").Path(__file__).resolve().parent
_PROJECTS = sorted(
    [p for p in (_HERE.parent / "examples").iterdir() if p.is_dir()]
    + [p for p in (_HERE / "fixtures").iterdir() if p.is_dir()]
)


@pytest.mark.parametrize("source", _PROJECTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixing_a_whole_project_leaves_only_unfixable_findings(source, tmp_path, capsys):
    """The autofix contract on every example and fixture: after --fix no safe fix is left, no new
    finding appears (codes and files only: fixes move positions), and a second --fix changes nothing."""
    import collections
    import shutil

    root = tmp_path / "p"
    shutil.copytree(source, root, symlinks=True)
    before = analyze(root)
    main([str(root), "--fix", "--no-cache"])
    after = analyze(root)
    assert [f for f in after.active if f.fix is not None and f.fix.safe] == []
    old = collections.Counter((f.code, f.path) for f in before.active)
    new = collections.Counter((f.code, f.path) for f in after.active)
    assert new - old == collections.Counter()
    snapshot = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    main([str(root), "--fix", "--no-cache"])
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == snapshot
    capsys.readouterr()
