"""The JSON Schema of leanengine.yaml, as shipped in the package.

`schemas/leanengine.schema.json` is the one source: it is installed as the package data
`analyzer.schemas/leanengine.schema.json`, editors use it through a `# yaml-language-server: $schema=`
line, and LE302-LE304 validate against it. Everything lean-lint needs to know about the keys (their
names, the allowed runtimes and system dependencies) is derived from it here, so the two cannot drift.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

SCHEMA_PACKAGE = "analyzer.schemas"
SCHEMA_FILE = "leanengine.schema.json"


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The parsed schema (cached; do not mutate it).

    Installed, it is package data; run from a source checkout whose `analyzer` shadows the installed
    package (the tests), the package `analyzer.schemas` does not exist and the file is read from the
    checkout's `schemas/`, the same single source."""
    try:
        text = (files(SCHEMA_PACKAGE) / SCHEMA_FILE).read_text(encoding="utf-8")
    except ModuleNotFoundError:
        text = (Path(__file__).resolve().parents[2] / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def property_schema(key: str) -> dict[str, Any]:
    """The schema of one top-level key ({} for an unknown key)."""
    return load_schema()["properties"].get(key, {})


def _enum_of(schema: dict[str, Any]) -> tuple[str, ...]:
    return tuple(schema.get("enum", ()))


#: The documented top-level keys, in the schema's order.
KNOWN_KEYS: tuple[str, ...] = tuple(load_schema()["properties"])
#: `runtime:` values.
RUNTIMES: tuple[str, ...] = _enum_of(property_schema("runtime"))
#: `systemDependencies:` items.
SYSTEM_DEPENDENCIES: tuple[str, ...] = _enum_of(property_schema("systemDependencies").get("items", {}))
#: `functionsMode:` values.
FUNCTIONS_MODES: tuple[str, ...] = _enum_of(property_schema("functionsMode"))
#: startupTimeout bounds in seconds (inclusive).
STARTUP_TIMEOUT_RANGE: tuple[int, int] = (
    property_schema("startupTimeout")["minimum"],
    property_schema("startupTimeout")["maximum"],
)
#: Values the platform still accepts but no longer maintains.
DEPRECATED_SYSTEM_DEPENDENCIES: frozenset[str] = frozenset({"phantomjs"})

__all__ = [
    "DEPRECATED_SYSTEM_DEPENDENCIES",
    "FUNCTIONS_MODES",
    "KNOWN_KEYS",
    "RUNTIMES",
    "STARTUP_TIMEOUT_RANGE",
    "SYSTEM_DEPENDENCIES",
    "load_schema",
    "property_schema",
]
