"""gitignore-syntax matching, for `.leanignore` and the config's `exclude` globs.

lean-cli never uploads what `.leanignore` matches, so those files are not on the platform. The
semantics follow gitignore(5): later patterns win, `!` re-includes, a leading or inner `/` anchors
the pattern to the root, a trailing `/` matches directories only, `*` and `?` stay inside one path
component, `**` spans components, and a file under an ignored directory stays ignored.

Patterns come from the analyzed project, so matching must stay fast whatever they hold: a glob is
never one backtracking regular expression (`*a*a*a*a*b` or `**/**/**/x` make one run for hours on a
path that does not match). Within a component, the pieces between stars are fixed-length
expressions found left to right; `**` is matched over path components with the greedy wildcard
algorithm (back up to the last star only), which is correct for star-only patterns and costs at
most len(pattern) x len(path).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

#: Patterns after this many are ignored (real .leanignore files have a few dozen lines).
MAX_PATTERNS = 1_000


class _Star:
    """`*` inside a component."""


class _GlobStar:
    """`**` as a whole component: zero or more components."""


STAR = _Star()
GLOBSTAR = _GlobStar()


@dataclass(frozen=True)
class _Class:
    """`[...]`: one character from a set (or, negated, one not in it)."""

    negated: bool
    chars: frozenset[str]
    ranges: tuple[tuple[str, str], ...]

    def matches(self, ch: str) -> bool:
        found = ch in self.chars or any(lo <= ch <= hi for lo, hi in self.ranges)
        return found != self.negated


class _AnyChar:
    """`?`."""


ANY_CHAR = _AnyChar()

#: A component pattern: a plain name (no wildcard) or a _ComponentGlob.
_Component = Union[str, "_ComponentGlob"]


@dataclass(frozen=True)
class _Pattern:
    segments: tuple
    negated: bool
    dir_only: bool


def _component(glob: str) -> _Component:
    """One path component's glob: the plain string when it has no wildcard, else a _ComponentGlob."""
    tokens: list = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if c == "*":
            if not tokens or tokens[-1] is not STAR:  # `**` inside a component is `*`
                tokens.append(STAR)
        elif c == "?":
            tokens.append(ANY_CHAR)
        elif c == "[":
            # A `]` first in the set (after a `!` or `^`) is one of its characters.
            start = i + 1
            if glob[start : start + 1] in ("!", "^"):
                start += 1
            if glob[start : start + 1] == "]":
                start += 1
            j = glob.find("]", start)
            if j == -1:
                tokens.append(c)
            else:
                tokens.append(_char_class(glob[i + 1 : j]))
                i = j
        elif c == "\\" and i + 1 < n:
            i += 1
            tokens.append(glob[i])
        else:
            tokens.append(c)
        i += 1
    if all(isinstance(t, str) for t in tokens):
        return "".join(tokens)
    return _ComponentGlob(tokens)


def _char_class(body: str) -> _Class:
    negated = body[:1] in ("!", "^")
    if negated:
        body = body[1:]
    chars: set[str] = set()
    ranges: list[tuple[str, str]] = []
    k = 0
    while k < len(body):
        if k + 2 < len(body) and body[k + 1] == "-":
            ranges.append((body[k], body[k + 2]))
            k += 3
        else:
            chars.add(body[k])
            k += 1
    return _Class(negated, frozenset(chars), tuple(ranges))


class _ComponentGlob:
    """A component glob as its star-separated chunks, each a fixed-length regular expression.

    `chunk0*chunk1*...*chunkN` matches when chunk0 matches at the start, chunkN at the end, and the
    chunks between are found, each at its leftmost place after the previous one (taking the
    leftmost place never loses a match). Fixed-length expressions cannot backtrack badly, so a
    match costs at most len(name) x len(glob), in C."""

    def __init__(self, tokens: list) -> None:
        chunks: list[list] = [[]]
        for token in tokens:
            if token is STAR:
                chunks.append([])
            else:
                chunks[-1].append(token)
        self.starred = len(chunks) > 1
        self.lengths = [len(c) for c in chunks]
        self.regexes = [re.compile("".join(_token_regex(t) for t in chunk), re.DOTALL) for chunk in chunks]

    def match(self, name: str) -> bool:
        regexes, lengths = self.regexes, self.lengths
        if not self.starred:
            return regexes[0].fullmatch(name) is not None
        if sum(lengths) > len(name) or regexes[0].match(name) is None:
            return False
        pos = lengths[0]
        last_start = len(name) - lengths[-1]
        for regex in regexes[1:-1]:
            found = regex.search(name, pos, last_start)
            if found is None:
                return False
            pos = found.end()
        return pos <= last_start and regexes[-1].fullmatch(name, last_start) is not None


def _token_regex(token: object) -> str:
    if isinstance(token, str):
        return re.escape(token)
    if token is ANY_CHAR:
        return "."
    assert isinstance(token, _Class)
    items = "".join(re.escape(ch) for ch in sorted(token.chars))
    items += "".join(f"{re.escape(lo)}-{re.escape(hi)}" for lo, hi in token.ranges if lo <= hi)
    if not items:
        return "." if token.negated else "(?!)"
    return f"[{'^' if token.negated else ''}{items}]"


