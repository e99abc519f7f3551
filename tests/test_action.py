"""The GitHub Action's entrypoint (`lean-lint-action`, analyzer/action.py) end to end, in a fake runner:
a temporary workspace, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and INPUT_* variables set the way
the runner sets them for a Docker action (upper-cased input ids, hyphens kept) from action.yml's
defaults. What a step's log turns into annotations is read back as the runner reads it (workflow
commands, `::stop-commands::` honoured).

The projects pin `select` to the meta rules (LE001 syntax error, LE003 unreadable file), so the counts
here do not move when rules are added.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from analyzer import __version__
from analyzer.cli import action
from analyzer.types import Finding, Severity, Span
from tests.helpers import write_project

ROOT = Path(__file__).resolve().parent.parent
ACTION_YML = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
META_ONLY = 'select = ["LE001", "LE003"]\n'
SYNTAX_FIX = "Fix: The platform cannot import this module; fix the syntax (Python 3.14)."
FIFO_MESSAGE = "was not analyzed: it is not a regular file (a FIFO, socket or device)"

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo for an LE003 warning")


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def commands(self) -> list[str]:
        return runner_commands(self.stdout)

    @property
    def annotations(self) -> list[str]:
        return [c for c in self.commands if c.startswith(("::error ", "::warning ", "::notice "))]


def runner_commands(stdout: str) -> list[str]:
    """The workflow commands a runner reads from a step's output: lines starting with `::` (after
    leading blanks), except between `::stop-commands::TOKEN` and `::TOKEN::`."""
    found, stopped_by = [], None
    for line in stdout.splitlines():
        line = line.lstrip()
        if stopped_by is not None:
            if line == f"::{stopped_by}::":
                stopped_by = None
            continue
        if line.startswith("::stop-commands::"):
            stopped_by = line[len("::stop-commands::") :]
        elif line.startswith("::"):
            found.append(line)
    return found


def parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT: `name=value` lines and `name<<DELIMITER` blocks."""
    out, lines = {}, iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value = []
            for inner in lines:
                if inner == delimiter:
                    break
                value.append(inner)
            out[name] = "\n".join(value)
        else:
            name, value = line.split("=", 1)
            out[name] = value
    return out


class FakeRunner:
    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
        self.monkeypatch, self.capsys = monkeypatch, capsys
        self.workspace = tmp_path / "workspace"
        self.workspace.mkdir()
        self.output_file = tmp_path / "file_commands" / "set_output"
        self.summary_file = tmp_path / "file_commands" / "step_summary"
        self.output_file.parent.mkdir()
        self.output_file.write_text("", encoding="utf-8")
        self.summary_file.write_text("", encoding="utf-8")
        for key in list(os.environ):
            if key.startswith(("INPUT_", "GITHUB_")):
                monkeypatch.delenv(key)
        self.env = {
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_OUTPUT": str(self.output_file),
            "GITHUB_STEP_SUMMARY": str(self.summary_file),
        }
        for name, spec in ACTION_YML["inputs"].items():
            self.env[f"INPUT_{name.upper()}"] = spec.get("default", "")

    def write(self, files: dict, at: str = "") -> None:
        write_project(self.workspace / at, files)

    def fifo(self, rel: str) -> None:
        path = self.workspace / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)

    def run(self, **inputs: str) -> Result:
        env = dict(self.env)
        env.update({f"INPUT_{name.replace('_', '-').upper()}": value for name, value in inputs.items()})
        for key, value in env.items():
            self.monkeypatch.setenv(key, value)
        code = action.main([])
        out, err = self.capsys.readouterr()
        return Result(code, out, err)

    def outputs(self) -> dict[str, str]:
        return parse_outputs(self.output_file.read_text(encoding="utf-8"))

    def summary(self) -> str:
        return self.summary_file.read_text(encoding="utf-8")

    def sarif(self, rel: str = "lean-lint.sarif") -> dict:
        return json.loads((self.workspace / rel).read_text(encoding="utf-8"))


@pytest.fixture
def gh(tmp_path, monkeypatch, capsys) -> FakeRunner:
    return FakeRunner(tmp_path, monkeypatch, capsys)


