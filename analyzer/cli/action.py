"""`lean-lint-action`: the GitHub Action's entrypoint (the Docker image's ENTRYPOINT).

It reads what a Docker action receives: its inputs as `INPUT_<ID>` variables (the runner upper-cases
the input id and keeps its hyphens: `INPUT_FAIL-ON`; the underscore spelling is read too, for shells
that cannot set such names), and the runner's GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY.
It analyzes `$GITHUB_WORKSPACE/<path>`, then

* writes the SARIF report with repository-relative URIs: in the container the checkout is mounted at
  /github/workspace, not where it is on the runner, and upload-sarif only matches relative URIs to
  the repository's files. Findings suppressed inline or by the baseline are left out: code scanning
  does not read SARIF's `suppressions` and would open alerts for them;
* prints the findings as annotations, most severe first, no more than GitHub shows per step, and
  says how many more the job summary lists;
* appends a Markdown job summary, kept under GitHub's 1 MiB limit;
* writes the step's outputs;
* exits like `lean-lint`: 0, 1 when findings reach `fail-on`, 2 on a usage or config error (one
  line, never a traceback).

Outside GitHub (no GITHUB_* variables) it analyzes the current directory and skips the outputs and
the summary, so the command the image runs can be run, and is tested, anywhere.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, TextIO
from urllib.parse import quote

from analyzer import __version__
from analyzer.engine.baseline import read_baseline
from analyzer.engine.registry import rule_by_code
from analyzer.engine.run import analyze
from analyzer.errors import ConfigError, UsageError
from analyzer.output import github, sarif, text
from analyzer.output.github import escape_data
from analyzer.readers.config import FAIL_ON_VALUES, fail_on_threshold, load_config
from analyzer.support.quiet import project_warnings_silenced
from analyzer.support.safecreate import Refused, replace_file
from analyzer.types import Finding, Severity, count_by_severity

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

#: The inputs action.yml declares, with the same defaults (tests/test_action.py keeps them in step).
INPUT_DEFAULTS = {
    "path": ".",
    "fail-on": "error",
    "sarif-file": "lean-lint.sarif",
    "config": "",
    "baseline": "",
    "annotations": "true",
    "summary": "true",
    "resolve": "false",
}
#: GitHub shows at most this many annotations of each level (error, warning, notice) per step.
ANNOTATIONS_PER_LEVEL = 10
#: GitHub refuses a step summary over 1 MiB.
SUMMARY_LIMIT = 1024 * 1024

_LEVEL_WORDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


@dataclass(frozen=True)
class Inputs:
    path: str
    fail_on: str
    sarif_file: str
    config: str
    baseline: str
    annotations: bool
    summary: bool
    resolve: bool = False


def read_inputs(env: Mapping[str, str]) -> Inputs:
    def get(name: str) -> str:
        for key in (f"INPUT_{name.upper()}", f"INPUT_{name.upper().replace('-', '_')}"):
            value = env.get(key, "").strip()
            if value:
                return value
        return INPUT_DEFAULTS[name]

    def boolean(name: str) -> bool:
        value = get(name)
        if value.lower() not in ("true", "false"):
            raise UsageError(f"input `{name}` must be `true` or `false`, got {value!r}")
        return value.lower() == "true"

    fail_on = get("fail-on").lower()
    if fail_on not in FAIL_ON_VALUES:
        raise UsageError(f"input `fail-on` must be one of {', '.join(FAIL_ON_VALUES)}, got {get('fail-on')!r}")
    return Inputs(
        path=get("path"),
        fail_on=fail_on,
        sarif_file=get("sarif-file"),
        config=get("config"),
        baseline=get("baseline"),
        annotations=boolean("annotations"),
        summary=boolean("summary"),
        resolve=boolean("resolve"),
    )


def _inside(workspace: Path, value: str, input_name: str) -> Path:
    """`value` (relative to the workspace) as a path that must stay inside it, links followed."""
    path = (workspace / value).resolve()
    if path != workspace and workspace not in path.parents:
        raise UsageError(f"input `{input_name}`: {value!r} is outside the repository ({workspace})")
    return path


def _writable_inside(workspace: Path, value: str, input_name: str) -> Path:
    """`value` (relative to the workspace) as a file to write: inside it without following any
    symlink, since the checkout is the pull request's and a link it commits (`lean-lint.sarif ->
    .git/config`, `reports -> .git`) must not redirect the write. Missing folders are fine."""
    path = Path(os.path.normpath(workspace / value))
    if path != workspace and workspace not in path.parents:
        raise UsageError(f"input `{input_name}`: {value!r} is outside the repository ({workspace})")
    for step in [*reversed(path.relative_to(workspace).parents[:-1]), path.relative_to(workspace)]:
        if (workspace / step).is_symlink():
            raise UsageError(
                f"input `{input_name}`: {step.as_posix()!r} is a symlink; lean-lint does not write through one"
            )
    return path


def _relative(workspace: Path, path: Path) -> str:
    rel = path.relative_to(workspace).as_posix()
    return "" if rel == "." else rel


# -- annotations ----------------------------------------------------------------------------------


def _most_severe_first(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity, f.sort_key()))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def annotation_lines(findings: list[Finding], prefix: str, *, summary: bool) -> list[str]:
    """Workflow commands for `findings`, at most ANNOTATIONS_PER_LEVEL of each level, then (when some
    were left out) one notice saying how many and where the rest are."""

    by_level: dict[Severity, list[Finding]] = {s: [] for s in Severity}
    for f in _most_severe_first(findings):
        by_level[f.severity].append(f)
    hidden = {s: max(len(fs) - ANNOTATIONS_PER_LEVEL, 0) for s, fs in by_level.items()}
    if any(hidden.values()) and len(by_level[Severity.NOTE]) >= ANNOTATIONS_PER_LEVEL:
        hidden[Severity.NOTE] += 1  # the notice below takes the last notice slot
    shown = [f for s, fs in by_level.items() for f in fs[: len(fs) - hidden[s]]]
    lines = github.annotations(shown, path_prefix=prefix)
    if any(hidden.values()):
        counts = ", ".join(
            _plural(hidden[s], f"more {_LEVEL_WORDS[s]}") for s in sorted(hidden, reverse=True) if hidden[s]
        )
        # `summary`: the job summary lists every finding (it may have had to leave some out).
        where = "the job summary lists them all" if summary else "the log above and the SARIF file list them all"
        text = f"GitHub shows {ANNOTATIONS_PER_LEVEL} annotations of each level per step: {counts} not shown here; {where}."
        lines.append(f"::notice title=lean-lint::{github.escape_data(text)}")
    return lines


# -- job summary ----------------------------------------------------------------------------------

_BACKTICKS = re.compile(r"`+")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _md_text(text: str) -> str:
    """`text` as Markdown that renders as exactly that text: HTML's three special characters as
    entities, every other ASCII punctuation character backslash-escaped (CommonMark lets any of them
    be), so no emphasis, link, image, autolink, code span or tag can start; `|` stays inside its
    table cell (GFM reads `\\|` there as a pipe)."""
    return "".join(_HTML.get(ch) or (f"\\{ch}" if ch in _ASCII_PUNCTUATION else ch) for ch in text)


