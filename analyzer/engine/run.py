"""Running the rules over a project: one parse per file, all code rules in one pass.

The engine owns everything around the rules: choosing them (`select` / `ignore` / per-file ignores),
turning a crash inside one rule on one file into an LE000 finding while the rest goes on, computing
node positions only for files that have findings, suppressions, fingerprints and ordering.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable

from analyzer.engine.cache import (
    Cache,
    code_salt,
    digest_bytes,
    finding_to_json,
    rule_metadata,
    rule_stub,
)
from analyzer.engine.registry import all_rules, check_codes, is_known_code, is_selected, rule_by_code, rule_codes, suggest_code
from analyzer.model.first_pass import cheap_batch, cheap_pass, info_from_json, info_to_json
from analyzer.model.project import OVER_BUDGET, FileInfo, ModuleContext, Project
from analyzer.model.requirements import project_requirements
from analyzer.model.target import default_notice, python_target
from analyzer.platform.paths import LEANENGINE_YAML
from analyzer.readers.config import Config, load_config
from analyzer.readers.ignorefile import IgnoreMatcher
from analyzer.readers.overlay import overlay_digest
from analyzer.readers.python import UnreadableFile
from analyzer.readers.suppressions import (
    COMMENTABLE_SUFFIXES,
    FileSuppressions,
    Suppression,
    parse_suppressions,
    removal_span,
    unused_codes,
)
from analyzer.rules.base import CodeRule, Rule
from analyzer.rules.meta.le001_python_syntax_error import PythonSyntaxError
from analyzer.rules.meta.le002_unused_suppression import UnusedSuppression
from analyzer.rules.meta.le003_file_not_analyzed import FileNotAnalyzed
from analyzer.rules.meta.le004_invalid_suppression_code import InvalidSuppressionCode
from analyzer.support.cachedir import NoCacheHome, cache_home, cache_off_notice
from analyzer.support.line_hash import decode_like_node, line_hashes
from analyzer.support.quiet import project_warnings_silenced
from analyzer.support.stack import on_big_stack
from analyzer.support.tree import tree_signature
from analyzer.support.visiting import walk
from analyzer.types import Edit, Finding, Fix, Report, Severity, Span


def select_rules(config: Config, select: tuple[str, ...] | None, ignore: tuple[str, ...], catalog=None) -> tuple[type[Rule], ...]:
    chosen_select = select if select else config.select
    chosen_ignore = tuple(config.ignore) + tuple(ignore)
    return tuple(r for r in (catalog or all_rules()) if is_selected(r.code, chosen_select, chosen_ignore))


def analyze(
    path: Path,
    *,
    select: tuple[str, ...] | None = None,
    ignore: tuple[str, ...] = (),
    config: Config | None = None,
    config_path: Path | None = None,
    baseline: "set[tuple[str, str, str]] | None" = None,
    jobs: int | None = None,
    use_cache: bool = False,
    prefilter: bool = True,
    overlay: "dict[str, str] | None" = None,
    progress: "Callable[[str, int, int], None] | None" = None,
    with_line_hashes: bool = True,
) -> Report:
    """Analyze the project at `path`. Raises UsageError / ConfigError for exit-2 problems.

    `baseline`: (code, path, fingerprint) of findings to mark as baselined. `jobs`: worker processes
    for large projects (default: every core). `use_cache`: reuse and update the cache (the CLI does
    unless --no-cache). `prefilter=False` parses every file for every rule, which must give the same
    findings (tests compare both). `overlay`: unsaved editor text by project-relative POSIX path,
    analyzed instead of those files on disk (see analyzer/readers/overlay.py). `progress(stage, done,
    total)` is called as Python files are read and checked (the CLI's indicator on a terminal).
    `with_line_hashes`: fill the Report's GitHub line hashes, which only SARIF prints (hashing reads and
    walks every file with findings, so the other formats turn it off)."""
    if config is None:
        config = load_config(path, config_path) if path.is_dir() else Config()
    project = Project(path, config, overlay)
    options = _Options(
        select, ignore, baseline or set(), max(1, jobs or os.cpu_count() or 1), use_cache, prefilter,
        progress or _no_progress, with_line_hashes,
    )
    with project_warnings_silenced():
        return on_big_stack(lambda: _run(project, options))


@dataclass
class _Options:
    select: tuple[str, ...] | None
    ignore: tuple[str, ...]
    baseline: set[tuple[str, str, str]]
    jobs: int
    use_cache: bool
    prefilter: bool
    progress: Callable[[str, int, int], None]
    with_line_hashes: bool


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


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


def _catalog(cache: Any) -> tuple[type[Rule], ...]:
    """Every rule: from the cache's metadata when it has it (no rule module, so no libcst, is
    imported), else the real classes (and their metadata goes into the cache)."""

    stored = cache.rules(rule_codes()) if cache is not None else None
    if stored:
        return tuple(rule_stub(meta) for meta in stored)
    rules = all_rules()
    if cache is not None:
        cache.set_rules([rule_metadata(r) | _code_meta(r) for r in rules])
    return rules


def _code_meta(rule: type[Rule]) -> dict:
    if issubclass(rule, CodeRule):
        return {"scope": rule.scope, "keywords": list(rule.keywords), "keywords_in_imports": rule.keywords_in_imports}
    return {}


def _is_code_rule(rule: type[Rule]) -> bool:
    return getattr(rule, "scope", None) is not None


def _real(code: str) -> type[Rule]:
    for rule in all_rules():
        if rule.code == code:
            return rule
    raise KeyError(code)


def _run(project: Project, opts: _Options) -> Report:
    notices: list[str] = []
    cache = None
    if opts.use_cache:
        try:
            cache_home()
        except NoCacheHome as why:
            notices.append(cache_off_notice(why))
        else:
            cache = Cache(project.root, code_salt() + "|" + repr(project.config))
    catalog = _catalog(cache)
    _check_selection(project.config, opts, catalog)
    rules = select_rules(project.config, opts.select, opts.ignore, catalog)
    cache_stats = None
    codes = {r.code for r in rules}
    findings: list[Finding] = []

    digests = _python_digests(project) if cache is not None else {}
    check = _CacheCheck(project, digests, frozenset(r.code for r in catalog) | _ENGINE_CODES)
    project_rules = [r for r in rules if not _is_code_rule(r) and r.code not in _ENGINE_CODES]
    code_rules = [r for r in rules if _is_code_rule(r)]
    cheap = _first_pass(project, code_rules, codes, cache, check, opts) if project.python_applies else {}
    findings.extend(_project_rules(project, project_rules, cache, check, FileNotAnalyzed.code in codes))

    if project.python_applies:
        findings.extend(_python_files(project, code_rules, codes, cache, check, opts, cheap))
    elif code_rules or codes & {"LE001", "LE003"}:
        notices.append(
            f"leanengine.yaml sets runtime: {project.runtime}; the Python rules do not apply and were skipped"
        )
    if cache is not None:
        cache.save()
        cache_stats = (cache.hits, cache.misses)
    notices.extend(project.notices)
    unselected = _ENGINE_CODES - codes - {"LE002", "LE004"}  # LE000 and the LE003 of _visit come from anywhere
    if unselected:
        findings = [f for f in findings if f.code not in unselected]
    findings = _per_file_ignores(project.config, findings)
    findings = _apply_suppressions(project, findings)
    if codes & {"LE002", "LE004"}:
        findings += _suppression_findings(project, codes, {r.code for r in catalog})
    findings = _fingerprint(project, findings)
    if opts.baseline:
        findings = [replace(f, baselined=True) if (f.code, f.path, f.fingerprint) in opts.baseline else f for f in findings]
    return build_report(project, rules, findings, notices, cache_stats, with_line_hashes=opts.with_line_hashes)


def _check_selection(config: Config, opts: _Options, catalog: "tuple[type[Rule], ...]") -> None:
    """Every code in `--select`, `--ignore` and the config names a rule or a prefix of one (exit 2)."""
    known = [r.code for r in catalog]
    source = config.source or "config"
    check_codes(opts.select or (), "--select", known)
    check_codes(opts.ignore, "--ignore", known)
    check_codes(config.select, f"{source}: select", known)
    check_codes(config.ignore, f"{source}: ignore", known)
    for glob, codes in config.per_file_ignores:
        check_codes(codes, f"{source}: per-file-ignores.{glob}", known)


def build_report(
    project: Project,
    rules: "tuple[type[Rule], ...]",
    findings: "list[Finding]",
    notices: "list[str]" = (),
    cache_stats: tuple[int, int] | None = None,
    *,
    with_line_hashes: bool = True,
) -> Report:
    """The frozen Report the outputs render: findings sorted, the metadata of every rule that ran or
    found something, and (with `with_line_hashes`) the line hash of each finding's line (read here, so no
    output reads files)."""
    findings = sorted(set(findings), key=Finding.sort_key)
    infos = {rule.code: rule.info() for rule in rules}
    for code in sorted({f.code for f in findings} - set(infos)):
        rule = rule_by_code(code)
        if rule is not None:
            infos[code] = rule.info()
    hashes: dict[tuple[str, int], str] = {}
    files: dict[str, dict[int, str] | None] = {}
    for f in findings if with_line_hashes else ():
        if not f.path:
            continue
        if f.path not in files and f.path in project.over_budget:
            files[f.path] = None  # past the per-run budget: not read at all
        if f.path not in files:
            # The upload action hashes the file in the checkout as Node decodes it: the raw bytes,
            # not lean-lint's decoded source (which drops a BOM and honours a coding cookie). A
            # file lean-lint does not read (too large, not a regular file) gets no hash here.
            try:
                files[f.path] = line_hashes(decode_like_node(project.read_bytes(f.path)))
            except Exception:  # noqa: BLE001 - UnreadableFile, or a path that is not a file
                files[f.path] = None
        table = files[f.path]
        line = max(f.span.line, 1)
        if table is not None and line in table:
            hashes[(f.path, line)] = table[line]
    return Report(
        root=str(project.root),
        source_lines=_source_lines(project, findings),
        files_analyzed=len(project.python_files) + sum(map(project.is_file, _platform_files(project))),
        rules=tuple(infos.values()),
        findings=tuple(findings),
        notices=tuple(notices),
        cache_stats=cache_stats,
        line_hashes=hashes,
    )


def _platform_files(project: Project) -> tuple[str, ...]:
    """The files the platform reads besides the Python modules (counted in `files_analyzed`)."""
    return (LEANENGINE_YAML, project.build_path("requirements.txt"), project.build_path(".python-version"),
            project.build_path("runtime.txt"))


def _source_lines(project: Project, findings: "list[Finding]") -> dict[tuple[str, int], str]:
    """The first line of each finding and every line its fix edits, as lean-lint read the file."""
    wanted: dict[str, set[int]] = {}
    for f in findings:
        if f.path and not f.path.endswith("/"):
            wanted.setdefault(f.path, set()).add(max(f.span.line, 1))
        for edit in f.fix.edits if f.fix is not None else ():
            end = max(edit.span.end_line or edit.span.line, edit.span.line)
            wanted.setdefault(edit.path, set()).update(range(max(edit.span.line, 1), min(end, edit.span.line + 50) + 1))
    out: dict[tuple[str, int], str] = {}
    for path, numbers in wanted.items():
        text = file_text(project, path)
        if text is None:
            continue
        lines = re.split(r"\r\n|\r|\n", text)  # line ends as Python counts them, not str.splitlines()'s
        for n in numbers:
            if n <= len(lines):
                out[(path, n)] = lines[n - 1]
    return out


#: Reported by the engine itself, not by a rule's check().
_ENGINE_CODES = frozenset({"LE000", "LE001", "LE002", "LE003", "LE004"})


def _python_digests(project: Project) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for rel in project.python_files:
        if rel in project.over_budget:
            out[rel] = None
            continue
        try:
            out[rel] = digest_bytes(project.read_bytes(rel))
        except UnreadableFile:
            out[rel] = None
    return out


def _project_digest(project: Project, digests: dict[str, str | None], codes: list[str]) -> str:
    """Everything the project rules may read: Python files by content, every file by its stat (the
    same tree signature the command's replay uses), and the target Python."""
    h = hashlib.sha1(f"{','.join(codes)}|{python_target(project).key}".encode())
    for rel, digest in sorted(digests.items()):
        h.update(f"{rel}\0{digest}\n".encode("utf-8", "surrogateescape"))
    h.update(tree_signature(str(project.root)).encode())
    if project.overlay:
        h.update(f"overlay\0{overlay_digest(project.overlay)}".encode())
    return h.hexdigest()


def _project_rules(project: Project, rules: list[type[Rule]], cache: Any, check: "_CacheCheck", unanalyzed: bool) -> list[Finding]:
    """The project rules' findings, and with `unanalyzed` an LE003 for each non-Python file a
    reader could not analyze (a requirements file over the size limit or linked out of the project)."""
    if not rules and not unanalyzed:
        return []
    key = None
    if cache is not None:
        key = _project_digest(project, check.digests, [r.code for r in rules] + (["LE003"] if unanalyzed else []))
        hit = cache.get_findings("project", key, check.finding, check.deps)
        notices = cache.get("notices", key, count=False)
        if hit is not None and isinstance(notices, list) and all(isinstance(n, str) for n in notices):
            project.notices.extend(n for n in notices if n not in project.notices)
            return hit
    findings: list[Finding] = []
    project.reads = set()
    for stub in rules:
        rule_cls = _real(stub.code)
        rule = rule_cls()
        try:
            findings.extend(rule.run(project))
        except Exception as exc:  # noqa: BLE001 - becomes LE000
            # `subject`: the file a project rule is about (relative to the analyzed directory), if any.
            findings.append(_internal_error(rule_cls, getattr(rule_cls, "subject", ""), exc))
    if unanalyzed:
        if project.python_applies:
            project_requirements(project)
        for path, why in project.unanalyzed:
            # An error, not LE003's usual warning: pip installs from this file at deploy time, and
            # one lean-lint could not check must not pass the gate (--fail-on error) unseen.
            findings.append(Finding(FileNotAnalyzed.code, Severity.ERROR, f"{path} was not analyzed: {why}", path,
                                    hint="pip reads it when the platform installs dependencies; lean-lint could not check it."))
    reads, project.reads = project.reads, None
    if cache is not None and key is not None:
        cache.put("project", key, {"findings": [finding_to_json(f) for f in findings], "deps": check.record(reads)})
        cache.put("notices", key, list(project.notices))
    return findings


class _CacheCheck:
    """What a cached entry is checked against before it is used: the digest of every file it read
    (recorded when it was computed), the rule codes lean-lint has, paths inside the project."""

    def __init__(self, project: Project, digests: dict[str, str | None], codes: frozenset[str]) -> None:
        self.project = project
        self.digests = digests
        self.codes = codes
        self._seen: dict[str, str] = {}

    def digest(self, rel: str) -> str:
        """The content of a file as a string: its sha1, or what it is when it has no content."""
        found = self._seen.get(rel)
        if found is None:
            known = self.digests.get(rel)
            if known is not None:
                found = known
            else:
                st = self.project.lstat(rel)
                if st is None:
                    found = "-"
                elif self.project.is_dir(rel):
                    found = "dir"
                else:
                    try:
                        found = digest_bytes(self.project.read_bytes(rel))
                    except UnreadableFile as exc:
                        found = f"!{exc}"
            self._seen[rel] = found
        return found

    def record(self, reads: set[str] | None) -> dict[str, str]:
        return {rel: self.digest(rel) for rel in sorted(reads or ())}

    def deps(self, recorded: dict) -> bool:
        return all(_inside_rel(rel) and self.digest(rel) == digest for rel, digest in recorded.items())

    def finding(self, f: Finding) -> bool:
        if f.code not in self.codes or (f.path and not _inside_rel(f.path)):
            return False
        return f.fix is None or all(_inside_rel(e.path) and self.project.inside(self.project.abspath(e.path)) for e in f.fix.edits)


def _inside_rel(rel: str) -> bool:
    """A project-relative path as lean-lint writes them: no absolute path, no `..`, no NUL."""
    if not rel or "\0" in rel or rel.startswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in rel.split("/"))


