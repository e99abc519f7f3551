"""Whether a project's regex can match a short text, decided without running the regex.

Route regexes come from the analyzed project (Django `re_path`, Bottle `<x:re:...>`, Tornado), so
running them is a denial of service: `^(|)*(|)*...$` backtracks for hours and Python's regex engine
does not release the GIL or see Ctrl-C while it does. Instead the pattern is parsed (linear time)
and its syntax tree is walked as a set of reachable positions in the text: every node maps a set of
start positions to the set of end positions, memoized per (node, start set), so the work is bounded
by pattern size times the number of position sets, whatever the nesting of repeats.

The answer errs towards "may match": a construct the walk does not model exactly (lookarounds,
back-references, conditionals, word boundaries, unknown opcodes) lets every later position through.
"""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):  # pragma: no cover - depends on the interpreter
    from re import _constants as _c
    from re import _parser as _parser
else:  # pragma: no cover
    import sre_constants as _c
    import sre_parse as _parser

#: Texts longer than this are not decided structurally (the position sets would grow): "may match".
MAX_TEXT = 8


def may_match(pattern: str, text: str, full: bool = True) -> bool:
    """Can `pattern` match `text` (entirely when `full`, as a prefix otherwise)? True when unsure,
    including for an invalid pattern (lean-lint cannot tell what the framework would do)."""
    if len(text) > MAX_TEXT:
        return True
    try:
        parsed = _parser.parse(pattern)
    except (_c.error, RecursionError, OverflowError, ValueError, TypeError, IndexError):
        return True
    walker = _Walker(text)
    try:
        ends = walker.seq(list(parsed), frozenset({0}))
    except RecursionError:
        return True
    return len(text) in ends if full else bool(ends)


class _Walker:
    """Characters are compared case-insensitively whatever the flags (a superset: "may match")."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.memo: dict[tuple[int, frozenset], frozenset] = {}
        self.keep: list = []  # keeps memoized nodes alive so their id() is not reused

    def rest(self, starts: frozenset) -> frozenset:
        """Every position from the earliest start on: the answer when unsure."""
        if not starts:
            return frozenset()
        return frozenset(range(min(starts), self.n + 1))

    def seq(self, items: list, starts: frozenset) -> frozenset:
        for item in items:
            if not starts:
                break
            starts = self.node(item, starts)
        return starts

    def node(self, item: tuple, starts: frozenset) -> frozenset:
        key = (id(item), starts)
        if key in self.memo:
            return self.memo[key]
        self.keep.append(item)
        result = self._node(item, starts)
        self.memo[key] = result
        return result

    def _char(self, starts: frozenset, accept) -> frozenset:
        return frozenset(p + 1 for p in starts if p < self.n and accept(self.text[p]))

    def _node(self, item: tuple, starts: frozenset) -> frozenset:
        op, av = item
        if op is _c.LITERAL:
            return self._char(starts, lambda ch: _same(ch, chr(av)))
        if op is _c.NOT_LITERAL:
            return self._char(starts, lambda ch: ch != chr(av))  # strict: a superset
        if op is _c.ANY:
            return self._char(starts, lambda ch: True)  # `.` without DOTALL refuses `\n`: err to "may"
        if op is _c.IN:
            return self._char(starts, lambda ch: _in_set(av, ch))
        if op is _c.AT:
            return self._at(av, starts)
        if op is _c.BRANCH:
            out: frozenset = frozenset()
            for alternative in av[1]:
                out |= self.seq(alternative, starts)
            return out
        if op is _c.SUBPATTERN:
            return self.seq(av[-1], starts)
        if op in _REPEATS:
            lo, hi, body = av
            return self._repeat(lo, hi, body, starts)
        if op is getattr(_c, "ATOMIC_GROUP", None):
            return self.seq(av, starts)  # atomic groups only prune matches: the superset is safe
        if op is _c.GROUPREF_EXISTS:
            yes = self.seq(av[1], starts)
            return yes | (self.seq(av[2], starts) if av[2] else starts)
        if op is _c.ASSERT and av[0] == 1:  # a lookahead: keep the positions its body can match at
            return frozenset(p for p in starts if self.seq(av[1], frozenset({p})))
        return self.rest(starts)  # negative lookarounds, lookbehinds, back-references, anything new: unsure

    def _at(self, where, starts: frozenset) -> frozenset:
        if where in (_c.AT_BEGINNING, _c.AT_BEGINNING_STRING):
            return frozenset(p for p in starts if p == 0 or (where is _c.AT_BEGINNING and self.text[p - 1] == "\n"))
        if where is _c.AT_END_STRING:
            return frozenset(p for p in starts if p == self.n)
        if where is _c.AT_END:
            return frozenset(p for p in starts if p == self.n or self.text[p] == "\n")
        return starts  # word boundaries and the like: unsure, keep every position

    def _repeat(self, lo: int, hi: int, body: list, starts: frozenset) -> frozenset:
        step = lambda s: self.seq(body, s)  # noqa: E731 - one name for the repeated body
        # The mandatory `lo` passes: the sequence of position sets is eventually periodic.
        seen: dict[frozenset, int] = {}
        history: list[frozenset] = []
        current = starts
        for k in range(lo):
            if current in seen:
                first = seen[current]
                current = history[first + (lo - first) % (k - first)]
                break
            seen[current] = k
            history.append(current)
            current = step(current)
        # The optional passes: grows monotonically, so it settles within n + 1 passes.
        reached = current
        frontier = current
        optional = hi - lo if hi != _c.MAXREPEAT else None
        passes = 0
        while frontier and (optional is None or passes < optional):
            frontier = step(frontier) - reached
            reached |= frontier
            passes += 1
        return reached


_REPEATS = tuple(
    op for op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) if op is not None
)


def _same(a: str, b: str) -> bool:
    return a == b or a.lower() == b.lower() or a.upper() == b.upper()


def _in_set(items: list, ch: str) -> bool:
    """Is `ch` in a character class? Loose about case in a positive class and strict in a negated
    one, so that the answer is a superset either way."""
    negate = any(op is _c.NEGATE for op, _ in items)
    chars = {ch} if negate else {ch, ch.lower(), ch.upper()}
    for op, av in items:
        if op is _c.NEGATE:
            continue
        if op is _c.LITERAL:
            hit = chr(av) in chars
        elif op is _c.RANGE:
            hit = any(av[0] <= ord(c) <= av[1] for c in chars)
        elif op is _c.CATEGORY:
            hit = _category(av, ch)
        else:
            return True  # charset bitmaps and anything new: unsure
        if hit:
            return not negate
    return negate


def _category(cat, ch: str) -> bool:
    if cat in (_c.CATEGORY_DIGIT, _c.CATEGORY_UNI_DIGIT):
        return ch.isdigit()
    if cat in (_c.CATEGORY_NOT_DIGIT, _c.CATEGORY_UNI_NOT_DIGIT):
        return not ch.isdigit()
    if cat in (_c.CATEGORY_SPACE, _c.CATEGORY_UNI_SPACE):
        return ch.isspace()
    if cat in (_c.CATEGORY_NOT_SPACE, _c.CATEGORY_UNI_NOT_SPACE):
        return not ch.isspace()
    if cat in (_c.CATEGORY_WORD, _c.CATEGORY_UNI_WORD):
        return ch.isalnum() or ch == "_"
    if cat in (_c.CATEGORY_NOT_WORD, _c.CATEGORY_UNI_NOT_WORD):
        return not (ch.isalnum() or ch == "_")
    return True
