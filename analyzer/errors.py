"""The errors that end a run with exit code 2: bad usage and bad configuration."""

from __future__ import annotations


class UsageError(Exception):
    """A problem with how lean-lint was called (exit 2, one line)."""


class ConfigError(Exception):
    """A bad configuration: the message is one line naming the file, the key and the reason."""