def sarif_places(doc: dict) -> list[tuple[str, str, int, int]]:
    out = []
    for result in doc["runs"][0]["results"]:
        loc = result["locations"][0]["physicalLocation"]
        out.append((result["ruleId"], loc["artifactLocation"]["uri"], loc["region"]["startLine"], loc["region"]["startColumn"]))
    return out


# -- action.yml and the entrypoint agree ----------------------------------------------------------


def test_action_yml_declares_the_inputs_the_entrypoint_reads_with_the_same_defaults():
    declared = {name: spec.get("default", "") for name, spec in ACTION_YML["inputs"].items()}
    assert declared == action.INPUT_DEFAULTS


@needs_fifo
def test_action_yml_declares_every_output_the_entrypoint_writes(gh):
    gh.write({".lean-lint.toml": META_ONLY, "bad.py": "x = (\n"})
    gh.fifo("pipe.py")
    gh.run()
    assert set(gh.outputs()) == set(ACTION_YML["outputs"])


# -- end to end -----------------------------------------------------------------------------------


@needs_fifo
def test_findings_give_annotations_outputs_summary_sarif_and_exit_1(gh):
    gh.write({".lean-lint.toml": META_ONLY, "z_bad.py": "x = (\n", "ok.py": "x = 1\n"})
    gh.fifo("a_pipe.py")  # sorts first by path, but a warning: annotated after the error
    result = gh.run()

    assert result.code == 1
    assert result.stderr == ""
    assert result.annotations == [
        f"::error file=z_bad.py,line=1,col=5,endLine=1,endColumn=5,title=LE001::'(' was never closed%0A{SYNTAX_FIX}",
        f"::warning file=a_pipe.py,line=1,col=1,endLine=1,endColumn=1,title=LE003::a_pipe.py {FIFO_MESSAGE}",
    ]
    # The log has the full report, in a group, with workflow commands stopped around it.
    assert result.commands[0] == "::group::lean-lint: 2 problems (1 error, 1 warning, 0 notes)"
    assert result.commands[1] == "::endgroup::"
    assert "z_bad.py:1:5: LE001 '(' was never closed\n" in result.stdout

    assert gh.outputs() == {"sarif-file": "lean-lint.sarif", "findings": "2", "errors": "1", "warnings": "1"}
    assert sarif_places(gh.sarif()) == [("LE003", "a_pipe.py", 1, 1), ("LE001", "z_bad.py", 1, 5)]
    assert gh.summary() == "\n".join(
        [
            "## lean-lint",
            "",
            "**2 problems** in the repository root (1 error, 1 warning, 0 notes): the step fails (`fail-on: error`).",
            "",
            "| Rule | Severity | Findings |",
            "| --- | --- | ---: |",
            "| LE001 `python-syntax-error` | error | 1 |",
            "| LE003 `file-not-analyzed` | warning | 1 |",
            "",
            "| Where | Rule | Problem | Fix |",
            "| --- | --- | --- | --- |",
            r"| <code>z\_bad\.py\:1</code> | LE001 | \'\(\' was never closed "
            r"| The platform cannot import this module\; fix the syntax \(Python 3\.14\)\. |",
            r"| <code>a\_pipe\.py\:1</code> | LE003 | a\_pipe\.py was not analyzed\: it is not a regular file "
            r"\(a FIFO\, socket or device\) |   |",
            "",
            r"- Note: no <code>\.python\-version</code>\: lean\-lint checks the code as Python 3\.14\, the latest "
            r"stable CPython\, which the platform installs without it \(groups created before 2021\-09\-02 get "
            r"Python 2\.7 instead\)\; write <code>\.python\-version</code> to choose",
            "",
            rf"<sub>lean-lint {__version__} · SARIF report: <code>lean\-lint\.sarif</code></sub>",
            "",
        ]
    )