def _code_spans(text: str) -> list[tuple[bool, str]]:
    """`text` cut into (is_code, part): a run of N backticks opens a code span that the next run of
    exactly N closes, as in CommonMark; an unmatched run is plain text. lean-lint pairs them itself
    and renders the spans as <code> tags, so GitHub's renderer never pairs a backtick from the
    project with one of lean-lint's."""
    parts: list[tuple[bool, str]] = []
    runs = list(_BACKTICKS.finditer(text))
    pos = plain_from = i = 0
    while i < len(runs):
        opener = runs[i]
        if opener.start() < pos:
            i += 1
            continue
        closer = next((r for r in runs[i + 1 :] if len(r.group()) == len(opener.group())), None)
        if closer is None:
            i += 1
            continue
        parts.append((False, text[plain_from : opener.start()]))
        code = " ".join(text[opener.end() : closer.start()].splitlines())
        if len(code) > 1 and code[0] == code[-1] == " " and code.strip(" "):
            code = code[1:-1]
        parts.append((True, code))
        pos = plain_from = closer.end()
        i = runs.index(closer) + 1
    parts.append((False, text[plain_from:]))
    return [(is_code, part) for is_code, part in parts if part or is_code]


def md_cell(text: str) -> str:
    """Text for a Markdown table cell that GitHub renders as that text: code spans as <code>, line
    breaks as <br>, everything else escaped (a finding's message quotes the project, which must not
    add a link, an image, raw HTML or a comment that swallows the rest of the summary)."""
    out = []
    for is_code, part in _code_spans(text):
        if is_code:
            out.append(f"<code>{_md_text(part)}</code>")
        else:
            out.append("<br>".join(_md_text(line) for line in part.splitlines()) if part.strip("\r\n") else "")
    return "".join(out).strip() or " "


