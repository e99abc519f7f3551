"""The text format and the CLI around it: paths from where the user stands, repository-relative paths
for tools, --output-format full, --statistics, --show-fixes, hidden fixes, colour, the progress
indicator and the closing line (driven by an injected clock and isatty, never by sleeping)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from analyzer.cli import main as cli_main
from analyzer.cli.progress import Progress
from analyzer.support.paths import display_prefix, repository_prefix, repository_root
from tests.helpers import write_project

#: LE201 with an unsafe fix (HOST may serve elsewhere), LE202 with a safe one that also adds an import.
API = {
    ".python-version": "3.12\n",
    "leanengine.yaml": "run: python wsgi.py\n",
    "requirements.txt": "flask>=2,<3\n",
    "wsgi.py": """
        from flask import Flask

        app = Flask(__name__)
        HOST = "127.0.0.1"


        @app.route("/")
        def index():
            return "ok"


        app.run(host=HOST, port=5000)
        """,
}
LE201 = "LE201 `app.run()` listens on loopback '127.0.0.1': the platform's health check cannot reach it"
LE201_FIX = (
    "  fix: Listen on all interfaces: host='0.0.0.0' (`-b 0.0.0.0:${LEANCLOUD_APP_PORT}` for gunicorn, "
    "`--host 0.0.0.0` for uvicorn and flask run)."
)
LE202 = "LE202 [*] `app.run()` listens on literal port 5000: the platform sends traffic to LEANCLOUD_APP_PORT"
LE202_FIX = (
    "  fix: Read the port from the environment: port=int(os.environ['LEANCLOUD_APP_PORT']) "
    "(`-b 0.0.0.0:${LEANCLOUD_APP_PORT}` or `--port ${LEANCLOUD_APP_PORT}` on the run: line)."
)
SUMMARY = [
    "Found 2 problems (2 errors, 0 warnings, 0 notes).",
    "[*] 1 fixable with `lean-lint --fix`.",
    "1 hidden fix can be enabled with `--unsafe-fixes` (`lean-lint --fix --unsafe-fixes`, or `--diff "
    "--unsafe-fixes` to see them).",
]
HOST_DIFF = [
    "  Listen on all interfaces: '0.0.0.0' instead of `HOST` (unsafe: only with `--unsafe-fixes`):",
    "  --- services/api/wsgi.py",
    "  @@ line 12 @@",
    "  -app.run(host=HOST, port=5000)",
    '  +app.run(host="0.0.0.0", port=5000)',
]
PORT_DIFF = [
    """  Listen on the port in LEANCLOUD_APP_PORT: int(os.environ.get("LEANCLOUD_APP_PORT", "3000")):""",
    "  --- services/api/wsgi.py",
    "  @@ line 1 @@",
    "  -from flask import Flask",
    "  +import os",
    "  +from flask import Flask",
    "  @@ line 12 @@",
    "  -app.run(host=HOST, port=5000)",
    """  +app.run(host=HOST, port=int(os.environ.get("LEANCLOUD_APP_PORT", "3000")))""",
]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository with the project in services/api, the user at its top level."""
    (tmp_path / ".git").mkdir()
    write_project(tmp_path / "services" / "api", API)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def lint(capsys, *args):
    code = cli_main.main(["--no-cache", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_paths_are_relative_to_the_current_directory(repo, capsys):
    code, out, _ = lint(capsys, "services/api")
    assert code == 1
    assert out.splitlines() == [
        f"services/api/wsgi.py:12:14: {LE201}", LE201_FIX,
        f"services/api/wsgi.py:12:25: {LE202}", LE202_FIX,
        "", *SUMMARY,
    ]


def test_from_a_subfolder_and_from_outside(repo, capsys, monkeypatch):
    monkeypatch.chdir(repo / "services")
    assert lint(capsys, "./api/")[1].startswith("api/wsgi.py:12:14: LE201")
    monkeypatch.chdir(repo / "services" / "api")
    assert lint(capsys)[1].startswith("wsgi.py:12:14: LE201")
    elsewhere = repo / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert lint(capsys, repo / "services" / "api")[1].startswith(f"{repo}/services/api/wsgi.py:12:14: LE201")
    assert lint(capsys, "../services/api")[1].startswith("../services/api/wsgi.py:12:14: LE201")


def test_sarif_and_github_paths_are_relative_to_the_repository_root(repo, capsys, monkeypatch):
    monkeypatch.chdir(repo / "services")
    _, out, _ = lint(capsys, "api", "--format", "sarif")
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in json.loads(out)["runs"][0]["results"]
            for loc in r["locations"]}
    assert uris == {"services/api/wsgi.py"}
    _, out, _ = lint(capsys, "api", "--format", "github")
    assert [line.split(",")[0] for line in out.splitlines()] == ["::error file=services/api/wsgi.py"] * 2
    _, out, _ = lint(capsys, "api", "--format", "json")
    assert {f["path"] for f in json.loads(out)["findings"]} == {"wsgi.py"}  # JSON: relative to its `root`


def test_without_a_repository_tools_get_paths_from_the_current_directory(tmp_path, capsys, monkeypatch):
    write_project(tmp_path / "services" / "api", API)
    monkeypatch.chdir(tmp_path)
    _, out, _ = lint(capsys, "services/api", "--format", "github")
    assert out.startswith("::error file=services/api/wsgi.py,")


def test_path_helpers(tmp_path):
    (tmp_path / "repo" / "a" / "b").mkdir(parents=True)
    (tmp_path / "repo" / ".git").write_text("gitdir: elsewhere\n")  # a worktree's .git is a file
    assert repository_root(tmp_path / "repo" / "a" / "b") == tmp_path / "repo"
    assert repository_prefix(tmp_path / "repo" / "a" / "b", tmp_path) == "a/b/"
    assert repository_prefix(tmp_path / "repo", tmp_path / "repo" / "a") == ""
    assert display_prefix(tmp_path / "repo" / "a", "repo/a", tmp_path) == "repo/a/"
    assert display_prefix(tmp_path, ".", tmp_path) == ""
    assert display_prefix(tmp_path / "repo", "../repo/", tmp_path / "repo" / "a") == "../repo/"


def test_full_output_shows_the_source_a_caret_and_the_fix_as_a_diff(repo, capsys):
    code, out, _ = lint(capsys, "services/api", "--output-format", "full")
    assert code == 1
    assert out.splitlines() == [
        f"services/api/wsgi.py:12:14: {LE201}",
        "   |",
        "12 | app.run(host=HOST, port=5000)",
        "   |              ^^^^",
        LE201_FIX,
        *HOST_DIFF,
        "",
        f"services/api/wsgi.py:12:25: {LE202}",
        "   |",
        "12 | app.run(host=HOST, port=5000)",
        "   |                         ^^^^",
        LE202_FIX,
        *PORT_DIFF,
        "",
        *SUMMARY,
    ]


def test_show_fixes_adds_the_diffs_to_the_concise_output(repo, capsys):
    _, out, _ = lint(capsys, "services/api", "--show-fixes")
    assert out.splitlines() == [
        f"services/api/wsgi.py:12:14: {LE201}", LE201_FIX, *HOST_DIFF,
        f"services/api/wsgi.py:12:25: {LE202}", LE202_FIX, *PORT_DIFF,
        "", *SUMMARY,
    ]


def test_fix_with_show_fixes_lists_what_was_fixed(repo, capsys):
    code, out, err = lint(capsys, "services/api", "--fix", "--show-fixes")
    assert code == 1 and err == "lean-lint: fixed 1 problem\n"
    assert out.splitlines()[-4:] == [
        "", "Fixed 1 problem:", "- services/api/wsgi.py:", "    1 × LE202 (listen-port-not-from-env)",
    ]


def test_statistics_count_per_rule(repo, capsys):
    write_project(repo / "services" / "api", {"requirements.txt": "flask>=2\nrequests\n"})
    code, out, _ = lint(capsys, "services/api", "--statistics")
    assert code == 1
    assert out.splitlines() == [
        "2  LE401      requirement-without-upper-bound",  # no fix without --resolve's versions
        "1  LE201      listens-on-loopback",
        "1  LE202  [*] listen-port-not-from-env",
        "",
        "Found 4 problems (2 errors, 2 warnings, 0 notes).",
        "[*] 1 fixable with `lean-lint --fix`.",
        SUMMARY[2],
    ]


@pytest.mark.parametrize("flag", [["--statistics"], ["--show-fixes"], ["--output-format", "full"]])
def test_text_only_options_with_another_format_are_usage_errors(repo, capsys, flag):
    code, out, err = lint(capsys, "services/api", "--format", "json", *flag)
    assert (code, out) == (2, "")
    assert err == f"lean-lint: error: {flag[0]} goes with the text format, not --format json\n"


def test_force_color_wins_over_no_color_and_a_pipe(repo, capsys, monkeypatch):
    assert "\033[" not in lint(capsys, "services/api")[1]  # capsys is no terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    out = lint(capsys, "services/api")[1]
    assert out.startswith("\033[1mservices/api/wsgi.py:12:14:\033[0m \033[31mLE201\033[0m ")
    monkeypatch.setenv("FORCE_COLOR", "")  # empty: not set
    assert "\033[" not in lint(capsys, "services/api")[1]


def test_diff_is_coloured_on_a_terminal_only(repo, capsys, monkeypatch):
    plain = lint(capsys, "services/api", "--diff")[1]
    assert "\n+app.run(host=HOST, port=int(" in plain and "\033[" not in plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = lint(capsys, "services/api", "--diff")[1]
    assert "\n\033[32m+app.run(host=HOST, port=int(" in coloured
    assert "\n\033[31m-app.run(host=HOST, port=5000)\033[0m\n" in coloured
    assert coloured.startswith("\033[1m--- a/wsgi.py\033[0m\n\033[1m+++ b/wsgi.py\033[0m\n\033[36m@@")


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


class _Clock:
    """Each reading is `step` seconds after the last: a run as slow as the test wants, instantly."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.mark.parametrize("tty,step,shown", [(True, 1.0, True), (False, 1.0, False), (True, 0.0001, False)])
def test_progress_shows_on_a_terminal_for_a_long_run_only(tty, step, shown):
    stream = _Stream(tty)
    progress = Progress(stream, clock=_Clock(step))
    for done in range(1, 4):
        progress("checking", done, 3)
    progress.finish()
    text = stream.getvalue()
    if shown:
        assert text.startswith("\r\033[Klean-lint: checking ")
        assert "checking 3/3 Python files" in text and text.endswith("\r\033[K")
    else:
        assert text == ""


@pytest.mark.parametrize("tty", [True, False])
def test_a_long_run_ends_with_files_and_time_and_the_indicator_only_on_a_terminal(repo, capsys, monkeypatch, tty):
    stderr = _Stream(tty)
    monkeypatch.setattr(cli_main, "_clock", _Clock(2.5))
    monkeypatch.setattr(cli_main.sys, "stderr", stderr)
    code = cli_main.main(["--no-cache", "services/api"])
    out, _ = capsys.readouterr()
    assert code == 1 and out.startswith("services/api/wsgi.py:12:14:")
    err = stderr.getvalue()
    closing = "lean-lint: analyzed 4 files in "  # wsgi.py, leanengine.yaml, requirements.txt, .python-version
    if tty:
        # No code rule has a keyword in wsgi.py, so there is no checking stage (the test above has one).
        assert err.startswith("\r\033[Klean-lint: reading 1/1 Python files\r\033[K" + closing)
        assert err.endswith("\r\033[K" + closing + err.rsplit(closing, 1)[1])
    else:
        assert err.startswith(closing)
    assert err.endswith(" s\n") and err.count("\n") == 1


def test_a_quick_run_prints_no_closing_line(repo, capsys, monkeypatch):
    monkeypatch.setattr(cli_main, "_clock", _Clock(0.0001))
    code, _, err = lint(capsys, "services/api")
    assert code == 1 and err == ""


def test_replay_does_not_repeat_the_progress_or_the_closing_line(repo, capsys, monkeypatch, tmp_path):
    from analyzer.cli import replay

    monkeypatch.setenv("LEAN_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cli_main, "_clock", _Clock(1.0))
    stderr = _Stream(True)
    monkeypatch.setattr(replay.sys, "stderr", stderr)
    assert replay.main(["services/api", "--statistics"]) == 1
    first_out, _ = capsys.readouterr()
    assert "lean-lint: analyzed 4 files in " in stderr.getvalue()
    record = json.loads(next(Path(tmp_path / "cache").glob("run-*.json")).read_text())
    assert record["stderr"] == "" and record["stdout"] == first_out