def test_clean_project_passes_with_an_empty_sarif_and_zero_outputs(gh):
    gh.write({".lean-lint.toml": META_ONLY, "wsgi.py": "application = None\n"})
    result = gh.run()
    assert result.code == 0
    assert result.annotations == []
    assert result.commands[0] == "::group::lean-lint: no problems found"
    assert gh.outputs() == {"sarif-file": "lean-lint.sarif", "findings": "0", "errors": "0", "warnings": "0"}
    assert gh.sarif()["runs"][0]["results"] == []
    assert "**No problems found** in the repository root." in gh.summary()


def test_monorepo_subfolder_paths_are_repository_relative(gh):
    gh.write({".lean-lint.toml": META_ONLY, "app/wsgi.py": "x = (\n"}, at="services/api")
    gh.write({"other/broken.py": "x = (\n"})  # outside `path`: not analyzed
    gh.env["GITHUB_SERVER_URL"], gh.env["GITHUB_REPOSITORY"], gh.env["GITHUB_SHA"] = "https://github.com", "o/r", "abc123"
    result = gh.run(path="services/api", sarif_file="reports/lean-lint.sarif")

    assert result.code == 1
    assert [a.split("::")[1] for a in result.annotations] == [
        "error file=services/api/app/wsgi.py,line=1,col=5,endLine=1,endColumn=5,title=LE001"
    ]
    assert gh.outputs()["sarif-file"] == "reports/lean-lint.sarif"
    assert sarif_places(gh.sarif("reports/lean-lint.sarif")) == [("LE001", "services/api/app/wsgi.py", 1, 5)]
    summary = gh.summary()
    assert r"**1 problem** in <code>services\/api\/</code> (1 error, 0 warnings, 0 notes)" in summary
    assert (
        r"| [services\/api\/app\/wsgi\.py\:1](https://github.com/o/r/blob/abc123/services/api/app/wsgi.py#L1) | LE001 |"
        in summary
    )


@needs_fifo
@pytest.mark.parametrize(
    "fail_on,errors,expected",
    [
        ("error", False, 0),
        ("warning", False, 1),
        ("note", False, 1),
        ("never", True, 0),
        ("ERROR", True, 1),
    ],
)
def test_fail_on_decides_the_exit_code(gh, fail_on, errors, expected):
    gh.write({".lean-lint.toml": META_ONLY, **({"bad.py": "x = (\n"} if errors else {})})
    gh.fifo("pipe.py")
    result = gh.run(fail_on=fail_on)
    assert result.code == expected
    assert gh.outputs()["warnings"] == "1"  # the outputs and the SARIF are written whatever the verdict
    assert (gh.workspace / "lean-lint.sarif").is_file()


@needs_fifo
def test_more_findings_than_github_shows(gh):
    files = {f"e{i:02}.py": "x = (\n" for i in range(1, 13)}
    gh.write({".lean-lint.toml": META_ONLY, **files})
    for i in range(1, 12):
        gh.fifo(f"w{i:02}.py")
    result = gh.run()

    kinds = [a.split(" ", 1)[0] for a in result.annotations]
    assert kinds == ["::error"] * 10 + ["::warning"] * 10 + ["::notice"]
    assert [a.split(",", 1)[0] for a in result.annotations[:10]] == [f"::error file=e{i:02}.py" for i in range(1, 11)]
    assert result.annotations[-1] == (
        "::notice title=lean-lint::GitHub shows 10 annotations of each level per step: "
        "2 more errors, 1 more warning not shown here; the job summary lists them all."
    )
    summary = gh.summary()
    assert "| LE001 `python-syntax-error` | error | 12 |" in summary
    assert "| LE003 `file-not-analyzed` | warning | 11 |" in summary
    assert sum(line.startswith("| <code>e") for line in summary.splitlines()) == 12
    assert sum(line.startswith("| <code>w") for line in summary.splitlines()) == 11
    assert gh.outputs()["findings"] == "23"


@needs_fifo
def test_without_a_summary_the_overflow_notice_points_to_the_log(gh):
    gh.write({".lean-lint.toml": META_ONLY, **{f"e{i:02}.py": "x = (\n" for i in range(11)}})
    result = gh.run(summary="false")
    assert result.annotations[-1].endswith("1 more error not shown here; the log above and the SARIF file list them all.")
    assert gh.summary() == ""


