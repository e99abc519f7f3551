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


def test_init_creates_and_leaves_alone(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
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


# -- init in a monorepo, and never through a symlink ----------------------------------------------


def monorepo(tmp_path, monkeypatch, project="services/api"):
    (tmp_path / ".git").mkdir(parents=True)
    (tmp_path / project).mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_init_in_a_monorepo_writes_hook_and_workflow_at_the_repository_root(tmp_path, capsys, monkeypatch):
    import re

    import yaml

    from analyzer import __version__
    from tests.test_packaging import check_jsonschema, pre_commit_validate

    root = monorepo(tmp_path, monkeypatch)
    code, out, err = cli(capsys, "init", "services/api")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "created: services/api/leanengine.yaml (with the schema line editors use to validate it)",
        "created: .pre-commit-config.yaml (runs lean-lint on services/api; run `pre-commit install` to enable the hook)",
        "created: .github/workflows/lean-lint.yml (runs lean-lint on services/api: annotations on pull requests, code scanning on pushes)",
    ]
    assert sorted(p.name for p in (root / "services" / "api").iterdir()) == ["leanengine.yaml"]
    assert (root / ".pre-commit-config.yaml").read_text() == (
        "repos:\n"
        "  - repo: https://github.com/lean-lint/lean-lint\n"
        f"    rev: v{__version__}\n"
        "    hooks:\n"
        "      - id: lean-lint\n"
        "        name: lean-lint (services/api)\n"
        "        args: [services/api]\n"
        "        files: ^services/api/\n"
    )
    proc = pre_commit_validate(root / ".pre-commit-config.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    workflow_path = root / ".github" / "workflows" / "lean-lint.yml"
    proc = check_jsonschema("vendor.github-workflows", workflow_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    steps = yaml.safe_load(workflow_path.read_text())["jobs"]["lean-lint"]["steps"]
    assert steps[1] == {"uses": f"lean-lint/lean-lint@v{__version__}", "id": "lean-lint", "with": {"path": "services/api"}}
    assert steps[2]["with"]["category"] == "lean-lint-services/api"
    # The hook runs when a file of the project changes, not another project's.
    (hook,) = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert re.search(hook["files"], "services/api/wsgi.py")
    assert not re.search(hook["files"], "services/apiary/wsgi.py")

    code, out, _ = cli(capsys, "init", "services/api")
    assert out.splitlines() == [
        "left alone: services/api/leanengine.yaml (it already names its schema)",
        "left alone: .pre-commit-config.yaml (it already runs lean-lint on services/api)",
        "left alone: .github/workflows/lean-lint.yml (it already analyzes services/api)",
    ]


def test_init_of_a_second_project_says_what_to_add(tmp_path, capsys, monkeypatch):
    root = monorepo(tmp_path, monkeypatch)
    (root / "services" / "worker").mkdir()
    cli(capsys, "init", "services/api")
    before = (root / ".pre-commit-config.yaml").read_text(), (root / ".github/workflows/lean-lint.yml").read_text()
    code, out, _ = cli(capsys, "init", "services/worker")
    assert code == 0
    assert out.splitlines()[1:] == [
        "left alone: .pre-commit-config.yaml (add this under `repos:`: - repo: https://github.com/lean-lint/lean-lint, "
        f"rev: v{version()}, hooks: [{{id: lean-lint, args: [services/worker], files: ^services/worker/}}])",
        "left alone: .github/workflows/lean-lint.yml (it exists; to analyze services/worker too, give its lean-lint "
        'step `with: path: services/worker`, or one matrix job per project as in the README\'s "A monorepo")',
    ]
    assert ((root / ".pre-commit-config.yaml").read_text(), (root / ".github/workflows/lean-lint.yml").read_text()) == before


def version():
    from analyzer import __version__

    return __version__


def test_init_finds_the_repository_of_a_worktree_by_its_git_file(tmp_path, capsys, monkeypatch):
    (tmp_path / ".git").write_text("gitdir: /elsewhere/.git/worktrees/wt\n")
    (tmp_path / "app").mkdir()
    monkeypatch.chdir(tmp_path / "app")
    code, out, _ = cli(capsys, "init")
    assert code == 0
    assert (tmp_path / ".pre-commit-config.yaml").is_file() and (tmp_path / ".github/workflows/lean-lint.yml").is_file()
    assert out.splitlines()[1] == (
        f"created: {tmp_path.resolve()}/.pre-commit-config.yaml (runs lean-lint on app; run `pre-commit install` to enable the hook)"
    )


def test_init_quotes_paths_yaml_would_misread(tmp_path, capsys, monkeypatch):
    import re

    import yaml

    for project in ("services/my app", "true", "a.b[1]"):
        root = tmp_path / re.sub(r"\W", "_", project)
        (root / ".git").mkdir(parents=True)
        (root / project).mkdir(parents=True)
        monkeypatch.chdir(root)
        cli(capsys, "init", project)
        (hook,) = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
        assert hook["args"] == [project] and hook["name"] == f"lean-lint ({project})"
        assert re.match(hook["files"], f"{project}/wsgi.py") and not re.match(hook["files"], f"{project}x/wsgi.py")
        workflow = yaml.safe_load((root / ".github/workflows/lean-lint.yml").read_text())
        assert workflow["jobs"]["lean-lint"]["steps"][1]["with"] == {"path": project}


def test_init_never_writes_through_a_symlink(tmp_path, capsys, monkeypatch):
    root = monorepo(tmp_path / "repo", monkeypatch)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / ".pre-commit-config.yaml").symlink_to(outside / "hooks.yaml")  # dangling
    (root / ".github").symlink_to(outside, target_is_directory=True)
    (root / "services/api/leanengine.yaml").symlink_to(outside / "leanengine.yaml")
    code, out, _ = cli(capsys, "init", "services/api")
    assert code == 0
    assert out.splitlines() == [
        "left alone: services/api/leanengine.yaml (a symlink: lean-lint init never writes through one)",
        "left alone: .pre-commit-config.yaml (a symlink: lean-lint init never writes through one)",
        "left alone: .github/workflows/lean-lint.yml (.github is a symlink: lean-lint init never writes through one)",
    ]
    assert list(outside.iterdir()) == []


def test_create_file_never_replaces_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    import os

    import pytest

    from analyzer.support.safecreate import Refused, create_file

    create_file(tmp_path, "a/b/c.txt", "one\n")
    assert (tmp_path / "a/b/c.txt").read_text() == "one\n"
    with pytest.raises(Refused, match="^it exists$"):
        create_file(tmp_path, "a/b/c.txt", "two\n")
    (tmp_path / "file").write_text("")
    with pytest.raises(Refused, match="^file is not a folder$"):
        create_file(tmp_path, "file/c.txt", "two\n")
    assert (tmp_path / "a/b/c.txt").read_text() == "one\n"

    def no_hard_links(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_hard_links)  # FAT, some network shares
    create_file(tmp_path, "a/d.txt", "three\n")
    assert (tmp_path / "a/d.txt").read_text() == "three\n"
    with pytest.raises(Refused, match="^it exists$"):
        create_file(tmp_path, "a/d.txt", "four\n")
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b", "d.txt"]
    assert [p.name for p in (tmp_path / "a/b").iterdir()] == ["c.txt"]


def test_init_writes_no_workflow_for_a_path_github_would_evaluate(tmp_path, capsys, monkeypatch):
    root = monorepo(tmp_path, monkeypatch, project="${{ secrets.TOKEN }}")
    code, out, _ = cli(capsys, "init", "${{ secrets.TOKEN }}")
    assert code == 0
    assert out.splitlines()[2] == "not created: .github/workflows/lean-lint.yml (the project's path contains `${{`)"
    assert not (root / ".github").exists()


def test_init_reports_an_unreadable_existing_file(tmp_path, capsys, monkeypatch):
    from analyzer.cli import init

    def unreadable(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(init, "_read_existing", unreadable)  # chmod 0 does not stop root
    (tmp_path / "leanengine.yaml").write_text("run: x\n")
    code, out, _ = cli(capsys, "init")
    assert code == 0
    assert out.splitlines()[0] == "left alone: leanengine.yaml (it exists; lean-lint cannot read it: Permission denied)"


def test_le004_malformed_codes_suppress_nothing_and_are_fixed(tmp_path, capsys):
    write_project(
        tmp_path,
        {
            "requirements.txt": "flask>=2  # lean-lint: ignore[le401]\n",
            "wsgi.py": "application = None\n",
            "b.py": "y = 1  # lean-lint: ignore[LE001, LE999]  # keep\nz = 2  # lean-lint: ignore[LE999]\n",
        },
    )
    select = ("--select", "LE401,LE004")
    code, out, _ = cli(capsys, tmp_path, *select)
    assert code == 0
    # a malformed code suppresses nothing
    assert any(line.startswith("requirements.txt:1:") and " LE401 " in line for line in out.splitlines())
    assert "requirements.txt:1:31: LE004 `le401` in a suppression comment is not a rule code; did you mean `LE401`?" in out
    assert "b.py:1:35: LE004 [*] `LE999` in a suppression comment is not a lean-lint rule code" in out
    assert "b.py:2:28: LE004 [*] `LE999` in a suppression comment is not a lean-lint rule code" in out
    select = ("--select", "LE004")
    cli(capsys, tmp_path, *select, "--fix")
    assert (tmp_path / "b.py").read_text() == "y = 1  # lean-lint: ignore[LE001]  # keep\nz = 2\n"
    assert (tmp_path / "requirements.txt").read_text() == "flask>=2  # lean-lint: ignore[le401]\n"  # unsafe
    code, out, _ = cli(capsys, tmp_path, *select, "--fix", "--unsafe-fixes")
    assert (tmp_path / "requirements.txt").read_text() == "flask>=2  # lean-lint: ignore[LE401]\n"
    assert (code, out) == (0, "No problems found.\n")
