"""What popular distributions install: their import names and the distributions they require, from
distribution_modules.json, which scripts/gen_distribution_modules.py reads out of their wheels (RECORD
and METADATA). Shipped data only: what happens to be installed where lean-lint runs plays no part,
so a developer's machine, pre-commit and CI give the same answer.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _distributions() -> dict[str, dict]:
    text = resources.files(__package__).joinpath("distribution_modules.json").read_text(encoding="utf-8")
    return json.loads(text)["distributions"]


@lru_cache(maxsize=1)
def _module_index() -> dict[str, tuple[str, ...]]:
    """Import name (top-level, or dotted under a namespace package) -> normalized distributions, the
    most downloaded first."""
    index: dict[str, list[tuple[int, str]]] = {}
    for key, row in _distributions().items():
        for module in row["modules"]:
            index.setdefault(module, []).append((row.get("rank", 1 << 30), key))
    return {module: tuple(key for _, key in sorted(found)) for module, found in index.items()}


def requires(normalized: str) -> tuple[str, ...] | None:
    """The distributions `normalized` requires (extras' excluded), or None when it is not in the data."""
    row = _distributions().get(normalized)
    return None if row is None else tuple(row["requires"])


def display_name(normalized: str) -> str:
    row = _distributions().get(normalized)
    return normalized if row is None else row["name"]


def providers(module: str, min_parts: int = 1) -> tuple[str, ...]:
    """The normalized distributions whose wheels install `module` (a dotted import name) or the
    package it is in, the most downloaded first; () when none in the data does. `min_parts=2` for a
    namespace package (`google.cloud.storage`: `google` alone says nothing)."""
    index = _module_index()
    parts = module.split(".")
    for i in range(len(parts), min_parts - 1, -1):
        found = index.get(".".join(parts[:i]))
        if found:
            return found
    return ()