def test_annotations_false_prints_none_but_writes_the_rest(gh):
    gh.write({".lean-lint.toml": META_ONLY, "bad.py": "x = (\n"})
    result = gh.run(annotations="false")
    assert result.code == 1
    assert result.annotations == []
    assert "bad.py:1:5: LE001" in result.stdout  # the log still lists it
    assert gh.outputs()["errors"] == "1"
    assert r"| <code>bad\.py\:1</code> | LE001 |" in gh.summary()


def test_summary_is_appended_to_what_the_step_already_wrote(gh):
    gh.summary_file.write_text("# earlier\n", encoding="utf-8")
    gh.write({".lean-lint.toml": META_ONLY, "wsgi.py": "x = 1\n"})
    gh.run()
    assert gh.summary().startswith("# earlier\n## lean-lint\n")


def test_summary_stays_under_the_limit_and_says_how_many_rows_it_left_out(gh, monkeypatch):
    monkeypatch.setattr(action, "SUMMARY_LIMIT", 2500)
    gh.summary_file.write_text("x" * 500, encoding="utf-8")  # the limit is per step: 2000 bytes left
    gh.write({".lean-lint.toml": META_ONLY, **{f"e{i:02}.py": "x = (\n" for i in range(30)}})
    gh.run()
    written = gh.summary()[500:]
    assert len(written.encode("utf-8")) < 2000
    rows = sum(line.startswith("| <code>e") for line in written.splitlines())
    assert 0 < rows < 30
    assert f"_{30 - rows} more findings not listed, to keep this summary under GitHub's 1 MiB limit" in written
    assert "| LE001 `python-syntax-error` | error | 30 |" in written  # the counts are always there


def test_summary_of_many_findings_fits_in_1_mib():
    findings = [
        Finding("LE001", Severity.ERROR, "m" * 200 + f" {i}", f"pkg/mod{i}.py", Span(i + 1, 1), hint="h" * 100)
        for i in range(6000)
    ]
    report = SimpleNamespace(active=findings, findings=findings, notices=["a notice"])
    text, left_out = action.render_summary(report, "", "error", True, "lean-lint.sarif", {}, action.SUMMARY_LIMIT)
    size = len(text.encode("utf-8"))
    assert action.SUMMARY_LIMIT - 1000 < size <= action.SUMMARY_LIMIT
    rows = sum(line.startswith("| <code>pkg") for line in text.splitlines())
    assert left_out == 6000 - rows
    assert f"_{6000 - rows} more findings not listed" in text
    assert text.endswith(rf"<sub>lean-lint {__version__} · SARIF report: <code>lean\-lint\.sarif</code></sub>" + "\n")


def test_file_names_from_the_repository_cannot_issue_workflow_commands(gh):
    gh.write({".lean-lint.toml": META_ONLY, "::warning::evil.py": "x = (\n"})
    result = gh.run()
    assert "\n./::warning::evil.py:1:5: LE001" in result.stdout  # the text format's own guard, and...
    assert [c.split(" ", 1)[0] for c in result.commands] == ["::group::lean-lint:", "::endgroup::", "::error"]
    assert result.annotations[0].startswith("::error file=%3A%3Awarning%3A%3Aevil.py,line=1,")  # ...stopped


# -- annotations and Markdown, unit by unit -------------------------------------------------------


def test_a_full_set_of_notes_gives_its_last_slot_to_the_overflow_notice():
    notes = [Finding("LE900", Severity.NOTE, f"note {i}", f"n{i:02}.py") for i in range(10)]
    errors = [Finding("LE901", Severity.ERROR, f"error {i}", f"e{i:02}.py") for i in range(11)]
    lines = action.annotation_lines(notes + errors, "", summary=True)
    kinds = [line.split(" ", 1)[0] for line in lines]
    assert kinds == ["::error"] * 10 + ["::notice"] * 10
    assert "1 more error, 1 more note not shown here" in lines[-1]


