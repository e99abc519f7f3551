"""Reading requirements.txt the way pip does, with a position for everything.

The platform installs a Python project with `pip install -r requirements.txt` at the build root, so
this module follows pip's own reader (`pip/_internal/req/req_file.py` and `req/constructors.py`):
a line ending in a backslash joins the next one (not after a comment line), ` #` starts a comment
(a `#` glued to text, as in `...#egg=name`, does not), the line splits at its first word starting
with `-` into the requirement and pip's options, `-r`/`-c` files are read relative to the including
file, and local paths in requirement lines relative to the directory pip runs in (the build root).
Lines are parsed with `packaging`, the library pip vendors; the common simple lines (`name`,
`name[extra]>=1.0,<2`) take a fast path that gives the same result (a test compares the two), so
100,000 lines take about a second, and every pattern runs in linear time on any input.

`project_requirements(project)` is the one entry point; its result is computed once per run and
shared (`project.requirements_set`). Nothing here runs pip or touches the network.
"""

from __future__ import annotations

import difflib
import fnmatch
import optparse
import os
import posixpath
import re
import shlex
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterator

from analyzer.readers.python import UnreadableFile
from analyzer.support.names import normalize_name
from analyzer.types import Severity, Span

if TYPE_CHECKING:
    from packaging.markers import Marker
    from packaging.specifiers import SpecifierSet

    from analyzer.model.project import Project

ROOT_FILE = "requirements.txt"

# -- pip's own patterns (req_file.py) ------------------------------------------------------------
#: pip expands `${NAME}` from the environment at install time: what it becomes is unknown here.
_ENV_VAR_RE = re.compile(r"\$\{[A-Z0-9_]+\}")
_VCS_SCHEMES = frozenset(
    {
        "git", "git+http", "git+https", "git+ssh", "git+git", "git+file",
        "hg", "hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http",
        "svn", "svn+ssh", "svn+http", "svn+https", "svn+svn", "svn+file",
        "bzr", "bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp", "bzr+file",
    }
)
_URL_SCHEMES = frozenset({"http", "https", "file", "ftp"}) | _VCS_SCHEMES
_ARCHIVE_EXTENSIONS = (
    ".zip", ".whl", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma",
    ".tar.gz", ".tgz", ".tar",
)
_EGG_RE = re.compile(r"[#&]egg=([^&]*)")
#: pip's (lenient) wheel file name pattern; a name it does not match is an error.
_WHEEL_RE = re.compile(
    r"^(?P<name>[^\s-]+?)-(?P<ver>[^\s-]*?)(?:-\d[^-]*?)?-[^\s-]+?-[^\s-]+?-[^\s-]+?\.whl$", re.I
)
_STRONG_HASHES = ("sha256", "sha384", "sha512")

# -- the fast path: simple lines packaging would accept, parsed without it -----------------------
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_REL = r"[0-9]+(?:\.[0-9]+)*"
_SUFFIX = r"(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?"
_ONE_SPEC = (
    rf"(?:(?:==|!=)[ \t]*(?:{_REL}\.\*|{_REL}{_SUFFIX})"
    rf"|~=[ \t]*[0-9]+(?:\.[0-9]+)+{_SUFFIX}"
    rf"|(?:<=|>=|<|>)[ \t]*{_REL}{_SUFFIX})"
)
#: A line (comment removed, stripped) that is one simple requirement: most lines are. Every `[ \t]*`
#: is followed by a character that must be there, so a line that does not match fails in linear time.
_FAST_LINE_RE = re.compile(
    rf"(?P<name>{_NAME})"
    rf"(?:[ \t]*\[[ \t]*(?P<extras>{_NAME}(?:[ \t]*,[ \t]*{_NAME})*)[ \t]*\])?"
    rf"(?:[ \t]*(?P<spec>{_ONE_SPEC}(?:[ \t]*,[ \t]*{_ONE_SPEC})*))?"
    r"(?:[ \t]*;(?P<marker>.*))?\Z"
)
_SPEC_PART_RE = re.compile(r"(===|~=|==|!=|<=|>=|<|>)[ \t]*([^,\s]+)")
#: An options part made of `--hash` options only (what pip-compile writes).
_HASHES_RE = re.compile(r"(?:--hash[= ](?:sha256|sha384|sha512):[0-9A-Za-z]+(?: +|\Z))+")
_HASH_VALUE_RE = re.compile(r"--hash[= ](\S+)")
_UPPER_OPS = frozenset({"==", "===", "~=", "<", "<="})


