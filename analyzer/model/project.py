"""The project model: what the platform will see and run.

All paths handed to rules and findings are POSIX paths relative to the analyzed directory (the PATH
given on the command line), so a project with `buildRoot: api` has `api/wsgi.py`. The model is built
lazily: a run that needs no Python rules never reads a Python file, and a Python file is parsed with
libcst only when a rule needs its tree (`parsed`), at most once.
"""

from __future__ import annotations

import ast
import os
import re
import stat
from dataclasses import dataclass, field
from contextlib import contextmanager
from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

from analyzer.errors import UsageError
from analyzer.model.target import python_target
from analyzer.platform.paths import LEANENGINE_YAML, LEANIGNORE
from analyzer.readers.config import Config
from analyzer.readers.ignorefile import MAX_PATTERNS, IgnoreMatcher
from analyzer.readers.overlay import encode_overlay
from analyzer.readers.python import (
    MAX_FILE_BYTES,
    PythonSource,
    UnreadableFile,
    decode_python,
    decode_text,
    load_python,
    read_bytes,
    too_complex,
    too_large,
)
from analyzer.readers.runline import RunCommand, parse_run_command
from analyzer.readers.yaml_doc import (
    MAX_YAML_BYTES,
    YamlDocument,
    YamlProblem,
    load_yaml,
)
from analyzer.support.tree import SKIP_DIRS, looked_at
from analyzer.support.tree import is_environment as _is_environment
from analyzer.types import Span

if TYPE_CHECKING:
    import libcst as cst


#: An identifier as a word of the text (not a piece of a longer word, not after a digit).
_WORD = re.compile(r"\b(?!\d)\w+")
#: The names `def` / `class` statements declare, and the part of `import` lines after `import`.
_DECLARED = re.compile(r"\b(?:def|class)\s+(\w+)")
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from\s+\S+\s+)?import\b([^\n]*)", re.M)
_DOTTED_RE = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")

#: A `runtime:` value that names Python in a form the platform does not take: the word python in any
#: case, then optionally a version (one to three dot-separated numbers, an optional `v`) after an
#: optional `-`, `_` or blanks: `Python`, `python3`, `python-3.10`, `python 3.10.9`, `PYTHON_2.7`.
#: Not a typo (`pyhton`), another word (`py3`, `cpython`, `python-slim`) or anything else.
_PYTHON_LOOKING_RUNTIME = re.compile(r"(?i)\s*python(?:[\s_-]*v?(\d+(?:\.\d+){0,2}))?\s*")


def python_looking_runtime(value: object) -> str | None:
    """For a `runtime:` value other than `python` that names Python (see _PYTHON_LOOKING_RUNTIME),
    the version it names ("" for none); None for `python` itself and anything else."""
    if not isinstance(value, str) or value == "python":
        return None
    found = _PYTHON_LOOKING_RUNTIME.fullmatch(value)
    return None if found is None else found.group(1) or ""


@dataclass
class ImportRef:
    """One imported name, as the cheap pass saw it."""

    module: str  # absolute dotted name ("" for an unresolvable relative import)
    names: tuple[str, ...]  # for `from m import a, b`; () for `import m`
    line: int
    guarded: bool  # in a try whose handlers catch ImportError / ModuleNotFoundError
    star: bool = False


@dataclass
class FileInfo:
    """What the cheap pass learned about one Python file."""

    imports: list[ImportRef] = field(default_factory=list)
    dead_main_imports: list[ImportRef] = field(default_factory=list)
    dotted_strings: set[str] = field(default_factory=set)
    installed_apps: list[str] = field(default_factory=list)


class ParsedModule:
    """A libcst tree, the text it was parsed from and, computed on first use, the positions of its
    nodes.

    `text` is what `module.code` would regenerate (libcst round-trips exactly), kept so that no rule
    regenerates a module's source to search it: `module.code` walks the whole tree on every call."""

    def __init__(self, path: str, module: "cst.Module", text: str | None = None) -> None:
        self.path = path
        self.module = module
        self._text = text
        self._positions: Any = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.module.code
        return self._text

    def span(self, node: "cst.CSTNode") -> Span:
        if self._positions is None:
            # start-up: libcst loads only when a file is parsed
            from libcst.metadata import MetadataWrapper, PositionProvider

            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            self._positions = wrapper.resolve(PositionProvider)
        rng = self._positions[node]
        return Span(rng.start.line, rng.start.column + 1, rng.end.line, rng.end.column + 1)