def _one_component(segment: object, name: str) -> bool:
    if isinstance(segment, str):
        return segment == name
    return isinstance(segment, _ComponentGlob) and segment.match(name)


def _wildcard(pattern: tuple | list, items: list, star: object, one) -> bool:
    """Greedy wildcard matching: `star` matches any run of items, every other token one item."""
    p = i = 0
    star_p, star_i = -1, 0
    m, n = len(pattern), len(items)
    while i < n:
        if p < m and pattern[p] is star:
            star_p, star_i = p, i
            p += 1
        elif p < m and one(pattern[p], items[i]):
            p += 1
            i += 1
        elif star_p >= 0:
            p = star_p + 1
            star_i += 1
            i = star_i
        else:
            return False
    while p < m and pattern[p] is star:
        p += 1
    return p == m


_WalkState = dict  # pattern index -> frozenset of positions in its segments


def _closure(segments: tuple, positions: set[int]) -> frozenset[int]:
    """Add the positions past each `**` (it matches zero components too)."""
    out = set(positions)
    for p in sorted(positions):
        while p < len(segments) and segments[p] is GLOBSTAR:
            p += 1
            out.add(p)
    return frozenset(out)


def _compile(line: str) -> _Pattern | None:
    line = line.rstrip("\n\r")
    if not line.strip() or line.startswith("#"):
        return None
    # Trailing spaces are ignored unless escaped.
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        stripped += " "
    line = stripped
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    elif line.startswith("\\!") or line.startswith("\\#"):
        line = line[1:]
    dir_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    parts = [p for p in line.lstrip("/").split("/") if p]
    if not parts:
        return None
    segments: list = [] if anchored else [GLOBSTAR]
    for index, part in enumerate(parts):
        if part == "**":
            if index == len(parts) - 1:
                segments.append(_component("*"))  # a trailing "/**": everything inside: one component or more
            if not segments or segments[-1] is not GLOBSTAR:
                segments.append(GLOBSTAR)
        else:
            segments.append(_component(part))
    return _Pattern(tuple(segments), negated, dir_only)


class IgnoreMatcher:
    """Matches project-relative POSIX paths against gitignore patterns."""

    def __init__(self, lines: list[str] | tuple[str, ...] = ()) -> None:
        self._patterns: list[_Pattern] = []
        #: How many patterns past MAX_PATTERNS were left out (not compiled, so not matched).
        self.dropped = 0
        for index, line in enumerate(lines):
            if index == 0:
                line = line.lstrip("\ufeff")  # git skips a byte order mark too
            if len(self._patterns) >= MAX_PATTERNS:
                if line.strip() and not line.startswith("#"):
                    self.dropped += 1
                continue
            pattern = _compile(line)
            if pattern is not None:
                self._patterns.append(pattern)

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def matches(self, path: str, is_dir: bool = False) -> bool:
        """Is `path` itself matched? Callers walking a tree prune ignored directories, which gives
        gitignore's rule that nothing under an ignored directory can be re-included."""
        components = [c for c in path.split("/") if c]
        # The last matching pattern decides: look from the end and stop at the first match.
        for pat in reversed(self._patterns):
            if pat.dir_only and not is_dir:
                continue
            if _wildcard(pat.segments, components, GLOBSTAR, _one_component):
                return not pat.negated
        return False

    # -- incremental matching, for walks down a tree ---------------------------------------------------
    #
    # A walk asks about every directory and file of a deep tree: matching each full path from the
    # root costs (depth x patterns) per path. Instead the walk carries, per directory, the set of
    # positions each pattern can be at after that directory's components, and a child costs one
    # step over its own name: time linear in the size of the tree (times the patterns).

    def start(self) -> "_WalkState":
        """The state at the root (no component yet)."""
        return {i: _closure(p.segments, {0}) for i, p in enumerate(self._patterns)}

    def step(self, state: "_WalkState", name: str) -> "_WalkState":
        """The state after one more path component `name`; patterns that can no longer match drop out."""
        out: _WalkState = {}
        for i, positions in state.items():
            segments = self._patterns[i].segments
            reached: set[int] = set()
            for p in positions:
                if p < len(segments):
                    segment = segments[p]
                    if segment is GLOBSTAR:
                        reached.add(p)
                    elif _one_component(segment, name):
                        reached.add(p + 1)
            if reached:
                out[i] = _closure(segments, reached)
        return out

    def decides(self, state: "_WalkState", is_dir: bool = False) -> bool:
        """Is the path that led to `state` matched (the same answer as matches())?"""
        for i in sorted(state, reverse=True):
            pattern = self._patterns[i]
            if pattern.dir_only and not is_dir:
                continue
            if len(pattern.segments) in state[i]:
                return not pattern.negated
        return False

    def matches_path_or_parent(self, path: str) -> bool:
        """For a single path, not reached by a pruning walk: is it or any directory above it ignored?"""
        parts = path.split("/")
        for i in range(1, len(parts)):
            if self.matches("/".join(parts[:i]), is_dir=True):
                return True
        return self.matches(path)