#: Below this much Python source to process, worker processes cost more than they save.
PARALLEL_MIN_BYTES = 512 * 1024


def _parallel(fn: Callable, batches: list, jobs: int, on_batch: Callable[[int], None] = lambda n: None) -> list:
    # A spawned worker starts as `python -c ...`, which puts the current directory first on sys.path:
    # run from inside the analyzed project, a project file named multiprocessing.py or runpy.py would
    # be imported (executed) by every worker. PYTHONSAFEPATH (3.11+) keeps it off; before 3.11 the
    # workers start from the file system root instead.
    old_safe = os.environ.get("PYTHONSAFEPATH")
    old_cwd = os.getcwd() if sys.version_info < (3, 11) else None
    try:
        os.environ["PYTHONSAFEPATH"] = "1"
        if old_cwd is not None:
            os.chdir(os.sep)
        with ProcessPoolExecutor(max_workers=min(jobs, len(batches)), mp_context=get_context("spawn")) as pool:
            results = []
            for batch, result in zip(batches, pool.map(fn, batches)):
                results.append(result)
                on_batch(len(batch[-1]) if isinstance(batch, tuple) else len(batch))
            return results
    finally:
        if old_safe is None:
            os.environ.pop("PYTHONSAFEPATH", None)
        else:
            os.environ["PYTHONSAFEPATH"] = old_safe
        if old_cwd is not None:
            os.chdir(old_cwd)