@dataclass
class ModuleContext:
    """What a CodeRule knows about the module it visits."""

    project: "Project"
    path: str
    parsed: ParsedModule
    #: True when code under `if __name__ == "__main__":` runs on the platform (the `run:` program).
    runs_main_guard: bool
    #: True for files the platform runs (the entry and what it imports).
    at_runtime: bool
    ancestors: list = field(default_factory=list)
    pending: list = field(default_factory=list)

    @property
    def parent(self) -> Any:
        return self.ancestors[-2] if len(self.ancestors) >= 2 else None

    def of_module(self, path: str, parsed: ParsedModule) -> "ModuleContext":
        """The context of another module of the project, as a resolver following a name there sees it."""
        return ModuleContext(self.project, path, parsed, False, False)

    @property
    def resolver(self) -> Any:
        """The module's resolver: the project's one for this file."""
        return self.project.resolver(self.path)


#: How much Python source one run analyzes (the per-file limit is MAX_FILE_BYTES): parsing and
#: visiting go at about a megabyte a second, and real apps (vendored trees aside) are far smaller.
PYTHON_BUDGET_BYTES = 8 * 1024 * 1024
OVER_BUDGET = (
    f"the project's Python files are over lean-lint's budget of {PYTHON_BUDGET_BYTES // (1024 * 1024)} MB per run "
    "(files are taken in path order); exclude generated or vendored code in [tool.lean-lint] exclude"
)


