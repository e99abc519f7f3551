"""Adopting lean-lint: --fix/--diff machinery, LE002's fix, baselines, --add-ignore, init."""

from __future__ import annotations

import json

from analyzer.cli.main import main
from tests.helpers import write_project

SELECT = ["--select", "LE001,LE002"]


def cli(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_le002_fix_removes_unused_directive_and_keeps_the_rest(tmp_path, capsys):
    write_project(
        tmp_path,
        {
            "a.py": "x = 1  # lean-lint: ignore[LE001]\n"
            "y = 2  # lean-lint: ignore[LE001]  # keep me\n"
            "# lean-lint: ignore[LE001]\n"
            "z = 3\n",
        },
    )
    code, out, err = cli(capsys, tmp_path, *SELECT)
    assert code == 0  # LE002 is a warning
    assert out.count("LE002 [*]") == 3
    assert "[*] 3 fixable with `lean-lint --fix`." in out
    code, out, err = cli(capsys, tmp_path, *SELECT, "--fix")
    assert (tmp_path / "a.py").read_text() == "x = 1\ny = 2  # keep me\nz = 3\n"
    assert err.splitlines()[-1] == "lean-lint: fixed 3 problems"
    assert out == "No problems found.\n"
    before = (tmp_path / "a.py").read_bytes()
    cli(capsys, tmp_path, *SELECT, "--fix")
    assert (tmp_path / "a.py").read_bytes() == before  # idempotent


def test_fix_keeps_crlf_and_encoding(tmp_path, capsys):
    (tmp_path / "a.py").write_bytes(b"# -*- coding: latin-1 -*-\r\ns = '\xe9'  # lean-lint: ignore[LE001]\r\n")
    cli(capsys, tmp_path, *SELECT, "--fix")
    assert (tmp_path / "a.py").read_bytes() == b"# -*- coding: latin-1 -*-\r\ns = '\xe9'\r\n"


def test_a_fix_never_touches_a_file_it_cannot_parse(tmp_path, capsys):
    write_project(tmp_path, {"a.py": "x = (  # lean-lint: ignore[LE001, LE003]\n"})
    code, out, _ = cli(capsys, tmp_path, "--select", "LE001,LE002,LE003", "--fix")
    assert "a.py:1:8: LE002 [*] `# lean-lint: ignore[LE001, LE003]`: LE003 suppresses nothing here" in out
    assert (tmp_path / "a.py").read_text() == "x = (  # lean-lint: ignore[LE001, LE003]\n"


def test_unused_codes_and_removal_span():
    from analyzer.readers.suppressions import Suppression, removal_span, unused_codes

    item = Suppression(3, 8, 35, ("LE001", "LE5"), False, {"LE001"})
    assert unused_codes(item, {"LE001", "LE501"}, False) == ("LE5",)
    assert unused_codes(item, {"LE001"}, False) is None  # LE5xx did not run: maybe needed
    bare = Suppression(1, 1, 20, None, False)
    assert unused_codes(bare, {"LE001"}, False) is None
    assert unused_codes(bare, {"LE001"}, True) == ()
    line = "x = 1  # lean-lint: ignore"
    assert removal_span(line, Suppression(1, 8, 27, None, False)) == (1, 6, 1, 27)


def test_diff_prints_and_writes_nothing(tmp_path, capsys):
    write_project(tmp_path, {"a.py": "x = 1  # lean-lint: ignore[LE001]\n"})
    code, out, err = cli(capsys, tmp_path, *SELECT, "--diff")
    assert code == 1
    assert out == (
        "--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n-x = 1  # lean-lint: ignore[LE001]\n+x = 1\n"
    )
    assert (tmp_path / "a.py").read_text() == "x = 1  # lean-lint: ignore[LE001]\n"
    assert cli(capsys, tmp_path, "--select", "LE001", "--diff")[0] == 0


def test_exit_non_zero_on_fix(tmp_path, capsys):
    write_project(tmp_path, {"a.py": "x = 1  # lean-lint: ignore[LE001]\n"})
    assert cli(capsys, tmp_path, *SELECT, "--fix", "--exit-non-zero-on-fix")[0] == 1
    assert cli(capsys, tmp_path, *SELECT, "--fix", "--exit-non-zero-on-fix")[0] == 0


def test_fix_exits_1_when_errors_remain(tmp_path, capsys):
    write_project(tmp_path, {"a.py": "x = (\n", "b.py": "y = 1  # lean-lint: ignore[LE001]\n"})
    code, out, _ = cli(capsys, tmp_path, *SELECT, "--fix")
    assert code == 1
    assert "a.py:1:5: LE001" in out and "LE002" not in out


def test_baseline_survives_unrelated_edits(tmp_path, capsys):
    write_project(tmp_path, {"old.py": "print 'x'\n", "b.py": "x = 1\n", ".python-version": "3.12\n"})
    baseline = tmp_path.parent / f"{tmp_path.name}-baseline.json"
    code, out, err = cli(capsys, tmp_path, *SELECT, "--write-baseline", baseline)
    assert code == 0 and err == f"lean-lint: wrote 1 findings to the baseline {baseline}\n"
    doc = json.loads(baseline.read_text())
    assert doc["format"] == "lean-lint-baseline"
    assert [(e["code"], e["path"]) for e in doc["findings"]] == [("LE001", "old.py")]
    (tmp_path / "old.py").write_text("# a new comment line\n\nprint 'x'\n")
    assert cli(capsys, tmp_path, *SELECT, "--baseline", baseline)[0] == 0
    (tmp_path / "b.py").write_text("x = (\n")
    code, out, _ = cli(capsys, tmp_path, *SELECT, "--baseline", baseline)
    assert code == 1 and "b.py:1:5: LE001" in out and "old.py" not in out


def test_bad_baseline_exits_2(tmp_path, capsys):
    (tmp_path / "b.json").write_text("[]")
    code, _, err = cli(capsys, tmp_path, "--baseline", tmp_path / "b.json")
    assert code == 2
    assert err.startswith("lean-lint: error: ") and err.count("\n") == 1


def test_add_ignore_then_clean_and_idempotent(tmp_path, capsys):
    write_project(tmp_path, {"a.py": "x = (\n", "b.py": 's = """\nprint "x"\n"""\nprint "y"\n'})
    code, _, err = cli(capsys, tmp_path, *SELECT, "--add-ignore")
    assert code == 0
    assert (tmp_path / "a.py").read_text() == "x = (  # lean-lint: ignore[LE001]\n"
    assert (tmp_path / "b.py").read_text().endswith('print "y"  # lean-lint: ignore[LE001]\n')
    assert cli(capsys, tmp_path, *SELECT)[0] == 0
    cli(capsys, tmp_path, *SELECT, "--add-ignore")
    assert (tmp_path / "a.py").read_text() == "x = (  # lean-lint: ignore[LE001]\n"


def test_init_creates_and_leaves_alone(tmp_path, capsys):
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n")
    code, out, _ = cli(capsys, "init", tmp_path)
    assert code == 0
    assert out.splitlines()[0] == "created: leanengine.yaml (with the schema line editors use to validate it)"
    assert out.splitlines()[1].startswith("left alone: .pre-commit-config.yaml (add this under `repos:`")
    assert out.splitlines()[2].startswith("created: .github/workflows/lean-lint.yml")
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == "repos: []\n"
    assert (tmp_path / "leanengine.yaml").read_text().startswith("# yaml-language-server: $schema=")
    code, out, _ = cli(capsys, "init", tmp_path)
    assert all(line.startswith("left alone:") for line in out.splitlines())


def test_init_files_validate(tmp_path, capsys):
    from tests.test_packaging import check_jsonschema

    cli(capsys, "init", tmp_path)
    proc = check_jsonschema("vendor.github-workflows", tmp_path / ".github" / "workflows" / "lean-lint.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    from analyzer.engine.run import analyze

    report = analyze(tmp_path)
    assert not [f for f in report.active if f.code.startswith("LE3")]  # the created file is valid


def test_identical_edits_from_two_findings_apply_once():
    from analyzer.support.edits import apply_edits
    from analyzer.types import Edit, Span

    one = Edit("f", Span(1, 9, 1, 9), " -b 0.0.0.0:${LEANCLOUD_APP_PORT}")
    two = Edit("f", Span(1, 9, 1, 9), " -b 0.0.0.0:${LEANCLOUD_APP_PORT}")
    text, skipped = apply_edits("gunicorn wsgi:app\n", [one, two])
    assert (text, skipped) == ("gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} wsgi:app\n", [])
    other = Edit("f", Span(1, 9, 1, 9), " --other")
    assert apply_edits("gunicorn wsgi:app\n", [one, other])[1] == [other]
