"""gitignore-syntax matching, for `.leanignore` and the config's `exclude` globs.

lean-cli never uploads what `.leanignore` matches, so those files are not on the platform. The
semantics follow gitignore(5): later patterns win, `!` re-includes, a leading or inner `/` anchors
the pattern to the root, a trailing `/` matches directories only, `*` and `?` stay inside one path
component, `**` spans components, and a file under an ignored directory stays ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    negated: bool
    dir_only: bool


def _translate(glob: str) -> str:
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if c == "*":
            if glob.startswith("**", i):
                at_start = i == 0 or glob[i - 1] == "/"
                after = glob[i + 2 : i + 3]
                if at_start and after == "/":
                    out.append("(?:.*/)?")  # "**/" : zero or more directories
                    i += 3
                    continue
                if at_start and after == "":
                    out.append(".*")  # trailing "/**": everything inside
                    i += 2
                    continue
                out.append("[^/]*")
                i += 2
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = glob.find("]", i + 2 if glob[i + 1 : i + 2] in ("!", "^", "]") else i + 1)
            if j == -1:
                out.append(re.escape(c))
            else:
                body = glob[i + 1 : j]
                if body[:1] in ("!", "^"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(glob[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


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
    line = line.lstrip("/")
    body = _translate(line)
    prefix = "" if anchored else "(?:.*/)?"
    return _Pattern(re.compile(f"^{prefix}{body}$", re.DOTALL), negated, dir_only)


class IgnoreMatcher:
    """Matches project-relative POSIX paths against gitignore patterns."""

    def __init__(self, lines: list[str] | tuple[str, ...] = ()) -> None:
        self._patterns = [p for p in (_compile(line) for line in lines) if p is not None]

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def matches(self, path: str, is_dir: bool = False) -> bool:
        """Is `path` itself matched? Callers walking a tree prune ignored directories, which gives
        gitignore's rule that nothing under an ignored directory can be re-included."""
        ignored = False
        for pat in self._patterns:
            if pat.dir_only and not is_dir:
                continue
            if pat.regex.match(path):
                ignored = not pat.negated
        return ignored

    def matches_path_or_parent(self, path: str) -> bool:
        """For a single path, not reached by a pruning walk: is it or any directory above it ignored?"""
        parts = path.split("/")
        for i in range(1, len(parts)):
            if self.matches("/".join(parts[:i]), is_dir=True):
                return True
        return self.matches(path)
