"""The values the resolver (model/resolver.py) answers with: what an expression can hold on the
platform. A `Value` lists the possible outcomes (one per branch that could produce it), each a
constant, a `Prefix` (a string known up to a prefix), an `EnvRead` (a variable the platform sets) or
`UNKNOWN`. Kept apart from the resolver so that the models it consults (model/conditions.py) can
read values without importing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

#: At most this many outcomes per value; past it, UNKNOWN joins them.
MAX_OPTIONS = 16


class _Unknown:
    _instance = None

    def __new__(cls) -> "_Unknown":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


@dataclass(frozen=True)
class Prefix:
    """A string known only up to a prefix: f"/data/{x}", "/data/" + name."""

    text: str


@dataclass(frozen=True)
class EnvRead:
    """The value of an environment variable the platform sets; on the platform it is not a literal."""

    name: str


@dataclass(frozen=True)
class Value:
    """The possible outcomes of an expression (one per branch that could produce it).

    `assumes_unset` names the user-settable environment variables whose default the outcome is:
    `os.environ.get('HOST', '127.0.0.1')` is '127.0.0.1' only while HOST is not set in the console.
    """

    options: tuple
    assumes_unset: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return bool(self.options) and not any(o is UNKNOWN for o in self.options)

    @property
    def single(self) -> Any:
        return self.options[0] if len(self.options) == 1 else UNKNOWN

    def all(self, pred: Callable[[Any], bool]) -> bool:
        return self.known and all(pred(o) for o in self.options)

    def any(self, pred: Callable[[Any], bool]) -> bool:
        return any(o is not UNKNOWN and pred(o) for o in self.options)

    def __repr__(self) -> str:
        extra = f", assumes_unset={self.assumes_unset!r}" if self.assumes_unset else ""
        return f"Value({self.options!r}{extra})"


UNKNOWN_VALUE = Value((UNKNOWN,))


def const(*options: Any) -> Value:
    return Value(tuple(options))


def merge(values: Iterable[Value]) -> Value:
    """The union of several values' options (deduplicated, in order; too many -> UNKNOWN added)."""
    options: list = []
    env: list[str] = []
    for v in values:
        for o in v.options:
            if not any(_same(o, p) for p in options):
                options.append(o)
        env += [e for e in v.assumes_unset if e not in env]
    if len(options) > MAX_OPTIONS:
        options = options[:MAX_OPTIONS] + ([UNKNOWN] if UNKNOWN not in options else [])
    return Value(tuple(options) or (UNKNOWN,), tuple(env))


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b