@dataclass(eq=False, slots=True)
class RequirementEntry:
    """One requirement pip would install (or, from a `-c` file, one constraint).

    `line`/`column` locate the requirement's first character (its name for named requirements),
    `end_line`/`end_column` (exclusive) its last: the span covers the requirement as written,
    marker included, comment and per-requirement options (`--hash=...`) excluded.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    #: The requirement text pip sees (for `-e`, the option's value).
    raw: str
    name: str | None = None
    normalized: str | None = None
    #: The version specifiers as written, in order: (operator, version).
    ops: tuple[tuple[str, str], ...] = ()
    extras: frozenset[str] = frozenset()
    marker_text: str | None = None
    #: A URL requirement (`name @ URL`, a VCS or archive URL, `file:` URL).
    url: str | None = None
    #: A local directory or archive, as written (pip resolves it from the build root).
    local_path: str | None = None
    editable: bool = False
    #: True for lines of a `-c` constraints file: they limit versions, they install nothing.
    constraint: bool = False
    #: `--hash` values given on the line.
    hashes: tuple[str, ...] = ()
    #: `${VAR}` in the line: pip substitutes the install environment's value.
    has_env_vars: bool = False
    #: Where in `raw` the version range ends (before a marker, inside parentheses).
    spec_end: int = 0
    _specifier: Any = field(default=None, repr=False)

    @property
    def span(self) -> Span:
        return Span(self.line, self.column, self.end_line, self.end_column)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def is_versioned(self) -> bool:
        """A requirement resolved by name and version range (not a URL, path or editable)."""
        return self.name is not None and self.url is None and self.local_path is None and not self.editable

    @property
    def specifier(self) -> "SpecifierSet | None":
        """The version range as packaging's SpecifierSet (None for URL / path requirements)."""
        if not self.is_versioned:
            return None
        if self._specifier is None:
            self._specifier = _specifier_set(",".join(op + ver for op, ver in self.ops))
        return self._specifier

    @property
    def marker(self) -> "Marker | None":
        if not self.marker_text:
            return None
        # start-up: packaging loads only for the requirement lines that need it
        from packaging.markers import InvalidMarker, Marker

        try:
            return Marker(self.marker_text)
        except InvalidMarker:
            return None

    @property
    def has_upper_bound(self) -> bool:
        return any(op in _UPPER_OPS for op, _ in self.ops)


@dataclass
class RequirementProblem:
    """Something pip rejects (LE402) or a file or path that is missing (LE403)."""

    code: str
    path: str
    span: Span
    message: str
    severity: Severity = Severity.ERROR
    hint: str = ""


@dataclass
class RequirementsSet:
    """Everything pip would read from the build root's requirements.txt."""

    #: The requirements files read, display paths, in reading order (requirements.txt first).
    files: list[str] = field(default_factory=list)
    entries: list[RequirementEntry] = field(default_factory=list)
    #: What pip rejects (LE402), and paths it cannot find (LE403, warnings for paths that exist but
    #: are not in the build directory during the install step).
    problems: list[RequirementProblem] = field(default_factory=list)
    _names: frozenset[str] | None = field(default=None, repr=False)

    @property
    def requirements(self) -> list[RequirementEntry]:
        """What pip installs: the entries that are not constraints."""
        return [e for e in self.entries if not e.constraint]

    @property
    def names(self) -> frozenset[str]:
        """Normalized names of the distributions installed by name (constraints excluded)."""
        if self._names is None:
            self._names = frozenset(e.normalized for e in self.entries if e.normalized and not e.constraint)
        return self._names

    @property
    def unnamed(self) -> list[RequirementEntry]:
        """Requirements whose distribution name is unknown before pip builds them (a VCS URL
        without `#egg=`, a local directory, `-e .`): a rule that asks "is X installed?" should
        not answer no with certainty when this is not empty."""
        return [e for e in self.entries if not e.constraint and e.normalized is None]

    def has(self, name: str) -> bool:
        return normalize_name(name) in self.names

    def by_name(self, name: str) -> list[RequirementEntry]:
        key = normalize_name(name)
        return [e for e in self.entries if e.normalized == key and not e.constraint]


def project_requirements(project: "Project") -> RequirementsSet:
    """The requirements of the project's build root, read once per run."""
    cached = project.requirements_set
    if cached is None:
        cached = project.requirements_set = _Reader(project).read()
    return cached


# -- reading ---------------------------------------------------------------------------------------


class _LineMap:
    """Maps an offset in a joined logical line back to (line, 1-based column) in the file."""

    __slots__ = ("segments",)

    def __init__(self, segments: list[tuple[int, int, int]]) -> None:
        #: (offset in the joined text, physical line, physical 0-based column of that offset)
        self.segments = segments

    def pos(self, offset: int) -> tuple[int, int]:
        segs = self.segments
        chosen = segs[0]
        for seg in segs:
            if seg[0] <= offset:
                chosen = seg
            else:
                break
        return chosen[1], max(chosen[2] + offset - chosen[0], 0) + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.pos(start)
        if end <= start:
            return Span(line, col, line, col + 1)
        end_line, end_col = self.pos(end - 1)
        return Span(line, col, end_line, end_col + 1)