class Project:
    def __init__(self, root: Path, config: Config, overlay: "Mapping[str, str] | None" = None) -> None:
        if not root.exists():
            raise UsageError(f"{root}: no such file or directory")
        if not root.is_dir():
            raise UsageError(f"{root}: not a directory (lean-lint analyzes a project directory)")
        self.root = root.resolve()
        self.config = config
        #: Unsaved editor text (see analyzer/readers/overlay.py): path -> the bytes read instead of the disk's.
        self.overlay: dict[str, bytes] = {rel: encode_overlay(rel, text) for rel, text in (overlay or {}).items()}
        self.notices: list[str] = []
        #: (path, why) of non-Python files a reader could not analyze (too big, a link out): LE003.
        self.unanalyzed: list[tuple[str, str]] = []
        #: Why parsed() gave None for a file Python can parse (too complex, or libcst refused it).
        self.unparsed_reasons: dict[str, str] = {}
        #: Facts the model derives once per run, each owned by one model module (typed there):
        #: the requirements pip installs (model/requirements.py), the target Python (model/target.py),
        #: the route table and the objects the route rules follow (model/routes.py), each module's
        #: bindings (model/bindings.py).
        self.requirements_set: Any = None
        self.target_python: Any = None
        self.route_table: Any = None
        self.route_objects: dict[str, Any] = {}
        self.module_bindings: dict[str, Any] = {}
        #: What a family of rules shares within a run (key: the family module's name); the model's
        #: own facts are the typed attributes above.
        self.memo: dict[str, Any] = {}
        #: Set by the engine: the inline suppressions of each file that had findings.
        self.suppressions: dict[str, Any] = {}
        self._sources: dict[str, PythonSource] = {}
        self._parsed: dict[str, ParsedModule | None] = {}
        self._resolvers: dict[str, Any] = {}
        self._naming: dict[str, list[str]] | None = None
        self._mentions: dict[str, "Counter[str]"] = {}
        self._imports_of: dict[tuple[str, bool], frozenset[str]] = {}
        #: While set, the resolver answers for one platform environment ("stage" or "production"):
        #: bindings made only in branches that do not run there are left out (see in_environment()).
        self.environment: str | None = None
        #: The names of what can run on the platform (model/reachability.py), computed on first use.
        self.reachability: Any = None
        self._infos: dict[str, FileInfo] = {}
        self._exclude = IgnoreMatcher(config.exclude)
        #: When a set, every file whose content or existence is asked for is added to it: the engine
        #: keys a cached answer by what computing it read.
        self.reads: set[str] | None = None
        self.leanengine: YamlDocument | None = self._load_leanengine()
        self.build_prefix = self._build_prefix()
        self.build_root = self.root / self.build_prefix if self.build_prefix else self.root

    # -- files ------------------------------------------------------------------------------------

    def abspath(self, rel: str) -> Path:
        return self.root / rel

    def build_path(self, name: str) -> str:
        """The display path of a file at the build root (`requirements.txt` -> `api/requirements.txt`)."""
        return self.build_prefix + name

    def inside(self, path: Path) -> bool:
        """Is `path`, with every symbolic link on the way resolved, the project root or under it?"""
        try:
            real = os.path.realpath(path)
        except (OSError, ValueError):
            return False
        root = str(self.root)
        return real == root or real.startswith(root.rstrip(os.sep) + os.sep)

    def _note(self, rel: str) -> None:
        if self.reads is not None:
            self.reads.add(rel)

    def lstat(self, rel: str) -> os.stat_result | None:
        self._note(rel)
        looked_at.add(str(self.abspath(rel)))
        try:
            return os.lstat(self.abspath(rel))
        except (OSError, ValueError):
            return None

    def exists(self, rel: str) -> bool:
        """Exists as anything (a directory, a FIFO...), but not outside the project: not through a
        link (the file itself or a directory on the way) out of it, nor as `../x` or `/etc/x`."""
        st = self.lstat(rel)
        if st is None:
            return False
        path = self.abspath(rel)
        if not self.inside(path):
            return False
        if stat.S_ISLNK(st.st_mode):
            return os.path.exists(path)  # a dangling link or a link loop: nothing there
        return True

    def is_file(self, rel: str) -> bool:
        """A regular file inside the project (a link to one inside counts)."""
        if not self.exists(rel):
            return False
        try:
            return stat.S_ISREG(os.stat(self.abspath(rel)).st_mode)
        except (OSError, ValueError):
            return False

    def is_dir(self, rel: str) -> bool:
        """A directory inside the project (not a link to one)."""
        st = self.lstat(rel)
        return st is not None and stat.S_ISDIR(st.st_mode) and self.inside(self.abspath(rel))

    def read_bytes(self, rel: str) -> bytes:
        """Raises UnreadableFile (missing, a directory, a FIFO, a link out of the project, too big)."""
        if not self.exists(rel):
            st = self.lstat(rel)
            if st is None:
                raise UnreadableFile("no such file in the project")
            if not self.inside(self.abspath(rel)):
                raise UnreadableFile("it is outside the project (through a symbolic link), and lean-lint does not follow it")
            raise UnreadableFile("it is a symbolic link to nothing (a dangling link or a link loop)")
        data = self._overlaid(rel, MAX_FILE_BYTES)
        return data if data is not None else read_bytes(self.abspath(rel))

    def _overlaid(self, rel: str, limit: int) -> bytes | None:
        """An overlaid file's bytes (capped like a read from disk), else None."""
        data = self.overlay.get(rel)
        if data is not None and len(data) > limit:
            raise UnreadableFile(too_large(len(data), limit))
        return data

    def read_text(self, rel: str) -> str:
        return decode_text(self.read_bytes(rel))

    # -- leanengine.yaml -------------------------------------------------------------------------

    def _load_leanengine(self) -> YamlDocument | None:
        if self.lstat(LEANENGINE_YAML) is None:
            return None
        try:
            if not self.exists(LEANENGINE_YAML):
                self.read_bytes(LEANENGINE_YAML)  # raises, saying why (a link out of the project...)
            data = self._overlaid(LEANENGINE_YAML, MAX_YAML_BYTES)
            text = decode_text(data if data is not None else read_bytes(self.abspath(LEANENGINE_YAML), MAX_YAML_BYTES))
        except UnreadableFile as exc:
            doc = YamlDocument("")
            doc.problems.append(YamlProblem(Span(1, 1, 1, 1), f"cannot read leanengine.yaml: {exc}"))
            return doc
        return load_yaml(text)

    def le_value(self, key: str) -> Any:
        """A top-level value of leanengine.yaml, or None."""
        doc = self.leanengine
        if doc is None or not isinstance(doc.data, dict):
            return None
        return doc.data.get(key)

    def _build_prefix(self) -> str:
        value = self.le_value("buildRoot")
        if not isinstance(value, str) or not value.strip():
            return ""
        parts = [p for p in value.strip().split("/") if p not in ("", ".")]
        rel = "/".join(parts)
        if not rel or ".." in parts or "\0" in rel or not self.is_dir(rel):
            return ""  # LE302 reports it; analyze the root meanwhile
        return rel + "/"

    @cached_property
    def runtime(self) -> str | None:
        value = self.le_value("runtime")
        return value if isinstance(value, str) else None

    @cached_property
    def python_applies(self) -> bool:
        """False when leanengine.yaml names another runtime: Python rules then say nothing. A
        malformed runtime that names Python (`python-3.10`, LE302 reports it) still means Python:
        the user deserves every other finding before fixing that one."""
        return self.runtime is None or self.runtime == "python" or python_looking_runtime(self.runtime) is not None

    @cached_property
    def run(self) -> RunCommand | None:
        value = self.le_value("run")
        if isinstance(value, str) and value.strip():
            return parse_run_command(value)
        return None

    # -- discovery ---------------------------------------------------------------------------------

    @cached_property
    def leanignore(self) -> IgnoreMatcher:
        if not self.is_file(LEANIGNORE):
            return IgnoreMatcher()
        try:
            return IgnoreMatcher(self.read_text(LEANIGNORE).splitlines())
        except UnreadableFile:
            return IgnoreMatcher()

    def excluded(self, rel: str, is_dir: bool = False) -> bool:
        return bool(self._exclude) and self._exclude.matches(rel, is_dir)

    @cached_property
    def _discovered(self) -> tuple[list[str], list[str]]:
        """(Python files that are uploaded, Python files .leanignore keeps back), sorted.

        Never follows a link out of the project, never descends into a linked directory, and skips
        vendored trees (SKIP_DIRS, virtual environments under any name). What it cannot look at
        (unlistable directories, links out, undecodable names) is said in one notice each."""
        uploaded: list[str] = []
        held_back: list[str] = []
        skipped = _Skipped()
        start = self.build_prefix.rstrip("/")
        # Each directory carries the matchers' states for its path: a child is matched by one step
        # over its own name, not from the root again (a deep tree under a long .leanignore).
        exclude, ignore = self._exclude, self.leanignore
        exclude_state, ignore_state = exclude.start(), ignore.start()
        for name in start.split("/") if start else ():
            exclude_state, ignore_state = exclude.step(exclude_state, name), ignore.step(ignore_state, name)
        stack = [(start, exclude_state, ignore_state)]
        while stack:
            rel_dir, exclude_state, ignore_state = stack.pop()
            for entry, rel, is_dir in self._entries(rel_dir, skipped):
                excluded = exclude.step(exclude_state, entry.name) if exclude else {}
                ignored = ignore.step(ignore_state, entry.name) if ignore else {}
                if is_dir:
                    if exclude.decides(excluded, True):
                        continue
                    if ignore.decides(ignored, True):
                        held_back.extend(self._python_files_under(rel))
                        continue
                    stack.append((rel, excluded, ignored))
                    continue
                if exclude.decides(excluded):
                    continue
                if ignore.decides(ignored):
                    held_back.append(rel)
                    continue
                uploaded.append(rel)
        self.notices.extend(skipped.notices())
        if self.leanignore.dropped:
            self.notices.append(
                f".leanignore has more than {MAX_PATTERNS:,} patterns; lean-lint used the first {MAX_PATTERNS:,} "
                f"and ignored {self.leanignore.dropped:,}"
            )
        return sorted(uploaded), sorted(held_back)

    def _entries(self, rel_dir: str, skipped: "_Skipped") -> Iterator[tuple[os.DirEntry, str, bool]]:
        """(entry, path, is a directory to descend into) for the directories and Python files of one
        directory; vendored directories, links out and undecodable names are left out."""
        looked_at.add(str(self.root / rel_dir if rel_dir else self.root))
        try:
            with os.scandir(self.root / rel_dir if rel_dir else self.root) as it:
                entries = list(it)
        except OSError as exc:
            skipped.dirs.append((rel_dir or ".", exc.strerror or type(exc).__name__))
            return
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if entry.name in SKIP_DIRS or entry.name.endswith(".egg-info") or _is_environment(entry.path):
                    continue
                if not _printable_name(entry.name):
                    skipped.names.append(rel)
                    continue
                yield entry, rel, True
                continue
            if not entry.name.endswith(".py"):
                continue
            if not _printable_name(entry.name):
                skipped.names.append(rel)
                continue
            if is_link and not self.inside(Path(entry.path)):
                skipped.links.append(rel)  # never follow a link out of the project
                continue
            looked_at.add(entry.path)
            yield entry, rel, False

    def _python_files_under(self, rel_dir: str) -> Iterator[str]:
        """Every Python file under a directory (none through links out, none in vendored trees)."""
        skipped = _Skipped()
        stack = [rel_dir]
        while stack:
            current = stack.pop()
            for _entry, rel, is_dir in self._entries(current, skipped):
                if is_dir:
                    stack.append(rel)
                else:
                    yield rel

    @property
    def python_files(self) -> list[str]:
        """Uploaded Python files, relative to the analyzed directory."""
        return self._discovered[0]

    @property
    def leanignored_python_files(self) -> list[str]:
        return self._discovered[1]

    @cached_property
    def over_budget(self) -> frozenset[str]:
        """The Python files past the per-run budget (PYTHON_BUDGET_BYTES, taken in path order): a
        project of many files each just under the per-file limits must still end in seconds. They
        are neither read nor parsed, and each gets an LE003 finding saying why."""
        total = 0
        out = set()
        for rel in self.python_files:
            st = self.lstat(rel)
            total += st.st_size if st is not None else 0
            if total > PYTHON_BUDGET_BYTES:
                out.add(rel)
        return frozenset(out)

    # -- Python sources ---------------------------------------------------------------------------

    def source(self, rel: str) -> PythonSource:
        self._note(rel)
        src = self._sources.get(rel)
        if src is None:
            if rel in self.over_budget:
                src = PythonSource(rel, unreadable=OVER_BUDGET)
            else:
                src = load_python(rel, self.abspath(rel), python_target(self), self.overlay.get(rel))
            self._sources[rel] = src
        return src

    def keep_source(self, rel: str, src: PythonSource) -> None:
        """A source the cheap pass loaded in this process, kept for `source()`."""
        self._sources.setdefault(rel, src)

    def python_text(self, rel: str) -> str | None:
        """A Python file's decoded text, without parsing it (None if it cannot be read or decoded); the
        file's own text for a Python 2 module, not its Python 3 view."""
        self._note(rel)
        src = self._sources.get(rel)
        if src is not None:
            return src.original if src.original is not None else src.text
        if rel in self.over_budget:
            return None
        try:
            return decode_python(self.read_bytes(rel))
        except (UnreadableFile, SyntaxError):
            return None

    def parsed(self, rel: str) -> ParsedModule | None:
        """The libcst tree of a file the cheap pass could read and parse; None otherwise."""
        if rel in self._parsed:
            return self._parsed[rel]
        src = self.source(rel)
        result = None
        if src.ok:
            problem = too_complex(src.tree, src.text) if src.tree is not None else None
            if problem is not None:
                # libcst's parser and visitors recurse: a file this deep or large could exhaust the
                # stack or take minutes, so it is not parsed (LE003 says why).
                self.unparsed_reasons[rel] = problem
            else:
                # start-up: libcst loads only when a file is parsed
                import libcst

                try:
                    result = ParsedModule(rel, libcst.parse_module(src.text), src.text)
                except Exception:  # noqa: BLE001 - libcst's grammar differs from ast's in corners
                    self.unparsed_reasons[rel] = "lean-lint's parser (libcst) cannot parse it, though Python can"
        self._parsed[rel] = result
        return result

    def has_parsed(self, rel: str) -> bool:
        """Was `parsed(rel)` asked for already in this process (its answer kept)?"""
        return rel in self._parsed

    def resolver(self, rel: str) -> Any:
        """The one value resolver (analyzer/model/resolver.py) of a project file, shared by every rule
        and model; None when the file does not parse."""
        if rel not in self._resolvers:
            parsed = self.parsed(rel)
            if parsed is None:
                self._resolvers[rel] = None
            else:
                # start-up: the resolver (and libcst) load only when a rule resolves a name; a warm
                # run answered from the cache never does
                from analyzer.model.resolver import Resolver

                self._resolvers[rel] = Resolver(ModuleContext(self, rel, parsed, False, False))
        return self._resolvers[rel]

    @contextmanager
    def in_environment(self, env: str | None) -> Iterator[None]:
        """Resolve values as they are in one platform environment (LEANCLOUD_APP_ENV=env); None: in
        any of them."""
        saved, self.environment = self.environment, env
        try:
            yield
        finally:
            self.environment = saved

    def runtime_files_naming(self, name: str) -> list[str]:
        """The runtime modules whose text has `name` as a word (where a function's callers can be),
        in path order."""
        if self._naming is None:
            naming: dict[str, list[str]] = {}
            for rel in sorted(self.runtime_files):
                for word in self.mentions(rel):
                    naming.setdefault(word, []).append(rel)
            self._naming = naming
        return self._naming.get(name, [])

    def mentions(self, rel: str) -> "Counter[str]":
        """How often each identifier occurs in a file's text as a use: every word, strings and
        comments included (a name in `getattr(obj, 'name')` or a dotted string may be a use), less
        its `def` / `class` statements and the names on `import` lines. Counted once per file."""
        found = self._mentions.get(rel)
        if found is None:
            text = self.python_text(rel) or ""
            found = Counter(_WORD.findall(text))
            found.subtract(_DECLARED.findall(text))
            for line in _IMPORT_LINE.findall(text):
                found.subtract(set(_WORD.findall(line)))
            self._mentions[rel] = found
        return found

    # -- modules and the import graph --------------------------------------------------------------

    @cached_property
    def _module_files(self) -> dict[str, str]:
        """Dotted module name (relative to the build root) -> file."""
        names: dict[str, str] = {}
        for rel in self.python_files:
            name = self._module_name_of(rel)
            if name:
                names.setdefault(name, rel)
        return names

    def _module_name_of(self, rel: str) -> str | None:
        inner = rel[len(self.build_prefix) :] if rel.startswith(self.build_prefix) else None
        if inner is None:
            return None
        parts = inner[:-3].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts or not all(p.isidentifier() for p in parts):
            return None
        return ".".join(parts)

    def module_name(self, rel: str) -> str | None:
        return self._module_name_of(rel)

    def module_file(self, name: str) -> str | None:
        return self._module_files.get(name)

    def is_project_module(self, name: str) -> bool:
        """Is `name`, or the top-level package it belongs to, a module of the project?"""
        return name in self._module_files or name.split(".")[0] in self._top_level_names

    @cached_property
    def _top_level_names(self) -> frozenset[str]:
        names = {n.split(".")[0] for n in self._module_files}
        # A directory at the build root holding Python files is a (namespace) package.
        return frozenset(names)

    def file_info(self, rel: str) -> FileInfo:
        self._note(rel)
        info = self._infos.get(rel)
        if info is None:
            info = self._infos[rel] = self._scan(rel)
        return info

    def _scan(self, rel: str) -> FileInfo:
        src = self.source(rel)
        if src.tree is None:
            return FileInfo()
        return scan_tree(src.tree, self._module_name_of(rel) or "", rel.endswith("__init__.py"), src.text or "")

    def _imported_files(self, rel: str, include_main: bool) -> frozenset[str]:
        """The project files a module imports directly (with its `__main__` block's imports when
        `include_main`); computed once per run, as closures ask for them per file."""
        key = (rel, include_main)
        found = self._imports_of.get(key)
        if found is None:
            found = self._imports_of[key] = frozenset(self._imported_files_uncached(rel, include_main))
        return found

    def _imported_files_uncached(self, rel: str, include_main: bool) -> set[str]:
        info = self.file_info(rel)
        found: set[str] = set()
        refs = info.imports + (info.dead_main_imports if include_main else [])
        for ref in refs:
            if not ref.module:
                continue
            parts = ref.module.split(".")
            for i in range(1, len(parts) + 1):
                target = self.module_file(".".join(parts[:i]))
                if target:
                    found.add(target)
            for name in ref.names:
                target = self.module_file(f"{ref.module}.{name}")
                if target:
                    found.add(target)
        # Dotted strings naming project modules: Django settings, ROOT_URLCONF, include('app.urls'),
        # middleware paths, importlib.import_module('pkg.mod').
        for text in info.dotted_strings:
            parts = text.split(".")
            for i in range(len(parts), 0, -1):
                target = self.module_file(".".join(parts[:i]))
                if target and i > 1:  # "config.json" must not make config.py run
                    found.add(target)
                    break
        for app in info.installed_apps:
            for suffix in ("", ".models", ".admin", ".apps", ".signals"):
                target = self.module_file(app + suffix)
                if target:
                    found.add(target)
        found.discard(rel)
        return found

    @cached_property
    def entry_files(self) -> tuple[str, ...]:
        """The files the platform starts from: wsgi.py, or the `run:` program's module."""
        if self.run is None:
            wsgi = self.build_path("wsgi.py")
            return (wsgi,) if wsgi in self.python_files else ()
        run = self.run
        found: list[str] = []
        if run.script:
            script = os.path.normpath(run.script).replace(os.sep, "/")
            if not script.startswith(".."):
                candidate = self.build_path(script)
                if candidate in self.python_files:
                    found.append(candidate)
        if run.module:
            target = self.module_file(run.module)
            if target:
                found.append(target)
        if run.tool == "flask" and not found:
            for default in ("wsgi.py", "app.py"):
                if self.build_path(default) in self.python_files:
                    found.append(self.build_path(default))
                    break
        return tuple(found)

    @cached_property
    def main_program(self) -> str | None:
        """The file that runs as `__main__` on the platform (`python app.py`, `python -m pkg.mod`)."""
        run = self.run
        if run is None or run.tool not in ("python", "django-runserver") or not self.entry_files:
            return None
        return self.entry_files[0]

    @cached_property
    def runtime_files(self) -> frozenset[str]:
        """The entry files and every project file they import, transitively."""
        return frozenset(self.import_closure(self.entry_files))

    def import_closure(self, starts: Iterable[str], every_main: bool = False) -> Iterator[str]:
        """`starts` and the project files they import, transitively, each once as it is found and
        before its own imports are read (so a caller may load the file first). A module's
        `__main__` block counts where it runs (the `run:` program), or everywhere with
        `every_main`."""
        seen: set[str] = set()
        stack = list(starts)
        while stack:
            rel = stack.pop()
            if rel in seen:
                continue
            seen.add(rel)
            yield rel
            stack.extend(self._imported_files(rel, include_main=every_main or rel == self.main_program) - seen)

    def runs_main_guard(self, rel: str) -> bool:
        return rel == self.main_program