@pytest.mark.parametrize(
    "text,cell",
    [
        ("a|b", r"a\|b"),
        ("first\nsecond\r\nthird", "first<br>second<br>third"),
        ("<!-- hides the rest", r"&lt;\!\-\- hides the rest"),
        ("write `a|b` not <b>x</b>", r"write <code>a\|b</code> not &lt;b&gt;x&lt;\/b&gt;"),
        ("`leancloud>=2.9,<3` & co", r"<code>leancloud&gt;\=2\.9\,&lt;3</code> &amp; co"),
        ("``a`b`` and ` x ` and `", r"<code>a\`b</code> and <code>x</code> and \`"),
        ("", " "),
    ],
)
def test_md_cell(text, cell):
    assert action.md_cell(text) == cell


# -- inputs, usage and config errors: exit 2, one line --------------------------------------------


def test_input_names_are_read_with_hyphens_or_underscores(gh, monkeypatch):
    gh.write({".lean-lint.toml": META_ONLY, "bad.py": "x = (\n"})
    del gh.env["INPUT_FAIL-ON"]
    gh.env["INPUT_FAIL_ON"] = "never"
    assert gh.run().code == 0


def test_inputs_left_empty_take_the_defaults(gh):
    gh.write({".lean-lint.toml": META_ONLY, "bad.py": "x = (\n"})
    result = gh.run(path="", fail_on="", sarif_file="", annotations="", summary="")
    assert result.code == 1
    assert gh.outputs()["sarif-file"] == "lean-lint.sarif"


def error_line(result: Result) -> str:
    assert result.code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("::error title=lean-lint::lean-lint: error: ")
    return lines[0][len("::error title=lean-lint::lean-lint: error: ") :]


@pytest.mark.parametrize(
    "inputs,message",
    [
        ({"path": "../outside"}, "input `path`: '../outside' is outside the repository"),
        ({"path": "/"}, "input `path`: '/' is outside the repository"),
        ({"path": "link"}, "input `path`: 'link' is outside the repository"),
        ({"path": "missing"}, "input `path`: 'missing' does not exist in the repository"),
        ({"path": "wsgi.py"}, "input `path`: 'wsgi.py' is not a directory (lean-lint analyzes a project directory)"),
        ({"sarif_file": "../lean-lint.sarif"}, "input `sarif-file`: '../lean-lint.sarif' is outside the repository"),
        ({"sarif_file": "link/lean-lint.sarif"}, "input `sarif-file`: 'link' is a symlink; lean-lint does not write through one"),
        ({"sarif_file": "."}, "input `sarif-file`: '.' is a directory, not a file name"),
        ({"fail_on": "critical"}, "input `fail-on` must be one of error, warning, note, never, got 'critical'"),
        ({"annotations": "yes"}, "input `annotations` must be `true` or `false`, got 'yes'"),
        ({"summary": "1"}, "input `summary` must be `true` or `false`, got '1'"),
    ],
)
def test_bad_inputs_exit_2_with_one_line(gh, inputs, message):
    gh.write({"wsgi.py": "x = 1\n"})
    (gh.workspace.parent / "outside").mkdir()
    (gh.workspace / "link").symlink_to(gh.workspace.parent / "outside")
    text = error_line(gh.run(**inputs))
    assert text.startswith(message)
    assert gh.outputs() == {}
    assert not (gh.workspace / "lean-lint.sarif").exists()


def test_config_errors_exit_2_with_one_line(gh):
    gh.write({"wsgi.py": "x = 1\n", ".lean-lint.toml": "selct = ['LE001']\n"})
    assert error_line(gh.run()) == f"{gh.workspace / '.lean-lint.toml'}: unknown key 'selct' (did you mean 'select'?)"
    assert error_line(gh.run(config="ci/lean-lint.toml")) == f"{gh.workspace / 'ci/lean-lint.toml'}: no such file"


def test_config_input_is_relative_to_the_repository_root(gh):
    gh.write({"ci/lean-lint.toml": 'select = ["LE003"]\n', "api/bad.py": "x = (\n"})
    result = gh.run(path="api", config="ci/lean-lint.toml")
    assert result.code == 0  # LE001 not selected
    assert gh.outputs()["findings"] == "0"