def _logical_lines(text: str) -> Iterator[tuple[str, int, list[tuple[int, int, int]] | None]]:
    """pip's join_lines: yields each joined line (comments not yet removed), the number of its first
    physical line, and, for a line joined from several, its segments for `_LineMap` (None for one)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    pending: list[str] = []
    segments: list[tuple[int, int, int]] = []
    length = 0
    for number, line in enumerate(lines, 1):
        is_comment = line.lstrip()[:1] == "#"  # pip: COMMENT_RE.match(line), (^|\s+)#
        if not line.endswith("\\") or is_comment:
            if not pending:
                if not is_comment:
                    yield line, number, None
                continue  # a comment line on its own says nothing
            if is_comment:
                line = " " + line  # as pip does: the comment is then always removed
            pending.append(line)
            segments.append((length, number, -1 if is_comment else 0))
            yield "".join(pending), segments[0][1], segments
            pending, segments, length = [], [], 0
        else:
            stripped = line.strip("\\")
            lead = len(line) - len(line.lstrip("\\"))
            pending.append(stripped)
            segments.append((length, number, lead))
            length += len(stripped)
    if pending:
        yield "".join(pending), segments[0][1], segments


class _OptionError(Exception):
    pass


class _LineOptionParser(optparse.OptionParser):
    def error(self, msg: str) -> Any:  # optparse would print usage and exit
        raise _OptionError(msg)


def _check_hash(option: Any, opt_str: str, value: str, parser: Any) -> None:
    algo, sep, _digest = value.partition(":")
    if not sep:
        parser.error(f"{opt_str} takes a hash name and a digest, like {opt_str}=sha256:abcde...")
    if algo not in _STRONG_HASHES:
        parser.error(f"{opt_str} takes {', '.join(_STRONG_HASHES)} hashes, not {algo!r}")
    hashes = parser.values.hashes or []
    hashes.append(value)
    parser.values.hashes = hashes


def _check_config_setting(option: Any, opt_str: str, value: str, parser: Any) -> None:
    if "=" not in value:
        parser.error(f"{opt_str} takes KEY=VALUE")


@lru_cache(maxsize=1)
def _option_parser() -> _LineOptionParser:
    """The options pip accepts in a requirements file, the union over current pip versions (an
    option only some versions know is accepted: lean-lint cannot know the platform's pip)."""
    parser = _LineOptionParser(add_help_option=False, usage=optparse.SUPPRESS_USAGE)
    append = dict(action="append", default=None)
    parser.add_option("-i", "--index-url", "--pypi-url", dest="index_url")
    parser.add_option("--extra-index-url", dest="extra_index_urls", **append)
    parser.add_option("--no-index", action="store_true", dest="no_index")
    parser.add_option("-c", "--constraint", dest="constraints", **append)
    parser.add_option("-r", "--requirement", dest="requirements", **append)
    parser.add_option("-e", "--editable", dest="editables", **append)
    parser.add_option("-f", "--find-links", dest="find_links", **append)
    parser.add_option("--no-binary", dest="no_binary", **append)
    parser.add_option("--only-binary", dest="only_binary", **append)
    parser.add_option("--prefer-binary", action="store_true", dest="prefer_binary")
    parser.add_option("--require-hashes", action="store_true", dest="require_hashes")
    parser.add_option("--pre", action="store_true", dest="pre")
    parser.add_option("--trusted-host", dest="trusted_hosts", **append)
    parser.add_option("--use-feature", dest="features", **append)
    parser.add_option("--no-deps-for", dest="no_deps_for", **append)
    parser.add_option("--global-option", dest="global_options", **append)
    parser.add_option("--install-option", dest="install_options", **append)
    parser.add_option("--build-option", dest="build_options", **append)
    parser.add_option("--hash", dest="hashes", action="callback", callback=_check_hash, type="string")
    parser.add_option(
        "-C", "--config-settings", dest="config_settings", action="callback",
        callback=_check_config_setting, type="string",
    )
    return parser


def _known_options() -> list[str]:
    return sorted({s for o in _option_parser().option_list for s in o._long_opts})  # noqa: SLF001


def _break_args_options(line: str) -> tuple[str, str, int]:
    """pip's break_args_options: (requirement part, options part, offset of the options part)."""
    if not line.startswith("-") and " -" not in line:
        return line, "", len(line)
    tokens = line.split(" ")
    args: list[str] = []
    for token in tokens:
        if token.startswith("-"):
            break
        args.append(token)
    args_text = " ".join(args)
    offset = len(args_text) + 1 if args else 0
    return args_text, " ".join(tokens[len(args) :]), offset


@lru_cache(maxsize=1024)
def _valid_marker(text: str) -> bool:
    # start-up: packaging loads only for the requirement lines that need it
    from packaging.markers import InvalidMarker, Marker

    try:
        Marker(text)
    except InvalidMarker:
        return False
    return True


@lru_cache(maxsize=4096)
def _specifier_set(text: str) -> "SpecifierSet":
    # start-up: packaging loads only for the requirement lines that need it
    from packaging.specifiers import SpecifierSet

    return SpecifierSet(text)


def _scheme(text: str) -> str | None:
    if ":" not in text:
        return None
    return text.split(":", 1)[0].lower()


def _is_url(text: str) -> bool:
    return _scheme(text) in _URL_SCHEMES


def _looks_like_path(text: str) -> bool:
    return "/" in text or text.startswith(".")


def _is_archive(text: str) -> bool:
    return text.lower().endswith(_ARCHIVE_EXTENSIONS)


def _strip_comment(line: str) -> str:
    r"""What pip's `(^|\s+)#.*$` leaves: the text before the first `#` that starts the line or follows
    whitespace (a `#` glued to text, as in `#egg=`, is no comment). Linear, unlike the regex."""
    index = line.find("#")
    while index != -1:
        if index == 0 or line[index - 1].isspace():
            return line[:index]
        index = line.find("#", index + 1)
    return line


def _strip_extras(text: str) -> tuple[str, str | None]:
    r"""pip's `^(.+)(\[[^\]]+\])$` (a path with `[extras]`), computed in linear time."""
    if not text.endswith("]"):
        return text, None
    inner_close = text.rfind("]", 0, len(text) - 1)
    start = text.rfind("[", max(inner_close + 1, 1), len(text) - 2)
    if start == -1:
        return text, None
    return text[:start], text[start:]


def _packaging_error(exc: Exception) -> tuple[str, int | None]:
    """packaging's first message line, and the offset its caret points at, if any."""
    lines = str(exc).splitlines()
    reason = lines[0] if lines else str(exc)
    offset = None
    if len(lines) >= 3 and "^" in lines[2]:
        offset = max(lines[2].index("^") - 4, 0)
    return reason, offset


class _Reader:
    def __init__(self, project: "Project", fast: bool = True) -> None:
        self.project = project
        self.fast = fast  # tests turn the fast path off to compare it with the general one
        self.result = RequirementsSet()
        self.seen: set[tuple[str, bool]] = set()
        self.real_paths: dict[str, str] = {}
        #: The resolved paths of the files being read (the `-r` chain on the way here): a cycle check
        #: in constant time, however long the chain.
        self.reading: set[str] = set()
        self.required = _required_paths(project)
        self.env_on_build = project.le_value("exposeEnvironmentsOnBuild") is True

    def read(self) -> RequirementsSet:
        root = self.project.build_path(ROOT_FILE)
        if self.project.is_file(root) or (
            self.project.lstat(root) is not None and not self.project.inside(self.project.abspath(root))
        ):
            # A link out of the project is not followed, and says so (LE003) rather than pass silently.
            self._read_file(root, constraint=False, stack=())
        return self.result

    # -- files -------------------------------------------------------------------------------------

    def _real(self, rel: str) -> str:
        """The resolved path of a project file, computed once per file (a chain of thousands of
        `-r` files must not resolve every file on the way again at each step)."""
        found = self.real_paths.get(rel)
        if found is None:
            found = self.real_paths[rel] = _real_key(self.project, rel)
        return found

    def _read_file(self, path: str, constraint: bool, stack: tuple[str, ...]) -> None:
        key = (self._real(path), constraint)
        if key in self.seen:
            return  # pip reads a file included twice twice; its entries would be the same
        self.seen.add(key)
        try:
            text = self.project.read_text(path)
        except UnreadableFile as exc:
            self.project.unanalyzed.append((path, str(exc)))  # LE003: a finding, not a passing note
            return
        self.result.files.append(path)
        if text.startswith("\ufeff"):
            text = text[1:]  # pip decodes a BOM away (and editors do not count it as a column)
        chain = stack + (path,)
        self.reading.add(key[0])
        try:
            self._read_lines(path, text, constraint, chain)
        finally:
            self.reading.discard(key[0])

    def _read_lines(self, path: str, text: str, constraint: bool, chain: tuple[str, ...]) -> None:
        fast = _FAST_LINE_RE.match
        for joined, number, segments in _logical_lines(text):
            if segments is None and self.fast:
                line = _strip_comment(joined)
                stripped = line.strip()
                if not stripped:
                    continue
                match = fast(stripped)
                lead = len(line) - len(line.lstrip())
                if match and self._fast_entry(path, number, lead, stripped, match, constraint):
                    continue
            self._line(path, joined, _LineMap(segments or [(0, number, 0)]), constraint, chain)

    def _fast_entry(
        self, path: str, number: int, lead: int, raw: str, match: "re.Match[str]", constraint: bool
    ) -> bool:
        """A line `_FAST_LINE_RE` matched: exactly what the general path gives, without packaging.
        False when the general path must decide (an invalid marker, an archive file name)."""
        marker = match.group("marker")
        if marker is not None:
            marker = marker.strip() or None
            if marker is not None and not _valid_marker(marker):
                return False
        spec = match.group("spec")
        name = match.group("name")
        if not spec and name.lower().endswith(_ARCHIVE_EXTENSIONS):
            return False
        extras = match.group("extras")
        self.result.entries.append(
            RequirementEntry(
                path, number, lead + 1, number, lead + 1 + len(raw), raw,
                name=name,
                normalized=normalize_name(name),
                ops=tuple(_SPEC_PART_RE.findall(spec)) if spec else (),
                extras=frozenset(e.strip().lower() for e in extras.split(",")) if extras else frozenset(),
                marker_text=marker,
                constraint=constraint,
                spec_end=len(raw.split(";", 1)[0].rstrip()),
            )
        )
        return True

    # -- lines -------------------------------------------------------------------------------------

    def _line(self, path: str, joined: str, linemap: _LineMap, constraint: bool, stack: tuple[str, ...]) -> None:
        text = _strip_comment(joined)
        stripped = text.strip()
        if not stripped:
            return
        base = len(text) - len(text.lstrip())
        args, options, opt_offset = _break_args_options(stripped)

        def span(start: int, end: int) -> Span:
            return linemap.span(base + start, base + end)

        env = "${" in stripped and _ENV_VAR_RE.search(stripped) is not None
        if env and not self.env_on_build:
            self._unset_variables(path, stripped, span)
        opts = None
        if options:
            if args and _HASHES_RE.fullmatch(options):  # pip-compile's `--hash=sha256:...`: no optparse needed
                self._requirement(path, args, 0, span, constraint, env, tuple(_HASH_VALUE_RE.findall(options)))
                return
            try:
                words = shlex.split(options)
            except ValueError:
                self._problem("LE402", path, span(opt_offset, len(stripped)),
                              f"pip cannot split the options `{options}` (an unclosed quote): pip install fails on the platform", "Close the quote or remove it.")
                return
            values = optparse.Values({o.dest: None for o in _option_parser().option_list if o.dest})
            try:
                opts, _ = _option_parser().parse_args(words, values)
            except _OptionError as exc:
                self._option_problem(path, stripped, opt_offset, str(exc), span)
                return
        if args.strip():
            hashes = tuple(opts.hashes or ()) if opts is not None else ()
            self._requirement(path, args, 0, span, constraint, env, hashes)
        elif opts is not None and opts.editables:
            value = opts.editables[0]
            start = stripped.find(value, opt_offset)
            start = start if start >= 0 else opt_offset
            self._editable(path, value, start, span, constraint, env)
        elif opts is not None and (opts.requirements or opts.constraints):
            target = opts.requirements[0] if opts.requirements else opts.constraints[0]
            nested_constraint = not opts.requirements
            where = span(opt_offset, len(stripped))
            self._include(path, target, nested_constraint, where, stack, env)

    def _unset_variables(self, path: str, line: str, span: Any) -> None:
        names = []
        first = None
        for match in _ENV_VAR_RE.finditer(line):
            name = match.group(0)[2:-1]
            if name.startswith("LEANCLOUD") or name in names:
                continue  # LEANCLOUD_* are the platform's own variables
            names.append(name)
            first = first or match
        if not names or first is None:
            return
        shown = ", ".join(f"`${{{n}}}`" for n in names)
        self._problem(
            "LE402", path, span(first.start(), first.end()),
            f"{shown} is not substituted: the platform hides the app's variables from the build by default",
            "Add `exposeEnvironmentsOnBuild: true` to leanengine.yaml.",
            Severity.WARNING,
        )

    def _option_problem(self, path: str, line: str, offset: int, msg: str, span: Any) -> None:
        option = None
        found = re.match(r"(?:no such option|ambiguous option): (\S+)", msg)
        needs = re.match(r"(\S+) option requires (\d+) argument", msg)
        if found:
            option = found.group(1)
        elif needs:
            option = needs.group(1)
        start = line.find(option, offset) if option else -1
        where = span(start, start + len(option)) if start >= 0 else span(offset, len(line))
        hint = ""
        if found and msg.startswith("no such option"):
            close = difflib.get_close_matches(option.split("=")[0], _known_options(), n=1, cutoff=0.75)
            message = f"pip does not know the option `{option}` in a requirements file"
            if close:
                message += f" (did you mean `{close[0]}`?)"
                hint = f"Write `{close[0]}`."
        elif found:
            message = f"`{option}` is an ambiguous abbreviation of several pip options"
        elif needs:
            what = {"-r": "a file", "--requirement": "a file", "-c": "a file", "--constraint": "a file",
                    "-e": "a path or VCS URL", "--editable": "a path or VCS URL"}.get(option, "a value")
            message = f"`{option}` needs {what} after it"
        else:
            message = f"pip rejects the options: {msg}"
        self._problem("LE402", path, where, message + ": pip install fails on the platform", hint)

    def _problem(self, code: str, path: str, span: Span, message: str, hint: str = "",
                 severity: Severity = Severity.ERROR) -> None:
        self.result.problems.append(RequirementProblem(code, path, span, message, severity, hint))

    # -- -r / -c -------------------------------------------------------------------------------------

    def _include(
        self, path: str, target: str, constraint: bool, where: Span, stack: tuple[str, ...], env: bool
    ) -> None:
        flag = "-c" if constraint else "-r"
        if env or _scheme(target) in ("http", "https", "file") or target.startswith("/"):
            return  # fetched or substituted at install time, or outside the project: unknown here
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
        if rel == ".." or rel.startswith("../"):
            return  # outside the analyzed directory
        if self._real(rel) in self.reading:
            chain = " -> ".join(list(stack[stack.index(rel):] if rel in stack else stack) + [rel])
            self._problem(
                "LE402", path, where,
                f"`{flag} {target}` includes itself ({chain}): pip install fails on the platform",
                f"Remove the `{flag} {target}` line.",
            )
            return
        if self.project.lstat(rel) is None:
            self._problem(
                "LE403", path, where,
                f"`{flag} {target}`: `{rel}` does not exist: pip install fails on the platform",
                "Fix the path (it is relative to the file that names it) or remove the line.",
            )
            return
        if not self.project.exists(rel):
            return  # a link out of the project: lean-lint does not follow it
        if not self.project.is_file(rel):
            kind = "a directory" if self.project.is_dir(rel) else "not a regular file"
            self._problem("LE403", path, where,
                          f"`{flag} {target}`: `{rel}` is {kind}; pip cannot read it as a requirements file",
                          "Point it at a requirements file.")
            return
        self._check_required(path, where, rel, f"`{flag} {target}`")
        self._read_file(rel, constraint, stack)

    def _check_required(self, path: str, where: Span, rel: str, what: str, is_dir: bool = False) -> None:
        """During the install step the build directory holds only the dependency manifests."""
        if self.required is None or rel == self.project.build_path(ROOT_FILE):
            return
        inner = rel[len(self.project.build_prefix):] if rel.startswith(self.project.build_prefix) else rel
        if _covered(inner, self.required, is_dir) or _covered(rel, self.required, is_dir):
            return
        if inner in ("", "."):
            listed = "setup.py or pyproject.toml and the package's files"
            example = "pyproject.toml, mypackage"
        else:
            listed = f"`{inner}`"
            example = inner
        self._problem(
            "LE403", path, where,
            f"{what}: the platform's install step sees only requirements.txt, not {listed}",
            f"List it under `require:`, in leanengine.yaml: `install: [{{require: [{example}]}}, {{use: default}}]`.",
            Severity.WARNING,
        )

    # -- requirement lines ----------------------------------------------------------------------------

    def _entry(self, path: str, raw: str, span: Span, constraint: bool, env: bool, **kw: Any) -> RequirementEntry:
        entry = RequirementEntry(path, span.line, span.column, span.end_line or span.line, span.end_column or 1,
                                 raw, constraint=constraint, has_env_vars=env, **kw)
        self.result.entries.append(entry)
        return entry

    def _requirement(self, path: str, args: str, start: int, span: Any, constraint: bool, env: bool,
                     hashes: tuple[str, ...]) -> None:
        body = args.rstrip()
        lead = len(body) - len(body.lstrip())
        body = body.strip()
        start += lead
        where = span(start, start + len(body))
        url_like = _is_url(body)
        sep = "; " if url_like else ";"
        name_part, has_marker, marker_text = body.partition(sep)
        marker_text = marker_text.strip() if has_marker else ""
        name_text = name_part.strip()
        if marker_text and not _valid_marker(marker_text):
            # start-up: packaging loads only for the requirement lines that need it
            from packaging.markers import InvalidMarker, Marker

            try:
                Marker(marker_text)
            except InvalidMarker as exc:
                if not env:
                    reason, _ = _packaging_error(exc)
                    m_start = start + body.index(marker_text, len(name_part))
                    self._problem("LE402", path, span(m_start, m_start + len(marker_text)),
                                  f"invalid environment marker `{marker_text}` ({reason}): pip install fails on the platform")
                return
        spec_end = len(name_part.rstrip())
        if url_like:
            self._url_requirement(path, body, name_text, marker_text, where, constraint, env, hashes)
            return
        # A local directory or archive (pip checks these before reading a requirement).
        path_text, extras_text = _strip_extras(name_text)
        if _looks_like_path(name_text) or _is_archive(path_text):
            if self._local_requirement(path, body, name_text, path_text, extras_text, marker_text, where,
                                       constraint, env):
                return
        simple = _FAST_LINE_RE.match(name_text)  # no marker here: it was split off above
        if simple:
            name = simple.group("name")
            extras = simple.group("extras")
            spec = simple.group("spec")
            ops = tuple(_split_op(s) for s in spec.split(",")) if spec else ()
            self._entry(path, body, where, constraint, env, name=name, normalized=normalize_name(name), ops=ops,
                        extras=frozenset(e.strip().lower() for e in extras.split(",")) if extras else frozenset(),
                        marker_text=marker_text or None, hashes=hashes, spec_end=spec_end)
            return
        # start-up: packaging loads only for the requirement lines that need it
        from packaging.requirements import InvalidRequirement, Requirement

        try:
            req = Requirement(name_text)
        except InvalidRequirement as exc:
            if env:
                return  # `${VAR}` is substituted at install time: the line may be fine then
            self._invalid(path, name_text, exc, start, where, span)
            return
        marker = marker_text or (str(req.marker) if req.marker else None)
        if req.url:
            self._entry(path, body, where, constraint, env, name=req.name, normalized=normalize_name(req.name),
                        extras=frozenset(req.extras), marker_text=marker,
                        url=req.url, hashes=hashes, spec_end=spec_end)
            return
        ops = tuple((s.operator, s.version) for s in req.specifier)
        self._entry(path, body, where, constraint, env, name=req.name, normalized=normalize_name(req.name), ops=ops,
                    extras=frozenset(req.extras), marker_text=marker,
                    hashes=hashes, spec_end=spec_end, _specifier=req.specifier)

    def _invalid(self, path: str, text: str, exc: Exception, start: int, where: Span, span: Any) -> None:
        reason, offset = _packaging_error(exc)
        at = span(start + offset, start + len(text)) if offset is not None and offset < len(text) else where
        eq = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*=\s*([0-9][^=<>!~]*)", text)
        compatible = re.search(r"~=\s*v?([0-9]+)\s*(?=,|\)|$)", text)
        hint = ""
        if eq:
            fixed = f"{eq.group(1)}=={eq.group(2).strip()}"
            message = f"invalid requirement `{text}` (`=` is not a version operator)"
            hint = f"Write `{fixed}`."
        elif compatible:
            fixed = text[: compatible.end(1)] + ".0" + text[compatible.end(1) :]
            message = f"invalid requirement `{text}` (`~=` needs at least two version parts)"
            hint = f"Write `{fixed}` (>={compatible.group(1)}.0, <{int(compatible.group(1)) + 1})."
        else:
            message = f"invalid requirement `{text}` ({reason})"
        self._problem("LE402", path, at, message + ": pip install fails on the platform", hint)

    def _url_requirement(self, path: str, body: str, url: str, marker_text: str, where: Span, constraint: bool,
                         env: bool, hashes: tuple[str, ...]) -> None:
        name = None
        filename = url.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        if filename.lower().endswith(".whl"):
            wheel = _WHEEL_RE.match(filename)
            if wheel is None:
                if not env:
                    self._problem("LE402", path, where, _bad_wheel(filename))
                return
            name = wheel.group("name")
        egg = _EGG_RE.search(url)
        if egg and egg.group(1):
            name = _egg_name(egg.group(1)) or name
        self._entry(path, body, where, constraint, env, name=name, normalized=normalize_name(name) if name else None,
                    marker_text=marker_text or None, url=url, hashes=hashes, spec_end=len(url))

    def _local_requirement(self, path: str, body: str, name_text: str, path_text: str, extras_text: str | None,
                           marker_text: str, where: Span, constraint: bool, env: bool) -> bool:
        """pip's _get_url_from_path: True when the line is a local path (reported or recorded)."""
        if env or path_text.startswith("/") or path_text.startswith("~"):
            return _looks_like_path(name_text) or _is_archive(path_text)
        filename = path_text.rsplit("/", 1)[-1]
        if _is_archive(path_text) and filename.lower().endswith(".whl") and not _WHEEL_RE.match(filename):
            if "@" not in name_text or _looks_like_path(name_text.split("@", 1)[0]):
                self._problem("LE402", path, where, _bad_wheel(filename))
                return True
        rel = posixpath.normpath(self.project.build_prefix + path_text)
        if rel == ".." or rel.startswith("../"):
            # Outside the analyzed directory: lean-lint cannot see it, so it says nothing about it.
            if "@" in name_text and not _looks_like_path(name_text.split("@", 1)[0]):
                return False  # `name @ ../x`: a PEP 508 URL requirement
            self._local_entry(path, body, where, constraint, env, path_text, extras_text, marker_text)
            return True
        is_dir = self.project.is_dir(rel)
        if _looks_like_path(name_text) and is_dir:
            if not (self.project.is_file(posixpath.join(rel, "setup.py"))
                    or self.project.is_file(posixpath.join(rel, "pyproject.toml"))):
                self._problem("LE403", path, where,
                              f"`{path_text}` has no setup.py or pyproject.toml: pip install fails on the platform",
                              "Point it at a Python project directory, or remove the line.")
                return True
            self._check_required(path, where, rel, f"`{path_text}`", is_dir=True)
            self._local_entry(path, body, where, constraint, env, path_text, extras_text, marker_text)
            return True
        if not _is_archive(path_text):
            if _looks_like_path(name_text) and "@" not in name_text:
                # pip reads it as a requirement, fails, and explains "It looks like a path".
                if not self.project.exists(rel):
                    self._problem("LE403", path, where,
                                  f"`{path_text}` does not exist (from the build root, where pip runs): pip install fails on the platform",
                                  "Fix the path or remove the line.")
                    return True
            return False
        if self.project.is_file(rel):
            self._check_required(path, where, rel, f"`{path_text}`")
            self._local_entry(path, body, where, constraint, env, path_text, extras_text, marker_text)
            return True
        before_at = name_text.split("@", 1)
        if len(before_at) == 2 and not _looks_like_path(before_at[0]):
            return False  # `name @ https://...tar.gz`: a PEP 508 URL requirement
        self._problem("LE403", path, where,
                      f"`{path_text}` does not exist (from the build root, where pip runs): pip install fails on the platform",
                      "Fix the path or remove the line.")
        return True

    def _local_entry(self, path: str, body: str, where: Span, constraint: bool, env: bool, path_text: str,
                     extras_text: str | None, marker_text: str, editable: bool = False) -> None:
        name = None
        filename = path_text.rstrip("/").rsplit("/", 1)[-1]
        wheel = _WHEEL_RE.match(filename) if filename.lower().endswith(".whl") else None
        if wheel:
            name = wheel.group("name")
        extras = frozenset(e.strip().lower() for e in extras_text[1:-1].split(",")) if extras_text else frozenset()
        self._entry(path, body, where, constraint, env, name=name, normalized=normalize_name(name) if name else None,
                    extras=extras, marker_text=marker_text or None, local_path=path_text, editable=editable,
                    spec_end=len(body))

    # -- -e --------------------------------------------------------------------------------------------

    def _editable(self, path: str, value: str, start: int, span: Any, constraint: bool, env: bool) -> None:
        where = span(start, start + len(value))
        if env:
            self._entry(path, value, where, constraint, env, editable=True, spec_end=len(value))
            return
        path_text, extras_text = _strip_extras(value)
        rel = posixpath.normpath(self.project.build_prefix + path_text) if not path_text.startswith("/") else None
        outside = rel is None or rel == ".." or rel.startswith("../")
        if not outside and rel is not None and self.project.is_dir(rel):
            if not (self.project.is_file(posixpath.join(rel, "setup.py"))
                    or self.project.is_file(posixpath.join(rel, "pyproject.toml"))):
                self._problem("LE403", path, where,
                              f"`-e {value}`: `{rel}` has no setup.py or pyproject.toml: pip install fails on the platform",
                              "Point `-e` at a Python project directory, or remove the line.")
                return
            self._check_required(path, where, rel, f"`-e {value}`", is_dir=True)
            self._local_entry(path, value, where, constraint, env, path_text, extras_text, "", editable=True)
            return
        if path_text.lower().startswith("file:"):
            self._entry(path, value, where, constraint, env, editable=True, url=path_text, spec_end=len(value))
            return
        if outside and not _is_url(path_text):
            self._local_entry(path, value, where, constraint, env, path_text, extras_text, "", editable=True)
            return
        url = value
        scheme = _scheme(value)
        if scheme in ("git", "hg", "svn", "bzr"):
            url = f"{scheme}+{value}"
        if _scheme(url) not in _VCS_SCHEMES:
            if _looks_like_path(path_text) and not _is_url(path_text):
                self._problem("LE403", path, where,
                              f"`-e {value}`: `{path_text}` is not a directory (from the build root): pip install fails on the platform",
                              "Fix the path or remove the line.")
            else:
                self._problem("LE402", path, where,
                              f"`-e {value}` is neither a local directory nor a VCS URL: pip install fails on the platform",
                              "Write `-e git+https://host/repo.git#egg=name`, or drop `-e` for a plain requirement.")
            return
        egg = _EGG_RE.search(url)
        name = _egg_name(egg.group(1)) if egg and egg.group(1) else None
        if name is None:
            self._problem("LE402", path, where,
                          f"`-e {value}` has no `#egg=name`: pip install fails on the platform",
                          "Append `#egg=<distribution name>` to the URL, or write `name @ git+https://...` without -e.")
            return
        self._entry(path, value, where, constraint, env, name=name, normalized=normalize_name(name), editable=True,
                    url=url, spec_end=len(value))


def _bad_wheel(filename: str) -> str:
    return (
        f"`{filename}` is not a valid wheel file name (name-version-python-abi-platform.whl): the platform's pip "
        "install fails"
    )


def _egg_name(fragment: str) -> str | None:
    match = re.match(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?", fragment)
    return match.group(0) if match else None


def _split_op(spec: str) -> tuple[str, str]:
    text = spec.strip()
    if text[:3] == "===":
        return "===", text[3:].strip()
    if text[:2] in ("~=", "==", "!=", "<=", ">="):
        return text[:2], text[2:].strip()
    if text[:1] in ("<", ">"):
        return text[:1], text[1:].strip()
    return "", text


def _real_key(project: "Project", rel: str) -> str:
    try:
        return os.path.realpath(project.abspath(rel))
    except (OSError, ValueError):
        return rel


def _required_paths(project: "Project") -> list[str] | None:
    """The paths leanengine.yaml's `install:` steps add with `require:`, or None when lean-lint
    cannot tell what the install step sees (a custom `install:` command, or `install: []`)."""
    install = project.le_value("install")
    if install is None:
        return []
    if not isinstance(install, list) or not install:
        return None
    paths: list[str] = []
    for step in install:
        if isinstance(step, dict) and "require" in step:
            value = step["require"]
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, str) and item.strip():
                    norm = posixpath.normpath(item.strip().lstrip("/"))
                    paths.append("" if norm == "." else norm)
    return paths


def _covered(rel: str, required: list[str], is_dir: bool) -> bool:
    """Is `rel` (or a folder holding it) among the `require:` paths (which may be glob patterns)?
    For a directory, requiring anything inside it counts too: lean-lint does not second-guess which
    of its files pip needs."""
    rel = posixpath.normpath(rel)
    rel = "" if rel == "." else rel
    parts = rel.split("/") if rel else []
    ancestors = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for item in required:
        if item == "" or rel == item or rel.startswith(item + "/"):
            return True
        if is_dir and (rel == "" or item.startswith(rel + "/")):
            return True
        if any(c in item for c in "*?[") and any(fnmatch.fnmatchcase(a, item) for a in ancestors):
            return True
    return False


def upper_bound_suggestion(entry: RequirementEntry, bound: str = "<N") -> str:
    """The requirement with `bound` (`<4`, or the placeholder `<N` when today's major is unknown)
    added to its version range, extras, marker and parentheses kept."""
    raw = entry.raw
    head, tail = raw[: entry.spec_end], raw[entry.spec_end :]
    stripped = head.rstrip()
    closing = ""
    if stripped.endswith(")"):
        closing = ")"
        stripped = stripped[:-1].rstrip()
    joiner = "" if not entry.ops or stripped.endswith(",") else ","
    return f"{stripped}{joiner}{bound}{closing}{head[len(head.rstrip()):]}{tail}"


def entry_lines(project: "Project", entry: RequirementEntry) -> list[str] | None:
    """The lines of the entry's file, for a fix: None unless the requirement is still the exact text
    at its span, on one line (a requirement continued with `\\` is left to the user)."""
    if entry.end_line != entry.line:
        return None
    try:
        lines = project.read_text(entry.path).splitlines()
    except Exception:  # noqa: BLE001 - unreadable now: no fix
        return None
    if entry.line > len(lines) or lines[entry.line - 1][entry.column - 1 : entry.end_column - 1] != entry.raw:
        return None
    return lines
