"""lean-lint: a pre-deploy analyzer for Python apps on LeanCloud / TapTap Cloud Engine."""

__version__ = "0.2.0"
