"""The command-line contract: exit codes, one-line errors, formats, selection, suppressions."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analyzer.cli.main import main
from tests.helpers import write_project

BROKEN_PY = {"wsgi.py": "application = (\n", "requirements.txt": "x==1\n"}


def cli(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_syntax_error_exits_1_with_location(tmp_path, capsys):
    write_project(tmp_path, BROKEN_PY)
    code, out, err = cli(capsys, tmp_path, "--select", "LE001")
    assert code == 1
    assert out.splitlines()[0] == "wsgi.py:1:15: LE001 '(' was never closed"
    assert out.splitlines()[1] == "  fix: The platform cannot import this module; fix the syntax (Python 3.14)."
    assert out.splitlines()[-1] == "Found 1 problem (1 error, 0 warnings, 0 notes)."


def test_clean_project_exits_0(tmp_path, capsys):
    write_project(tmp_path, {"wsgi.py": "application = None\n"})
    code, out, _ = cli(capsys, tmp_path, "--select", "LE001")
    assert (code, out) == (0, "No problems found.\n")


@pytest.mark.parametrize(
    "args,message",
    [
        (["/definitely/not/here"], "lean-lint: error: /definitely/not/here: no such file or directory\n"),
        (["--format", "xml"], None),
        (["--select", "FOO", "."], "lean-lint: error: --select: unknown rule code or prefix 'FOO' (`lean-lint rules` lists the codes)\n"),
        (["--select", "LE999", "."], "lean-lint: error: --select: unknown rule code or prefix 'LE999' (`lean-lint rules` lists the codes)\n"),
        (["--ignore", "LE2,LE7O2", "."], "lean-lint: error: --ignore: unknown rule code or prefix 'LE7O2' (did you mean 'LE702'?)\n"),
        (["explain", "LE999"], None),
        (["rules", "extra"], "lean-lint: error: unrecognized arguments: extra (see `lean-lint --help`)\n"),
        (["rules", "--format", "xml"], None),
        (["explain", "listens-on-loopbak"], "lean-lint: error: no rule 'listens-on-loopbak' (did you mean 'listens-on-loopback'?)\n"),
        (["explain", "LE2O1"], "lean-lint: error: no rule 'LE2O1' (did you mean 'LE201'?)\n"),
        (["explain", "LE999"], "lean-lint: error: no rule 'LE999' (`lean-lint rules` lists them)\n"),
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys, tmp_path, args, message):
    args = [a if a != "." else str(tmp_path) for a in args]
    code, out, err = cli(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("lean-lint: error: ")
    if message:
        assert err == message


def test_path_that_is_a_file_exits_2(tmp_path, capsys):
    (tmp_path / "f.py").write_text("x = 1\n")
    code, _, err = cli(capsys, tmp_path / "f.py")
    assert code == 2
    assert err == f"lean-lint: error: {tmp_path / 'f.py'}: not a directory (lean-lint analyzes a project directory)\n"


def test_fail_on_thresholds(tmp_path, capsys):
    write_project(tmp_path, BROKEN_PY)
    assert cli(capsys, tmp_path, "--select", "LE001", "--fail-on", "never")[0] == 0
    assert cli(capsys, tmp_path, "--select", "LE001", "--fail-on", "warning")[0] == 1


def test_select_and_ignore_prefixes(tmp_path, capsys):
    write_project(tmp_path, BROKEN_PY)
    code, out, _ = cli(capsys, tmp_path, "--select", "LE0", "--ignore", "LE001")
    assert "LE001" not in out
    code, out, _ = cli(capsys, tmp_path, "--select", "LE00")
    assert "LE001" in out


def test_inline_suppression(tmp_path, capsys):
    write_project(tmp_path, {"a.py": "x = (  # lean-lint: ignore[LE001]\n"})
    code, out, _ = cli(capsys, tmp_path, "--select", "LE001")
    assert code == 0
    assert out == "No problems found.\n1 finding suppressed by `# lean-lint: ignore` comments.\n"


def test_suppression_for_another_code_does_not_apply(tmp_path, capsys):
    write_project(tmp_path, {"a.py": "x = (  # lean-lint: ignore[LE401]\n"})
    assert cli(capsys, tmp_path, "--select", "LE001")[0] == 1


def test_file_level_suppression(tmp_path, capsys):
    write_project(tmp_path, {"a.py": "# lean-lint: ignore-file[LE001]\n\nx = (\n"})
    assert cli(capsys, tmp_path, "--select", "LE001")[0] == 0


def test_json_shape(tmp_path, capsys):
    write_project(tmp_path, BROKEN_PY)
    code, out, _ = cli(capsys, tmp_path, "--select", "LE001", "--format", "json")
    doc = json.loads(out)
    assert code == 1
    assert set(doc) == {"format_version", "tool", "root", "findings", "summary", "notices"}
    assert doc["summary"] == {"error": 1, "warning": 0, "note": 0}
    (finding,) = doc["findings"]
    assert finding == {
        "code": "LE001",
        "severity": "error",
        "message": "'(' was never closed",
        "path": "wsgi.py",
        "line": 1,
        "column": 15,
        "end_line": 1,
        "end_column": 16,
        "hint": "The platform cannot import this module; fix the syntax (Python 3.14).",
        "fingerprint": finding["fingerprint"],
        "fixable": False,
    }
    assert len(finding["fingerprint"]) == 16


def test_output_file(tmp_path, capsys):
    project = write_project(tmp_path / "p", BROKEN_PY)
    target = tmp_path / "report.json"
    code, out, _ = cli(capsys, project, "--select", "LE001", "--format", "json", "--output", target)
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["summary"]["error"] == 1


def test_config_file_select_and_fail_on(tmp_path, capsys):
    write_project(tmp_path, {**BROKEN_PY, "pyproject.toml": '[tool.lean-lint]\nignore = ["LE001"]\n'})
    assert cli(capsys, tmp_path)[1].count("LE001") == 0
    write_project(tmp_path, {"pyproject.toml": '[tool.lean-lint]\nfail-on = "never"\n'})
    assert cli(capsys, tmp_path, "--select", "LE001")[0] == 0


def test_bad_config_exits_2_naming_the_key(tmp_path, capsys):
    write_project(tmp_path, {"pyproject.toml": '[tool.lean-lint]\nselct = ["LE2"]\n'})
    code, out, err = cli(capsys, tmp_path)
    assert code == 2
    assert err == f"lean-lint: error: {tmp_path / 'pyproject.toml'}: unknown key 'selct' (did you mean 'select'?)\n"


def test_per_file_ignores(tmp_path, capsys):
    write_project(
        tmp_path,
        {"scripts/old.py": "print 'x'\n", ".lean-lint.toml": '[per-file-ignores]\n"scripts/" = ["LE001"]\n'},
    )
    assert cli(capsys, tmp_path, "--select", "LE001")[0] == 0


def test_exclude_globs(tmp_path, capsys):
    write_project(tmp_path, {"legacy/old.py": "print 'x'\n", ".lean-lint.toml": 'exclude = ["legacy/"]\n'})
    assert cli(capsys, tmp_path, "--select", "LE001")[0] == 0


def test_leanignored_files_are_not_analyzed(tmp_path, capsys):
    write_project(tmp_path, {"tools/old.py": "print 'x'\n", ".leanignore": "tools/\n"})
    assert cli(capsys, tmp_path, "--select", "LE001")[0] == 0


def test_rules_and_explain(capsys):
    code, out, _ = cli(capsys, "rules")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split()[:3] == ["LE001", "error", "python-syntax-error"]
    assert lines[2].split()[:4] == ["LE002", "warning", "[*]", "unused-suppression"]
    assert lines[-1] == "[*] the rule can fix some of what it finds (`lean-lint --fix`)"
    code, out, _ = cli(capsys, "explain", "le001")
    assert code == 0
    assert out.startswith("# LE001 python-syntax-error (error)\n\n## What it does\n")
    assert "## Why is this a problem on Cloud Engine?" in out
    assert "## Example\n```\n# .python-version\n3.8\n\n# wsgi.py\nmatch event:\n    case _:\n        pass\n```\n" in out  # examples fenced
    assert out.endswith(".\n") and not out.endswith("\n\n")


def test_explain_takes_a_rule_name(capsys):
    by_name = cli(capsys, "explain", "listens-on-loopback")
    assert by_name == cli(capsys, "explain", "LE201")
    assert by_name[0] == 0 and by_name[1].startswith("# LE201 listens-on-loopback (error)\n")


def test_rules_as_json(capsys):
    from analyzer.engine.registry import all_rules

    code, out, _ = cli(capsys, "rules", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["code"] for r in rows] == [r.code for r in all_rules()]
    assert rows[0] == {
        "code": "LE000",
        "name": "internal-error",
        "severity": "error",
        "fixable": False,
        "summary": rows[0]["summary"],
        "tags": ["lean-lint"],
        "security_severity": None,
        "docs_url": "https://github.com/lean-lint/lean-lint/blob/main/docs/rules/LE000.md",
    }
    assert {r["code"] for r in rows if r["fixable"]} >= {"LE002", "LE201"}


def test_color_only_on_terminal_and_not_with_no_color(tmp_path, monkeypatch):
    from analyzer.cli.main import _use_color

    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert _use_color(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _use_color(Tty())
    assert not _use_color(sys.stdout) or sys.stdout.isatty()


def test_module_entry_point_and_version():
    proc = subprocess.run([sys.executable, "-m", "analyzer", "--version"], capture_output=True, text=True, timeout=60)
    from analyzer import __version__

    assert proc.returncode == 0
    assert proc.stdout == f"lean-lint {__version__}\n"


def test_text_output_keeps_one_line_per_finding_for_odd_file_names(tmp_path, capsys):
    write_project(tmp_path, {"new\nline.py": "x = (\n", "tab\there.py": "y = (\n"})
    code, out, _ = cli(capsys, tmp_path, "--select", "LE001")
    assert out.splitlines()[0] == "new\\nline.py:1:5: LE001 '(' was never closed"
    assert out.splitlines()[2] == "tab\\there.py:1:5: LE001 '(' was never closed"


def test_installed_command_works_from_any_directory(tmp_path):
    from pathlib import Path

    command = Path(sys.executable).parent / "lean-lint"
    examples = Path(__file__).resolve().parent.parent / "examples"
    broken = subprocess.run([str(command), str(examples / "broken"), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert broken.returncode == 1, broken.stderr
    assert "wsgi.py:18:14: LE201" in broken.stdout and "leanengine.yaml:4:5: LE302" in broken.stdout
    clean = subprocess.run([str(command), str(examples / "clean"), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert (clean.returncode, clean.stdout) == (0, "No problems found.\n")
