"""The `lean-lint` command: wiring only (arguments in, a rendered report out, an exit code).

Exit codes, as in ruff: 0 no finding at or above `--fail-on`; 1 findings at or above it; 2 a usage,
config or internal error, always as one line on stderr and never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analyzer import __version__
from analyzer.config import FAIL_ON_VALUES, ConfigError, fail_on_threshold, parse_codes_arg
from analyzer.output import FORMATS, render
from analyzer.project import UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise UsageError(f"{message} (see `lean-lint --help`)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="lean-lint",
        description="Find what will break a Python app's deploy on LeanCloud / TapTap Cloud Engine, before you deploy.",
        epilog="Other commands: `lean-lint rules` lists every rule; `lean-lint explain CODE` shows one rule's docs.",
    )
    p.add_argument("path", nargs="?", default=".", help="the project directory (default: .)")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument("--fail-on", choices=FAIL_ON_VALUES, help="lowest severity that makes the exit code 1 (default: error)")
    p.add_argument("--select", metavar="CODES", help="comma-separated rule codes or prefixes to run (LE2,LE501)")
    p.add_argument("--ignore", metavar="CODES", help="comma-separated rule codes or prefixes to skip")
    p.add_argument("--config", metavar="FILE", help="read settings from FILE instead of pyproject.toml / .lean-lint.toml")
    p.add_argument("--version", action="version", version=f"lean-lint {__version__}")
    return p


def _rules_listing() -> str:
    from analyzer.rules import all_rules

    rows = [(r.code, r.severity.label, r.name, r.summary) for r in all_rules()]
    width = max(len(r[2]) for r in rows)
    return "\n".join(f"{code}  {sev:<7}  {name:<{width}}  {summary}" for code, sev, name, summary in rows) + "\n"


def _explain(args: list[str]) -> str:
    from analyzer.rules import all_rules, rule_by_code

    if len(args) != 1:
        raise UsageError("usage: lean-lint explain CODE (for example: lean-lint explain LE201)")
    rule = rule_by_code(args[0])
    if rule is None:
        known = ", ".join(r.code for r in all_rules())
        raise UsageError(f"no rule {args[0]!r}; known rules: {known}")
    return rule.docs_text()


def _use_color(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        return _main(argv)
    except (UsageError, ConfigError) as exc:
        print(f"lean-lint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("lean-lint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, exit 2
        print(f"lean-lint: internal error: {type(exc).__name__}: {exc} (please report this)", file=sys.stderr)
        return EXIT_ERROR


def _main(argv: list[str]) -> int:
    if argv and argv[0] == "rules":
        if len(argv) > 1:
            raise UsageError("`lean-lint rules` takes no arguments")
        sys.stdout.write(_rules_listing())
        return EXIT_OK
    if argv and argv[0] == "explain":
        sys.stdout.write(_explain(argv[1:]))
        return EXIT_OK

    args = _parser().parse_args(argv)
    from analyzer.config import load_config
    from analyzer.engine import analyze

    root = Path(args.path)
    if not root.exists():
        raise UsageError(f"{args.path}: no such file or directory")
    if not root.is_dir():
        raise UsageError(f"{args.path}: not a directory (lean-lint analyzes a project directory)")
    config = load_config(root, Path(args.config) if args.config else None)
    select = parse_codes_arg(args.select, "--select") if args.select else None
    ignore = parse_codes_arg(args.ignore, "--ignore") if args.ignore else ()
    report = analyze(root, select=select, ignore=ignore, config=config)

    fail_on = args.fail_on or config.fail_on
    for notice in report.notices:
        print(f"lean-lint: note: {notice}", file=sys.stderr)
    if args.output:
        text = render(report, args.format, color=False)
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(render(report, args.format, color=args.format == "text" and _use_color(sys.stdout)))
    threshold = fail_on_threshold(fail_on)
    failing = threshold is not None and any(f.severity >= threshold for f in report.active)
    return EXIT_FINDINGS if failing else EXIT_OK
