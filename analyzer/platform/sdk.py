"""The LeanCloud Python SDK's API as lean-lint knows it (REFERENCE.md: "The SDK")."""

from __future__ import annotations

#: The SDK's WSGI wrapper class, by qualified name.
ENGINE_CLASSES = frozenset({"leancloud.Engine", "leancloud.engine.Engine"})
