"""Running the rules over a project: one parse per file, all code rules in one pass.

The engine owns everything around the rules: choosing them (`select` / `ignore` / per-file ignores),
turning a crash inside one rule on one file into an LE000 finding while the rest goes on, computing
node positions only for files that have findings, suppressions, fingerprints and ordering.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from analyzer.config import Config, load_config
from analyzer.ftypes import Edit, Finding, Fix, Severity, Span
from analyzer.ignorefile import IgnoreMatcher
from analyzer.project import ModuleContext, Project
from analyzer.rules import CodeRule, ProjectRule, Rule, all_rules, is_selected
from analyzer.suppressions import FileSuppressions, parse_suppressions

#: Deeply nested code overflows recursive visitors: the analysis runs on a thread with a large stack.
_STACK_BYTES = 512 * 1024 * 1024
_RECURSION_LIMIT = 60_000


@dataclass
class Report:
    project: Project
    rules: tuple[type[Rule], ...]  # the rules that ran
    findings: list[Finding] = field(default_factory=list)  # suppressed ones included
    notices: list[str] = field(default_factory=list)

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if not (f.suppressed or f.baselined)]


def select_rules(config: Config, select: tuple[str, ...] | None, ignore: tuple[str, ...]) -> tuple[type[Rule], ...]:
    chosen_select = select if select else config.select
    chosen_ignore = tuple(config.ignore) + tuple(ignore)
    return tuple(r for r in all_rules() if is_selected(r.code, chosen_select, chosen_ignore))


def analyze(
    path: Path,
    *,
    select: tuple[str, ...] | None = None,
    ignore: tuple[str, ...] = (),
    config: Config | None = None,
    config_path: Path | None = None,
    baseline: "set[tuple[str, str, str]] | None" = None,
) -> Report:
    """Analyze the project at `path`. Raises UsageError / ConfigError for exit-2 problems.
    `baseline`: (code, path, fingerprint) of findings to mark as baselined."""
    if config is None:
        config = load_config(path, config_path) if path.is_dir() else Config()
    project = Project(path, config)
    rules = select_rules(config, select, ignore)
    return _on_big_stack(lambda: _run(project, rules, baseline or set()))


def _on_big_stack(fn: Callable[[], Report]) -> Report:
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = fn()
        except BaseException as exc:  # re-raised on the caller's thread
            result["error"] = exc

    old_limit = sys.getrecursionlimit()
    old_size = threading.stack_size()
    try:
        threading.stack_size(_STACK_BYTES)
        sys.setrecursionlimit(max(old_limit, _RECURSION_LIMIT))
        thread = threading.Thread(target=target, name="lean-lint-analysis")
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old_size)
        sys.setrecursionlimit(old_limit)
    if "error" in result:
        raise result["error"]
    return result["value"]


def _internal_error(rule: type[Rule], path: str, exc: BaseException) -> Finding:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return Finding(
        code="LE000",
        severity=Severity.ERROR,
        message=f"internal error in rule {rule.code} on {path or 'the project'}: "
        f"{type(exc).__name__}: {exc}{where}; the other rules and files were analyzed",
        path=path,
        hint="Please report this to lean-lint with the file that triggers it.",
    )


def _run(project: Project, rules: tuple[type[Rule], ...], baseline: set[tuple[str, str, str]]) -> Report:
    report = Report(project, rules)
    codes = {r.code for r in rules}
    findings: list[Finding] = []

    for rule_cls in rules:
        if issubclass(rule_cls, ProjectRule):
            rule = rule_cls()
            try:
                findings.extend(rule.run(project))
            except Exception as exc:  # noqa: BLE001 - becomes LE000
                findings.append(_internal_error(rule_cls, project.build_path(getattr(rule_cls, "subject", "")), exc))

    code_rules = [r for r in rules if issubclass(r, CodeRule)]
    if project.python_applies:
        findings.extend(_python_files(project, code_rules, codes))
    elif code_rules or codes & {"LE001", "LE003"}:
        report.notices.append(
            f"leanengine.yaml sets runtime: {project.runtime}; the Python rules do not apply and were skipped"
        )
    report.notices.extend(project.notices)
    if "LE000" not in codes:
        findings = [f for f in findings if f.code != "LE000"]
    findings = _per_file_ignores(project.config, findings)
    findings = _apply_suppressions(project, findings)
    if "LE002" in codes:
        findings += _unused_suppressions(project, codes, len(codes) == len(all_rules()))
    findings = _fingerprint(project, findings)
    if baseline:
        findings = [replace(f, baselined=True) if (f.code, f.path, f.fingerprint) in baseline else f for f in findings]
    report.findings = sorted(set(findings), key=Finding.sort_key)
    return report


def _python_files(project: Project, code_rules: list[type[CodeRule]], codes: set[str]) -> list[Finding]:
    from analyzer.rules.le0_meta import FileSkipped, ParseError

    findings: list[Finding] = []
    runtime = project.runtime_files if any(r.scope == "runtime" for r in code_rules) else frozenset()
    for rel in project.python_files:
        src = project.source(rel)
        if src.unreadable is not None:
            if FileSkipped.code in codes:
                findings.append(
                    Finding(FileSkipped.code, FileSkipped.severity, f"{rel} was not analyzed: {src.unreadable}", rel)
                )
            continue
        if src.syntax_error is not None:
            if ParseError.code in codes:
                line, col, msg = src.syntax_error
                findings.append(
                    Finding(
                        ParseError.code,
                        ParseError.severity,
                        msg,
                        rel,
                        Span(line, col),
                        hint="The platform cannot import this module; fix the syntax (Python 3).",
                    )
                )
            continue
        at_runtime = rel in runtime
        text = src.text or ""
        wanted = [
            r
            for r in code_rules
            if (r.scope == "all" or at_runtime) and (not r.keywords or any(k in text for k in r.keywords))
        ]
        if wanted:
            findings.extend(_visit(project, rel, wanted, at_runtime))
    return findings


def _visit(project: Project, rel: str, rule_classes: list[type[CodeRule]], at_runtime: bool) -> list[Finding]:
    parsed = project.parsed(rel)
    if parsed is None:
        return []
    ctx = ModuleContext(project, rel, parsed, project.runs_main_guard(rel), at_runtime)
    rules = [cls(ctx) for cls in rule_classes]
    errors: list[Finding] = []
    from analyzer.dispatch import Dispatcher

    dispatcher = Dispatcher(ctx, rules, errors, _internal_error)
    try:
        parsed.module.visit(dispatcher)
    except RecursionError as exc:
        for rule in rules:
            errors.append(_internal_error(type(rule), rel, exc))
        ctx.pending.clear()
    findings: list[Finding] = []
    for rule, node, message, hint, severity, node_fix in ctx.pending:
        if rule in dispatcher.failed:
            continue
        try:
            span = parsed.span(node)
            fix = _resolve_fix(parsed, rel, node_fix) if node_fix is not None else None
        except Exception as exc:  # noqa: BLE001
            errors.append(_internal_error(type(rule), rel, exc))
            continue
        findings.append(
            Finding(rule.code, rule.severity if severity is None else severity, message, rel, span, hint, fix=fix)
        )
    for rule in rules:
        findings.extend(rule.take_findings())  # report_at() used by code rules for non-node places
    return findings + errors


def _resolve_fix(parsed: Any, rel: str, node_fix: Any) -> Fix:
    edits = [Edit(rel, parsed.span(node), text) for node, text in node_fix.replace]
    edits += [Edit(rel, Span(line, col, line, col), text) for (line, col), text in node_fix.inserts]
    return Fix(node_fix.description, tuple(edits), node_fix.safe)


def _per_file_ignores(config: Config, findings: list[Finding]) -> list[Finding]:
    if not config.per_file_ignores:
        return findings
    matchers = [(IgnoreMatcher([glob]), codes) for glob, codes in config.per_file_ignores]
    kept = []
    for f in findings:
        ignored = any(
            m.matches_path_or_parent(f.path) and is_selected(f.code, codes, ()) for m, codes in matchers
        )
        if not ignored:
            kept.append(f)
    return kept


def _file_text(project: Project, path: str) -> str | None:
    if not path:
        return None
    if path.endswith(".py"):
        src = project.source(path)
        return src.text
    try:
        return project.read_text(path)
    except Exception:  # noqa: BLE001 - unreadable: nothing to suppress
        return None


def _apply_suppressions(project: Project, findings: list[Finding]) -> list[Finding]:
    cache: dict[str, FileSuppressions] = {}
    out = []
    for f in findings:
        if f.code == "LE000" or not f.path:
            out.append(f)
            continue
        sup = cache.get(f.path)
        if sup is None:
            text = _file_text(project, f.path)
            sup = cache[f.path] = parse_suppressions(text or "", f.path.endswith(".py"))
        lines = (f.span.line, f.span.end_line or f.span.line)
        if sup.items and sup.match(f.code, lines):
            f = replace(f, suppressed=True)
        out.append(f)
    project.suppressions = cache  # kept for the unused-suppression rule
    return out


def _unused_suppressions(project: Project, ran: set[str], all_ran: bool) -> list[Finding]:
    """LE002: directives in any commentable project file that suppressed nothing."""
    from analyzer.rules.le0_meta import UnusedSuppression
    from analyzer.suppressions import COMMENTABLE_SUFFIXES, removal_span, unused_codes

    candidates = set(project.python_files) | set(project.suppressions)
    for name in ("leanengine.yaml",):
        if project.is_file(name):
            candidates.add(name)
    try:
        for entry in os.scandir(project.build_root):
            if entry.name.startswith("requirements") and entry.name.endswith(COMMENTABLE_SUFFIXES):
                candidates.add(project.build_path(entry.name))
    except OSError:
        pass
    ran = ran - {"LE002"}
    out: list[Finding] = []
    for path in sorted(candidates):
        if not path.endswith(COMMENTABLE_SUFFIXES):
            continue
        sup = project.suppressions.get(path)
        if sup is None:
            text = _file_text(project, path)
            if not text or "lean-lint:" not in text:
                continue
            sup = project.suppressions[path] = parse_suppressions(text, path.endswith(".py"))
        lines = None
        for item in sup.items:
            unused = unused_codes(item, ran, all_ran)
            if unused is None:
                continue
            if lines is None:
                lines = (_file_text(project, path) or "").splitlines()
            line_text = lines[item.line - 1] if item.line <= len(lines) else ""
            directive = line_text[item.column - 1 : item.end_column - 1]
            if unused == ():
                what = f"no {', '.join(item.codes)} finding here" if item.codes else "no finding here"
                message = f"`{directive}` suppresses nothing: {what}"
                l1, c1, l2, c2 = removal_span(line_text, item)
                fix = Fix("Remove the unused suppression", (Edit(path, Span(l1, c1, l2, c2), ""),))
            else:
                kept = [c for c in item.codes if c not in unused]
                message = f"`{directive}`: {', '.join(unused)} suppresses nothing here"
                new = directive[: directive.index("[")] + "[" + ", ".join(kept) + "]"
                fix = Fix("Remove the unused codes", (Edit(path, Span(item.line, item.column, item.line, item.end_column), new),))
            out.append(
                Finding(
                    UnusedSuppression.code,
                    UnusedSuppression.severity,
                    message,
                    path,
                    Span(item.line, item.column, item.line, item.end_column),
                    UnusedSuppression.fix,
                    fix=fix,
                )
            )
    return out


def _fingerprint(project: Project, findings: list[Finding]) -> list[Finding]:
    """A fingerprint that survives edits elsewhere in the file: rule, path, the flagged line's text
    (whitespace folded) and its occurrence count among identical lines."""
    lines_cache: dict[str, list[str]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for f in sorted(findings, key=Finding.sort_key):
        lines = lines_cache.get(f.path)
        if lines is None:
            lines = lines_cache[f.path] = (_file_text(project, f.path) or "").splitlines()
        text = lines[f.span.line - 1] if 0 < f.span.line <= len(lines) else ""
        norm = " ".join(text.split())
        key = (f.code, f.path, norm)
        index = seen.get(key, 0)
        seen[key] = index + 1
        digest = hashlib.sha256(f"{f.code}\0{f.path}\0{norm}\0{index}".encode()).hexdigest()[:16]
        out.append(replace(f, fingerprint=digest))
    return out
