"""The `lean-lint` command: wiring only (arguments in, a rendered report out, an exit code).

Exit codes, as in ruff: 0 no finding at or above `--fail-on`; 1 findings at or above it; 2 a usage,
config or internal error, always as one line on stderr and never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import os
import sys
import time
from pathlib import Path

from analyzer import __version__
from analyzer.readers.config import FAIL_ON_VALUES, fail_on_threshold, parse_codes_arg
from analyzer.errors import ConfigError
from analyzer.output import FORMATS, render
from analyzer.output.text import OUTPUT_FORMATS, closing_line, color_unified_diff, fixed_lines
from analyzer.errors import UsageError
from analyzer.cli.progress import LONG_RUN_SECONDS, Progress
from analyzer.output.text import visible
from analyzer.support.cachedir import NoCacheHome, cache_home, clean, human_size
from analyzer.support.paths import display_prefix, repository_prefix
from analyzer.support.quiet import project_warnings_silenced
from analyzer.support.safecreate import Refused, replace_file

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise UsageError(f"{message} (see `lean-lint --help`)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="lean-lint",
        description="Find what will break a Python app's deploy on LeanCloud / TapTap Cloud Engine, before you deploy.",
        epilog="Other commands: `lean-lint rules` lists every rule; `lean-lint explain CODE|NAME` shows one rule's docs; "
        "`lean-lint init [PATH]` sets a project up (leanengine.yaml schema line, pre-commit, GitHub workflow); "
        "`lean-lint clean` removes the cache; "
        "`lean-lint server` is a language server for editors (LSP on stdio).",
    )
    p.add_argument("path", nargs="?", default=".", help="the project directory (default: .)")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument(
        "--output-format", choices=OUTPUT_FORMATS, default="concise",
        help="text format: one line per finding and its fix (concise, the default), or with the source "
        "line, a caret under the problem and the fix as a diff (full)",
    )
    p.add_argument("--statistics", action="store_true", help="text format: count the findings per rule instead of listing them")
    p.add_argument("--show-fixes", action="store_true", help="text format: show each finding's fix as a diff; with --fix, list what was fixed")
    p.add_argument("--fail-on", choices=FAIL_ON_VALUES, help="lowest severity that makes the exit code 1 (default: error)")
    p.add_argument("--select", metavar="CODES", help="comma-separated rule codes or prefixes to run (LE2,LE501)")
    p.add_argument("--ignore", metavar="CODES", help="comma-separated rule codes or prefixes to skip")
    p.add_argument("--config", metavar="FILE", help="read settings from FILE instead of pyproject.toml / .lean-lint.toml")
    fixing = p.add_argument_group("fixing and adopting")
    fixing.add_argument("--fix", action="store_true", help="apply the safe fixes, then report what is left")
    fixing.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply fixes that may change behaviour")
    fixing.add_argument("--diff", action="store_true", help="print the fixes as a unified diff instead of writing them")
    fixing.add_argument("--exit-non-zero-on-fix", action="store_true", help="with --fix, exit 1 when anything was fixed")
    fixing.add_argument("--baseline", metavar="FILE", help="report only findings that are not in this baseline")
    fixing.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE and exit 0")
    fixing.add_argument("--add-ignore", action="store_true", help="add a `# lean-lint: ignore[...]` comment for every current finding")
    p.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes for large projects (default: every core)")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache (see README: Speed)")
    p.add_argument("--resolve", action="store_true",
                   help="also run pip's resolver on requirements.txt for the platform's Python (needs the network; see README)")
    p.add_argument("--version", action="version", version=f"lean-lint {__version__}")
    return p


def _rules(args: list[str]) -> str:
    # start-up: the engine (and libcst) load only for the commands that need them
    from analyzer.engine.registry import all_rules

    p = _Parser(prog="lean-lint rules", description="List every rule.")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    fmt = p.parse_args(args).format
    if fmt == "json":
        rows = [
            {
                "code": r.code, "name": r.name, "severity": r.severity.label, "fixable": r.fixable,
                "summary": r.summary, "tags": list(r.tags), "security_severity": r.security_severity,
                "docs_url": r.info().docs_url,
            }
            for r in all_rules()
        ]
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    rows = [(r.code, r.severity.label, "[*]" if r.fixable else "", r.name, r.summary) for r in all_rules()]
    width = max(len(r[3]) for r in rows)
    lines = [f"{code}  {sev:<7}  {fix:<3}  {name:<{width}}  {summary}" for code, sev, fix, name, summary in rows]
    return "\n".join(lines) + "\n\n[*] the rule can fix some of what it finds (`lean-lint --fix`)\n"


def _explain(args: list[str]) -> str:
    # start-up: the engine (and libcst) load only for the commands that need them
    from analyzer.engine.registry import all_rules, rule_by_code, suggest_code

    if len(args) != 1:
        raise UsageError("usage: lean-lint explain CODE|NAME (for example: lean-lint explain LE201)")
    wanted = args[0].strip()
    rules = all_rules()
    rule = rule_by_code(wanted) or next((r for r in rules if r.name == wanted.lower()), None)
    if rule is None:
        near = suggest_code(wanted, [r.code for r in rules]) if wanted.upper().startswith("LE") else None
        names = difflib.get_close_matches(wanted.lower(), [r.name for r in rules], n=1)
        near = near or (names[0] if names else None)
        hint = f"did you mean {near!r}?" if near else "`lean-lint rules` lists them"
        raise UsageError(f"no rule {wanted!r} ({hint})")
    return rule.docs_markdown()


def _use_color(stream) -> bool:
    """Colour on a terminal; `FORCE_COLOR` (set, not empty) forces it anywhere and wins over
    `NO_COLOR`, which (set, not empty) turns it off, as ruff does."""
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


#: The clock of the progress indicator and the closing line (tests replace it: no sleeping).
_clock = time.monotonic


def _unrecorded(stream):
    """Where to write what an unchanged re-run must not replay (the progress indicator, the run's
    time): the real stream under the replay's recorder."""
    return getattr(stream, "unrecorded", stream)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        with project_warnings_silenced():
            return _main(argv)
    except (UsageError, ConfigError) as exc:
        print(f"lean-lint: error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("lean-lint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except (SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - the last line of defence: one line, exit 2
        # BaseException: a panic in native code (pyo3's PanicException) is no Exception.
        try:
            first = (str(exc).splitlines() or [""])[0]
        except Exception:  # noqa: BLE001 - an exception whose str() fails
            first = ""
        print(f"lean-lint: internal error: {type(exc).__name__}: {visible(first)} (please report this)", file=sys.stderr)
        return EXIT_ERROR


def _main(argv: list[str]) -> int:
    if argv and argv[0] == "rules":
        sys.stdout.write(_rules(argv[1:]))
        return EXIT_OK
    if argv and argv[0] == "explain":
        sys.stdout.write(_explain(argv[1:]))
        return EXIT_OK
    if argv and argv[0] == "init":
        return _init(argv[1:])
    if argv and argv[0] == "clean":
        return _clean(argv[1:])
    if argv and argv[0] == "server":
        return _server(argv[1:])

    args = _parser().parse_args(argv)
    # start-up: the engine (and libcst) load only for the commands that need them
    from analyzer.readers.config import load_config

    root = _project_dir(args.path)
    shown = display_prefix(root, args.path, Path.cwd())
    if args.format != "text":
        for flag, used in (("--statistics", args.statistics), ("--show-fixes", args.show_fixes),
                           ("--output-format", args.output_format != "concise")):
            if used:
                raise UsageError(f"{flag} goes with the text format, not --format {args.format}")
    config = load_config(root, Path(args.config) if args.config else None)
    if args.resolve:
        config = dataclasses.replace(config, resolve=True)
    select = parse_codes_arg(args.select) if args.select else None
    ignore = parse_codes_arg(args.ignore) if args.ignore else ()
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes goes with --fix or --diff")
    if args.exit_non_zero_on_fix and not args.fix:
        raise UsageError("--exit-non-zero-on-fix goes with --fix")
    baseline = None
    if args.baseline:
        # start-up: the engine (and libcst) load only for the commands that need them
        from analyzer.engine.baseline import read_baseline

        baseline = read_baseline(Path(args.baseline))
    progress = Progress(_unrecorded(sys.stderr), clock=_clock)

    def run():
        # start-up: the engine (and libcst) load only for the commands that need them
        from analyzer.engine.run import analyze

        return analyze(
            root,
            select=select,
            ignore=ignore,
            config=config,
            baseline=baseline,
            jobs=args.jobs,
            use_cache=not args.no_cache and not args.resolve,  # the index changes: never replay a resolution
            progress=progress,
            with_line_hashes=args.format == "sarif",
        )

    try:
        report = run()
    finally:
        progress.finish()
    for notice in report.notices:  # one line each, whatever the project put in them
        print(f"lean-lint: note: {visible(notice)}", file=sys.stderr)

    if args.write_baseline:
        # start-up: the engine (and libcst) load only for the commands that need them
        from analyzer.engine.baseline import write_baseline

        count = write_baseline(Path(args.write_baseline), report.active)
        print(f"lean-lint: wrote {count} findings to the baseline {visible(args.write_baseline)}", file=sys.stderr)
        return EXIT_OK
    if args.diff:
        return _diff(root, report, args.unsafe_fixes, color=_use_color(sys.stdout))
    if args.add_ignore:
        return _add_ignore(root, report, config)

    fixed_count = 0
    fixed = []
    if args.fix:
        # start-up: the engine (and libcst) load only for the commands that need them
        from analyzer.engine.fixes import fix_until_stable

        def rerun():
            try:
                return run()
            finally:
                progress.finish()

        report, fixed_count = fix_until_stable(root, report, rerun, unsafe=args.unsafe_fixes, collect=fixed)

    fail_on = args.fail_on or config.fail_on
    if args.format == "text":
        text = render(
            report, "text", color=not args.output and _use_color(sys.stdout), path_prefix=shown,
            output_format=args.output_format, show_fixes=args.show_fixes and not args.fix,
            statistics=args.statistics,
        )
        if args.fix and args.show_fixes:
            text += fixed_lines(report, fixed, shown)
    else:
        prefix = repository_prefix(root, Path.cwd()) if args.format in ("github", "sarif") else ""
        text = render(report, args.format, path_prefix=prefix)
    if args.output:
        try:
            replace_file(Path(args.output), text.encode("utf-8"))
        except Refused as why:
            raise UsageError(f"cannot write {args.output}: {why}") from None
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    if args.fix:
        print(f"lean-lint: fixed {fixed_count} problem{'' if fixed_count == 1 else 's'}", file=sys.stderr)
    seconds = progress.elapsed()
    if seconds >= LONG_RUN_SECONDS:
        sys.stdout.flush()  # after the report, also when both go to one terminal
        print(closing_line(report, seconds), file=_unrecorded(sys.stderr))
    threshold = fail_on_threshold(fail_on)
    failing = threshold is not None and any(f.severity >= threshold for f in report.active)
    if failing or (args.exit_non_zero_on_fix and fixed_count):
        return EXIT_FINDINGS
    return EXIT_OK


def _project_dir(path: str) -> Path:
    root = Path(path)
    if not root.exists():
        raise UsageError(f"{path}: no such file or directory")
    if not root.is_dir():
        raise UsageError(f"{path}: not a directory (lean-lint analyzes a project directory)")
    return root


def _diff(root: Path, report, unsafe: bool, *, color: bool = False) -> int:
    # start-up: the engine (and libcst) load only for the commands that need them
    from analyzer.engine.fixes import plan_fixes, unified_diff

    plans = plan_fixes(root, report.active, unsafe=unsafe)
    for plan in plans:
        sys.stdout.write(color_unified_diff(unified_diff(plan)) if color else unified_diff(plan))
    count = sum(len(p.fixed) for p in plans)
    print(f"lean-lint: {count} fix{'' if count == 1 else 'es'} would be applied", file=sys.stderr)
    return EXIT_FINDINGS if plans else EXIT_OK


def _add_ignore(root: Path, report, config) -> int:
    # start-up: the engine (and libcst) load only for the commands that need them
    from analyzer.engine.run import file_text
    # start-up: the engine (and libcst) load only for the commands that need them
    from analyzer.model.project import Project
    # start-up: the engine (and libcst) load only for the commands that need them
    from analyzer.engine.fixes import FileText, FixResult, normalized, still_valid, write_fixes
    # start-up: the engine (and libcst) load only for the commands that need them
    from analyzer.readers.suppressions import COMMENTABLE_SUFFIXES, add_ignore_edits

    by_path: dict[str, list] = {}
    for f in report.active:
        if f.path.endswith(COMMENTABLE_SUFFIXES) and f.code not in ("LE000", "LE002"):
            by_path.setdefault(f.path, []).append(f)
    added = 0
    project = Project(root, config)
    plans = []
    for path, findings in sorted(by_path.items()):
        target = root / path
        if file_text(project, path) is None or not target.is_file():
            continue
        try:
            data = target.read_bytes()
            file = FileText.decode(data, path.endswith(".py"))
        except (OSError, SyntaxError, LookupError):
            continue
        edits, refused = add_ignore_edits(path, file.text, findings)
        for line, why in refused:
            print(f"lean-lint: no ignore comment added at {path}:{line}: {why} (a comment there would change the file)",
                  file=sys.stderr)
        new_raw, _ = file.apply(edits)
        new_text = normalized(new_raw)
        if new_raw != file.raw and (still_valid(path, new_text) or not still_valid(path, file.text)):
            plans.append(FixResult(path, data, file.encode(new_raw), []))
            added += len(edits)
    write_fixes(root, plans)
    print(f"lean-lint: added {added} ignore comment{'' if added == 1 else 's'}", file=sys.stderr)
    return EXIT_OK


def _init(args: list[str]) -> int:
    # start-up: the engine (and libcst) load only for the commands that need them
    from analyzer.cli.init import init_project

    if len(args) > 1:
        raise UsageError("usage: lean-lint init [PATH]")
    root = _project_dir(args[0] if args else ".")
    for line in init_project(root):
        print(line)
    return EXIT_OK


def _clean(args: list[str]) -> int:
    if args:
        raise UsageError("`lean-lint clean` takes no arguments (it removes the cache of every project)")
    try:
        folder = cache_home()
    except NoCacheHome as why:
        raise UsageError(f"no cache folder to clean: {why}") from None
    try:
        count, size = clean(folder)
    except OSError as exc:
        raise UsageError(f"cannot remove the cache in {folder}: {exc.strerror or exc}") from None
    if count:
        print(f"removed {count} cache file{'' if count == 1 else 's'} ({human_size(size)}) from {folder}")
    else:
        print(f"no cache to remove in {folder}")
    return EXIT_OK


def _server(args: list[str]) -> int:
    try:
        # start-up: pygls loads only for the server
        from analyzer.cli.server import main as serve
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs", "attrs"):
            raise
        raise UsageError("`lean-lint server` needs pygls and lsprotocol: pip install 'lean-lint[server]'") from None
    return serve(args)