_DOTTED_STRING_RE = re.compile(r"""['"]([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)['"]""")
_STMT_BLOCKS = ("body", "orelse", "finalbody")


def scan_tree(tree: ast.Module, name: str, is_pkg: bool, text: str = "") -> FileInfo:
    """The cheap pass over one module's `ast`: its imports (with whether each is optional or only
    under a `__main__` guard), dotted strings that may name project modules, Django INSTALLED_APPS.

    Imports are statements, so only statement blocks are walked (iteratively), never expressions;
    dotted strings come from a regex over the text (a dotted name in a comment only widens what is
    considered reachable)."""
    info = FileInfo()
    package = name if is_pkg else name.rpartition(".")[0]
    # (statement, inside a try that catches ImportError, inside a top-level __main__ block)
    stack: list[tuple[ast.stmt, bool, bool]] = [(stmt, False, False) for stmt in reversed(tree.body)]
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "INSTALLED_APPS" for t in stmt.targets):
            if isinstance(stmt.value, (ast.List, ast.Tuple)):
                info.installed_apps += [
                    e.value for e in stmt.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
                ]
    top_level_main = {id(s) for s in tree.body if isinstance(s, ast.If) and is_main_guard(s.test)}
    while stack:
        node, guarded, dead = stack.pop()
        refs: list[ImportRef] = []
        if isinstance(node, ast.Import):
            refs = [ImportRef(a.name, (), node.lineno, guarded) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg_parts = package.split(".") if package else []
                if node.level - 1 > len(pkg_parts):
                    base = ""
                else:
                    kept = pkg_parts[: len(pkg_parts) - (node.level - 1)]
                    base = ".".join(kept + ([node.module] if node.module else []))
            names = tuple(a.name for a in node.names)
            refs = [ImportRef(base, names, node.lineno, guarded, star=names == ("*",))]
        else:
            children: list[tuple[ast.stmt, bool, bool]] = []
            if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
                catches = any(_catches_import_error(h) for h in node.handlers)
                children += [(s, guarded or catches, dead) for s in node.body]
                for handler in node.handlers:
                    children += [(s, guarded, dead) for s in handler.body]
                children += [(s, guarded, dead) for s in node.orelse + node.finalbody]
            elif isinstance(node, ast.If) and id(node) in top_level_main:
                children += [(s, guarded, True) for s in node.body]
                children += [(s, guarded, dead) for s in node.orelse]
            elif hasattr(ast, "Match") and isinstance(node, ast.Match):
                for case in node.cases:
                    children += [(s, guarded, dead) for s in case.body]
            else:
                for field in _STMT_BLOCKS:
                    block = getattr(node, field, None)
                    if isinstance(block, list):
                        children += [(s, guarded, dead) for s in block if isinstance(s, ast.stmt)]
            stack.extend(reversed(children))
            continue
        if dead:
            info.dead_main_imports += refs
        else:
            info.imports += refs
    if text:
        info.dotted_strings = {m for m in _DOTTED_STRING_RE.findall(text) if len(m) < 200}
    return info


def is_main_guard(test: ast.expr) -> bool:
    """`__name__ == "__main__"` (either way round)."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    consts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return len(names) == 1 and len(consts) == 1


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type
    if kinds is None:
        return True
    elts = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
    return any(
        (isinstance(e, ast.Name) and e.id in ("ImportError", "ModuleNotFoundError", "Exception", "BaseException"))
        or (isinstance(e, ast.Attribute) and e.attr in ("ImportError", "ModuleNotFoundError"))
        for e in elts
    )


def _printable_name(name: str) -> bool:
    """A file name lean-lint can report: valid UTF-8 (os.scandir gives undecodable bytes as lone
    surrogates, which no output format can carry)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def display_path(path: str) -> str:
    """A path on one line, for notices: control characters and undecodable bytes escaped."""
    out = []
    for ch in path:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif 0xDC80 <= ord(ch) <= 0xDCFF:
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


@dataclass
class _Skipped:
    """What discovery could not look at, for the notices."""

    dirs: list[tuple[str, str]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def notices(self) -> list[str]:
        out = []
        if self.dirs:
            shown = ", ".join(f"{display_path(d)} ({why})" for d, why in self.dirs[:3])
            more = f" and {len(self.dirs) - 3:,} more" if len(self.dirs) > 3 else ""
            out.append(f"cannot list {len(self.dirs):,} director{'y' if len(self.dirs) == 1 else 'ies'}: {shown}{more}; the Python files in them were not analyzed")
        if self.links:
            shown = ", ".join(display_path(p) for p in sorted(self.links)[:3])
            more = f" and {len(self.links) - 3:,} more" if len(self.links) > 3 else ""
            out.append(f"{len(self.links):,} Python file{'' if len(self.links) == 1 else 's'} {'is a link' if len(self.links) == 1 else 'are links'} out of the project, which lean-lint never follows: {shown}{more}")
        if self.names:
            shown = ", ".join(display_path(p) for p in sorted(self.names)[:3])
            more = f" and {len(self.names) - 3:,} more" if len(self.names) > 3 else ""
            out.append(f"{len(self.names):,} file or directory name{'' if len(self.names) == 1 else 's'} {'is' if len(self.names) == 1 else 'are'} not valid UTF-8 and {'was' if len(self.names) == 1 else 'were'} skipped: {shown}{more}")
        return out


def is_main_guard_cst(test: Any) -> bool:
    # start-up: libcst loads only when a file is parsed
    import libcst as cst

    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    target = test.comparisons[0]
    if not isinstance(target.operator, cst.Equal):
        return False
    sides = (test.left, target.comparator)
    has_name = any(isinstance(s, cst.Name) and s.value == "__name__" for s in sides)
    has_main = any(isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__" for s in sides)
    return has_name and has_main


#: What makes a folder a Cloud Engine project for lean-lint: the files the platform (and lean-cli)
#: look for at its root.
PROJECT_MARKERS = ("wsgi.py", "requirements.txt", LEANENGINE_YAML)


def project_candidates(root: Path, *, max_depth: int = 3, max_dirs: int = 2000, limit: int = 3) -> list[str] | None:
    """None when `root` is a Cloud Engine project (one of PROJECT_MARKERS is there, as anything);
    else the subfolders, nearest first, that are one (POSIX paths relative to `root`, at most `limit`).

    The search looks `max_depth` levels down and at `max_dirs` folders at most, skips what discovery
    skips (.git, node_modules, virtual environments...) and follows no symbolic link."""
    if any(os.path.lexists(root / name) for name in PROJECT_MARKERS):
        return None
    found: list[str] = []
    level, seen = [""], 0
    for _ in range(max_depth):
        below: list[str] = []
        for rel in level:
            try:
                with os.scandir(root / rel if rel else root) as it:
                    entries = sorted((e for e in it if e.is_dir(follow_symlinks=False)), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                if entry.name in SKIP_DIRS or _is_environment(entry.path):
                    continue
                seen += 1
                if seen > max_dirs:
                    return found
                path = f"{rel}/{entry.name}" if rel else entry.name
                if any(os.path.isfile(os.path.join(entry.path, name)) for name in PROJECT_MARKERS):
                    found.append(path)
                    if len(found) >= limit:
                        return found
                else:
                    below.append(path)
        level = below
    return found
