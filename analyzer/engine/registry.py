"""The rule registry: every `Rule` subclass with a `code`, in the `le*.py` modules under analyzer/rules/.

A rule lives in its own module named by its code (`rules/listen/le201_listens_on_loopback.py` holds
LE201), grouped in one folder per family. Adding a module adds its rule; nothing else to register.
"""

from __future__ import annotations

import difflib
import importlib
import os
import pkgutil
import re
from functools import lru_cache
from typing import Iterable

import analyzer.rules
from analyzer.errors import ConfigError
from analyzer.rules.base import CodeRule, ProjectRule, Rule, iter_subclasses


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    package = analyzer.rules.__name__
    for info in pkgutil.walk_packages(analyzer.rules.__path__, package + "."):
        if info.name.rpartition(".")[2].startswith("le"):
            importlib.import_module(info.name)
    rules = {}
    for cls in iter_subclasses(Rule):
        code = cls.__dict__.get("code")
        if code and cls.__module__.startswith(package + "."):  # not cache stubs or test doubles
            if code in rules:
                raise RuntimeError(f"rule code {code} defined twice: {rules[code]} and {cls}")
            rules[code] = cls
    return tuple(sorted(rules.values(), key=lambda r: r.code))


@lru_cache(maxsize=1)
def rule_codes() -> frozenset[str]:
    """Every rule's code, from the module names alone (`le201_listens_on_loopback` -> LE201): what a
    cached rules table must match, found without importing a rule (nor so libcst)."""
    codes = set()
    for family in pkgutil.iter_modules(analyzer.rules.__path__):
        if family.ispkg:
            path = [os.path.join(p, family.name) for p in analyzer.rules.__path__]
            for info in pkgutil.iter_modules(path):
                head = info.name.partition("_")[0]
                if head.startswith("le") and head[2:].isdigit():
                    codes.add(head.upper())
    return frozenset(codes)


def rule_by_code(code: str) -> type[Rule] | None:
    for rule in all_rules():
        if rule.code == code.upper():
            return rule
    return None


#: What a code or prefix looks like: `LE201`, `LE2`, `LE`; `ALL` is every rule.
CODE_SYNTAX = re.compile(r"LE\d{0,3}\Z")
#: Characters people type for digits (`LE7O2`): tried before any fuzzy match.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "S": "5", "Z": "2", "B": "8"})


def is_known_code(code: str, known: Iterable[str]) -> bool:
    """`code` is `ALL`, a rule's code, or a prefix of one (`LE2`, `LE`)."""
    return code == "ALL" or (CODE_SYNTAX.match(code) is not None and any(k.startswith(code) for k in known))


def suggest_code(code: str, known: Iterable[str]) -> str | None:
    """The code the user most likely meant by an unknown `code`, or None."""
    known = sorted(set(known))
    text = code.strip().upper()
    if text.startswith("LE"):
        fixed = "LE" + text[2:].translate(_LOOKALIKES)
        if is_known_code(fixed, known):
            return fixed
    if text != code and is_known_code(text, known):
        return text
    swapped = [k for k in known if len(k) == len(text) and sorted(k) == sorted(text)]  # LE220 for LE202
    near = swapped or difflib.get_close_matches(text, known, n=1, cutoff=0.8)
    return near[0] if near else None


def check_codes(codes: Iterable[str], where: str, known: Iterable[str]) -> None:
    """Raise ConfigError (exit 2) for a code or prefix no rule has, as ruff does: a `select` or
    `ignore` that names nothing would silently run every rule or none."""
    known = tuple(known)
    for code in codes:
        if is_known_code(code, known):
            continue
        near = suggest_code(code, known)
        hint = f"did you mean {near!r}?" if near else "`lean-lint rules` lists the codes"
        raise ConfigError(f"{where}: unknown rule code or prefix {code!r} ({hint})")


def is_selected(code: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    """The most specific matching prefix decides (`select = ["LE2"]`, `ignore = ["LE203"]`); on a tie
    `ignore` wins. `ALL` is the least specific prefix."""
    best_len, selected = -1, False
    for prefixes, verdict in ((select, True), (ignore, False)):
        for prefix in prefixes:
            p = "" if prefix == "ALL" else prefix
            if code.startswith(p) and len(p) >= best_len:
                if len(p) > best_len or not verdict:
                    best_len, selected = len(p), verdict
    return selected


__all__ = [
    "CodeRule", "ProjectRule", "Rule", "all_rules", "check_codes", "is_known_code", "is_selected",
    "rule_by_code", "suggest_code",
]
