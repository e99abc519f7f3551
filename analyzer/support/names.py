"""Distribution names as pip compares them."""

from __future__ import annotations

import re

_SEPARATORS_RE = re.compile(r"[-_.]+")


def normalize_name(name: str) -> str:
    """PEP 503: `Flask_SQLAlchemy` and `flask-sqlalchemy` are one distribution."""
    lowered = name.lower()
    if "_" in lowered or "." in lowered or "--" in lowered:
        return _SEPARATORS_RE.sub("-", lowered)
    return lowered
