"""lean-lint: a pre-deploy analyzer for Python apps on LeanCloud / TapTap Cloud Engine."""

__version__ = "0.2.0"

#: Where lean-lint lives; every rule's documentation is a section of its README there.
HOMEPAGE = "https://github.com/lean-lint/lean-lint"
DOCS_URL = f"{HOMEPAGE}/blob/main/README.md"