def test_an_internal_error_is_one_line_and_exit_2(gh, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(action, "analyze", boom)
    gh.write({"wsgi.py": "x = 1\n"})
    result = gh.run()
    assert result.code == 2
    assert result.stderr == "::error title=lean-lint::lean-lint: internal error: RuntimeError: boom (please report this)\n"


def test_outside_github_errors_are_plain_lines_and_files_are_skipped(gh, monkeypatch):
    gh.write({".lean-lint.toml": META_ONLY, "bad.py": "x = (\n"})
    for key in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"):
        del gh.env[key]
    monkeypatch.chdir(gh.workspace)
    assert gh.run().code == 1  # the current directory is the workspace
    assert (gh.workspace / "lean-lint.sarif").is_file()
    assert gh.outputs() == {} and gh.summary() == ""
    result = gh.run(fail_on="critical")
    assert result.code == 2
    assert result.stderr == "lean-lint: error: input `fail-on` must be one of error, warning, note, never, got 'critical'\n"


# -- the console command the Docker image runs ----------------------------------------------------


def action_command() -> Path:
    script = Path(sys.executable).parent / "lean-lint-action"
    assert script.is_file(), "lean-lint-action is not installed: `pip install -e '.[test]'`"
    return script


def test_the_installed_command_is_the_entrypoint(gh):
    gh.write({".lean-lint.toml": META_ONLY, "bad.py": "x = (\n"})
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env.update(gh.env)
    proc = subprocess.run([str(action_command())], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    assert [a.split("::")[1] for a in runner_commands(proc.stdout) if a.startswith("::error")] == [
        "error file=bad.py,line=1,col=5,endLine=1,endColumn=5,title=LE001"
    ]
    assert gh.outputs() == {"sarif-file": "lean-lint.sarif", "findings": "1", "errors": "1", "warnings": "0"}


def test_the_command_takes_no_arguments():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    proc = subprocess.run([str(action_command()), "--version"], env=env, capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout) == (0, f"lean-lint {__version__}\n")
    proc = subprocess.run([str(action_command()), "src"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "lean-lint: error: unrecognized arguments: src (see `lean-lint-action --help`)"
    ]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root (as in the Docker action) can chown")
def test_files_the_action_creates_belong_to_the_checkouts_owner(gh):
    gh.write({".lean-lint.toml": META_ONLY, "wsgi.py": "x = 1\n"})
    os.chown(gh.workspace, 1001, 1002)  # the runner's user owns the checkout; the container runs as root
    gh.run(sarif_file="reports/sarif/lean-lint.sarif")
    for rel in ("reports", "reports/sarif", "reports/sarif/lean-lint.sarif"):
        st = (gh.workspace / rel).stat()
        assert (st.st_uid, st.st_gid) == (1001, 1002), rel


def test_baseline_and_inline_suppressions_are_left_out_of_the_uploaded_sarif(gh):
    """Code scanning does not read SARIF's `suppressions`: a result marked suppressed would open an
    alert, so the Action's report leaves such findings out."""
    gh.write({
        "api/.lean-lint.toml": META_ONLY, "api/old.py": "print 'x'\n", "api/new.py": "x = 1\n",
        "api/quiet.py": "print 'q'  # lean-lint: ignore[LE001]\n",
    })
    from analyzer.cli.main import main as cli_main

    assert cli_main([str(gh.workspace / "api"), "--write-baseline", str(gh.workspace / "baseline.json")]) == 0
    gh.capsys.readouterr()
    gh.write({"api/new.py": "y = (\n"})
    result = gh.run(path="api", baseline="baseline.json")
    assert result.code == 1
    assert [a.split("::")[1].split(",")[0] for a in result.annotations if a.startswith("::error")] == ["error file=api/new.py"]
    assert gh.outputs()["errors"] == "1"
    assert sarif_places(gh.sarif()) == [("LE001", "api/new.py", 1, 5)]
    assert "suppressions" not in gh.sarif()["runs"][0]["results"][0]


def test_baseline_outside_the_workspace_is_a_usage_error(gh):
    gh.write({"app.py": "x = 1\n"})
    result = gh.run(baseline="../baseline.json")
    assert result.code == 2