def _chunks(items: list, n: int) -> list[list]:
    size = max(1, -(-len(items) // n))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _size(project: Project, rels: list[str]) -> int:
    total = 0
    for rel in rels:
        st = project.lstat(rel)
        total += st.st_size if st is not None else 0
    return total


def _first_pass(
    project: Project,
    code_rules: list[type[Rule]],
    codes: set[str],
    cache: Any,
    check: _CacheCheck,
    opts: _Options,
) -> dict[str, dict]:
    """The cheap pass over every Python file (model/first_pass.py), before any rule runs: every
    file's imports, syntax and keyword hits, so that the project rules read imports from it. Run
    here, a file's parsed source is kept for the rules, so no file is `ast`-parsed twice; worker
    processes, used for large trees, send back only the plain data, so they get the files the
    platform does not run (the rules about running code need the others' trees here)."""
    digests = check.digests
    keywords = tuple(sorted({k for r in code_rules for k in getattr(r, "keywords", ())}))
    target = python_target(project)
    files = project.python_files
    if files and codes & {PythonSyntaxError.code, *(r.code for r in code_rules)}:
        notice = default_notice(project)
        if notice is not None and notice not in project.notices:
            project.notices.append(notice)

    def cheap_key(rel: str) -> str:
        # The same bytes in two packages import different modules (`from . import x`): key by place too.
        place = f"{rel}\0{project.module_name(rel)}"
        return f"{digests.get(rel)}|{digest_bytes(place.encode('utf-8', 'surrogateescape'))}|{target.key}|{','.join(keywords)}"

    cheap: dict[str, dict] = {}
    todo: list[str] = []
    for rel in files:
        if rel in project.over_budget:
            cheap[rel] = {"syntax_error": None, "unreadable": OVER_BUDGET, "info": info_to_json(FileInfo()), "hits": []}
            continue
        digest = digests.get(rel)
        hit = cache.get_cheap(cheap_key(rel)) if (cache is not None and digest) else None
        if hit is not None:
            cheap[rel] = hit
        else:
            todo.append(rel)
    items = [
        (str(project.abspath(rel)), rel, project.module_name(rel) or "", rel.endswith("__init__.py"), keywords, target)
        + ((project.overlay[rel],) if rel in project.overlay else ())
        for rel in todo
    ]
    item_of = dict(zip(todo, items))
    read = _step(opts, "reading", len(items))

    def here(rel: str) -> dict:
        """One file's cheap pass in this process, its parsed source kept for the rules."""
        result = cheap_pass(*item_of[rel], keep=project.keep_source)
        read(1)
        return result

    rest = todo
    if opts.jobs > 1 and len(todo) > 1 and _size(project, todo) >= PARALLEL_MIN_BYTES:
        # The files the platform runs are read here, following imports from the entry files: this
        # process parses them for the rules anyway. Worker processes read the others.
        for rel in project.import_closure(project.entry_files):  # a file is read before its imports are asked
            if rel not in cheap:
                cheap[rel] = here(rel)
            project._infos[rel] = info_from_json(cheap[rel]["info"])
        rest = [rel for rel in todo if rel not in cheap]
    if len(rest) > 1 and opts.jobs > 1 and _size(project, rest) >= PARALLEL_MIN_BYTES:
        batches = _parallel(cheap_batch, _chunks([item_of[rel] for rel in rest], opts.jobs * 4), opts.jobs, read)
        cheap.update(zip(rest, [r for batch in batches for r in batch]))
    else:
        for rel in rest:
            cheap[rel] = here(rel)
    for rel in todo:
        digest = digests.get(rel)
        if cache is not None and digest:
            cache.put("cheap", cheap_key(rel), cheap[rel])
    for rel in files:
        project._infos[rel] = info_from_json(cheap[rel]["info"])
        notice = cheap[rel].get("notice")
        if notice and notice not in project.notices:
            project.notices.append(notice)
    return cheap


def _step(opts: _Options, stage: str, total: int) -> Callable[[int], None]:
    """A progress counter of its own for one stage."""
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        opts.progress(stage, done, total)

    return advance


def _python_files(
    project: Project,
    code_rules: list[type[Rule]],
    codes: set[str],
    cache: Any,
    check: _CacheCheck,
    opts: _Options,
    cheap: dict[str, dict],
) -> list[Finding]:
    target = python_target(project)
    files = project.python_files
    findings: list[Finding] = []
    ok: list[str] = []
    unknown = any(
        cheap[rel]["syntax_error"] is not None or cheap[rel]["unreadable"] is not None for rel in project.runtime_files
    )
    for rel in files:
        result = cheap[rel]
        if result["unreadable"] is not None:
            if FileNotAnalyzed.code in codes:
                findings.append(
                    Finding(FileNotAnalyzed.code, FileNotAnalyzed.severity, f"{rel} was not analyzed: {result['unreadable']}", rel)
                )
        elif result["syntax_error"] is not None:
            if PythonSyntaxError.code in codes:
                findings.append(_parse_error(project, rel, result["syntax_error"], target, unknown))
        else:
            ok.append(rel)

    runtime = project.runtime_files if any(r.scope == "runtime" for r in code_rules) else frozenset()
    tasks: list[tuple[str, tuple[str, ...], bool]] = []
    keys: dict[str, str] = {}
    facts = _project_facts(project, check) if cache is not None else ""
    for rel in ok:
        at_runtime = rel in runtime
        hits = set(cheap[rel]["hits"])
        wanted = tuple(
            r.code
            for r in code_rules
            if (r.scope == "all" or at_runtime)
            and (
                not opts.prefilter
                or not r.keywords
                or hits.intersection(r.keywords)
                or (getattr(r, "keywords_in_imports", False) and _imports_hit(project, cheap, rel, r.keywords))
            )
        )
        if not wanted:
            continue
        if cache is not None and check.digests.get(rel):
            key = _code_key(project, rel, facts, wanted, at_runtime)
            hit = cache.get_findings("code", key, check.finding, check.deps)
            if hit is not None:
                findings.extend(hit)
                continue
            keys[rel] = key
        tasks.append((rel, wanted, at_runtime))

    # A worker process parses every file it visits again and, for the rules about running code,
    # rebuilds the cross-module model (what runs, what names hold) from scratch. So files this
    # process parsed already, and the files the platform runs, are visited here; workers take the
    # other files (the rules about every uploaded file), when there is enough of them.
    remote = [t for t in tasks if not t[2] and not project.has_parsed(t[0])]
    if not (opts.jobs > 1 and len(remote) > 1 and _size(project, [t[0] for t in remote]) >= PARALLEL_MIN_BYTES):
        remote = []
    tick = _step(opts, "checking", len(tasks))
    results: dict[str, tuple[list[Finding], set[str]]] = {}
    if remote:
        state = {
            "runtime_files": project.runtime_files,
            "entry_files": project.entry_files,
            "main_program": project.main_program,
            "overlay": project.overlay,
        }
        batches = [(str(project.root), project.config, state, chunk) for chunk in _chunks(remote, opts.jobs * 2)]
        done = [r for batch in _parallel(_visit_batch, batches, opts.jobs, tick) for r in batch]
        results.update(zip((t[0] for t in remote), done))
    for rel, wanted, at_runtime in tasks:
        if rel not in results:
            results[rel] = _visit_reading(project, rel, wanted, at_runtime)
            tick(1)
    per_task = [results[rel] for rel, _, _ in tasks]
    for (rel, _, _), (result, reads) in zip(tasks, per_task):
        findings.extend(result)
        if rel in keys:
            cache.put("code", keys[rel], {"findings": [finding_to_json(f) for f in result], "deps": check.record(reads)})
    return findings


def _imports_hit(project: Project, cheap: dict[str, dict], rel: str, keywords: tuple[str, ...]) -> bool:
    """Does a project module `rel` imports, directly or through others, contain one of `keywords`?"""
    return any(
        other != rel and other in cheap and not set(keywords).isdisjoint(cheap[other]["hits"])
        for other in project.import_closure([rel], every_main=True)
    )


def _parse_error(project: Project, rel: str, error: list, target: Any, unknown: bool) -> Finding:
    """LE001: an error when the platform imports the file, or when lean-lint cannot tell (no entry
    point found, or `unknown`: a file the platform runs could not be read or parsed, so what it imports
    is unknown); a warning for a file nothing that runs imports (a script, a vendored tool)."""
    line, col, msg = error
    version = f"Python {target.label}"
    if unknown or not project.entry_files or rel in project.runtime_files:
        return Finding(
            PythonSyntaxError.code,
            PythonSyntaxError.severity,
            msg,
            rel,
            Span(line, col),
            hint=f"The platform cannot import this module; fix the syntax ({version}).",
        )
    return Finding(
        PythonSyntaxError.code,
        Severity.WARNING,
        f"{msg} (nothing the platform runs imports this file)",
        rel,
        Span(line, col),
        hint=f"Running it with {version} fails; fix the syntax, or exclude the file if it is not meant to run.",
    )


def _project_facts(project: Project, check: _CacheCheck) -> str:
    """What any code rule may consult besides the files it reads: the set of Python files (module
    names), leanengine.yaml, what the platform runs and every file of that program (a rule on one
    module asks, through shared memos, whether wsgi.py applies ProxyFix or what settings say)."""
    h = hashlib.sha1()
    h.update("\0".join(project.python_files).encode("utf-8", "surrogateescape"))
    h.update(f"|{project.build_prefix}|{project.entry_files}|{project.main_program}|".encode("utf-8", "surrogateescape"))
    for rel in ("leanengine.yaml", *sorted(project.runtime_files)):
        h.update(f"{rel}\0{check.digest(rel)}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _code_key(project: Project, rel: str, facts: str, wanted: tuple[str, ...], at_runtime: bool) -> str:
    """A file's code findings depend on its text (checked with the other files its rules read,
    through the entry's recorded digests), the rules, whether it runs on the platform and whether
    its `__main__` block does, and the project facts."""
    key = f"{rel}\0{','.join(wanted)}|{at_runtime}|{project.runs_main_guard(rel)}|{python_target(project).key}|{facts}"
    return hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()


def _visit_reading(project: Project, rel: str, wanted: tuple[str, ...], at_runtime: bool) -> tuple[list[Finding], set[str]]:
    """The code rules' findings on one file and every project file reading them took (with the
    file itself and the project modules it imports, transitively)."""
    project.reads = set()
    try:
        findings = _visit(project, rel, [_real(c) for c in wanted], at_runtime)
    finally:
        reads, project.reads = project.reads, None
    return findings, reads | set(project.import_closure([rel]))


def _visit_batch(batch: tuple) -> list[tuple[list[Finding], set[str]]]:
    """Worker entry point: the code rules over a chunk of files, in a Project of the worker's own."""
    root, config, state, tasks = batch
    project = Project(Path(root), config)
    project.__dict__.update(state)

    def work() -> list[tuple[list[Finding], set[str]]]:
        return [_visit_reading(project, rel, wanted, at_runtime) for rel, wanted, at_runtime in tasks]

    with project_warnings_silenced():
        return on_big_stack(work)


def _visit(project: Project, rel: str, rule_classes: list[type[CodeRule]], at_runtime: bool) -> list[Finding]:
    try:
        parsed = project.parsed(rel)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - pyo3's PanicException (libcst's native parser) is no Exception
        parsed = None
    if parsed is None:
        # Python parsed it (the cheap pass), libcst did not: say so rather than skip it silently.
        reason = project.unparsed_reasons.get(rel, "lean-lint's parser (libcst) cannot parse it, though Python can")
        message = f"{rel} was not analyzed: {reason}"
        return [Finding(FileNotAnalyzed.code, FileNotAnalyzed.severity, message, rel)]
    ctx = ModuleContext(project, rel, parsed, project.runs_main_guard(rel), at_runtime)
    rules = [cls(ctx) for cls in rule_classes]
    errors: list[Finding] = []
    # start-up: the dispatcher and the platform's view of code (and libcst) load only when a module
    # is visited, never on a warm run
    from analyzer.engine.dispatch import Dispatcher
    from analyzer.model.conditions import environment_note
    from analyzer.model.reachability import runs_on_platform

    dispatcher = Dispatcher(ctx, rules, errors, _internal_error)
    try:
        walk(parsed.module, dispatcher)
    except RecursionError as exc:
        for rule in rules:
            errors.append(_internal_error(type(rule), rel, exc))
        ctx.pending.clear()
    findings: list[Finding] = []
    for rule, node, message, hint, severity, node_fix in ctx.pending:
        if rule in dispatcher.failed:
            continue
        try:
            if rule.scope == "runtime" and at_runtime:
                # The platform's view of the node (model/reachability.py): in a function nothing
                # calls, or a branch no platform environment takes -> not a finding; in one
                # environment only -> the message says which.
                environments = runs_on_platform(ctx, node)
                if not environments:
                    continue
                message = environment_note(environments) + message
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


def file_text(project: Project, path: str) -> str | None:
    if not path:
        return None
    if path.endswith(".py"):
        return project.python_text(path)
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
            text = file_text(project, f.path)
            sup = cache[f.path] = parse_suppressions(text or "", f.path.endswith(".py"))
        lines = (f.span.line, f.span.end_line or f.span.line)
        if sup.items and sup.match(f.code, lines):
            f = replace(f, suppressed=True)
        out.append(f)
    project.suppressions = cache  # kept for the unused-suppression rule
    return out


def _suppression_findings(project: Project, ran: set[str], known: set[str]) -> list[Finding]:
    """LE002 (directives in any commentable project file that suppressed nothing, when selected) and
    LE004 (codes in them that name no rule, when selected)."""

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
    all_ran = len(ran) == len(known)
    unused_wanted, invalid_wanted = "LE002" in ran, "LE004" in ran
    ran = ran - {"LE002", "LE004"}
    out: list[Finding] = []
    for path in sorted(candidates):
        if not path.endswith(COMMENTABLE_SUFFIXES):
            continue
        sup = project.suppressions.get(path)
        if sup is None:
            text = file_text(project, path)
            if not text or "lean-lint:" not in text:
                continue
            sup = project.suppressions[path] = parse_suppressions(text, path.endswith(".py"))
        lines = None
        for item in sup.items:
            unused = unused_codes(item, ran, all_ran) if unused_wanted else None
            invalid = [t for t in item.tokens if not is_known_code(t[0], known)] if invalid_wanted else []
            if unused is None and not invalid:
                continue
            if lines is None:
                lines = (file_text(project, path) or "").splitlines()
            line_text = lines[item.line - 1] if item.line <= len(lines) else ""
            if unused is not None:
                out.append(_unused_suppression(path, line_text, item, unused))
            out.extend(_invalid_code(path, line_text, item, token, known) for token in invalid)
    return out


def _unused_suppression(path: str, line_text: str, item: Suppression, unused: tuple[str, ...]) -> Finding:
    directive = line_text[item.column - 1 : item.end_column - 1]
    span = Span(item.line, item.column, item.line, item.end_column)
    if unused == ():
        what = f"no {', '.join(item.codes)} finding here" if item.codes else "no finding here"
        message = f"`{directive}` suppresses nothing: {what}"
        l1, c1, l2, c2 = removal_span(line_text, item)
        fix = Fix("Remove the unused suppression", (Edit(path, Span(l1, c1, l2, c2), ""),))
    else:
        message = f"`{directive}`: {', '.join(unused)} suppresses nothing here"
        fix = Fix("Remove the unused codes", (Edit(path, span, item.without(set(unused))),))
    return Finding(UnusedSuppression.code, UnusedSuppression.severity, message, path, span, UnusedSuppression.fix, fix=fix)


def _invalid_code(path: str, line_text: str, item: Suppression, token: tuple[str, int, int], known: set[str]) -> Finding:
    text, column, end_column = token
    near = suggest_code(text, known)
    if near is not None:
        message = f"`{text}` in a suppression comment is not a rule code; did you mean `{near}`?"
        # Unsafe: the comment then starts to suppress findings it silenced none of until now.
        fix = Fix(f"Replace `{text}` with `{near}`", (Edit(path, Span(item.line, column, item.line, end_column), near),), safe=False)
    else:
        message = f"`{text}` in a suppression comment is not a lean-lint rule code"
        if len(item.tokens) > 1:
            edit = Edit(path, Span(item.line, item.column, item.line, item.end_column), item.without({text}))
        else:
            edit = Edit(path, Span(*removal_span(line_text, item)), "")
        fix = Fix(f"Remove `{text}`", (edit,))
    return Finding(
        InvalidSuppressionCode.code, InvalidSuppressionCode.severity, message, path,
        Span(item.line, column, item.line, end_column), InvalidSuppressionCode.fix, fix=fix,
    )


def _fingerprint(project: Project, findings: list[Finding]) -> list[Finding]:
    """A fingerprint that survives edits elsewhere in the file: rule, path, the flagged line's text
    (whitespace folded) and its occurrence count among identical lines."""
    lines_cache: dict[str, list[str]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for f in sorted(findings, key=Finding.sort_key):
        lines = lines_cache.get(f.path)
        if lines is None:
            lines = lines_cache[f.path] = (file_text(project, f.path) or "").splitlines()
        text = lines[f.span.line - 1] if 0 < f.span.line <= len(lines) else ""
        norm = " ".join(text.split())
        key = (f.code, f.path, norm)
        index = seen.get(key, 0)
        seen[key] = index + 1
        digest = hashlib.sha256(f"{f.code}\0{f.path}\0{norm}\0{index}".encode()).hexdigest()[:16]
        out.append(replace(f, fingerprint=digest))
    return out