def _location(f: Finding, prefix: str, env: Mapping[str, str]) -> str:
    if not f.path:
        return "(project)"
    path = prefix + f.path
    text = f"{path}:{f.span.line}"
    server, repo, sha = (env.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    if server and repo and sha:
        url = f"{server.rstrip('/')}/{repo}/blob/{sha}/{quote(path)}#L{f.span.line}"
        return f"[{_md_text(text)}]({url})"
    return f"<code>{_md_text(text)}</code>"


def _left_out(n: int) -> list[str]:
    return [
        "",
        f"_{_plural(n, 'more finding')} not listed, to keep this summary under GitHub's 1 MiB limit: "
        "the SARIF report and the step's log have them all._",
    ]


def render_summary(
    report, prefix: str, fail_on: str, failing: bool, sarif_rel: str, env: Mapping[str, str], limit: int
) -> tuple[str, int]:
    """The Markdown job summary, at most `limit` bytes (UTF-8): counts per rule and severity, then one
    row per finding with its place and fix; past the limit, rows are left out and the summary says so.
    Returns it with the number of findings it does not list."""

    active = _most_severe_first(report.active)
    where = f"<code>{_md_text(prefix)}</code>" if prefix else "the repository root"
    head = ["## lean-lint", ""]
    if active:
        c = count_by_severity(active)
        parts = ", ".join(_plural(c[w], w) for w in ("error", "warning", "note"))
        if fail_on == "never":
            verdict = "findings do not fail this step (`fail-on: never`)"
        elif failing:
            verdict = f"the step fails (`fail-on: {fail_on}`)"
        else:
            verdict = f"none reaches `fail-on: {fail_on}`, so the step passes"
        head.append(f"**{_plural(len(active), 'problem')}** in {where} ({parts}): {verdict}.")
        head += ["", "| Rule | Severity | Findings |", "| --- | --- | ---: |"]
        per_rule: dict[tuple[Severity, str], int] = {}
        for f in active:
            per_rule[(f.severity, f.code)] = per_rule.get((f.severity, f.code), 0) + 1
        for (sev, code), n in sorted(per_rule.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
            rule = rule_by_code(code)
            name = f" `{rule.name}`" if rule is not None else ""
            head.append(f"| {code}{name} | {_LEVEL_WORDS[sev]} | {n} |")
        head += ["", "| Where | Rule | Problem | Fix |", "| --- | --- | --- | --- |"]
    else:
        head.append(f"**No problems found** in {where}.")
    tail = [""]
    suppressed = len(report.findings) - len(report.active)
    if suppressed:
        tail += [f"{_plural(suppressed, 'finding')} suppressed by `# lean-lint: ignore` comments.", ""]
    if report.notices:
        tail += [f"- Note: {md_cell(notice)}" for notice in report.notices] + [""]
    tail += [f"<sub>lean-lint {__version__} · SARIF report: <code>{_md_text(sarif_rel)}</code></sub>", ""]

    def size(lines: list[str]) -> int:
        return sum(len(line.encode("utf-8")) + 1 for line in lines)

    rows = [
        f"| {_location(f, prefix, env)} | {f.code} | {md_cell(f.message)} | {md_cell(f.hint) if f.hint else ' '} |"
        for f in active
    ]
    budget = limit - size(head) - size(tail)
    left_out = 0
    if size(rows) > budget:
        budget -= size(_left_out(len(rows)))  # the longest such line: room for it is kept
        kept: list[str] = []
        for row in rows:
            if size([row]) > budget:
                break
            kept.append(row)
            budget -= size([row])
        left_out = len(rows) - len(kept)
        rows = kept + _left_out(left_out)
    text = "\n".join(head + rows + tail)
    if len(text.encode("utf-8")) > limit:  # a limit too small even for the tables: the counts only
        text, left_out = "\n".join(head[:3]) + "\n", len(active)
    return text, left_out


# -- outputs --------------------------------------------------------------------------------------


def _output_lines(values: Mapping[str, str]) -> str:
    out = []
    for name, value in values.items():
        if "\n" in value or "\r" in value:
            delimiter = f"ghadelimiter_{secrets.token_hex(8)}"
            out.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
        else:
            out.append(f"{name}={value}\n")
    return "".join(out)


def _append(path: str, text: str, what: str) -> None:
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {what} to {path}: {exc.strerror or exc}") from None


def _give_to_workspace_owner(workspace: Path, paths: list[Path]) -> None:
    """A Docker action runs as root: files it creates in the checkout would be root's, which later
    steps and the next checkout's clean-up on a self-hosted runner cannot remove. Hand them to the
    checkout's owner."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    owner = workspace.stat()
    for path in paths:
        try:
            os.chown(path, owner.st_uid, owner.st_gid)
        except OSError:
            pass


# -- the command ----------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        raise UsageError(f"{message} (see `lean-lint-action --help`)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="lean-lint-action",
        description="The lean-lint GitHub Action. It takes no arguments: it reads the action's inputs "
        "from INPUT_* variables (INPUT_PATH, INPUT_FAIL-ON, INPUT_SARIF-FILE, INPUT_CONFIG, "
        "INPUT_ANNOTATIONS, INPUT_SUMMARY, INPUT_RESOLVE) and the runner's GITHUB_WORKSPACE, GITHUB_OUTPUT and "
        "GITHUB_STEP_SUMMARY. For everyday use, run `lean-lint`.",
    )
    p.add_argument("--version", action="version", version=f"lean-lint {__version__}")
    return p


def run(env: Mapping[str, str], out: TextIO) -> int:
    inputs = read_inputs(env)
    workspace_var = env.get("GITHUB_WORKSPACE", "")
    workspace = Path(workspace_var or os.getcwd())
    if not workspace.is_dir():
        raise UsageError(f"GITHUB_WORKSPACE {workspace_var!r} is not a directory")
    workspace = workspace.resolve()

    root = _inside(workspace, inputs.path, "path")
    if not root.exists():
        raise UsageError(f"input `path`: {inputs.path!r} does not exist in the repository")
    if not root.is_dir():
        raise UsageError(f"input `path`: {inputs.path!r} is not a directory (lean-lint analyzes a project directory)")
    prefix = _relative(workspace, root)
    prefix = prefix + "/" if prefix else ""
    sarif_path = _writable_inside(workspace, inputs.sarif_file, "sarif-file")
    if sarif_path == workspace or sarif_path.is_dir():
        raise UsageError(f"input `sarif-file`: {inputs.sarif_file!r} is a directory, not a file name")
    sarif_rel = _relative(workspace, sarif_path)

    config = load_config(root, _inside(workspace, inputs.config, "config") if inputs.config else None)
    if inputs.resolve:
        config = dataclasses.replace(config, resolve=True)
    baseline = None
    if inputs.baseline:
        baseline = read_baseline(_inside(workspace, inputs.baseline, "baseline"))
    report = analyze(root, config=config, baseline=baseline, use_cache=not inputs.resolve)
    active = report.active

    try:
        missing = [d for d in [sarif_path.parent, *sarif_path.parent.parents] if not d.exists()]
        sarif_path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(sarif_path, sarif.render(report, uri_prefix=prefix, suppressed=False).encode("utf-8"))
    except Refused as why:
        raise UsageError(f"cannot write the SARIF report {sarif_rel}: {why}") from None
    except OSError as exc:
        raise UsageError(f"cannot write the SARIF report {sarif_rel}: {exc.strerror or exc}") from None
    _give_to_workspace_owner(workspace, [sarif_path, *missing])

    # The full list in the log, with workflow commands stopped: file names and messages come from the
    # analyzed repository, and a line of theirs must not be read as a command. Nothing from the
    # repository comes before the stop (the group's title is counts only: the path resolved through
    # the checkout's links is the repository's), and the token is new on every run.
    c = count_by_severity(active)
    title = (
        f"{_plural(len(active), 'problem')} "
        f"({_plural(c['error'], 'error')}, {_plural(c['warning'], 'warning')}, {_plural(c['note'], 'note')})"
        if active
        else "no problems found"
    )
    token = secrets.token_hex(16)
    out.write(f"::group::lean-lint: {title}\n::stop-commands::{token}\n")
    out.write(f"lean-lint: analyzed {text.visible(prefix or '.')}\n")
    for notice in report.notices:
        out.write(f"lean-lint: note: {text.visible(notice)}\n")
    out.write(text.render(report, color=False))
    out.write(f"::{token}::\n::endgroup::\n")

    threshold = fail_on_threshold(inputs.fail_on)
    failing = threshold is not None and any(f.severity >= threshold for f in active)
    summary_file = env.get("GITHUB_STEP_SUMMARY", "")
    summary, left_out = None, len(active)
    if inputs.summary and summary_file:
        try:
            used = os.path.getsize(summary_file)
        except OSError:
            used = 0
        limit = max(SUMMARY_LIMIT - used - 1, 0)
        summary, left_out = render_summary(report, prefix, inputs.fail_on, failing, sarif_rel, env, limit)
    if inputs.annotations:
        for line in annotation_lines(active, prefix, summary=summary is not None and not left_out):
            out.write(line + "\n")
    out.flush()
    if summary is not None:
        _append(summary_file, summary, "the job summary")

    output_file = env.get("GITHUB_OUTPUT", "")
    if output_file:
        values = {
            "sarif-file": sarif_rel,
            "findings": str(len(active)),
            "errors": str(c["error"]),
            "warnings": str(c["warning"]),
        }
        _append(output_file, _output_lines(values), "the step outputs")

    return EXIT_FINDINGS if failing else EXIT_OK


def _error_line(message: str, env: Mapping[str, str]) -> str:
    if env.get("GITHUB_ACTIONS") == "true":  # an annotation, so the failure shows on the run page

        return f"::error title=lean-lint::{escape_data(message)}"
    return message


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    env = os.environ
    try:
        _parser().parse_args(argv)
        with project_warnings_silenced():
            return run(env, sys.stdout)
    except (UsageError, ConfigError) as exc:
        sys.stdout.flush()
        print(_error_line(f"lean-lint: error: {exc}", env), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("lean-lint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, exit 2
        sys.stdout.flush()
        print(
            _error_line(f"lean-lint: internal error: {type(exc).__name__}: {exc} (please report this)", env),
            file=sys.stderr,
        )
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
