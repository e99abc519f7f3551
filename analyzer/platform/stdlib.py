"""The standard library's top-level module names of each Python version lean-lint knows (data behind
LE406), from stdlib_modules.json, which scripts/gen_stdlib_modules.py reads off real interpreters.

A requirement that names one of them asks pip for a distribution that does not exist: pip stops with
"No matching distribution found". Names that are also PyPI projects (`argparse`, `typing`,
`dataclasses` backports, Zope's `datetime`) install, so they are left out.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from analyzer.support.names import normalize_name

#: Names of the interpreter itself that are not PyPI projects (`python2` is one, an unrelated library).
INTERPRETER_NAMES = frozenset({"python", "python3", "cpython"})

_VERSION_RE = re.compile(r"^([23])\.(\d+)")


@lru_cache(maxsize=1)
def _data() -> dict:
    text = resources.files(__package__).joinpath("stdlib_modules.json").read_text(encoding="utf-8")
    return json.loads(text)


def known_versions() -> tuple[str, ...]:
    return tuple(_data()["versions"])


def target_version(text: str | None) -> str | None:
    """`3.10.4` / `3.10` -> "3.10"; None when the text names no version lean-lint has data for."""
    if not text:
        return None
    match = _VERSION_RE.match(text)
    if not match:
        return None
    version = f"{match.group(1)}.{match.group(2)}"
    return version if version in _data()["versions"] else None


@lru_cache(maxsize=16)
def stdlib_requirement_names(version: str | None) -> dict[str, str]:
    """Normalized requirement name -> the module it names, for the standard library of `version`
    that is not also a PyPI project. `version=None` (the target is unknown, or newer or older than
    the data): the modules every known version has, so the answer holds whichever one it is."""
    data = _data()
    versions = data["versions"]
    if version is not None and version in versions:
        modules = set(versions[version]["modules"])
    else:
        sets = [set(v["modules"]) for v in versions.values()]
        modules = set.intersection(*sets)
    on_pypi = {normalize_name(n) for n in data["also_pypi_projects"]}
    out = {}
    for module in sorted(modules):
        key = normalize_name(module)
        if module.startswith("_") or key in on_pypi:
            continue
        out[key] = module
    return out


@lru_cache(maxsize=1)
def all_stdlib_modules() -> frozenset[str]:
    """Every top-level standard library module of any known version (for imports, which may be
    guarded by a version switch lean-lint does not follow)."""
    return frozenset(m for v in _data()["versions"].values() for m in v["modules"])
